"""Builders for detection tests: pages drawn with PyMuPDF, then "scanned".

A page is drawn as vectors/text, rendered to grey pixels, degraded like an
office scanner (skew, blur, noise, speckle) and placed as the only content of
a new PDF page, so the raster detector sees what it sees on real releases.
Also holds a check that the builders themselves do what they say.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pymupdf
from PIL import Image

from redactview.analysis.detect_types import RasterParams
from redactview.analysis.detect_windows import Seeds

Draw = Callable[[pymupdf.Page], None]
SCAN_DPI = 200


def draw_page(draw: Draw, width: float = 612, height: float = 792) -> pymupdf.Document:
    doc = pymupdf.open()
    page = doc.new_page(width=width, height=height)
    draw(page)
    return doc


def scan_pixels(
    doc: pymupdf.Document, *, skew: float = 0.0, noise: float = 3.0, seed: int = 1
) -> np.ndarray:
    """Grey pixels of page 1 as a mid-range scanner would produce them."""
    rng = np.random.default_rng(seed)
    pix = doc[0].get_pixmap(dpi=SCAN_DPI, colorspace=pymupdf.csGRAY, alpha=False)
    img = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width).astype(np.float32)
    if skew:
        h, w = img.shape
        matrix = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), skew, 1.0)
        img = cv2.warpAffine(img, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    img = cv2.GaussianBlur(img, (0, 0), 0.6)
    img = 22 + img / 255.0 * (232 - 22) + rng.normal(0, noise, img.shape)
    specks = rng.random(img.shape) < 0.0003
    img[specks] = 30
    return np.clip(img, 0, 255).astype(np.uint8)


def to_scanned_pdf(pixels: np.ndarray, path: Path, size: tuple[float, float] = (612, 792)) -> Path:
    buf = io.BytesIO()
    Image.fromarray(pixels, mode="L").save(buf, format="JPEG", quality=85)
    doc = pymupdf.open()
    page = doc.new_page(width=size[0], height=size[1])
    page.insert_image(page.rect, stream=buf.getvalue())
    doc.save(path)
    doc.close()
    return path


def scanned_pdf(draw: Draw, path: Path, **kw: float) -> Path:
    return to_scanned_pdf(scan_pixels(draw_page(draw), **kw), path)


def render_at(pixels: np.ndarray, dpi: float) -> np.ndarray:
    """The scan resampled to the detector's DPI, as render_page would give it."""
    scale = dpi / SCAN_DPI
    return cv2.resize(pixels, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)


def black(page: pymupdf.Page, rect: tuple[float, float, float, float], grey: float = 0.0) -> None:
    page.draw_rect(rect, color=None, fill=(grey, grey, grey), width=0)


def seed_everywhere(ink: np.ndarray, px_per_pt: float, params: RasterParams) -> Seeds:
    """A stand-in for ``detect_windows.find_seeds`` that lets every blob through:
    the whole page is one window, with a seed in every 4 px cell (a blob is at
    least 7 pt across). Patched into ``detect_raster``, the detector then judges
    what it judged before the seed gate."""
    h, w = ink.shape[:2]
    return Seeds.of(np.ones((h // 4, w // 4), np.uint8), [(0, 0, w, h)], 4)


def test_scan_pixels_are_noisy_and_dark_where_drawn() -> None:
    doc = draw_page(lambda p: black(p, (100, 100, 300, 114)))
    img = scan_pixels(doc)
    s = SCAN_DPI / 72
    inside = img[int(104 * s) : int(110 * s), int(120 * s) : int(280 * s)]
    paper = img[int(300 * s) : int(320 * s), int(120 * s) : int(280 * s)]
    assert inside.mean() < 40 and paper.mean() > 200
    assert paper.std() > 1.5  # noise is there
