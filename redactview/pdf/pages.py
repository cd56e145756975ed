"""Page helpers for the viewer: RGB renders and the display rotation.

The viewer never touches PyMuPDF itself. Its render thread owns a
``PageRenderer`` (one open document per thread, since documents are not
thread-safe).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pymupdf

from redactview.errors import LimitExceededError
from redactview.pdf.document import load_page, open_pdf
from redactview.pdf.render import MAX_RENDER_PIXELS, check_image_sizes

Matrix6 = tuple[float, float, float, float, float, float]


@dataclass(frozen=True, slots=True)
class RgbImage:
    """A rendered page as packed RGB bytes, ready for a QImage (Format_RGB888)."""

    data: bytes
    width: int
    height: int
    stride: int


def rotation_to_display(width: float, height: float, rotation: int) -> Matrix6:
    """The matrix PyMuPDF's ``page.rotation_matrix`` gives, from size and /Rotate alone.

    Lets the viewer place overlays on a page it has not opened (sizes come
    from the case), with exactly the convention the renderer uses.
    """
    rotation %= 360
    if rotation == 90:
        return (0.0, 1.0, -1.0, 0.0, height, 0.0)
    if rotation == 180:
        return (-1.0, 0.0, 0.0, -1.0, width, height)
    if rotation == 270:
        return (0.0, -1.0, 1.0, 0.0, 0.0, width)
    return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class PageRenderer:
    """Renders pages of one PDF to RGB. Owned by exactly one thread."""

    def __init__(self, path: str | Path, password: str | None = None) -> None:
        self.path = Path(path)
        self._doc: pymupdf.Document = open_pdf(path, password)

    @property
    def page_count(self) -> int:
        return int(self._doc.page_count)

    def render_rgb(self, number: int, zoom: float) -> RgbImage:
        """Page ``number`` as displayed (/Rotate applied), ``zoom`` pixels per point."""
        page = load_page(self._doc, number)
        w, h = page.rect.width * zoom, page.rect.height * zoom
        if w * h > MAX_RENDER_PIXELS:
            raise LimitExceededError(f"page {number}: a {w * h / 1e6:.0f} MP render is too large")
        check_image_sizes(page)  # a decompression bomb would cost seconds and gigabytes
        pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
        return RgbImage(bytes(pix.samples), pix.width, pix.height, pix.stride)

    def close(self) -> None:
        self._doc.close()
