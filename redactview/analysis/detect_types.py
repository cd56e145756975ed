"""Values shared by the raster detectors: grey levels, parameters, pixel boxes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from redactview.core.model import Fill

PAPER_LEVEL = 205  # darker than this is ink (light-grey boxes are ~175 on scans)
DARK_LEVEL = 110  # black boxes and text ink
# Grey-level interquartile range inside a box above which it is textured (marker,
# photo); flat boxes on noisy scans stay under ~10 even with JPEG artefacts.
MARKER_TEXTURE = 16.0
# Tilt above which a page is straightened before boxes are cut out. Even 0.5°
# lifts one end of a 440 pt paragraph line by ~4 pt, more than the ~2 pt gap
# between the line boxes of a withheld paragraph, which then merge.
MIN_SKEW_DEG = 0.15
# Raw ink share a blob needs once glued-on text is stripped (boxes: ~0.99,
# clumps of bold 7 pt type: ~0.75).
STRIPPED_MIN_INK = 0.9
# Pixels of print that make a code, however large the area they are looked for in
# (a few glyphs at 150 dpi): a share of a half-page block or a whole page is more.
PRINT_PIXELS = 400


@dataclass(frozen=True, slots=True)
class RasterParams:
    min_height_pt: float = 7.0  # a redacted line of 6 pt type is ~7 pt tall
    min_width_pt: float = 10.0
    min_rect_fill: float = 0.86  # component area / rotated bounding rectangle area
    min_ink_fill: float = 0.62  # raw ink inside the component (text blobs are ~0.45)
    border_margin_pt: float = 6.0
    photo_min_side_pt: float = 40.0


@dataclass(frozen=True, slots=True)
class PixelBox:
    """A candidate in pixel space of the render it was found in."""

    x0: int
    y0: int
    x1: int
    y1: int
    fill: Fill
    confidence: float
    style: str  # "solid" | "marker" | "bordered"
    inner_ink: bool  # something (a code, a header text) is printed inside
    needs_label: bool = False  # only a redaction if a label is read inside

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0


def ink_mask(gray: np.ndarray, level: int = PAPER_LEVEL) -> np.ndarray:
    """0/1 uint8 image of the pixels darker than ``level``.

    ``cv2.threshold`` writes the 0/1 image in one vectorised pass (~0.2 ms a
    150 dpi page); ``(gray < level).astype(np.uint8)`` makes a boolean image
    and then copies it (~0.5 ms). (Renders are uint8; other types keep the
    comparison, which is exact for fractional levels too.)"""
    if gray.dtype != np.uint8:
        return (gray < level).astype(np.uint8)
    return cv2.threshold(gray, level - 1, 1, cv2.THRESH_BINARY_INV)[1]


def find_components(
    binary: np.ndarray,
    keep: Callable[[np.ndarray, np.ndarray], np.ndarray],
    max_fill: float = 1.0,
    min_side: float = 0.0,
    *,
    ordered: bool = True,
) -> list[tuple[int, int, int, int, np.ndarray]]:
    """8-connected components of a 0/1 image whose sizes ``keep`` accepts (it gets
    the arrays of widths and heights, returns a boolean array) and which cover
    at most ``max_fill`` of their bounding box: (x, y, w, h, mask within that box),
    in OpenCV's label order (by first pixel, row by row).

    ``min_side`` is a promise that ``keep`` refuses anything narrower or lower:
    the image is then labelled band by band (runs of rows with ink, cut to their
    inked columns), skipping bands too low to hold such a component. No
    component crosses a blank row, so the components are the same; a page of
    print has blank rows between most lines and margins all round, and
    labelling costs by the pixel (~7 ms for a blank 150 dpi page), so on the
    samples this labels a third to a half of the page. The components are then
    put in whole-page label order (``label_order``), unless ``ordered`` is false:
    a caller that keeps few of them sorts just those.
    """
    found = []
    for top, bottom, left, right in _ink_bands(binary, min_side):
        region = binary[top:bottom, left:right]
        for x, y, w, h, mask in _label_region(region, keep, max_fill):
            found.append((x + left, y + top, w, h, mask))
    return sorted(found, key=label_order) if min_side > 0 and ordered else found


def label_order(component: tuple[int, int, int, int, np.ndarray]) -> tuple[int, int]:
    """Where whole-page labelling numbers a component: OpenCV's default 8-way
    labelling (Spaghetti) scans 2x2 blocks, block row by block row, so the first
    block holding it counts, not its first pixel. (Boxes found later are read on
    one OCR sheet in this order, and Tesseract's reading of a crop changes with
    its neighbours: a band cut at an odd row or column must not reorder them.)"""
    x, y, _, _, mask = component
    rows = mask[: 2 - y % 2]  # the component's rows in its first block row
    first = int(np.flatnonzero(rows.any(axis=0))[0])
    return y // 2, (x + first) // 2


def _ink_bands(binary: np.ndarray, min_side: float) -> list[tuple[int, int, int, int]]:
    """(top, bottom, left, right) of each run of rows with ink at least ``min_side``
    high, cut to its inked columns; the whole image when ``min_side`` is 0."""
    if min_side <= 0:
        return [(0, binary.shape[0], 0, binary.shape[1])]
    rows = binary.max(axis=1)  # (cv2.reduce across rows is ~40x slower than numpy here)
    edges = np.flatnonzero(np.diff(rows > 0, prepend=False, append=False))
    bands = []
    for top, bottom in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
        if bottom - top < min_side:
            continue  # every line of small print on its own: nothing tall enough
        cols = np.flatnonzero(binary[top:bottom].max(axis=0))
        if cols[-1] + 1 - cols[0] >= min_side:
            bands.append((top, bottom, int(cols[0]), int(cols[-1]) + 1))
    return bands


def _label_region(
    binary: np.ndarray, keep: Callable[[np.ndarray, np.ndarray], np.ndarray], max_fill: float
) -> list[tuple[int, int, int, int, np.ndarray]]:
    """``find_components`` on one region, in its coordinates.

    Labels are 16-bit when they fit: labelling a 150 dpi page into 32-bit
    labels costs ~19 ms, into 16-bit ~7 ms (OpenCV raises rather than wrap when
    a page has more than 65,535 components; those get 32-bit labels). Sizes are
    screened for all components at once: a page of print has thousands, one per
    letter, and judging each in Python cost more than finding them.
    """
    try:
        _, labels, stats, _ = cv2.connectedComponentsWithStats(
            binary, connectivity=8, ltype=cv2.CV_16U
        )
    except cv2.error:
        _, labels, stats, _ = cv2.connectedComponentsWithStats(
            binary, connectivity=8, ltype=cv2.CV_32S
        )
    widths, heights = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    wanted = keep(widths, heights)
    if max_fill < 1.0:  # from the stats: no mask is cut out for a blob too full
        wanted &= stats[:, cv2.CC_STAT_AREA] <= max_fill * widths * heights
    wanted[0] = False  # the background
    found = []
    for i in np.flatnonzero(wanted):
        x, y, w, h = (int(v) for v in stats[i, :4])
        found.append((x, y, w, h, labels[y : y + h, x : x + w] == i))
    return found


def find_few_components(
    binary: np.ndarray, keep: Callable[[np.ndarray, np.ndarray], np.ndarray]
) -> list[tuple[int, int, int, int, np.ndarray]]:
    """``find_components`` for an image with few components (boxes left after an
    opening): their outer contours are traced (~3 ms a page, against ~7 ms to
    label every pixel) and only the kept ones are labelled, in their own box.
    RETR_CCOMP puts a component lying in another's hole at the top level too."""
    contours, hierarchy = cv2.findContours(binary, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return []
    outer = [c for c, h in zip(contours, hierarchy[0], strict=True) if h[3] == -1]
    if not outer:
        return []
    rects = np.array([cv2.boundingRect(c) for c in outer])
    found = []
    for k in np.flatnonzero(keep(rects[:, 2], rects[:, 3])):
        x, y, w, h = (int(v) for v in rects[k])
        _, labels = cv2.connectedComponents(binary[y : y + h, x : x + w], connectivity=8)
        px, py = outer[k][0][0]
        found.append((x, y, w, h, labels == labels[py - y, px - x]))
    return found
