"""Small codes on a scan coarser than the close-up render (a 100 dpi scan rendered
at 300 dpi comes back as blocks of repeated scan pixels): the crop is shrunk back
to the scan's own pixels before it is upscaled smoothly for Tesseract."""

from __future__ import annotations

import io

import numpy as np
import pymupdf
import pytest
from PIL import Image

from redactview.analysis.labels import CropRequest, read_sheet
from redactview.analysis.labels_image import measure_blocks, undo_upscaling
from redactview.core.exemptions import parse_exemptions
from redactview.core.geometry import Box
from redactview.ocr.tesseract import find_tesseract
from redactview.pdf.render import render_clip

needs_tesseract = pytest.mark.skipif(find_tesseract() is None, reason="Tesseract not installed")

CODES = ("(b)(6);", "(b)(7)(C)", "(b)(6)", "(b)(7)(C)", "(b)(6)", "(b)(5)")


def scanned_codes(dpi: int) -> pymupdf.Document:
    """A page of 5.5 pt bold codes, one a line, scanned (rasterised) at ``dpi``."""
    src = pymupdf.open()
    page = src.new_page(width=200, height=20 + 12 * len(CODES))
    for k, code in enumerate(CODES):
        page.insert_text((20, 20 + 12 * k), code, fontsize=5.5, fontname="hebo")
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    grey = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width)
    buf = io.BytesIO()
    Image.fromarray(grey, mode="L").save(buf, format="PNG")
    doc = pymupdf.open()
    doc.new_page(width=page.rect.width, height=page.rect.height).insert_image(
        page.rect, stream=buf.getvalue()
    )
    return doc


def test_blocks_of_repeated_pixels_are_measured() -> None:
    rng = np.random.default_rng(4)
    scan = np.where(rng.random((40, 60)) < 0.3, 30, 240).astype(np.uint8)
    assert measure_blocks(scan) == 1
    assert measure_blocks(np.repeat(np.repeat(scan, 3, axis=0), 3, axis=1)) == 3
    # A clean render of a black box repeats its rows all the way down: no blocks.
    clean = np.full((60, 200), 255, np.uint8)
    clean[10:50, 120:190] = 0
    clean[20:30, 10:100] = np.tile(np.linspace(0, 255, 90).astype(np.uint8), (10, 1))
    assert measure_blocks(clean) == 1


def test_blocks_are_shrunk_back_to_the_scan_pixels() -> None:
    scan = np.where(np.random.default_rng(5).random((30, 50)) < 0.3, 20, 235).astype(np.uint8)
    small, zoom = undo_upscaling(np.repeat(np.repeat(scan, 3, axis=0), 3, axis=1), 2.0)
    assert small.shape == scan.shape and (small == scan).all()
    assert zoom == pytest.approx(2.0 / 3)


def read_lines(doc: pymupdf.Document, *, undo: bool) -> list[tuple[str, ...]]:
    """Each printed line, rendered close up at 300 dpi (as ``_sharpen`` does for a
    150 dpi page) and read on one sheet."""
    requests = []
    for k in range(len(CODES)):
        area = Box(16, 20 + 12 * k - 6.5, 110, 20 + 12 * k + 2.5)
        crop, zoom = render_clip(doc[0], area, 300).pixels, 2.0
        if undo:
            crop, zoom = undo_upscaling(crop, zoom)
        requests.append(
            CropRequest(crop, (0, 0), scale=4.0, zoom=zoom, keep_right=True, small_print=True)
        )
    return [parse_exemptions(" ".join(w.text for w in ws)) for ws in read_sheet(requests)]


@needs_tesseract
def test_small_codes_of_a_100_dpi_scan_read_from_its_own_pixels() -> None:
    doc = scanned_codes(100)
    expected = [parse_exemptions(code) for code in CODES]
    assert measure_blocks(render_clip(doc[0], Box(16, 10, 110, 40), 300).pixels) == 3
    # 5.5 pt at 100 dpi is ~8 scan pixels a line: 4 of the 6 read when this
    # was written, none from MuPDF's blocks.
    read = read_lines(doc, undo=True)
    assert sum(r == e for r, e in zip(read, expected, strict=True)) >= 4
    blocky = read_lines(doc, undo=False)
    assert sum(r == e for r, e in zip(blocky, expected, strict=True)) <= 1
