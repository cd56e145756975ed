"""Bordered white boxes (the DOJ style: a thin outline with the code inside), and
which way sideways content is turned, judged from the shapes of the boxes."""

from __future__ import annotations

import numpy as np

from redactview.analysis.detect_types import PixelBox, find_components, ink_mask, label_order
from redactview.core.geometry import Box
from redactview.core.model import Fill

TABLE_ROWS_PT = 24.0  # the least height of an outline round two rows of a table


def find_bordered_boxes(
    gray: np.ndarray, dpi: float, *, ink: np.ndarray | None = None
) -> list[PixelBox]:
    """Thin rectangular outlines, empty but for a label (white boxes with a border).
    (``ink``: the page's ``ink_mask``, if the caller has it already.)

    The code printed inside often touches the border, so the test is on the
    outline itself: ink along all four sides, little ink inside, and no rule
    across the inside (a table grid has one per row).
    """
    px_per_pt = dpi / 72.0
    ink = ink_mask(gray) if ink is None else ink
    found = []

    def sized(w: np.ndarray, h: np.ndarray) -> np.ndarray:
        short, long_ = np.minimum(w, h), np.maximum(w, h)
        return (short >= 7 * px_per_pt) & (short <= 60 * px_per_pt) & (long_ >= 14 * px_per_pt)

    # A blob filling more than 3/4 of its box is filled, not an outline (a bold
    # code inside fills up to ~60%). Of ~80 components a page of print leaves,
    # a handful are outlines: only those are put in whole-page label order.
    components = find_components(ink, sized, max_fill=0.75, min_side=7 * px_per_pt, ordered=False)
    for x, y, w, h, _ in sorted(
        (c for c in components if _is_outline(c[4], TABLE_ROWS_PT * px_per_pt)), key=label_order
    ):
        found.append(PixelBox(x, y, x + w, y + h, Fill.WHITE, 0.8, "bordered", True, True))
    return found


def _is_outline(mask: np.ndarray, two_rows: float) -> bool:
    """Whether a component (``mask``, in its bbox) is a thin rectangular outline
    empty but for a label (``two_rows``: how high, in pixels, an outline round
    two rows of a table would be)."""
    h, w = mask.shape
    band = max(3, int(0.22 * min(h, w)))
    lying = mask if w >= h else mask.T
    # On a page scanned askew the upright bbox of a long box is taller than the
    # box by the rise of its long sides (0.5° over 200 pt: 2 pt of a 12 pt box),
    # and its short sides span only the box's own height.
    long_sides = _long_sides(lying, band)
    # Most components judged here (bold words, letters) stop at one of these: a
    # long side only outside the band is looked for on a long box, where a tilt
    # of a few degrees climbs more than the band is high. (The short sides are
    # measured only for those that pass.)
    if min(long_sides) < (0.6 if max(h, w) >= 3 * min(h, w) else 0.88):
        return False
    short_sides = _long_sides(lying.T, band)
    rise = _rise(lying) if min(long_sides) < 0.88 or min(short_sides) < 0.88 else 0.0
    # Tilted a few degrees (a page scanned 3° askew), a long side climbs more than
    # the band is high: it is looked for in a band as high as its rise, if it is
    # a straight edge (a clump of bold print "rises" as much, raggedly).
    if min(long_sides) < 0.88 and (
        not _straight_top(lying) or min(_long_sides(lying, band + int(rise))) < 0.88
    ):
        return False
    if min(short_sides) < 0.88 - rise / min(h, w):
        return False
    inner = mask[band:-band, band:-band]
    if inner.size == 0 or float(inner.mean()) >= 0.65:
        return False
    # A rule across the inside (a table grid) runs its full width; a line of
    # bold code does not. (Columns cannot tell: letter stems fill them.)
    # (On sideways content the lines run down the page, so look along the long side.)
    across = inner.mean(axis=1 if w >= h else 0).max(initial=0.0)
    if min(h, w) >= two_rows:
        across = max(across, _levelled_rule(lying, band))
    return across < 0.8


def _levelled_rule(lying: np.ndarray, band: int) -> float:
    """The longest row of ink across the inside with the outline levelled.

    Two table rows 490 pt long scanned 0.4° askew rise 9 px, and no one row of
    pixels held their rule across. The inside is measured from the levelled
    edges (levelling moves them to mid-rise). Only outlines that could hold
    two rows are asked: levelled, the code in a small box on a 100 dpi scan
    can cover 80% of a row.
    """
    level = _levelled(lying)
    inked = level.any(axis=0)
    top = int(np.median(np.argmax(level[:, inked], axis=0)))
    bottom = level.shape[0] - int(np.median(np.argmax(level[::-1, inked], axis=0)))
    inner = level[top + band : bottom - band, band:-band]
    return float(inner.mean(axis=1).max(initial=0.0)) if inner.size else 0.0


def _long_sides(lying: np.ndarray, band: int) -> tuple[float, float]:
    """Share of columns with ink in the top and in the bottom ``band`` rows."""
    n = max(1, lying.shape[1])  # count_nonzero: ndarray.mean costs more than the work here
    top = np.count_nonzero(lying[:band].any(axis=0))
    return top / n, np.count_nonzero(lying[-band:].any(axis=0)) / n


def _straight_top(lying: np.ndarray) -> bool:
    """Whether the first inked row of each column lies on one straight line of
    at most 6° (a box's tilted top edge), within a pixel or so."""
    cols, first = _top_edge(lying)
    if cols.size < 20:
        return False
    slope, offset = np.polyfit(cols, first, 1)
    residual = np.abs(first - (slope * cols + offset))
    return abs(slope) <= 0.105 and float(np.percentile(residual, 90)) <= 1.5


def _levelled(lying: np.ndarray) -> np.ndarray:
    """``lying`` with each column moved up or down so that its top edge (the
    first inked row of each column, fitted by a line) runs level."""
    h, w = lying.shape
    cols, first = _top_edge(lying)
    if cols.size < 20:
        return lying
    slope = float(np.polyfit(cols, first, 1)[0])
    shift = np.round(slope * (np.arange(w) - w / 2)).astype(int)
    if not shift.any():
        return lying
    rows = np.arange(h)[:, None] + shift[None, :]
    inside = (rows >= 0) & (rows < h)
    return np.where(inside, lying[rows.clip(0, h - 1), np.arange(w)[None, :]], False)


def _top_edge(lying: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The inked columns of ``lying`` and the first inked row of each (its top edge)."""
    inked = lying.any(axis=0)
    return np.flatnonzero(inked), np.argmax(lying[:, inked], axis=0).astype(float)


def _rise(mask: np.ndarray) -> float:
    """How far (pixels) the top edge of a wide outline climbs across it: the
    spread of the first inked row over its columns, at most a third of its height."""
    cols, first = _top_edge(mask)
    if cols.size < 2:
        return 0.0
    low, high = np.percentile(first, (5, 95))
    return float(min(high - low, mask.shape[0] / 3))


def find_content_turn(boxes: list[Box]) -> int:
    """Quarter turns (np.rot90's k) that bring sideways content upright, or 0.

    Line redactions are much wider than tall; when most boxes on a page are
    much taller than wide, the content was printed or scanned sideways. Which
    way round is decided by the caller (it needs to read text for that).
    """
    tall = sum(1 for b in boxes if b.height > 1.8 * b.width)
    wide = sum(1 for b in boxes if b.width > 1.8 * b.height)
    return 3 if tall >= 2 and tall > wide else 0
