"""Page crops for reports: the area around each redaction, rendered once per page.

Shared by the report PDF and the HTML report. Crops are taken from the page
as displayed (its /Rotate applied), so a sideways page reads upright.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pymupdf

from redactview.core.geometry import Box
from redactview.pdf.document import load_page, opened_pdf


@dataclass(frozen=True, slots=True)
class Crop:
    image: bytes  # JPEG or PNG
    width: float  # size of the crop in points (the page area shown)
    height: float
    target: Box | None  # the redaction inside the crop, in crop points (origin top-left)
    mime: str = "image/jpeg"


def grow(rect: pymupdf.Rect, dx: float, dy: float) -> pymupdf.Rect:
    return pymupdf.Rect(rect.x0 - dx, rect.y0 - dy, rect.x1 + dx, rect.y1 + dy)


class PageCropper:
    """Crops of one release's pages. Rows come sorted by page, so each page is
    rendered once and every crop on it is cut from that image: far cheaper than
    rendering a clip per box, which decodes the whole scan image each time."""

    def __init__(self, doc: pymupdf.Document, dpi: float) -> None:
        self._doc = doc
        self._dpi = dpi
        self._number = 0
        self._pixels: np.ndarray = np.zeros((0, 0), np.uint8)
        self._page_rect = pymupdf.Rect()
        self._rotation = pymupdf.Matrix()

    def _load(self, number: int) -> None:
        page = load_page(self._doc, number)
        pix = page.get_pixmap(dpi=int(self._dpi), colorspace=pymupdf.csGRAY, alpha=False)
        rows = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.stride)
        self._pixels = rows[:, : pix.width].copy()
        self._number, self._page_rect, self._rotation = number, page.rect, page.rotation_matrix

    def crop(self, number: int, box: Box, margin: float = 48.0) -> Crop:
        """The page as displayed around ``box`` (unrotated coordinates), box inside."""
        if number != self._number:
            self._load(number)
        shown = pymupdf.Rect(box.as_tuple()) * self._rotation
        clip = grow(shown, margin * 2, margin) & self._page_rect
        zoom = self._pixels.shape[1] / self._page_rect.width
        x0, y0 = int(clip.x0 * zoom), int(clip.y0 * zoom)
        x1, y1 = max(x0 + 1, int(clip.x1 * zoom)), max(y0 + 1, int(clip.y1 * zoom))
        part = np.ascontiguousarray(self._pixels[y0:y1, x0:x1])
        pix = pymupdf.Pixmap(pymupdf.csGRAY, part.shape[1], part.shape[0], part.tobytes(), False)
        target = Box(shown.x0 - clip.x0, shown.y0 - clip.y0, shown.x1 - clip.x0, shown.y1 - clip.y0)
        # JPEG: page crops are mostly scans, where PNG is several times larger.
        return Crop(pix.tobytes("jpeg", jpg_quality=75), clip.width, clip.height, target)


def picture(png: bytes) -> Crop:
    """A stored picture (a leak finding's image) to place like a crop, at 150 dpi."""
    pix = pymupdf.Pixmap(png)
    return Crop(png, pix.width * 72 / 150, pix.height * 72 / 150, None, "image/png")


@contextlib.contextmanager
def crop_source(path: str | Path, dpi: float = 100.0) -> Iterator[Callable[[int, Box], Crop]]:
    """Open a release once and yield ``crop(page, box)`` giving the area around a box."""
    with opened_pdf(path) as doc:
        yield PageCropper(doc, dpi).crop
