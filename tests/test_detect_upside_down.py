"""A sheet fed upside down into the scanner (its image turned half round, no
/Rotate): its boxes are found either way, and its codes and context are read
once the page is turned over, because upside down they read as junk."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pymupdf
import pytest
from test_detect_fixtures import black, draw_page, scan_pixels, to_scanned_pdf

from redactview.analysis import page_ocr
from redactview.analysis.pipeline import PageTask, analyze_page
from redactview.ocr.tesseract import find_tesseract

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(find_tesseract() is None, reason="Tesseract not installed"),
]

CODES = ["(b)(6)", "(b)(7)(C)", "(b)(5)"]


def memo(page: pymupdf.Page) -> None:
    for k, code in enumerate(CODES):
        y = 150 + 30 * k
        page.insert_text((72, y), "The agent met", fontsize=11, fontname="helv")
        black(page, (150, y - 9, 240, y + 3))
        page.insert_text((244, y), f"{code} at the field office on Monday.", fontsize=11)
    for k in range(6):
        page.insert_text(
            (72, 260 + 16 * k), "Ordinary prose fills the rest of the page.", fontsize=11
        )


def scan(path: Path, turned: bool) -> Path:
    pixels = scan_pixels(draw_page(memo))
    return to_scanned_pdf(np.ascontiguousarray(np.rot90(pixels, 2)) if turned else pixels, path)


def test_an_upside_down_sheet_is_read_turned_over(tmp_path: Path) -> None:
    result = analyze_page(PageTask(str(scan(tmp_path / "down.pdf", True)), 1, "0" * 64, 150.0))
    found = sorted(result.redactions, key=lambda r: -r.box.y0)  # upside down: last line on top
    assert [r.exemptions for r in found] == [(c,) for c in CODES]
    assert all(r.context_before.endswith("The agent met") for r in found)
    # Where the boxes are is the same as on the sheet fed the right way up.
    upright = analyze_page(PageTask(str(scan(tmp_path / "up.pdf", False)), 1, "0" * 64, 150.0))
    flipped = sorted((612 - r.box.x1, 792 - r.box.y1) for r in upright.redactions)
    here = sorted((r.box.x0, r.box.y0) for r in result.redactions)
    assert np.allclose(flipped, here, atol=2.0)


def test_an_upright_sheet_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*_: object) -> None:
        raise AssertionError("an upright page was turned over")

    monkeypatch.setattr(page_ocr, "_turned_over", never)
    result = analyze_page(PageTask(str(scan(tmp_path / "up.pdf", False)), 1, "0" * 64, 150.0))
    assert [r.exemptions for r in sorted(result.redactions, key=lambda r: r.box.y0)] == [
        (c,) for c in CODES
    ]
