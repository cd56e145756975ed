"""Batched label OCR: many crops read in one Tesseract run, words mapped back."""

from __future__ import annotations

import numpy as np
import pymupdf
import pytest

from redactview.analysis.labels import CropRequest, read_sheet

pytestmark = pytest.mark.tesseract


def text_pixels(text: str, *, white_on_black: bool = False) -> np.ndarray:
    doc = pymupdf.open()
    page = doc.new_page(width=120, height=20)
    if white_on_black:
        page.draw_rect(page.rect, color=None, fill=(0, 0, 0))
    colour = (1, 1, 1) if white_on_black else (0, 0, 0)
    page.insert_text((6, 14), text, fontsize=10, fontname="hebo", color=colour)
    pix = page.get_pixmap(dpi=150, colorspace=pymupdf.csGRAY)
    return np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width).copy()


def test_each_crop_gets_its_own_words_in_view_pixels() -> None:
    requests = [
        CropRequest(text_pixels("(b)(6)"), (400, 1000)),
        CropRequest(text_pixels("REDACTED", white_on_black=True), (50, 80), invert=True),
        CropRequest(text_pixels("(b)(7)(C)"), (700, 20), scale=2.0),
    ]
    read = read_sheet(requests)
    assert [" ".join(w.text for w in words) for words in read] == [
        "(b)(6)",
        "REDACTED",
        "(b)(7)(C)",
    ]
    for request, words in zip(requests, read, strict=True):
        h, w = request.crop.shape
        x0, y0 = request.origin
        for word in words:  # back in the crop's place in the view, not on the sheet
            assert x0 - 2 <= word.box.x0 < word.box.x1 <= x0 + w + 2
            assert y0 - 2 <= word.box.y0 < word.box.y1 <= y0 + h + 2


def test_no_requests_no_run() -> None:
    assert read_sheet([]) == []
