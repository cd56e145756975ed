"""Rendering pages to pixels, and mapping pixels back to page coordinates.

PyMuPDF renders a page *as displayed* (its /Rotate applied). Analysis results
are stored in unrotated page coordinates, so every render carries the matrix
that takes a pixel back there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pymupdf

from redactview.core.geometry import Box
from redactview.errors import LimitExceededError

# A rendered page larger than this many pixels is refused: a decompression
# bomb or an absurd page size would otherwise exhaust memory.
MAX_RENDER_PIXELS = 120_000_000
# A placed image is decoded whole before it is scaled, so its own size is what
# costs memory: 40,000 x 40,000 grey pixels compress to 1.5 MB and inflate to
# 1.6 GB. Real scans at 600 dpi on tabloid paper are about 60 MP.
MAX_IMAGE_PIXELS = 250_000_000


def check_image_sizes(page: pymupdf.Page) -> None:
    """Refuse a page whose images would inflate past our memory budget."""
    for info in page.get_image_info():
        pixels = int(info.get("width", 0)) * int(info.get("height", 0))
        if pixels > MAX_IMAGE_PIXELS:
            raise LimitExceededError(
                f"page {page.number + 1}: an image of {info['width']}×{info['height']} "
                f"pixels ({pixels / 1e6:.0f} MP) exceeds the {MAX_IMAGE_PIXELS / 1e6:.0f} MP "
                "limit (a decompression bomb or a broken file)"
            )


@dataclass(frozen=True, slots=True)
class RenderedPage:
    pixels: np.ndarray  # H x W (gray) or H x W x 3 (RGB), uint8
    dpi: float
    to_page: tuple[float, float, float, float, float, float]  # pixel -> unrotated points

    def pixel_box_to_page(self, x0: float, y0: float, x1: float, y1: float) -> Box:
        rect = pymupdf.Rect(x0, y0, x1, y1) * pymupdf.Matrix(*self.to_page)
        return Box.from_seq(rect)

    def page_box_to_pixels(self, box: Box) -> tuple[int, int, int, int]:
        rect = pymupdf.Rect(box.as_tuple()) * ~pymupdf.Matrix(*self.to_page)
        return (int(rect.x0), int(rect.y0), round(rect.x1), round(rect.y1))


def render_page(page: pymupdf.Page, dpi: float, *, gray: bool = True) -> RenderedPage:
    zoom = dpi / 72.0
    w, h = page.rect.width * zoom, page.rect.height * zoom
    if w * h > MAX_RENDER_PIXELS:
        raise LimitExceededError(
            f"page {page.number + 1}: rendering at {dpi:.0f} dpi needs {w * h / 1e6:.0f} MP"
        )
    check_image_sizes(page)
    colorspace = pymupdf.csGRAY if gray else pymupdf.csRGB
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=colorspace, alpha=False)
    channels = 1 if gray else 3
    rows = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.stride)
    pixels: np.ndarray = rows[:, : pix.width * channels]
    if not gray:
        pixels = pixels.reshape(pix.height, pix.width, 3)
    m = pymupdf.Matrix(1 / zoom, 1 / zoom) * page.derotation_matrix
    return RenderedPage(pixels.copy(), dpi, (m.a, m.b, m.c, m.d, m.e, m.f))


def render_clip(page: pymupdf.Page, box: Box, dpi: float, *, gray: bool = True) -> RenderedPage:
    """Render just ``box`` (unrotated page points) at ``dpi``, as displayed.

    Small print (a code stacked in two 5 pt rows beside a box) is ~10 px tall
    in a 150 dpi page render, too small for Tesseract; reading it from a sharp
    render of that area alone costs little. The pixels are turned by the
    page's /Rotate like ``render_page``'s, and ``to_page`` maps them back.
    """
    zoom = dpi / 72.0
    clip = pymupdf.Rect(box.as_tuple()) * page.rotation_matrix & page.rect
    if clip.is_empty or clip.width * clip.height * zoom * zoom > MAX_RENDER_PIXELS:
        raise LimitExceededError(f"page {page.number + 1}: cannot render {box} at {dpi:.0f} dpi")
    colorspace = pymupdf.csGRAY if gray else pymupdf.csRGB
    pix = page.get_pixmap(
        matrix=pymupdf.Matrix(zoom, zoom), colorspace=colorspace, alpha=False, clip=clip
    )
    channels = 1 if gray else 3
    rows = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.stride)
    pixels: np.ndarray = rows[:, : pix.width * channels]
    if not gray:
        pixels = pixels.reshape(pix.height, pix.width, 3)
    # The pixmap's first pixel sits at (pix.x, pix.y) of the whole page render.
    shift = pymupdf.Matrix(1, 0, 0, 1, pix.x, pix.y)
    m = shift * pymupdf.Matrix(1 / zoom, 1 / zoom) * page.derotation_matrix
    return RenderedPage(pixels.copy(), dpi, (m.a, m.b, m.c, m.d, m.e, m.f))
