"""Cutting raster boxes apart: lines of a multi-line redaction that scan as one
blob, and barcode bars that pass for narrow boxes. Pixel space, as in
``detect_raster``."""

from __future__ import annotations

import itertools

import numpy as np

from redactview.analysis.detect_types import PixelBox

BARS_BESIDE = 4  # thin bars of the block's height beside it that make it a barcode's
BLOCK_ASPECT = 2.5  # blocks of merged bars seen were at most 1.3x as wide as tall


def split_double_lines(boxes: list[PixelBox]) -> list[PixelBox]:
    """Cut a box two or three text lines tall into lines, when its page's boxes say so.

    Boxes over consecutive lines of equal width (a To: and a Cc: value) touch
    with a sub-pixel gap and scan as one; their height gives them away.
    """
    heights = sorted(b.height for b in boxes if b.width > 2 * b.height)
    if len(heights) < 3:
        return boxes
    line_h = heights[len(heights) // 2]
    out = []
    for box in boxes:
        lines = round(box.height / line_h)
        fits = abs(box.height / line_h - lines) < 0.25
        if lines in (2, 3) and fits and box.width > 1.5 * box.height / lines:
            step = box.height / lines
            out += [_slice_rows(box, round(k * step), round((k + 1) * step)) for k in range(lines)]
        else:
            out.append(box)
    return out


def row_pieces(mask: np.ndarray, px_per_pt: float) -> list[tuple[int, int]]:
    """Split rows where the blob's right edge jumps or its ink thins: line boundaries."""
    # Row by row in arrays (a loop over the rows in Python took ~4 ms a blob).
    rows = mask.sum(axis=1).astype(float)
    inked = mask.any(axis=1)
    left = np.where(inked, mask.argmax(axis=1), -1)
    right = np.where(inked, mask.shape[1] - 1 - mask[:, ::-1].argmax(axis=1), -1)
    moved = np.maximum(np.abs(np.diff(right)), np.abs(np.diff(left)))
    # The most ink in the three rows above each row (0 above the first).
    above = np.zeros((3, rows.size))
    for k in range(1, 4):
        above[k - 1, k:] = rows[:-k]
    thin = rows < 0.5 * np.maximum(above.max(axis=0), 1.0)
    breaks = np.flatnonzero((moved > 4 * px_per_pt) | thin[1:]) + 1
    min_line = int(6 * px_per_pt)
    cuts = [0]
    for r in breaks.tolist():
        if r - cuts[-1] >= min_line:
            cuts.append(r)
    cuts.append(mask.shape[0])
    return [(a, b) for a, b in itertools.pairwise(cuts) if b - a >= min_line]


def drop_barcodes(boxes: list[PixelBox]) -> list[PixelBox]:
    """Tall narrow boxes standing side by side with equal tops and bottoms: barcode
    bars, unless they stand at the even pitch of lines of print.

    On a page whose content is turned sideways, the boxes of a column of equally
    long fields ("Agent ███" on five lines) stand side by side with equal ends
    too, and all five were dropped. Those are equally thick and equally spaced,
    a line's leading apart; a barcode's bars are not (widths of one to four
    modules, gaps as uneven)."""

    def is_bar_row(box: PixelBox) -> bool:
        if box.height <= 2 * box.width:
            return False
        peers = [
            o
            for o in boxes
            if o.height > 2 * o.width
            and abs(o.y0 - box.y0) <= 3
            and abs(o.y1 - box.y1) <= 3
            and abs(o.x0 - box.x0) < 8 * box.height
        ]
        return len(peers) >= 3 and not _at_line_pitch(peers)

    return [b for b in boxes if not is_bar_row(b)]


def drop_barcode_blocks(boxes: list[PixelBox], ink: np.ndarray, px_per_pt: float) -> list[PixelBox]:
    """Solid blocks of a barcode (bars the scan's blur merged), told by the thin
    bars beside them: as tall as the block and ending where it ends.

    Bars of a barcode with 0.6-3 pt modules merge into solid blocks 7-20 pt wide,
    which pass for boxes; fewer than three of them stand side by side or they
    are not tall enough for ``drop_barcodes``, and on 46 of 135 generated
    barcodes such blocks were kept. Print beside a box fills less of its
    height, rules and frames run on past it, other boxes are wider than bars."""
    return [b for b in boxes if not _among_bars(b, ink, px_per_pt)]


def _among_bars(box: PixelBox, ink: np.ndarray, px_per_pt: float) -> bool:
    h = box.y1 - box.y0
    if box.width >= BLOCK_ASPECT * h:
        return False  # a line's box, longer than barcode bars ever merge (and most boxes are)
    top, bottom = box.y0 + 1, box.y1 - 1  # the whole height: a letter stops short of it
    gap = max(2, round(px_per_pt))  # where a bar ends, paper begins within a point
    if bottom - top < 4 or box.y0 < 2 * gap or box.y1 + 2 * gap > ink.shape[0]:
        return False
    x0, x1 = max(0, box.x0 - 3 * h), min(ink.shape[1], box.x1 + 3 * h)
    inked = np.count_nonzero(ink[top:bottom, x0:x1], axis=0)  # (a float mean costs 3x)
    rows = bottom - top
    above = ink[box.y0 - 2 * gap : box.y0 - gap, x0:x1].any(axis=0)
    below = ink[box.y1 + gap : box.y1 + 2 * gap, x0:x1].any(axis=0)
    bars = (inked >= 0.9 * rows) & ~above & ~below
    bars[box.x0 - x0 : box.x1 - x0] = False  # the block itself
    edges = np.flatnonzero(np.diff(np.r_[False, bars, False].astype(np.int8)))
    starts, stops = edges[::2], edges[1::2]
    # A bar stands on paper: near its sides the columns are nearly blank (between
    # the letters of a code printed in white inside a box they are nearly full).
    paper = inked <= 0.25 * rows
    n = inked.size
    left = np.zeros(starts.size, bool)
    right = np.zeros(starts.size, bool)
    for k in range(1, 4):
        left |= paper[np.maximum(starts - k, 0)]
        right |= paper[np.minimum(stops + k - 1, n - 1)]
    beside = left & right
    thin = (stops - starts) <= 4 * px_per_pt
    return int(np.count_nonzero(thin & beside)) >= BARS_BESIDE


def _at_line_pitch(row: list[PixelBox]) -> bool:
    """Whether boxes side by side are lines of print turned sideways: each as thick
    as the others, and the white between neighbours even and thinner than a line."""
    row = sorted(row, key=lambda b: b.x0)
    widths = np.array([b.width for b in row], float)
    gaps = np.array([b.x0 - a.x1 for a, b in itertools.pairwise(row)], float)
    line = float(np.median(widths))
    even_lines = bool(np.all(np.abs(widths - line) <= max(2.0, 0.1 * line)))
    even_gaps = bool(np.all(np.abs(gaps - np.median(gaps)) <= max(2.0, 0.15 * line)))
    return even_lines and even_gaps and bool(np.all((gaps > 0) & (gaps < line)))


def split_stacked_lines(box: PixelBox, ink: np.ndarray, px_per_pt: float) -> list[PixelBox]:
    """Split a component that is several line boxes merged by a thin gap (low-dpi scans).

    A row whose ink coverage drops well below the box's is a gap between lines.
    """
    line_h = 9.0 * px_per_pt
    if box.height < 2 * line_h or box.width < 2 * line_h:
        return [box]
    rows = ink[box.y0 : box.y1, box.x0 : box.x1].mean(axis=1)
    gaps = np.flatnonzero(rows < 0.45)
    cuts = [int(g) for g in gaps if line_h * 0.8 < g < box.height - line_h * 0.8]
    if not cuts:
        return [box]
    pieces, start = [], 0
    for cut in [*_group_runs(cuts), box.height]:
        if cut - start >= line_h * 0.6:
            pieces.append(_slice_rows(box, start, cut))
        start = cut + 1
    return pieces or [box]


def _group_runs(values: list[int]) -> list[int]:
    """The middle of each run of consecutive row indices."""
    runs: list[list[int]] = []
    for v in values:
        if runs and v == runs[-1][-1] + 1:
            runs[-1].append(v)
        else:
            runs.append([v])
    return [r[len(r) // 2] for r in runs]


def _slice_rows(box: PixelBox, top: int, bottom: int) -> PixelBox:
    return PixelBox(
        box.x0,
        box.y0 + top,
        box.x1,
        box.y0 + bottom,
        box.fill,
        box.confidence,
        box.style,
        box.inner_ink,
        box.needs_label,
    )
