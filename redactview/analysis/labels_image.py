"""Cleaning a crop before Tesseract reads it: upscale, binarise, whiten what is not
the crop's own print (rules, box edges, slivers of the lines above and below).

Every crop read for a label goes through ``prepare_for_ocr``; the rules here are
what made Tesseract misread clear print on the samples (see each function).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import cv2
import numpy as np

from redactview.analysis.detect_raster import long_side_angle
from redactview.analysis.detect_types import PAPER_LEVEL, PRINT_PIXELS
from redactview.core.geometry import Box

OCR_SCALE = 3.0  # labels are ~7 pt: at 150 dpi that is too small for Tesseract
NOISY = 1.5  # mean grey-level step a 3x3 median takes out of a crop: speckled above it
# The crop of a box's inside keeps ``inside_inset`` pixels from its ends, this
# share of that from its long sides, and never more than INSET_MOST pixels.
INSET_ACROSS = 0.6
INSET_MOST = 8.0
EDGE_SIDE_SHAPE = 0.2  # width / height of a box side left in a crop (a code bracket: ~0.35)
# How a crop's print is told from its paper: Otsu's level (nearer the ink for small
# print), a level following the crop's local grey (``binarise_adaptive``), or not at
# all, the grey only stretched (``stretch_grey``). The last two are second readings.
Binarise = Literal["otsu", "adaptive", "grey"]


def prepare_for_ocr(
    crop: np.ndarray,
    *,
    invert: bool,
    scale: float = OCR_SCALE,
    keep_right: bool = False,
    small_print: bool = False,
    method: Binarise = "otsu",
) -> np.ndarray:
    """Upscale and binarise a small crop; light-on-dark print is inverted first."""
    if invert:
        crop = 255 - crop
    noisy = measure_noise(crop) >= NOISY
    big = crop
    if abs(scale - 1.0) > 0.01:
        big = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    if noisy:
        big = despeckle(big, scale)
        if not has_print(big):  # grain alone binarises into a field of black specks
            big = np.full_like(big, 255)
    level, binary = cv2.threshold(big, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    if small_print:
        binary = binarise_small_print(big, level)
    if method == "adaptive":
        binary = binarise_adaptive(big)
    cleaned = erase_edge_debris(erase_rules(binary), keep_right=keep_right)
    if method == "grey":
        cleaned = np.where((binary < 128) & (cleaned > 127), np.uint8(255), stretch_grey(big))
    return cv2.copyMakeBorder(cleaned, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=255)


def measure_noise(crop: np.ndarray) -> float:
    """Mean grey-level change a 3x3 median makes on the crop's paper: ~0-1 on a
    clean scan or render, 2 and more on a grainy one.

    Only paper counts (pixels with no ink within 2 px, and not the white of a
    blanked box): along print the median moves every stroke edge, and a crop
    full of print passed for noisy (a median on the bench's 3° skew variant
    lost two codes and made a false positive).
    """
    if min(crop.shape[:2]) < 5:
        return 0.0
    scanned = crop < 255  # not the white of other boxes blanked out of the crop
    if scanned.sum() < 25:
        return 0.0
    values = np.ascontiguousarray(crop[scanned]).reshape(-1, 1)
    level, _ = cv2.threshold(values, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    paper = (cv2.erode(crop, np.ones((5, 5), np.uint8)) > level) & scanned
    # On a scanned crop most non-white pixels are paper. A clean render has
    # pure white paper: its only non-white pixels are print and the grey
    # fringe of anti-aliasing, which must not pass for grain (the width
    # engine's line bands were blanked as "grain only").
    if paper.sum() < 0.5 * scanned.sum():
        return 0.0
    moved = cv2.absdiff(crop, cv2.medianBlur(crop, 3))
    return float(moved[paper].mean())


def despeckle(big: np.ndarray, scale: float) -> np.ndarray:
    """A median over about one crop pixel's span, on a crop measured as speckled.

    Toner dust and scanner grain binarise into specks round the print;
    Tesseract reads specks next to a code as letters ("(b)(6)" -> "a (b)(6) ,")
    or lays its lines out through them and loses the code. A median takes out
    specks smaller than a stroke; on a clean crop it would only round off thin
    strokes of small print, so it is applied only when the crop is noisy. It
    runs after upscaling, its window a little wider than one crop pixel: a
    speck is a pixel or two of the scan, a stroke of 7 pt print at 150 dpi is
    barely wider, and a 3x3 median at the crop's own resolution ate strokes.
    """
    size = 5 if scale >= 2.5 else 3
    return cv2.medianBlur(big, size)


# Grey levels print is darker than the paper it is on, despeckled: thin type on a
# grey box (Courier 8 pt at 150 dpi) is ~50 under its fill.
PRINT_CONTRAST = 45


def has_print(crop: np.ndarray) -> bool:
    """Whether anything in a despeckled crop is clearly darker than its paper.

    Otsu's method always finds two classes; on a crop of grainy paper alone
    (right of a box where nothing is printed, a blank margin) it splits the
    grain in half, and Tesseract reads the black field as rows of junk, which
    also upsets its layout of the other crops on the sheet. Print, even
    photocopied or on a grey box, is far darker than the grain.
    """
    scanned = crop[crop < 255]  # not the white of other boxes blanked out
    if scanned.size < 0.05 * crop.size:
        return False
    paper = float(np.median(scanned))
    # The darkest 0.5% of a label's crop, but at most a few glyphs' worth: on a
    # whole page the few lines of a slip sheet ("PAGE WITHHELD IN FULL") are
    # 0.3% of it, and a share would have blanked the page before it was read.
    k = min(int(0.005 * scanned.size), PRINT_PIXELS)
    return paper - float(np.partition(scanned, k)[k]) >= PRINT_CONTRAST


def blank_boxes(
    crop: np.ndarray, boxes: Sequence[Box], origin: tuple[float, float], zoom: float = 1.0
) -> None:
    """Paint other boxes out of a crop (in place), white.

    ``boxes`` are in view pixels, ``origin`` is the crop's top-left view pixel and
    ``zoom`` the crop's pixels per view pixel. (Painting them the paper's grey
    instead, so that Otsu would not split grainy paper from a white patch, was
    tried: no gain on the noisy variant once blank crops are caught by
    ``has_print``, and 0.890 -> 0.846 code accuracy on the 100 dpi variant.)
    """
    ox, oy = origin
    for b in boxes:
        x0, y0 = max(0, int((b.x0 - ox) * zoom)), max(0, int((b.y0 - oy) * zoom))
        crop[y0 : max(0, int((b.y1 - oy) * zoom)), x0 : max(0, int((b.x1 - ox) * zoom))] = 255


def measure_blocks(crop: np.ndarray) -> int:
    """How many render pixels each scan pixel became (1: none repeated).

    A render far above the scan's own resolution (a 100 dpi scan rendered at
    300 dpi) repeats each scan pixel as a block: rows, and columns, come in
    runs of k identical ones. The typical run among those crossing print is
    k; a render at or below the scan's resolution (interpolated, or sampled
    down) has runs of one. (A share of repeated rows is not enough: a clean
    render of a black box repeats one row all the way down.)
    """
    ink = crop < 128
    factors = []
    for lines, axis in ((crop, 1), (crop.T, 0)):
        inked: np.ndarray = np.asarray(ink.any(axis=axis))
        if inked.sum() < 8:
            return 1
        new_run = np.r_[True, (np.diff(lines.astype(np.int16), axis=0) != 0).any(axis=1)]
        run = np.cumsum(new_run) - 1
        lengths = np.bincount(run)
        starts = np.flatnonzero(new_run)
        factors.append(int(np.median(lengths[inked[starts]])))
    return max(1, min(factors))


def undo_upscaling(crop: np.ndarray, zoom: float) -> tuple[np.ndarray, float]:
    """A crop rendered in blocks of repeated scan pixels, shrunk back to the scan's
    own pixels, and its new zoom (crop pixels per view pixel).

    Upscaled from those blocks, 5.5 pt print of a 100 dpi scan reached
    Tesseract as staircases ("(b)(6)" read "(DB)", "ibe)"); the scan's own
    pixels upscaled smoothly (``prepare_for_ocr``'s cubic resize) read.
    """
    k = measure_blocks(crop)
    if k < 2:
        return crop, zoom
    h, w = crop.shape[:2]
    small = cv2.resize(
        crop, (max(1, round(w / k)), max(1, round(h / k))), interpolation=cv2.INTER_AREA
    )
    return small, zoom * small.shape[1] / w


def binarise_small_print(big: np.ndarray, otsu: float) -> np.ndarray:
    """Binarise small bold print at a level halfway from Otsu's to the ink's core.

    A scanner's blur spreads each stroke into a ramp; Otsu's level, balancing
    ink against paper, falls in the middle of it, and in 5-6 pt bold type the
    strokes then grow into each other: ")(" closes up and "(b)(7)" is read
    "(bX7". Cutting nearer the darkest pixels keeps those gaps open (on the
    samples' stacked codes Tesseract's reading of a row went from "(bX6);" at
    confidence 50 to "(b)(6):" at 75).
    """
    ink = float(np.percentile(big, 2))
    level = (otsu + ink) / 2 if ink < otsu else otsu
    return np.where(big > level, np.uint8(255), np.uint8(0))


ADAPTIVE_OFFSET = 10  # grey levels under the local mean that count as ink


def binarise_adaptive(big: np.ndarray) -> np.ndarray:
    """Binarise against the mean grey around each pixel, over a window a row high.

    Faint small print (photocopied twice, or a 100 dpi scan upscaled) has
    strokes of unequal darkness: one level for the whole crop, Otsu's or
    nearer the ink, keeps the dark cores of "b" and "6" and drops the light
    brackets and the "7" ("(b)(7)(C)" came out "b ' C"); a level following the
    local grey keeps each stroke and thins the blots where strokes ran together.
    """
    block = max(15, (big.shape[0] // 2) * 2 + 1)
    return cv2.adaptiveThreshold(
        big, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, ADAPTIVE_OFFSET
    )


def stretch_grey(big: np.ndarray) -> np.ndarray:
    """The crop's grey stretched from its ink (black) to its paper (white), not
    binarised: Tesseract's line recogniser reads grey, and a glyph's shading
    tells apart what any one level merges ("b" from "6" where a bowl fills in)."""
    ink, paper = float(np.percentile(big, 1)), float(np.percentile(big, 90))
    if paper - ink < 1:
        return big
    stretched = (big.astype(np.float32) - ink) * (255.0 / (paper - ink))
    return np.clip(stretched, 0, 255).astype(np.uint8)


def erase_edge_debris(binary: np.ndarray, *, keep_right: bool = False) -> np.ndarray:
    """Whiten slivers cut off by the crop's edges: the soft edge of the box a label
    sits in (light on dark: paper after inversion), the descenders of the line
    above, the ascenders of the line below.

    On a sheet of many crops (``read_sheet``) Tesseract lays out lines over the
    whole sheet, and a few such specks at a crop's margin were enough to make it
    join the crop's print to another line's ("(b)(6)" read as "eC)"). Print of
    the crop's own line does not touch its edges, or is taller than a third of
    it where it does. ``keep_right``: the right edge cuts through a line of
    print (a crop right of a box ends anywhere), so glyphs there are kept.
    """
    h, w = binary.shape[:2]
    if h < 6 or w < 6:
        return binary
    ink = (binary < 128).astype(np.uint8)
    _, parts, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    x, y, cw, ch = (stats[:, k] for k in range(4))
    touches = (x == 0) | (y == 0) | (y + ch >= h)
    if not keep_right:
        touches |= x + cw >= w
    # A thin stroke much longer than the crop is tall is a piece of rule or box
    # edge (a dash in this print is a fifth as long); Tesseract reads the print
    # under one as a single garbled word.
    rule = (ch <= max(3, h * 0.12)) & (cw >= 1.5 * h)
    # A white box's own side, cut into by the crop of its inside: a straight
    # stroke at the crop's end, over half as tall as the crop (a bracket of the
    # code is a third as wide as it is tall; the side a fifth at most, even
    # blurred and a little askew). Left in, Tesseract reads the code beside it
    # as one garbled word ("| (b) (7) (D) |" read "| by 67) (Dd |").
    ends = (x == 0) if keep_right else (x == 0) | (x + cw >= w)
    side = ends & (ch >= h / 2) & (cw <= EDGE_SIDE_SHAPE * ch)
    debris = (touches & (ch < h / 3)) | rule | side
    debris[0] = False
    if not debris.any():
        return binary
    return np.where(debris[parts], np.uint8(255), binary)


def erase_rules(binary: np.ndarray) -> np.ndarray:
    """Whiten thin horizontal rules: the edge of a box a crop could not avoid (the
    upright crop of a tilted box takes in its sloping edges), an underline.

    A rule touching a line of print makes Tesseract read the line as one glyph
    row with a bar and misread it; no letter has a horizontal stroke running a
    third of the crop's width.
    """
    length = max(binary.shape[1] // 3, 24)
    ink = (binary < 128).astype(np.uint8)
    rules = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    if not rules.any():
        return binary
    # A rule's own anti-aliased edge rows go with it.
    rules = cv2.dilate(rules, np.ones((3, 1), np.uint8))
    return np.where(rules > 0, np.uint8(255), binary)


def outline_of(crop: np.ndarray) -> np.ndarray:
    """The largest blob of ink in the crop of a box's upright bbox: its outline.

    The corners of a tilted box's bbox take in print of the lines above and
    below it; measured with them, the box's rectangle came out tilted a
    degree less than the box, and its turned inside kept its sloping edges
    across the code ("(b)(6);(b)(7)(C)" read "(b)(6);()( TC)").
    """
    ink = (crop < PAPER_LEVEL).astype(np.uint8)
    count, parts, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if count < 2:
        return ink
    biggest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    return (parts == biggest).astype(np.uint8)


def inside_inset(short: float, long_: float) -> float:
    """How far (pixels) the crop of a box's inside keeps from its ends; from its
    long sides, ``INSET_ACROSS`` of that (a code may fill the box's height).

    A block (under 3x as long as high) is inset at most ``INSET_MOST``: its soft
    edge is a few pixels whatever its size, and a block of spreadsheet cells
    237 px high, inset by a share of that, lost its code printed 11 px from its
    corner. A long box keeps its share: scanned askew, its upright bbox is
    higher than the box by the rise of its sloping edges."""
    inset = max(2.0, short * 0.12)
    return inset if long_ >= 3 * short else min(INSET_MOST, inset)


def level_inside(crop: np.ndarray, min_tilt: float = 1.0) -> np.ndarray | None:
    """The inside of a tilted box, turned level, from the crop of its upright bbox;
    None when the box is level enough to be cut upright.

    On a page scanned a few degrees askew an upright crop inset from the bbox
    cuts the ends of the printed code and takes in the sloping edges of the box
    (a 70 pt box tilted 3° rises 3.7 pt, a third of its height): Tesseract read
    none of the white bordered boxes' codes on the bench's 3° variant.
    """
    pts = cv2.findNonZero(outline_of(crop))
    if pts is None or len(pts) < 20:
        return None
    rect = cv2.minAreaRect(pts)
    angle = long_side_angle(cv2.boxPoints(rect))
    (cx, cy), (rw, rh) = rect[0], rect[1]
    long_, short = max(rw, rh), min(rw, rh)
    inset = inside_inset(short, long_)
    # Under ``min_tilt`` a long box still rises more than an upright crop is
    # inset (0.6° over 260 pt: 2.7 pt), and its paper corners darken the
    # inverted crop as much as the code: Otsu's level fell between paper and
    # box, and the code went white with the box.
    rise = long_ * abs(math.sin(math.radians(angle)))
    if (abs(angle) < min_tilt and rise <= INSET_ACROSS * inset) or abs(angle) > 10:
        return None
    matrix = cv2.getRotationMatrix2D((cx, cy), angle, 1.0)
    h, w = crop.shape[:2]
    level = cv2.warpAffine(crop, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    x0, x1 = int(cx - long_ / 2 + inset), int(cx + long_ / 2 - inset)
    y0, y1 = int(cy - short / 2 + inset * INSET_ACROSS), int(cy + short / 2 - inset * INSET_ACROSS)
    inside = level[max(0, y0) : y1, max(0, x0) : x1]
    return inside if min(inside.shape[:2], default=0) >= 4 else None


def blank_box_shapes(crop: np.ndarray, boxes: Sequence[Box], origin: tuple[float, float]) -> None:
    """``blank_boxes`` at zoom 1, painting a tilted filled box's own rectangle
    rather than its upright bbox.

    On a page scanned askew a long box's bbox reaches the rise of its long side
    beyond its ends (1° over 250 pt: 4 pt), into the line above or below: painted
    whole, it cut the words before the next line's box in half, they went unread,
    and a passage of three boxed lines at +1° was not grouped (the grouping looks
    for a word a space before each box). A bordered box is painted as the
    rectangle of its border. An upright or short box, one whose tilt cannot be
    read (a grey box breaking up on grain), and one the crop cuts are painted as
    before, whole.
    """
    ox, oy = origin
    height, width = crop.shape[:2]
    for b in boxes:
        x0, y0 = max(0, int(b.x0 - ox)), max(0, int(b.y0 - oy))
        x1, y1 = max(0, int(b.x1 - ox)), max(0, int(b.y1 - oy))
        # A box the crop cuts (a line above or below the band's) is painted as its
        # bbox: the crop's edge would pass for a side of it when its tilt is read.
        inside = b.x0 >= ox and b.y0 >= oy and x1 <= width and y1 <= height
        corners = _tilted_corners(crop[y0:y1, x0:x1]) if inside else None
        if corners is None:
            blank_boxes(crop, [b], origin)
        else:
            cv2.fillPoly(crop, [np.round(corners + np.array([x0, y0])).astype(np.int32)], 255)


TILT_TO_PAINT = 0.3  # degrees: below, the bbox is the box within a pixel per 200 px
SOFT_EDGE = 2.0  # pixels added all round: a scanned box's edge fades over a pixel or two
# How far (a share of the box's thickness) its bbox must rise past its ends before
# the corners are worth giving back: the white between lines is about a quarter
# of a line, so less than that reaches no print of the next line.
REACH_TO_PAINT = 0.25


def _tilted_corners(region: np.ndarray) -> np.ndarray | None:
    """The four corners (x, y in ``region``) of the tilted box whose upright bbox
    ``region`` is, grown by the soft edge; None when it is upright or its tilt
    cannot be read.

    The tilt is read from the largest dark block in the region, when that spans
    at least half the region's length: a code printed in white across a box can
    cut the box in pieces (whose own outline would leave the rest of the box and
    its code standing). The box is then the rectangle of that tilt that fits the
    bbox exactly, which the code cannot change.
    """
    if region.size == 0:
        return None
    points = cv2.findNonZero(outline_of(region))
    if points is None:
        return None
    _, size, angle = cv2.minAreaRect(points)
    if max(size) < 0.5 * max(region.shape):
        return None  # letters, grain, or a box cut short by its code: its tilt is not there
    tilt = long_side_angle(cv2.boxPoints(((0.0, 0.0), size, angle)))
    tilt = tilt - 90.0 if tilt > 45 else tilt + 90.0 if tilt < -45 else tilt
    if abs(tilt) < TILT_TO_PAINT:
        return None
    return _fitted_rectangle(region.shape[1], region.shape[0], np.radians(tilt))


def _fitted_rectangle(width: float, height: float, tilt: float) -> np.ndarray | None:
    """Corners of the rectangle turned by ``tilt`` (radians) whose upright bbox is
    ``width`` x ``height``, grown by the soft edge. None when no such rectangle is
    thicker than the soft edge (the bbox is not a turned box's), or when the bbox
    reaches too little past the box's ends to touch the next line's print: the
    words beside short boxes on a page 1° askew (release_a) are read as before,
    since Tesseract's reading of a band changes with any pixel of it."""
    c, s = np.cos(tilt), abs(np.sin(tilt))
    across = c * c - s * s
    along = (width * c - height * s) / across  # the side that runs with the tilt
    other = (height * c - width * s) / across
    if min(along, other) < 2 * SOFT_EDGE or along * s < other * REACH_TO_PAINT:
        return None
    u = np.array([np.cos(tilt), np.sin(tilt)]) * (along / 2 + SOFT_EDGE)
    v = np.array([-np.sin(tilt), np.cos(tilt)]) * (other / 2 + SOFT_EDGE)
    centre = np.array([width / 2, height / 2])
    return np.array([centre - u - v, centre + u - v, centre + u + v, centre - u + v])
