"""est_chars in the scan catalog: the pipeline's width step on generated pages.

A born-digital page holds names removed by true redactions (``apply_redactions``
leaves a black box over nothing); the same page rasterised is the scan variant.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from redactview.analysis.pipeline import PageTask, analyze_page
from redactview.core.geometry import Box
from redactview.core.hashing import sha256_file
from redactview.core.model import Redaction
from redactview.errors import OcrUnavailableError
from redactview.ocr.tesseract import probe

LINES = [
    ("The request was reviewed by", "Margaret Okonkwo", "on behalf of the office."),
    ("Please forward questions to", "Li Wu", "before Friday."),
    ("Field notes were taken by", "Christopher Vandenberg", "at the scene."),
]
FONT, SIZE = "tiro", 11.0


def write_redacted_page(path: Path) -> list[tuple[Box, str]]:
    """A page of body text whose names are truly redacted; returns (box, name) pairs."""
    doc = pymupdf.open()
    page = doc.new_page()
    boxes = []

    def length(text: str) -> float:
        return pymupdf.get_text_length(text, fontname=FONT, fontsize=SIZE)

    for i, (before, name, after) in enumerate(LINES):
        y = 120 + i * 40
        page.insert_text((72, y), before, fontname=FONT, fontsize=SIZE)
        x = 72 + length(before + " ")
        page.insert_text((x, y), name, fontname=FONT, fontsize=SIZE)
        page.insert_text((x + length(name + " "), y), after, fontname=FONT, fontsize=SIZE)
        rect = pymupdf.Rect(x - 0.5, y - 0.9 * SIZE, x + length(name) + 0.5, y + 0.25 * SIZE)
        page.add_redact_annot(rect, fill=(0, 0, 0))
        boxes.append((Box(rect.x0, rect.y0, rect.x1, rect.y1), name))
    page.insert_text((72, 320), "Nothing else on this page is withheld.", fontname=FONT)
    page.apply_redactions()
    assert "Okonkwo" not in page.get_text()  # the names are really gone
    doc.save(path)
    return boxes


def rasterise(src: Path, dst: Path, dpi: int = 200) -> None:
    with pymupdf.open(src) as doc, pymupdf.open() as scans:
        for page in doc:
            pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
            out = scans.new_page(width=page.rect.width, height=page.rect.height)
            out.insert_image(out.rect, pixmap=pix)
        scans.save(dst)


def scan_page(path: Path, *, ocr: bool) -> list[Redaction]:
    result = analyze_page(PageTask(str(path), 1, sha256_file(path), ocr=ocr))
    assert any(name == "width" for name, _ in result.timings)
    return list(result.redactions)


def matching(found: list[Redaction], box: Box) -> Redaction:
    best = max(found, key=lambda r: r.box.iou(box))
    assert best.box.iou(box) > 0.6, f"no detected box at {box}"
    return best


def test_born_digital_catalog_counts_hidden_characters(tmp_path: Path) -> None:
    path = tmp_path / "memo.pdf"
    truth = write_redacted_page(path)
    found = scan_page(path, ocr=False)
    for box, name in truth:
        est = matching(found, box).est_chars
        assert est is not None, name
        lo, hi = est
        assert lo <= len(name) <= hi, (name, est)
        assert hi - lo <= 6  # a range, not "anything"
    # The two-letter "Li Wu" and the 22-letter name must not share a range.
    assert matching(found, truth[1][0]).est_chars != matching(found, truth[2][0]).est_chars


def test_box_off_any_text_line_gets_no_estimate(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "A line of text far above the box.", fontname=FONT)
    page.draw_rect(pymupdf.Rect(200, 400, 320, 414), color=(0, 0, 0), fill=(0, 0, 0))
    doc.save(tmp_path / "lone.pdf")
    found = scan_page(tmp_path / "lone.pdf", ocr=False)
    assert len(found) == 1 and found[0].est_chars is None


@pytest.mark.slow
def test_scanned_catalog_counts_hidden_characters(tmp_path: Path) -> None:
    try:
        probe()
    except OcrUnavailableError as exc:
        pytest.skip(f"Tesseract unavailable: {exc}")
    truth = write_redacted_page(tmp_path / "memo.pdf")
    rasterise(tmp_path / "memo.pdf", tmp_path / "scan.pdf")
    found = scan_page(tmp_path / "scan.pdf", ocr=True)
    for box, name in truth:
        est = matching(found, box).est_chars
        assert est is not None, name
        assert est[0] <= len(name) <= est[1], (name, est)
