"""Page helpers for the viewer: geometry, RGB renders and text-layer words.

The viewer never touches PyMuPDF itself. Its render thread owns a
``PageRenderer`` (one open document per thread, since documents are not
thread-safe); everything else here opens the file, reads, and closes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pymupdf

from redactview.core.model import Word
from redactview.errors import LimitExceededError
from redactview.pdf.document import load_page, open_pdf, opened_pdf
from redactview.pdf.render import MAX_RENDER_PIXELS, check_image_sizes
from redactview.pdf.textlayer import extract_words

Matrix6 = tuple[float, float, float, float, float, float]


@dataclass(frozen=True, slots=True)
class PageGeometry:
    number: int  # 1-based
    width: float  # unrotated size, points
    height: float
    rotation: int
    # Unrotated page points -> displayed (as rendered, /Rotate applied) points.
    to_display: Matrix6

    @property
    def display_size(self) -> tuple[float, float]:
        if self.rotation in (90, 270):
            return (self.height, self.width)
        return (self.width, self.height)


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


def read_page_geometries(path: str | Path, password: str | None = None) -> list[PageGeometry]:
    """Sizes and rotations of every page, without parsing page content (fast)."""
    with opened_pdf(path, password) as doc:
        found = []
        for number in range(1, doc.page_count + 1):
            page = load_page(doc, number)
            box = page.cropbox
            m = page.rotation_matrix
            found.append(
                PageGeometry(
                    number, box.width, box.height, page.rotation, (m.a, m.b, m.c, m.d, m.e, m.f)
                )
            )
        return found


def read_text_words(path: str | Path, pages: list[int] | None = None) -> dict[int, list[Word]]:
    """Text-layer words per page (all pages by default), in unrotated coordinates."""
    with opened_pdf(path) as doc:
        numbers = pages if pages is not None else list(range(1, doc.page_count + 1))
        return {n: extract_words(load_page(doc, n), n) for n in numbers}


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


# -- the render process ---------------------------------------------------------------------
# PyMuPDF holds the GIL while it renders (measured: a render thread delays the GUI
# thread by a whole page render, ~100-160 ms), so the viewer renders in a child
# process. These documents belong to that process alone.
_OPEN_IN_PROCESS: dict[str, PageRenderer] = {}
_MAX_OPEN_IN_PROCESS = 4


def render_in_process(path: str, number: int, zoom: float) -> RgbImage:
    """Render with a document kept open in this (render) process between calls."""
    renderer = _OPEN_IN_PROCESS.pop(path, None) or PageRenderer(path)
    _OPEN_IN_PROCESS[path] = renderer  # most recently used last
    while len(_OPEN_IN_PROCESS) > _MAX_OPEN_IN_PROCESS:
        oldest = next(iter(_OPEN_IN_PROCESS))
        _OPEN_IN_PROCESS.pop(oldest).close()
    return renderer.render_rgb(number, zoom)


def warm_up() -> bool:
    """Called once when the render process starts, so the first page does not wait."""
    return True
