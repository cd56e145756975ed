"""Where a bordered box can be: a cheap page-wide gate for ``find_bordered_boxes``.

Labelling every inked band of a page (all the body text) and judging hundreds
of letters and words cost ~10 ms a 150 dpi page, and almost none are outlines.
The long sides of a bordered box are thin, nearly straight strokes, parallel and
7-60 pt apart. This module finds thin strokes long enough to be one, on copies
of the ink pooled along the stroke, and pairs each with a thin stroke (or,
when a code is glued to that side, any stroke) across from it within a box's
short side. ``find_window_components`` labels
only there, in windows grown until every component that can matter lies
wholly inside one: the components it returns are the page's own.

What it does not let through (``_is_outline`` would take them): a box with no
thin long side, i.e. a border thicker than MAX_STROKE_PT, or a code touching
both long sides along most of their length; a box under ~17 pt long (its
short sides thicken the ends of the long ones: isolated 1 pt boxes 14.5 pt
long are lost in 19 of 31 renders, 16 pt in 2 of 32, 17 pt+ in none); and
words whose serifs join into a shape the judge takes (at 100-200 dpi mostly,
never a box). On the samples,
their six degraded copies and seven skewed or sideways copies at 100, 150 and
200 dpi, every box the whole page's labelling found is found but 49 such words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import cv2
import numpy as np

from redactview.analysis.detect_types import _label_order

# A side is looked for on a copy of the ink pooled POOL_ALONG pixels along it
# (a block is ink if any of its pixels is) and not across it: across, the 1-2 px
# gap between an outline and the code printed inside must stay.
POOL_ALONG = 4
# Steepest long side looked for: ``_straight_top`` accepts a top edge climbing
# at most 0.105 (6°); pages are scanned up to 3° askew. Tilted so, a 1 px line
# stays in one row for at least floor(1 / 0.105) = 9 px.
MAX_SLOPE = 0.105
# The thin ink is thickened across by DILATE_ROWS rows, then opened along by
# as many blocks as the shortest side spans less one, made odd (3, 5 and 7 at
# 100, 150 and 200 dpi), at most MAX_OPEN: runs shorter than that go before
# any tracing (letters' stems standing, bits of print), longer ones keep
# their length. Thickened so, a tilted 1 px line holds rows of at least
# 3 * 9 = 27 px, which touch at least 7 pooled blocks (the opening keeps
# them), overlapping their neighbours by 18 px, so its staircase stays one
# 8-connected piece as long as the side.
DILATE_ROWS = 3
MAX_OPEN = 7
# Shortest extent of a long side along the page (points): a box's long side is
# at least 14 pt, its bbox's; tilted 6°, its horizontal side spans at least
# 14 / (1 + 0.105) = 12.7 pt. (Letters' stems with ascenders, 7-8 pt in
# 10-12 pt type, are shorter; parentheses of 12 pt type come close.)
MIN_SIDE_PT = 12.7
# Thickest side looked for (points). The long sides of the samples' outlines,
# of their degraded copies and skewed scans are ~0.7-2.5 pt; letters' stems
# (a line of body text's x-height, ~5 pt) and filled boxes are thicker.
MAX_STROKE_PT = 3.0
# The narrowest and widest a box's short side may be (points;
# ``find_bordered_boxes``' sizes).
MIN_SHORT_PT, MAX_SHORT_PT = 7.0, 60.0

# Margin round a pair's box (points): the short sides lie at the ends of the
# long ones, which the erosion shortened (up to 2 blocks) and the pooling
# rounded (a block), and a code may stand out of the box; anything reaching
# further out grows the window.
MARGIN_PT = 6.0

Window = tuple[int, int, int, int]  # (top, bottom, left, right), page pixels
Component = tuple[int, int, int, int, np.ndarray]  # x, y, w, h, mask in its box


def banded_share(ink: np.ndarray, min_side: float) -> float:
    """Share of the rows of ``ink`` in runs of inked rows at least ``min_side``
    high: the bands ``find_components(..., min_side=...)`` labels (~0.1 ms)."""
    rows = ink.max(axis=1) > 0
    edges = np.flatnonzero(np.diff(rows, prepend=False, append=False))
    heights = edges[1::2] - edges[0::2]
    return float(heights[heights >= min_side].sum()) / max(1, ink.shape[0])


def find_outline_pairs(ink: np.ndarray, dpi: float) -> list[tuple[Window, Window]]:
    """(side, box) in page pixels: each thin stroke long enough to be a box's
    long side, and the box from it to each long side across from it within a
    box's short side; lying or standing."""
    if min(ink.shape) < MIN_SHORT_PT * dpi / 72.0:
        return []  # no box fits (and the pooling needs a block each way)
    found = []
    for lying in (True, False):
        pooled = _pool_along(ink, lying)
        sides = _find_thin_sides(pooled, dpi, lying)
        pairs, alone = _pair_thin_sides(sides, dpi)
        if alone.size:
            pairs += _pair_glued_sides(alone, pooled if lying else pooled.T, dpi)
        for side, box in pairs:
            found.append((side, box) if lying else (_turn(side), _turn(box)))
    height, width = ink.shape
    return [(_clip(side, height, width), _clip(box, height, width)) for side, box in found]


def _pool_along(ink: np.ndarray, lying: bool) -> np.ndarray:
    """Nonzero where any pixel of a POOL_ALONG block (a row of 4 when ``lying``,
    else a column of 4) is ink; cut to whole blocks, the last partial block
    folded into the last whole one.

    Four bytes of a row read as one int32 are nonzero when any is (~0.25 ms a
    150 dpi page); four rows OR-ed together cost ~0.2 ms. (INTER_AREA by 4 along one axis only takes
    OpenCV's generic path: ~2.5 ms.)"""
    h, w = ink.shape
    if lying:
        w4 = w - w % POOL_ALONG
        # Each row's first w4 bytes as int32s, in place (a copy of the cut page
        # costs ~0.2 ms more): rows start w bytes apart.
        ink = np.ascontiguousarray(ink)
        quads = np.ndarray((h, w4 // 4), np.int32, ink.data, 0, (ink.strides[0], 4))
        pooled = (quads != 0).view(np.uint8)
        if w4 < w:
            pooled[:, -1] |= ink[:, w4:].max(axis=1)
        return pooled
    h4 = h - h % POOL_ALONG
    pooled = cv2.bitwise_or(
        cv2.bitwise_or(ink[0:h4:4], ink[1:h4:4]), cv2.bitwise_or(ink[2:h4:4], ink[3:h4:4])
    )
    if h4 < h:
        pooled[-1] |= ink[h4:].max(axis=0)
    return pooled


def _find_thin_sides(pooled: np.ndarray, dpi: float, lying: bool) -> np.ndarray:
    """(x, y, w, h) in pooled pixels, as if lying (x along), of each thin stroke
    long enough to be a long side."""
    px_per_pt = dpi / 72.0
    # Runs across longer than a stroke and a pixel for the tilt within a block
    # (4 px climb 0.42 at 0.105) go: letters' stems (x-height ~5 pt), filled
    # boxes, a box's own short sides (at least 7 pt).
    limit = int(np.ceil(MAX_STROKE_PT * px_per_pt)) + 2
    limit += 1 - limit % 2  # odd: the opening's erosion and dilation share a centre
    thick = np.ones((limit, 1) if lying else (1, limit), np.uint8)
    thin = cv2.subtract(pooled, cv2.morphologyEx(pooled, cv2.MORPH_OPEN, thick))
    shortest = MIN_SIDE_PT * px_per_pt - 2  # px; a block may hold one pixel of it
    run = min(MAX_OPEN, max(3, int(shortest / POOL_ALONG) - 1))
    run -= 1 - run % 2  # odd, as the opening across
    across = (DILATE_ROWS, 1) if lying else (1, DILATE_ROWS)
    along = np.ones((1, run) if lying else (run, 1), np.uint8)
    thickened = cv2.dilate(thin, np.ones(across, np.uint8))
    strokes = cv2.morphologyEx(thickened, cv2.MORPH_OPEN, along)
    contours, _ = cv2.findContours(strokes, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return np.zeros((0, 4), np.int64)
    rects = _bound_outlines(contours)
    if not lying:
        rects = rects[:, [1, 0, 3, 2]]
    return rects[rects[:, 2] * POOL_ALONG >= shortest]


def _bound_outlines(contours: Sequence[np.ndarray]) -> np.ndarray:
    """Bounding rects (x, y, w, h) of contours from one pass over all their
    points (a boundingRect call each costs more on a page of hundreds)."""
    sizes = np.fromiter((len(c) for c in contours), np.int64, len(contours))
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    points = np.concatenate(contours).reshape(-1, 2)
    low = np.minimum.reduceat(points, starts)
    high = np.maximum.reduceat(points, starts)
    return np.column_stack([low, high - low + 1]).astype(np.int64)


def _pair_thin_sides(
    sides: np.ndarray, dpi: float
) -> tuple[list[tuple[Window, Window]], np.ndarray]:
    """(side, box) for each two thin sides that overlap along their length, one
    beyond the other within a box's short side (boxes in page pixels as if
    lying), and the sides with no such partner (``sides`` as if lying: x along
    the sides, in blocks)."""
    x0, y0 = sides[:, 0], sides[:, 1]
    x1, y1 = x0 + sides[:, 2], y0 + sides[:, 3]
    overlap = np.minimum(x1[:, None], x1[None, :]) > np.maximum(x0[:, None], x0[None, :])
    beyond = (y0[None, :] > y0[:, None]) & (y1[None, :] > y1[:, None])
    # From the top of one side to the bottom of the other is the box's bbox
    # across (at most 60 pt), plus the dilation.
    near = y1[None, :] - y0[:, None] <= MAX_SHORT_PT * dpi / 72.0 + DILATE_ROWS + 1
    a, b = np.nonzero(overlap & beyond & near)
    pairs = []
    for i, j in zip(a.tolist(), b.tolist(), strict=True):
        box = (
            int(y0[i]),
            int(y1[j]),
            int(min(x0[i], x0[j])) * POOL_ALONG,
            int(max(x1[i], x1[j])) * POOL_ALONG,
        )
        pairs.append((_side_box(sides[i]), box))
        pairs.append((_side_box(sides[j]), box))
    paired = np.zeros(len(sides), bool)
    paired[a] = paired[b] = True
    return pairs, sides[~paired]


def _side_box(side: np.ndarray) -> Window:
    x, y, w, h = (int(v) for v in side)
    return (y, y + h, x * POOL_ALONG, (x + w) * POOL_ALONG)


def _pair_glued_sides(
    sides: np.ndarray, pooled: np.ndarray, dpi: float
) -> list[tuple[Window, Window]]:
    """(side, box) for each thin side with a stroke across from it within a
    box's short side (``pooled`` as if lying): the other long side of a box
    whose code touches that side along most of its length (the glyphs'
    stems, 1-3 px apart, make it thick).

    The other side is parallel, so it lies in a band of rows as high as the
    thin side's bbox (the side's rise and thickness), and inks every block of
    it but those the tilt shifts it along by: the short side times the slope,
    at most 0.105 of the long side, and a block for the pooling's rounding.
    (A line of print leaves blocks blank between words: ~2.7 pt gaps.)"""
    reach = int(MAX_SHORT_PT * dpi / 72.0) + DILATE_ROWS + 1
    found = []
    for x, y, w, h in sides.tolist():
        top = max(0, y + h - reach)
        region = pooled[top : y + reach, x : x + w]
        if h > 2:  # the rows of a band of the side's height, OR-ed
            region = cv2.dilate(region, np.ones((h - 1, 1), np.uint8), anchor=(0, 0))
        need = w - int(np.ceil(MAX_SLOPE * w)) - 1
        rows = np.flatnonzero(np.count_nonzero(region, axis=1) >= need) + top
        rows = rows[(rows + h <= y) | (rows >= y + h)]
        if rows.size:
            first, last = min(y, int(rows[0])), max(y + h, int(rows[-1]) + h)
            found.append(
                (
                    _side_box(np.array([x, y, w, h])),
                    (first, last, x * POOL_ALONG, (x + w) * POOL_ALONG),
                )
            )
    return found


def merge_windows(windows: list[tuple[Window, list[Window]]]) -> list[tuple[Window, list[Window]]]:
    """Windows that overlap or touch joined into their union box, with their
    sides, until none do; sorted."""
    merged = sorted(windows)
    changed = True
    while changed:
        changed = False
        out: list[tuple[Window, list[Window]]] = []
        for w, sides in merged:
            for i, (o, o_sides) in enumerate(out):
                if w[0] <= o[1] and o[0] <= w[1] and w[2] <= o[3] and o[2] <= w[3]:
                    out[i] = (_span(w, o), o_sides + sides)
                    changed = True
                    break
            else:
                out.append((w, sides))
        merged = out
    return merged


def find_window_components(
    ink: np.ndarray,
    dpi: float,
    keep: Callable[[np.ndarray, np.ndarray], np.ndarray],
    max_fill: float,
) -> tuple[list[Component], list[Window]]:
    """The components of ``find_components(ink, keep, max_fill)`` that can be
    bordered boxes, found by labelling only windows round
    ``find_outline_pairs``' boxes; and the windows labelled.

    A component cut by a window's edge is not the page's. One that reaches a
    thin side found in the window (an outline holds its own, and anything glued
    to it goes with it) and is not already too wide across to keep grows the
    window over it, and the windows are labelled again. Components wholly
    inside a window are the page's own and are kept whatever they reach; those
    cut by the edge that reach no thin side are left out: an outline whose
    side was found holds that side, so it lies in that side's window."""
    margin = int(np.ceil(MARGIN_PT * dpi / 72.0))
    height, width = ink.shape
    windows = merge_windows(
        [(_grow(box, margin, height, width), [side]) for side, box in find_outline_pairs(ink, dpi)]
    )
    filled: list[np.ndarray] = []  # floodFill's mask, made when first needed
    traced: list[Window] = []
    seen: dict[tuple[Window, tuple[Window, ...]], tuple[list[Component], list[tuple[int, int]]]]
    seen = {}
    while True:
        found: list[Component] = []
        grown = []
        for window, sides in windows:
            key = (window, tuple(sorted(sides)))
            if key not in seen:  # a window that did not change is not labelled again
                seen[key] = _label_window(ink, window, sides, keep, max_fill, dpi)
            inside, cut = seen[key]
            found += inside
            if cut and not filled:
                filled.append(np.zeros((height + 2, width + 2), np.uint8))
            wholes = [
                _grow(_trace_whole(ink, filled[0], traced, s), margin, height, width) for s in cut
            ]
            grown.append((_span(window, *wholes), sides))
        if grown == windows:
            return sorted(found, key=_label_order), [w for w, _ in windows]
        windows = merge_windows(grown)


def _trace_whole(
    ink: np.ndarray, filled: np.ndarray, traced: list[Window], seed: tuple[int, int]
) -> Window:
    """Page box of the whole 8-connected component holding pixel ``seed`` (x, y):
    floodFill on the mask only, which costs by the component's size. (A
    component cut by two windows is traced once; ``traced`` holds the boxes.)"""
    x, y = seed
    if filled[y + 1, x + 1]:
        return next(b for b in traced if b[0] <= y < b[1] and b[2] <= x < b[3])
    flags = 8 | cv2.FLOODFILL_MASK_ONLY | (1 << 8)
    _, _, _, (bx, by, bw, bh) = cv2.floodFill(ink, filled, seed, 1, 0, 0, flags)
    traced.append((by, by + bh, bx, bx + bw))
    return traced[-1]


def _label_window(
    ink: np.ndarray,
    window: Window,
    sides: list[Window],
    keep: Callable[[np.ndarray, np.ndarray], np.ndarray],
    max_fill: float,
    dpi: float,
) -> tuple[list[Component], list[tuple[int, int]]]:
    """The kept components wholly inside ``window`` (page coordinates), and a
    page pixel (x, y) of each one its edge cuts that must be seen whole."""
    top, bottom, left, right = window
    labels, stats = _label(ink[top:bottom, left:right])
    x, y, w, h, area = (stats[:, i] for i in range(5))
    height, width = ink.shape
    cut = (
        ((x == 0) & (left > 0))
        | ((y == 0) & (top > 0))
        | ((x + w == right - left) & (right < width))
        | ((y + h == bottom - top) & (bottom < height))
    )
    cut[0] = False  # the background
    # A piece already wider across than a box may be is no box whole either.
    narrow = np.minimum(w, h) <= MAX_SHORT_PT * dpi / 72.0
    reaching = np.zeros_like(cut)
    for s_top, s_bottom, s_left, s_right in sides:
        reaching |= (
            (x + left < s_right)
            & (x + w + left > s_left)
            & (y + top < s_bottom)
            & (y + h + top > s_top)
        )
    grow = np.flatnonzero(cut & narrow & reaching)
    if grow.size:
        return [], [_any_pixel(labels, stats, int(i), left, top) for i in grow]
    wanted = keep(w, h) & (area <= max_fill * w * h) & ~cut
    wanted[0] = False
    return [
        (
            left + int(x[i]),
            top + int(y[i]),
            int(w[i]),
            int(h[i]),
            labels[y[i] : y[i] + h[i], x[i] : x[i] + w[i]] == i,
        )
        for i in np.flatnonzero(wanted)
    ], []


def _any_pixel(
    labels: np.ndarray, stats: np.ndarray, i: int, left: int, top: int
) -> tuple[int, int]:
    """Page (x, y) of a pixel of component ``i``: the first in its top row."""
    x, y, w = (int(v) for v in stats[i, :3])
    return left + x + int(np.argmax(labels[y, x : x + w] == i)), top + y


def _label(region: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """8-connected labels and stats of a 0/1 region; 16-bit labels when they fit
    (as ``detect_types._label_region``)."""
    try:
        _, labels, stats, _ = cv2.connectedComponentsWithStats(
            region, connectivity=8, ltype=cv2.CV_16U
        )
    except cv2.error:
        _, labels, stats, _ = cv2.connectedComponentsWithStats(
            region, connectivity=8, ltype=cv2.CV_32S
        )
    return labels, stats


def _span(*boxes: Window) -> Window:
    return (
        min(b[0] for b in boxes),
        max(b[1] for b in boxes),
        min(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _grow(box: Window, margin: int, height: int, width: int) -> Window:
    return _clip(
        (box[0] - margin, box[1] + margin, box[2] - margin, box[3] + margin), height, width
    )


def _turn(window: Window) -> Window:
    return (window[2], window[3], window[0], window[1])


def _clip(window: Window, height: int, width: int) -> Window:
    return (max(0, window[0]), min(window[1], height), max(0, window[2]), min(window[3], width))
