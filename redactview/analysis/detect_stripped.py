"""The 4 pt opening of many blobs at once: what is left of each once its text is stripped.

``detect_raster`` judges a blob again without the print glued to it: the blob
is opened by a ~4 pt square within its own bounding box (an erosion that
counts everything beyond the box as ink, then a dilation that counts it as
paper), and the pieces that remain are judged. On a soft scan forty or more
blobs a page are words of bold print, and opening them one by one cost five
OpenCV calls and their Python glue each (~5 ms a page). Here every blob is
laid out on one sheet, each in a frame as wide as the square's reach, and the
sheet is opened and labelled in one pass of each kind:

* the frame is ink for the erosion (as beyond the box) and paper for the
  dilation and the labelling (as beyond the box), and a square centred in a
  blob's box reaches no further than its frame: each blob sees what it saw
  alone;
* frames start on even rows and columns, so OpenCV's labelling (which scans
  2x2 blocks) meets each blob's pieces in the order it met them alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

_SHEET_WIDTH = 2048  # pixels: wide enough for a line box at 200 dpi


@dataclass(frozen=True, slots=True)
class Piece:
    """What a blob's opening left: bounding box in the blob's box, area, label."""

    x: int
    y: int
    w: int
    h: int
    area: int
    label: int


@dataclass(frozen=True, slots=True)
class Opened:
    """The opened sheet: its labels and where each blob's box lies on it."""

    labels: np.ndarray
    origins: list[tuple[int, int]]  # (row, column) of each blob's box
    pieces: list[list[Piece]]  # per blob, in the order labelling met them

    def piece_mask(self, blob: int, piece: Piece) -> np.ndarray:
        """The piece's pixels within its bounding box."""
        top, left = self.origins[blob]
        y, x = top + piece.y, left + piece.x
        return self.labels[y : y + piece.h, x : x + piece.w] == piece.label


def open_blobs(
    masks: list[np.ndarray],
    size: int,
    least: float,
    keep: Callable[[np.ndarray, np.ndarray], np.ndarray],
) -> Opened:
    """Open each boolean mask by a ``size`` square within its own box; the pieces
    whose sizes ``keep`` accepts (it gets the arrays of widths and heights).

    A blob whose eroded core spans fewer than ``least`` rows or columns gets
    no pieces: a piece is its core grown by ``size - 1``, so none could be
    ``least + size - 1`` pixels high and wide.
    """
    if not masks:
        return Opened(np.zeros((1, 1), np.int32), [], [])
    reach = size // 2
    origins, shape = _lay_out([m.shape for m in masks], reach)
    sheet = np.zeros(shape, np.uint8)
    owners = np.zeros(shape, np.int32)  # 1 + the blob whose box it is, 0 in frames
    for k, ((top, left), mask) in enumerate(zip(origins, masks, strict=True)):
        h, w = mask.shape
        sheet[top - reach : top + h + reach, left - reach : left + w + reach] = 1
        sheet[top : top + h, left : left + w] = mask
        owners[top : top + h, left : left + w] = k + 1
    boxes = (owners > 0).view(np.uint8)
    kernel = np.ones((size, size), np.uint8)
    eroded = cv2.bitwise_and(cv2.erode(sheet, kernel), boxes)
    for (top, left), mask in zip(origins, masks, strict=True):
        core = eroded[top : top + mask.shape[0], left : left + mask.shape[1]]
        _, _, w, h = cv2.boundingRect(core)
        if w == 0 or h < least or w < least:
            core[:] = 0  # too little core: no piece can be a box
    grown = cv2.bitwise_and(cv2.dilate(eroded, kernel), boxes)
    try:  # 16-bit labels cost a third of 32-bit ones; OpenCV raises if they run out
        _, labels, stats, _ = cv2.connectedComponentsWithStats(
            grown, connectivity=8, ltype=cv2.CV_16U
        )
    except cv2.error:
        _, labels, stats, _ = cv2.connectedComponentsWithStats(
            grown, connectivity=8, ltype=cv2.CV_32S
        )
    return Opened(labels, origins, _pieces_by_blob(stats, origins, owners, keep))


def _lay_out(
    shapes: list[tuple[int, ...]], reach: int
) -> tuple[list[tuple[int, int]], tuple[int, int]]:
    """Top-left corners of the boxes laid out in rows, each in a frame of ``reach``
    pixels, on even rows and columns; and the sheet's shape. The tallest go
    first, so that each row is about as high as its boxes (the sheet's area is
    what the opening costs)."""
    origins = [(0, 0)] * len(shapes)
    x = y = row_h = 0
    spans = [_even(s[1] + 2 * reach) + 2 for s in shapes]
    # No wider than the boxes need: labelling costs by the sheet's pixel, and a
    # page searched in windows opens only a few blobs.
    width = max(max(spans, default=1), min(_SHEET_WIDTH, sum(spans)))
    for k in sorted(range(len(shapes)), key=lambda k: -shapes[k][0]):
        h, w = shapes[k][:2]
        span = _even(w + 2 * reach) + 2
        if x + span > width:
            x, y, row_h = 0, y + row_h, 0
        origins[k] = (y + reach + (y + reach) % 2, x + reach + (x + reach) % 2)
        x += span
        row_h = max(row_h, _even(h + 2 * reach) + 2)
    return origins, (max(1, y + row_h), width)


def _even(n: int) -> int:
    return n + n % 2


def _pieces_by_blob(
    stats: np.ndarray,
    origins: list[tuple[int, int]],
    owners: np.ndarray,
    keep: Callable[[np.ndarray, np.ndarray], np.ndarray],
) -> list[list[Piece]]:
    """Each kept label's piece, given to the blob whose box holds its bounding
    box's corner (``owners``: 1 + that blob, per sheet pixel), in label order."""
    pieces: list[list[Piece]] = [[] for _ in origins]
    kept = np.flatnonzero(keep(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]))
    kept = kept[kept > 0]  # label 0: the paper
    found = stats[kept]
    blobs = owners[found[:, cv2.CC_STAT_TOP], found[:, cv2.CC_STAT_LEFT]] - 1
    for label, owner, (x, y, w, h, area) in zip(
        kept.tolist(), blobs.tolist(), found[:, :5].tolist(), strict=True
    ):
        top, left = origins[owner]
        pieces[owner].append(Piece(x - left, y - top, w, h, area, label))
    return pieces
