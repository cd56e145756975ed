"""How a filled blob looks inside: its fill and style from its grey levels, and the
print, letter gaps, stripes and texture that tell boxes from what is not one.
Pixel space, as in ``detect_raster``."""

from __future__ import annotations

import cv2
import numpy as np

from redactview.analysis.detect_types import (
    DARK_LEVEL,
    MARKER_TEXTURE,
    PAPER_LEVEL,
    PRINT_PIXELS,
    RasterParams,
)
from redactview.core.model import Fill

# Grey levels between the median and the upper quartile inside a grey box: flat
# fills on the samples' scans stay under 4, light print on a soft scan over 25.
GREY_SPREAD = 12.0
# A grey fill this light or lighter carries legible dark print (a code inside).
_LIGHT_FILL = 140
# How much lighter than a black box's fill its print may be: thin white type
# (Courier 8 pt at 150 dpi) blurs to strokes of ~140-165 on a fill of ~20.
LIGHT_PRINT_RISE = 70
# Median chroma (max - min of R, G, B) over which a box's fill is a colour.
COLOURED_CHROMA = 60
# Print in one line of a tall box (``has_inner_print``): at least this many
# pixels, in rows spanning under this share of the box's height, in a box at
# least TALL_BOX_PT high (on a line box specks gather along its glued edges).
PRINT_LINE_PIXELS = 40
PRINT_LINE_SHARE = 0.25
TALL_BOX_PT = 30.0
# Column means a blurred bold word swings between (``has_letter_rhythm``).
RHYTHM_LIGHT = PAPER_LEVEL - 20
RHYTHM_DARK = 120
RHYTHM_GAPS = 2


def trim_sparse_rows(ink: np.ndarray, h: int, across: bool) -> tuple[int, int]:
    """(first row, height) of the stroke: marker strokes end raggedly, and the
    closing glues the ascenders of the next line (or descenders of the one
    above) to them, so rows at the top and bottom that are mostly paper are
    not the stroke. A 22 pt stroke grew to 30 pt and was cut as two lines, or
    the glued rows passed for the clear row between two lines of small print.
    Sideways strokes are left as found."""
    if not across:
        return 0, h
    solid = np.flatnonzero(ink.mean(axis=1) >= 0.5)
    if solid.size == 0:
        return 0, h
    return int(solid[0]), int(solid[-1] - solid[0] + 1)


def has_blank_line(crop: np.ndarray, across: bool) -> bool:
    """A clear row (column, if sideways) through the middle: two lines of small print.

    Codes stacked in two small rows beside a box merge into one textured blob
    that passes for marker; marker strokes cover every row they cross.
    """
    paper = crop > PAPER_LEVEL  # grey between a grey box's code and its edge is not paper
    profile = paper.mean(axis=1 if across else 0)
    n = profile.size
    middle = profile[n // 5 : n - n // 5]
    return middle.size > 0 and float(middle.max()) > 0.45


def has_letter_gap(crop: np.ndarray, across: bool) -> bool:
    """A clear column (row, if sideways) through the blob: the gap between two
    letters or words of bold print, which the closing merged into a textured
    blob. Marker strokes cross every column they cover (stippled marker leaves
    at most ~half of a column's pixels paper)."""
    paper = crop > PAPER_LEVEL
    profile = paper.mean(axis=0 if across else 1)
    n = profile.size
    middle = profile[n // 10 : n - n // 10]
    return middle.size > 0 and float(middle.max()) > 0.9


def has_letter_rhythm(crop: np.ndarray, across: bool) -> bool:
    """Bold print blurred by a low-resolution scan: no clear column is left
    between its letters (``has_letter_gap``), but across the blob the columns'
    mean grey still swings from near paper to near ink and back, letter by
    letter (a 14 pt bold heading on a 100 dpi scan: 70 to 210 three times).
    A marker stroke, stippled or hatched, darkens its columns alike."""
    profile = crop.mean(axis=0 if across else 1)
    n = profile.size
    middle = profile[n // 10 : n - n // 10]
    state = np.where(middle > RHYTHM_LIGHT, 1, np.where(middle < RHYTHM_DARK, -1, 0))
    marked = state[state != 0]
    runs = marked[np.flatnonzero(np.diff(marked, prepend=0))]  # light and dark alternate
    # Light runs with dark on both sides: the gaps and counters between letters.
    return int(np.count_nonzero(runs[1:-1] == 1)) >= RHYTHM_GAPS


def without_edge(mask: np.ndarray, size: int = 7) -> np.ndarray:
    """The mask without its soft edge (cv2 treats outside the crop as "on" unless told)."""
    kernel = np.ones((size, size), np.uint8)
    eroded = cv2.erode(as_bytes(mask), kernel, borderType=cv2.BORDER_CONSTANT, borderValue=0)
    return eroded.view(np.bool_) if np.count_nonzero(eroded) > 20 else mask


def is_striped(ink: np.ndarray) -> bool:
    """Columns that are all ink or all paper, alternating many times: a barcode.

    (A code printed inside a box leaves every column mostly ink.)
    """
    if ink.shape[1] < 20 or not ink.shape[0]:
        return False
    # (An integer sum over the rows, then one division: ~3x cheaper than a float mean.)
    profile = ink.sum(axis=0, dtype=np.int64) / ink.shape[0]
    state = np.where(profile > 0.7, 1, np.where(profile < 0.35, -1, 0))
    marked = state[state != 0]
    return int(np.count_nonzero(marked[1:] != marked[:-1])) >= 8


def classify_fill(quartiles: tuple[float, float, float] | None) -> tuple[Fill, str, float]:
    """Fill colour and style from the quartiles of the grey levels inside the
    component (edges excluded); None when nothing is inside."""
    if quartiles is None:
        return Fill.GREY, "solid", 0.0
    # The interquartile range ignores a code printed inside (under a quarter of
    # the pixels) but not the light gaps between marker strokes.
    q25, median, q75 = quartiles
    texture = q75 - q25
    if texture > MARKER_TEXTURE and 60 <= median < 170:
        return Fill.OTHER, "marker", texture  # hatched or stippled strokes, or a photo
    if median < 70:
        return Fill.BLACK, "solid", texture
    # A grey fill is flat: whatever is printed on it is darker, so the lighter
    # half of the pixels sits at one level. Light print on a soft scan (a word
    # whose strokes and gaps the closing merged) spreads up to paper white.
    if q75 - median > GREY_SPREAD:
        return Fill.GREY, "print", texture
    return Fill.GREY, "solid", texture


def is_grey_under_print(interior: np.ndarray) -> bool:
    """Whether a box judged textured is a flat grey fill with dark print on it.

    In a small grey box a code printed inside covers a quarter or more of it, and
    the quartiles count that print as texture: the sample releases' grey table
    cells with "(b) (4)" came out as marker. Without the print (pixels as dark as
    ink) a grey fill sits at one level: its lighter half within ``GREY_SPREAD``
    of the median, as ``classify_fill`` asks of any grey fill. Most of the box must
    be that fill: a code covers at most a third of its box (the sample cells and
    every degraded variant of them: 67-87% of the inside lighter than ink), while
    stippled marker, whose dots blur into a flat mid-grey, leaves about half of it
    as dark as ink (36-52%) and marker strokes nearly all (6-22%). The fill must be
    light grey, as under a printed code it is (160-175 on the samples' scans):
    cross-hatched marker in mid greys blurs into a flat field of ~125.
    """
    light = interior[interior >= DARK_LEVEL]
    if light.size < 0.6 * interior.size:
        return False
    _, median, q75 = quartiles_u8(light)
    return _LIGHT_FILL <= median < PAPER_LEVEL - 10 and q75 - median <= GREY_SPREAD


def quartiles_u8(values: np.ndarray) -> tuple[float, float, float]:
    """25th, 50th and 75th percentiles of uint8 pixels, from their histogram
    (``np.percentile`` sorts: on a large box that was most of the judging time).
    The lower value of the pair straddling each rank, as ``method="lower"``."""
    counts = np.cumsum(np.bincount(values.ravel(), minlength=256))
    n = int(counts[-1])
    ranks = [int((n - 1) * q) for q in (0.25, 0.5, 0.75)]
    q25, q50, q75 = (float(np.searchsorted(counts, r, side="right")) for r in ranks)
    return q25, q50, q75


def looks_like_photo(
    w: int, h: int, texture: float, style: str, px_per_pt: float, params: RasterParams
) -> bool:
    # Marker strokes cover a line of text; a textured area taller than a few
    # lines is a picture.
    return min(w, h) > params.photo_min_side_pt * px_per_pt and style == "marker"


def has_inner_print(
    crop: np.ndarray,
    mask: np.ndarray,
    fill: Fill,
    inside: np.ndarray | None = None,
    median: float | None = None,
    tall: float = float("inf"),
) -> bool:
    """Whether something is printed inside: light print on black, dark print on grey
    (``inside``: ``without_edge(mask)``, if the caller has it already; ``median``:
    the grey level of the box's inside, if known; ``tall``: pixels from which a
    box is tall enough to hold lines of print, see below).

    On black, print is what is well lighter than the fill: thin white type on
    a deep black box never reaches the grey that bold type does (a code in
    Courier 8 pt, scanned at 300 dpi and read at 150, peaked at 140-165 and
    was taken for a plain box). Specks of dust pass too; they only cost the
    inside a reading, which finds no code there."""
    if fill == Fill.BLACK:
        level = DARK_LEVEL + 40.0
        if median is not None:
            level = min(level, median + LIGHT_PRINT_RISE)
        marks = (crop > level) & mask
    elif fill == Fill.GREY:
        marks = (crop < DARK_LEVEL) & mask
    else:
        return False
    # Stay clear of the box's soft edges, where blur makes paper-grey pixels.
    eroded = without_edge(mask) if inside is None else inside
    # A share of the box, but at most a code's worth: on a half-page block the
    # code "(b)(7)(E)" in 12 pt bold is ~800 pixels, a tenth of a percent.
    marks &= eroded
    count = int(np.count_nonzero(marks))
    if count > max(12, min(0.004 * int(mask.sum()), PRINT_PIXELS)):
        return True
    # Less than that, but all in one line across a tall box: a small code in
    # a block of spreadsheet cells ("(b)(6)" in 7 pt, 247 pixels in the top
    # 12 rows of a 237-row block). Grain and dust are scattered over the box.
    if count < PRINT_LINE_PIXELS or marks.shape[0] < tall:
        return False
    rows = np.flatnonzero(marks.any(axis=1))
    return int(rows[-1] - rows[0]) < PRINT_LINE_SHARE * marks.shape[0]


def is_coloured_fill(rgb: np.ndarray) -> bool:
    """Whether the middle of a box (an H x W x 3 render of it) is a colour, not
    black or grey: a red tag, a blue form bar, an opaque highlighter stroke on
    a colour scan. Redactions are black, grey or white; cream or yellowed paper
    and the toner of a colour scan stay under ~30 of chroma."""
    h, w = rgb.shape[:2]
    middle = rgb[h // 4 : h - h // 4, w // 4 : w - w // 4].reshape(-1, 3).astype(np.int16)
    if middle.size == 0:
        return False
    chroma = middle.max(axis=1) - middle.min(axis=1)
    return float(np.median(chroma)) > COLOURED_CHROMA


def as_bytes(mask: np.ndarray) -> np.ndarray:
    """A boolean mask as the 0/1 uint8 image OpenCV wants, without a copy."""
    return mask.view(np.uint8) if mask.dtype == np.bool_ else mask.astype(np.uint8)
