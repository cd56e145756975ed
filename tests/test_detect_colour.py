"""Colour scans: a red tag or a blue bar is dark to the detector's grey render,
but it is no redaction; black and grey boxes on the same cream paper are."""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
import pymupdf
import pytest
from PIL import Image

from redactview.analysis import pipeline
from redactview.analysis.pipeline import PageTask, analyze_page
from redactview.core.model import Fill

TAG = (72.0, 40.0, 160.0, 62.0)
BAR = (72.0, 300.0, 540.0, 318.0)
BLACK = (120.0, 170.0, 250.0, 183.0)
GREY = (120.0, 200.0, 220.0, 213.0)


def colour_scan(path: Path) -> Path:
    """A page with a red URGENT tag, a blue form bar with a white title, a black
    and a grey box, scanned in colour on cream paper and saved as a JPEG."""
    doc = pymupdf.open()
    p = doc.new_page(width=612, height=792)
    p.draw_rect(TAG, color=None, fill=(0.85, 0.1, 0.1))
    p.insert_text((80, 57), "URGENT", fontsize=14, fontname="hebo", color=(1, 1, 1))
    p.draw_rect(BAR, color=None, fill=(0.15, 0.3, 0.75))
    p.insert_text(
        (78, 313), "PART B - CONTRACT DETAILS", fontsize=10, fontname="hebo", color=(1, 1, 1)
    )
    p.insert_text((72, 180), "Contact:", fontsize=11, fontname="tiro")
    p.draw_rect(BLACK, color=None, fill=(0, 0, 0))
    p.insert_text((72, 210), "Amount:", fontsize=11, fontname="tiro")
    p.draw_rect(GREY, color=None, fill=(0.7, 0.7, 0.7))
    pix = p.get_pixmap(dpi=200)
    img = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width, 3).astype(np.float32)
    img = img / 255.0 * np.array([245, 238, 220], np.float32)  # cream paper
    img = cv2.GaussianBlur(img, (0, 0), 0.7) + np.random.default_rng(2).normal(0, 3, img.shape)
    buf = io.BytesIO()
    Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB").save(buf, "JPEG", quality=80)
    out = pymupdf.open()
    page = out.new_page(width=612, height=792)
    page.insert_image(page.rect, stream=buf.getvalue())
    out.save(path)
    return path


def found_fills(path: Path) -> list[tuple[int, Fill]]:
    result = analyze_page(PageTask(str(path), 1, "0" * 64, 150.0, ocr=False))
    return sorted((round(r.box.y0), r.fill) for r in result.redactions)


def test_coloured_fills_on_a_colour_scan_are_not_redactions(tmp_path: Path) -> None:
    found = found_fills(colour_scan(tmp_path / "colour.pdf"))
    assert [y for y, _ in found] == pytest.approx([BLACK[1], GREY[1]], abs=2)
    assert [fill for _, fill in found] == [Fill.BLACK, Fill.GREY]


def test_the_red_tag_was_the_look_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "is_coloured_fill", lambda rgb: False)
    found = found_fills(colour_scan(tmp_path / "colour.pdf"))
    assert any(abs(y - TAG[1]) <= 2 for y, _ in found)
