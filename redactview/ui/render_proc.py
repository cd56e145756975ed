"""What the viewer's render process runs: page images and password checks.

These functions run in the one child process the render service owns (spawn
context), never in the window's process: PyMuPDF is not thread-safe and holds
the GIL while it renders. This module imports no Qt, so the child stays small.
Passwords travel with each call and live only in this process's open documents
and the window's memory, never in a file.
"""

from __future__ import annotations

import numpy as np

from redactview.pdf.document import load_page, opened_pdf
from redactview.pdf.pages import PageRenderer, RgbImage
from redactview.pdf.render import render_page

# Documents kept open between calls, most recently used last.
_OPEN: dict[tuple[str, str | None], PageRenderer] = {}
_MAX_OPEN = 4


def _renderer(path: str, password: str | None) -> PageRenderer:
    key = (path, password)
    renderer = _OPEN.pop(key, None) or PageRenderer(path, password)
    _OPEN[key] = renderer
    while len(_OPEN) > _MAX_OPEN:
        _OPEN.pop(next(iter(_OPEN))).close()
    return renderer


def render_view_page(path: str, number: int, zoom: float, password: str | None) -> RgbImage:
    """Page ``number`` as displayed (/Rotate applied), for the page view and thumbnails."""
    return _renderer(path, password).render_rgb(number, zoom)


def render_upright(path: str, number: int, dpi: float, password: str | None) -> RgbImage:
    """Page ``number`` in unrotated page space (for the compare view's point boxes).

    MuPDF renders a page as displayed; turning the pixels back by its /Rotate
    puts them where the stored (unrotated) boxes say.
    """
    with opened_pdf(path, password) as doc:
        page = load_page(doc, number)
        shot = render_page(page, dpi, gray=False)
        turns = (page.rotation // 90) % 4
    pixels = np.ascontiguousarray(np.rot90(shot.pixels, k=turns))
    h, w = pixels.shape[:2]
    return RgbImage(pixels.tobytes(), w, h, 3 * w)


def warm_up() -> bool:
    """Called once when the render process starts, so the first page does not wait."""
    return True
