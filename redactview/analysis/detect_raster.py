"""Redaction boxes burned into a page image, found with OpenCV (never with OCR).

Works on a grey render in *pixels*; the pipeline maps results to page points.
Two kinds of candidate:

* filled boxes: black, dark or light grey, or hand-applied marker. Anything
  darker than paper is "ink"; a small closing fills scanner speckle, white
  codes printed inside and the gaps of cross-hatched marker, but not the
  ~1.5 pt gap between the boxes of a multi-line redaction. A component is a
  box when it fills its rotated bounding rectangle (skewed scans) and is not a
  line, a scan border, a disc (punch hole, seal) or a textured photograph.
* bordered white boxes (the DOJ style): a thin rectangular outline with one
  hole. Table grids have many holes; an empty form field has no code inside,
  which the label step checks (``needs_label``).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence

import cv2
import numpy as np

from redactview.analysis.detect_bands import Blob
from redactview.analysis.detect_bordered import find_bordered_boxes
from redactview.analysis.detect_fill import (
    TALL_BOX_PT,
    as_bytes,
    classify_fill,
    has_blank_line,
    has_inner_print,
    has_letter_gap,
    has_letter_rhythm,
    is_grey_under_print,
    is_striped,
    looks_like_photo,
    quartiles_u8,
    trim_sparse_rows,
    without_edge,
)
from redactview.analysis.detect_skew import Straightening, estimate_skew, long_side_angle, map_box
from redactview.analysis.detect_split import (
    drop_barcode_blocks,
    drop_barcodes,
    row_pieces,
    split_double_lines,
    split_stacked_lines,
)
from redactview.analysis.detect_stripped import Opened, open_blobs
from redactview.analysis.detect_types import (
    MIN_SKEW_DEG,
    PAPER_LEVEL,
    STRIPPED_MIN_INK,
    PixelBox,
    RasterParams,
    ink_mask,
)
from redactview.analysis.detect_windows import (
    Cut,
    Region,
    Seeds,
    Sheet,
    Window,
    blob_order,
    box_sized,
    find_seeds,
    plausible_size,
    search_windows,
    skew_regions,
)
from redactview.core.model import Fill

__all__ = ["estimate_skew", "find_dark_boxes", "find_raster_boxes", "long_side_angle"]

DOTTED_INK = 0.1  # share of a page that is ink before it is checked for dotted paper
MARKER_ROUGHNESS = 0.1  # how much less rectangular marker strokes may be than a box


def find_raster_boxes(gray: np.ndarray, dpi: float) -> list[PixelBox]:
    """Filled boxes, then bordered white boxes: ``find_dark_boxes`` +
    ``detect_bordered.find_bordered_boxes``, sharing the page's ink mask."""
    ink = ink_mask(gray)
    return find_dark_boxes(gray, dpi, ink=ink) + find_bordered_boxes(gray, dpi, ink=ink)


def calm_dotted_paper(gray: np.ndarray) -> np.ndarray:
    """The page blurred (Gaussian, sigma 1 px) if its paper is dotted; else ``gray`` itself.

    A bitonal scan made with dithering ("halftone" mode) prints off-white paper
    as scattered black dots: a fifth of a 150 dpi render counted as ink, the
    closing glued every box to the paper round it, and no box was found on a
    page of black boxes. Blurred, the dots fade to paper-grey while boxes,
    print and the 1 px outlines of a 150 dpi render stay (a 3x3 median found
    the boxes too, but wiped the thin white codes inside them). Only a page
    over a tenth ink (judged on every fourth row) that the blur leaves with
    under half of its ink is calmed: print and boxes lose little to it, so
    ordinary pages are left as they are.
    """
    if np.count_nonzero(gray[::4] < PAPER_LEVEL) < DOTTED_INK * gray[::4].size:
        return gray
    calm = cv2.GaussianBlur(gray, (0, 0), 1.0)
    if np.count_nonzero(calm < PAPER_LEVEL) > np.count_nonzero(gray < PAPER_LEVEL) / 2:
        return gray
    return calm


def find_dark_boxes(
    gray: np.ndarray,
    dpi: float,
    params: RasterParams | None = None,
    *,
    ink: np.ndarray | None = None,
) -> list[PixelBox]:
    """Filled boxes (black, grey, marker) in a grey page image (``ink``: its
    ``ink_mask``, if the caller has it already).

    Only the windows around solid ink (``detect_windows``) are searched. A page
    scanned askew is straightened first, window by window: tilted line boxes of
    a multi-line redaction overlap in x/y and cannot be told apart otherwise.
    Boxes are mapped back as the axis-aligned box of their four tilted corners.
    """
    params = params or RasterParams()
    ink = ink_mask(gray) if ink is None else ink
    px_per_pt = dpi / 72.0
    seeds = find_seeds(ink, px_per_pt, params)
    if not seeds.areas:
        return []  # no solid ink: no box (and no need to know the skew)
    h, w = gray.shape[:2]
    page = Sheet(w, h)
    angle = estimate_skew(gray, dpi, skew_regions(seeds, page, px_per_pt))
    if abs(angle) < MIN_SKEW_DEG:
        found = _find_in_windows(_upright(gray, ink), seeds, page, px_per_pt, params)
    else:
        turn = Straightening(gray, angle)
        found = _find_in_windows(turn.cut, turn.carry(seeds), page, px_per_pt, params)
        found = [map_box(b, turn.back, w, h) for b in found]
    return drop_barcode_blocks(found, ink, px_per_pt)


def _upright(gray: np.ndarray, ink: np.ndarray) -> Cut:
    def cut(region: Region) -> tuple[np.ndarray, np.ndarray]:
        x0, y0, x1, y1 = region
        return gray[y0:y1, x0:x1], ink[y0:y1, x0:x1]

    return cut


def _find_in_windows(
    cut: Cut, seeds: Seeds, page: Sheet, px_per_pt: float, params: RasterParams
) -> list[PixelBox]:
    """The boxes the seeded blobs of every window give, in the order a whole-page
    search lists them."""
    held = [(w, b) for w in search_windows(cut, seeds, page, px_per_pt, params) for b in w.blobs]
    stats = [(b.x, b.y, b.w, b.h, int(np.count_nonzero(b.mask))) for _, b in held]
    first = [
        _judge_component(w.gray, w.ink, w.sheet, b.mask, stat, px_per_pt, params, b)
        for (w, b), stat in zip(held, stats, strict=True)
    ]
    # Each rejected blob is judged again without the print glued to it; all of
    # the page's are opened together.
    rejected = [k for k, box in enumerate(first) if box is None]
    again = _judge_without_text(
        [held[k][0] for k in rejected],
        [held[k][1].mask for k in rejected],
        [stats[k] for k in rejected],
        px_per_pt,
        params,
    )
    stripped = dict(zip(rejected, again, strict=True))
    found: list[tuple[tuple[int, int], list[PixelBox]]] = []
    for k, ((window, blob), box) in enumerate(zip(held, first, strict=True)):
        boxes = stripped[k] if box is None else split_stacked_lines(box, window.ink, px_per_pt)
        order = blob_order(blob, window.sheet)
        found.append((order, [_on_page(b, window.sheet) for b in boxes]))
    found.sort(key=lambda item: item[0])
    return split_double_lines(drop_barcodes([box for _, boxes in found for box in boxes]))


def _on_page(box: PixelBox, sheet: Sheet) -> PixelBox:
    """``box`` (window pixels) in the page's pixels."""
    if not sheet.x and not sheet.y:
        return box
    return dataclasses.replace(
        box, x0=box.x0 + sheet.x, y0=box.y0 + sheet.y, x1=box.x1 + sheet.x, y1=box.y1 + sheet.y
    )


def _judge_without_text(
    windows: list[Window],
    masks: list[np.ndarray],
    stats: list[tuple[int, int, int, int, int]],
    px_per_pt: float,
    params: RasterParams,
) -> list[list[PixelBox]]:
    """Rejected blobs may be boxes with text glued on: strip each, judge what remains
    (each in its ``windows`` entry's pixels).

    Bold type of a neighbouring line, or a code printed tight beside a box,
    survives the first (2 pt) opening where its letters touch, and spoils the
    blob's shape. A 4 pt opening erases every text stroke but leaves boxes
    (at least 7 pt tall) whole. Lines of a multi-line redaction that still
    touch make one L-shaped blob: that is judged line by line. The blobs are
    opened all at once (``detect_stripped``), each within its own box.
    """
    size = max(5, round(4.0 * px_per_pt)) | 1
    # A piece of the opening is its eroded core grown by size - 1 each way: if
    # the whole core spans too little, no piece can be a box (most blobs judged
    # here are words of bold print, whose core is a thin x-height band).
    least = params.min_height_pt * px_per_pt - (size - 1)

    def sized(w: np.ndarray, h: np.ndarray) -> np.ndarray:
        return box_sized(w, h, px_per_pt, params)  # the whole-sheet test comes per piece

    opened = open_blobs(masks, size, least, sized)
    return [
        _judge_pieces(w.gray, w.ink, w.sheet, opened, k, stat, px_per_pt, params)
        for k, (w, stat) in enumerate(zip(windows, stats, strict=True))
    ]


def _judge_pieces(
    gray: np.ndarray,
    ink: np.ndarray,
    sheet: Sheet,
    opened: Opened,
    blob: int,
    stat: tuple[int, int, int, int, int],
    px_per_pt: float,
    params: RasterParams,
) -> list[PixelBox]:
    """Judge what the opening left of one blob, piece by piece."""
    x, y = stat[:2]
    # What survives a 4 pt opening is rectangular by construction; only ink
    # that is nearly solid (a box, not a clump of small bold type) counts.
    strict = _stripped(params)
    found: list[PixelBox] = []
    for p in opened.pieces[blob]:
        if not plausible_size(p.w, p.h, sheet, px_per_pt, params):
            continue
        piece = (x + p.x, y + p.y, p.w, p.h, p.area)
        in_lines = p.h > 1.6 * params.min_height_pt * px_per_pt and p.w > 2 * p.h
        if not in_lines and _too_little_ink(ink, piece, strict.min_ink_fill):
            continue  # the judge would refuse it (most pieces: clumps of bold type)
        local = opened.piece_mask(blob, p)
        box = _judge_component(gray, ink, sheet, local, piece, px_per_pt, strict)
        if box is not None:
            found.extend(split_stacked_lines(box, ink, px_per_pt))
        elif in_lines:
            found.extend(_judge_line_pieces(gray, ink, sheet, local, piece, px_per_pt, strict))
    return found


@functools.lru_cache(maxsize=8)
def _stripped(params: RasterParams) -> RasterParams:
    """``params`` for blobs stripped of their glued-on text (made once, not per blob)."""
    return dataclasses.replace(params, min_ink_fill=STRIPPED_MIN_INK)


def _too_little_ink(ink: np.ndarray, stat: tuple[int, int, int, int, int], least: float) -> bool:
    """Whether a blob's ink share is surely under ``least``, from one count.

    The judge's ink share is the ink inside the blob with its holes filled over
    that filled area; the filled blob lies in the bounding box and holds at
    least the blob's own pixels (``stat``'s area), so the share is at most the
    box's ink over the blob's area. Below ``least`` the judge refuses it, and
    the outline tracing and hole filling are saved.
    """
    x, y, w, h, area = stat
    return int(np.count_nonzero(ink[y : y + h, x : x + w])) < least * area


def _judge_line_pieces(
    gray: np.ndarray,
    ink: np.ndarray,
    sheet: Sheet,
    mask: np.ndarray,
    stat: tuple[int, int, int, int, int],
    px_per_pt: float,
    params: RasterParams,
) -> list[PixelBox]:
    """Cut a blob into row bands at line boundaries; judge each run in each band."""
    x, y = stat[:2]
    found = []
    for top, bottom in row_pieces(mask, px_per_pt):
        band = mask[top:bottom].astype(np.uint8)
        # Two boxes side by side on one line ("Office: ███ Mobile: ███") are
        # separate runs of the band.
        count, runs, stats, _ = cv2.connectedComponentsWithStats(band, connectivity=8)
        for k in range(1, count):
            bx, by, bw, bh, area = (int(v) for v in stats[k])
            if bw < 2.5 * bh or not plausible_size(bw, bh, sheet, px_per_pt, params):
                continue  # a piece of a line box is a line: much wider than tall
            piece = runs[by : by + bh, bx : bx + bw] == k
            stat_piece = (x + bx, y + top + by, bw, bh, area)
            box = _judge_component(gray, ink, sheet, piece, stat_piece, px_per_pt, params)
            if box is not None:
                found.append(box)
    return found


def _judge_component(
    gray: np.ndarray,
    ink: np.ndarray,
    sheet: Sheet,
    mask: np.ndarray,
    stat: tuple[int, int, int, int, int],
    px_per_pt: float,
    params: RasterParams,
    traced: Blob | None = None,
) -> PixelBox | None:
    """``mask`` is the component within its bounding box ``stat`` (x, y, w, h, area);
    ``traced`` the same blob with its outline, if the caller traced it already."""
    x, y, w, h = stat[:4]
    if _touches_edge_along(
        sheet.x + x, sheet.y + y, w, h, sheet, params.border_margin_pt * px_per_pt
    ):
        return None  # scan borders and black margins run along the sheet edge
    if _too_little_ink(ink, stat, params.min_ink_fill):
        return None  # text: refused below by its ink share, whatever its outline
    # The cheap tests first: most components judged are words of bold print
    # merged by the closing, and their ink or outline gives them away.
    # Holes (a code printed inside in white) do not make a box less rectangular,
    # but they count against its ink: an outlined box is not a filled one.
    # One tracing of the outline serves both the hole filling and the rotated
    # rectangle (each traced it anew: a third of the page's findContours calls).
    contours = _outer_contours(mask) if traced is None else (traced.outline,)
    rect_area = _rotated_rect_area(contours)
    if traced is not None and traced.hole_free:
        # Without a hole the blob is its filled self (``traced.mask`` is its
        # outline filled): its shape is known from its area and outline alone,
        # and most blobs here (words of bold print) fail on that.
        filled, area = mask, stat[4]
        if area / max(1.0, rect_area) < _least_rect_fill(params):
            return None
    else:
        filled = _filled(mask.shape, contours)
        area = int(np.count_nonzero(filled))
    ink_crop = ink[y : y + h, x : x + w]
    ink_fill = int(np.count_nonzero(ink_crop & filled)) / area if area else 0.0
    if ink_fill < params.min_ink_fill:
        return None  # text
    rect_fill = float(area) / max(1.0, rect_area)
    if rect_fill < _least_rect_fill(params):
        return None  # discs, seals, signatures, text blobs
    crop = gray[y : y + h, x : x + w]
    core = without_edge(filled)
    interior = crop[core]
    quartiles = quartiles_u8(interior) if interior.size else None
    if quartiles and quartiles[1] > PAPER_LEVEL - 10:
        return None  # paper inside: an outline (bordered box, frame), not a filled box
    fill, style, texture = classify_fill(quartiles)
    # Marker strokes end raggedly; their box is allowed a rougher outline, but it
    # covers words, so it is long (a bold capital is as tall as wide).
    if style == "print":
        return None  # grey print, not a grey box
    if style == "marker" and (has_letter_gap(crop, w >= h) or has_letter_rhythm(crop, w >= h)):
        return None  # the clear column between bold letters shows best with their ascenders
    if style == "marker" and params.min_ink_fill < STRIPPED_MIN_INK:
        # Judged without the print the closing glued on. (A piece left by the
        # 4 pt opening has none left: what is sparse there is its own ascenders,
        # and a bold word cut to its x-height band passes for a stroke.)
        top, h = trim_sparse_rows(ink_crop, h, w >= h)
        y, mask = y + top, mask[top : top + h]
        crop, ink_crop = crop[top : top + h], ink_crop[top : top + h]
    if style == "marker" and (
        max(w, h) < 1.8 * min(w, h) or min(w, h) < 10 * px_per_pt or has_blank_line(crop, w >= h)
    ):
        return None
    if style != "marker" and rect_fill < params.min_rect_fill:
        return None
    if is_striped(ink_crop):
        return None  # a barcode whose bars the closing merged
    if looks_like_photo(w, h, texture, style, px_per_pt, params):
        return None
    if style == "marker" and interior.size and is_grey_under_print(interior):
        fill, style = Fill.GREY, "solid"  # textured only by the code printed on it
    # (A hole-free blob is its filled self: its inside without the edge is known.)
    inner = has_inner_print(
        gray[y : y + h, x : x + w],
        mask,
        fill,
        core if mask is filled else None,
        quartiles[1] if quartiles else None,
        TALL_BOX_PT * px_per_pt,
    )
    confidence = min(1.0, 0.5 + 0.5 * min(rect_fill, ink_fill))
    return PixelBox(x, y, x + w, y + h, fill, round(confidence, 3), style, inner)


def _least_rect_fill(params: RasterParams) -> float:
    """Below this rectangle fill no blob is a box, not even a ragged marker stroke."""
    return params.min_rect_fill - MARKER_ROUGHNESS


def _touches_edge_along(x: int, y: int, w: int, h: int, sheet: Sheet, margin: float) -> bool:
    """A long dark strip hugging an edge of the sheet, not a box in the text
    (``x``, ``y``: page pixels)."""
    img_h, img_w = sheet.height, sheet.width
    at_left, at_right = x <= margin, x + w >= img_w - margin
    at_top, at_bottom = y <= margin, y + h >= img_h - margin
    if (at_left or at_right) and h > img_h * 0.25:
        return True
    return (at_top or at_bottom) and w > img_w * 0.25


def _outer_contours(mask: np.ndarray) -> Sequence[np.ndarray]:
    """Outer outlines of a boolean mask (read as 0/1 bytes in place, not copied)."""
    return cv2.findContours(as_bytes(mask), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)[0]


def _filled(shape: tuple[int, ...], contours: Sequence[np.ndarray]) -> np.ndarray:
    """The mask (given by its outer outlines) with its holes filled."""
    filled = np.zeros(shape[:2], np.uint8)
    cv2.drawContours(filled, contours, -1, 1, thickness=cv2.FILLED)
    return filled.view(np.bool_)  # 0/1 bytes: a boolean image without a copy


def _rotated_rect_area(contours: Sequence[np.ndarray]) -> float:
    points = contours[0] if len(contours) == 1 else np.vstack(contours)
    (_, _), (rw, rh), _ = cv2.minAreaRect(points)
    # minAreaRect measures between pixel centres; a filled box covers one more pixel.
    return float((rw + 1) * (rh + 1))
