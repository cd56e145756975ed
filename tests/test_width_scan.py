"""Width estimates on a scanned line (no text layer): OCR'd neighbours, generic font."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from redactview.analysis.fit import fit_candidates
from redactview.analysis.width_page import estimate_width
from redactview.core.geometry import Box
from redactview.ocr.tesseract import find_tesseract

pytestmark = [
    pytest.mark.tesseract,
    pytest.mark.skipif(find_tesseract() is None, reason="needs tesseract"),
]


def scanned_line(path: Path) -> Box:
    doc = pymupdf.open()
    page = doc.new_page()

    def length(text: str) -> float:
        return pymupdf.get_text_length(text, fontname="tiro", fontsize=12)

    page.insert_text((72, 100), "Interviewed", fontname="tiro", fontsize=12)
    x = 72 + length("Interviewed ")
    rect = pymupdf.Rect(x - 0.5, 100 - 10.8, x + length("Patricia Harris") + 0.5, 103)
    page.draw_rect(rect, fill=(0, 0, 0), color=None)
    after = "about the incident."
    page.insert_text((x + length("Patricia Harris "), 100), after, fontname="tiro", fontsize=12)
    scan = pymupdf.open()
    out = scan.new_page()
    out.insert_image(out.rect, pixmap=page.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY))
    scan.save(path)
    return Box(*rect)


def test_scanned_line_estimate_and_fit(tmp_path: Path) -> None:
    box = scanned_line(tmp_path / "s.pdf")
    line = estimate_width(tmp_path / "s.pdf", 1, box)
    assert line is not None
    est = line.estimate
    assert est.basis == "ocr" and est.lo <= len("Patricia Harris") <= est.hi
    ranked = fit_candidates(line, ["Patricia Harris", "Li Wu", "Bartholomew Fitzgerald-Smythe"])
    assert ranked[0].text == "Patricia Harris" and ranked[0].fits
    assert not next(c for c in ranked if c.text.startswith("Bartholomew")).fits
