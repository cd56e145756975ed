"""Where on a page a filled box can be: windows around solid ink, found on a
reduced image, so that the filled-box detector's morphology, outline tracing
and judging run only there.

A soft 150 dpi scan of body text holds ~70 blobs a page that survive the
detector's 2 pt opening (words whose letters the closing merged), and finding
and judging them was most of the detector's time. What they lack is solid ink:
the ink mask is reduced to cells of ``c`` x ``c`` pixels (``cv2.resize`` with
``INTER_AREA`` averages whole cells exactly), and a *seed* is a block of 2 x 4
(or 4 x 2) cells all of whose pixels are ink. A box is at least
``min_height`` x ``min_width`` (7 x 10 pt), and ``c`` is chosen so that such a
block fits in that whatever the cell grid's phase: 2 cells + (c - 1) pixels of
phase <= 7 pt, 4 cells + (c - 1) <= 10 pt. On the samples, their degraded
variants and turned copies (3,197 blobs that give a box out of 28,143, at 100,
150 and 200 dpi) every blob that gives a box holds a seed; of the rest, ~14 %
do at 150 dpi. (A box with a code printed in white inside still has a
solid stretch beside the code.)

Each window is cut out of the page (or out of the straightened page, warped
window by window) and searched as a page of its own. A blob found in a window
is the page's blob only if it lies away from the window's edges by more than
the opening reads beyond a pixel (``exact_margin``); a window whose blob comes
nearer is grown and searched again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from redactview.analysis.detect_bands import Blob, find_grown_components, grow
from redactview.analysis.detect_types import RasterParams

Region = tuple[int, int, int, int]  # x0, y0, x1, y1 (half-open), page pixels


@dataclass(frozen=True, slots=True)
class Sheet:
    """The page a window was cut from: its size, and the window's top-left corner
    in it (what the judge needs to tell the page's edges from the window's)."""

    width: int
    height: int
    x: int = 0
    y: int = 0

    def at(self, region: Region) -> Sheet:
        return Sheet(self.width, self.height, region[0], region[1])


@dataclass(frozen=True, slots=True)
class Seeds:
    """Solid ink on a page: the cells where a seed block starts, and the upright
    box (page pixels) of each run of cells the blocks cover.

    A seed lies at the middle of its block: 1.5 cells right of and below the
    block's first cell (a wide block's centre is 2 cells right and 1 down, a
    tall one's 1 right and 2 down; the seed has only to lie inside its blob's
    box). ``sums`` is the integral image of ``anchors``: the seeds in any
    rectangle are counted in four lookups.
    """

    anchors: np.ndarray  # uint8 0/1 per cell
    areas: list[Region]
    cell: int = 4  # the cell's side, pixels
    sums: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros((1, 1), np.int32))

    @classmethod
    def of(cls, anchors: np.ndarray, areas: list[Region], cell: int) -> Seeds:
        return cls(anchors, areas, cell, cv2.integral(anchors))

    @property
    def points(self) -> np.ndarray:
        """The seeds, (n, 2) x and y in page pixels (for inspection and tests)."""
        found = cv2.findNonZero(self.anchors)
        if found is None:
            return np.zeros((0, 2))
        return (found.reshape(-1, 2) + 1.5) * self.cell

    def hold(self, rects: np.ndarray) -> np.ndarray:
        """For each x, y, w, h rectangle (page pixels), whether a seed lies in it."""
        c = self.cell
        rows, cols = self.anchors.shape[:2]
        # Cell k's seed is at (k + 1.5) * c: in [a, b) for ceil(a/c - 1.5) <= k < ceil(b/c - 1.5).
        x0 = np.clip(np.ceil(rects[:, 0] / c - 1.5), 0, cols).astype(np.intp)
        x1 = np.clip(np.ceil((rects[:, 0] + rects[:, 2]) / c - 1.5), 0, cols).astype(np.intp)
        y0 = np.clip(np.ceil(rects[:, 1] / c - 1.5), 0, rows).astype(np.intp)
        y1 = np.clip(np.ceil((rects[:, 1] + rects[:, 3]) / c - 1.5), 0, rows).astype(np.intp)
        s = self.sums
        count = s[y1, x1] - s[y0, x1] - s[y1, x0] + s[y0, x0]
        return (count > 0) & (x1 > x0) & (y1 > y0)


def cell_size(px_per_pt: float, params: RasterParams) -> int:
    """The largest cell (2..4 pixels) whose 2 x 4 block fits in the least box at
    any grid phase (more than 4 gains nothing: the reduction is already cheap)."""
    least_h = params.min_height_pt * px_per_pt
    least_w = params.min_width_pt * px_per_pt
    c = 4
    while c > 2 and (2 * c + c - 1 > least_h or 4 * c + c - 1 > least_w):
        c -= 1
    return c


def find_seeds(ink: np.ndarray, px_per_pt: float, params: RasterParams) -> Seeds:
    """The seed blocks of the page's 0/1 ``ink`` mask, and the solid areas around them."""
    c = cell_size(px_per_pt, params)
    h, w = (ink.shape[0] // c) * c, (ink.shape[1] // c) * c
    if h < 4 * c or w < 4 * c:
        return Seeds.of(np.zeros((1, 1), np.uint8), [], c)
    # 0/255 pixels averaged over whole cells: 255 only when every pixel is ink
    # (one paper pixel in 16 already makes it 239, in 4 it makes 191).
    share = _cell_means(ink[:h, :w] * np.uint8(255), c)
    full = cv2.threshold(share, 254, 1, cv2.THRESH_BINARY)[1]
    wide = _blocks(full, 2, 4)
    tall = _blocks(full, 4, 2)
    anchors = cv2.bitwise_or(wide, tall)
    if not cv2.countNonZero(anchors):
        return Seeds.of(anchors, [], c)
    return Seeds.of(anchors, _seeded_areas(wide, tall, c), c)


def _cell_means(ink255: np.ndarray, c: int) -> np.ndarray:
    """Mean of each ``c`` x ``c`` cell (the image's sides are multiples of ``c``).

    Halving twice costs a sixth of one reduction by 4 (~0.3 against ~1.9 ms a
    150 dpi page: cv2 has a fast path for 2 x 2), and a cell still reads 255
    only when all its pixels do (a half cell with one paper pixel reads 191)."""
    h, w = ink255.shape[:2]
    if c == 4:
        half = cv2.resize(ink255, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
        return cv2.resize(half, (w // 4, h // 4), interpolation=cv2.INTER_AREA)
    return cv2.resize(ink255, (w // c, h // c), interpolation=cv2.INTER_AREA)


def _blocks(full: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """1 at the top-left cell of every ``rows`` x ``cols`` block of full cells."""
    return cv2.erode(
        full,
        np.ones((rows, cols), np.uint8),
        anchor=(0, 0),
        borderType=cv2.BORDER_CONSTANT,
        borderValue=0,
    )


def _seeded_areas(wide: np.ndarray, tall: np.ndarray, c: int) -> list[Region]:
    """Upright boxes (page pixels) of the runs of cells the seed blocks cover.

    (The full cells along a box's edges that no block covers are left out: the
    windows are grown around these, and the blobs in them are followed to
    their ends.)"""
    covered = cv2.bitwise_or(
        cv2.dilate(wide, np.ones((2, 4), np.uint8), anchor=(3, 1)),
        cv2.dilate(tall, np.ones((4, 2), np.uint8), anchor=(1, 3)),
    )
    contours, _ = cv2.findContours(covered, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    areas = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        areas.append((x * c, y * c, (x + w) * c, (y + h) * c))
    return areas


def exact_margin(size: int) -> int:
    """How far from a window's edge a blob must lie to be the page's blob.

    The blob image is a 3 x 3 closing's dilation, an erosion by ``size + 2``
    and a dilation by ``size``: a pixel depends on the ink within
    1 + (size + 2) // 2 + size // 2 pixels, and a blob is told apart from its
    neighbours by the blank ring around it, one pixel further.
    """
    return 1 + (size + 2) // 2 + size // 2 + 1


def merge_regions(regions: list[Region]) -> list[Region]:
    """Overlapping (or touching) regions joined into their common box, until none overlap."""
    out: list[Region] = []  # none of these meet another
    for region in sorted(regions):
        joined, met = _absorb(region, out)
        out = [r for r in out if r not in met] + [joined]
    return sorted(out)


def grow_region(region: Region, by: int, width: int, height: int) -> Region:
    """``region`` grown by ``by`` pixels each way, within the page."""
    x0, y0, x1, y1 = region
    return (max(0, x0 - by), max(0, y0 - by), min(width, x1 + by), min(height, y1 + by))


def near_inner_edge(blob: Region, window: Region, margin: int, width: int, height: int) -> bool:
    """Whether ``blob`` (page pixels) comes within ``margin`` of an edge of
    ``window`` that is not the page's edge (beyond which the page is cut off)."""
    bx0, by0, bx1, by1 = blob
    x0, y0, x1, y1 = window
    return (
        (x0 > 0 and bx0 - x0 < margin)
        or (y0 > 0 and by0 - y0 < margin)
        or (x1 < width and x1 - bx1 < margin)
        or (y1 < height and y1 - by1 < margin)
    )


@dataclass(frozen=True, slots=True)
class Window:
    """A searched window: where it lies, its pixels, and the seeded blobs in it
    (window coordinates), each the page's blob."""

    sheet: Sheet
    gray: np.ndarray
    ink: np.ndarray
    blobs: list[Blob]


Cut = Callable[[Region], tuple[np.ndarray, np.ndarray]]  # region -> (grey, 0/1 ink)


def search_windows(
    cut: Cut, seeds: Seeds, page: Sheet, px_per_pt: float, params: RasterParams
) -> list[Window]:
    """The seeded blobs of the page, window by window.

    ``cut`` gives a region's grey and ink pixels (a slice of the page, or of the
    straightened page); ``seeds`` are in the same pixel space. A window whose
    seeded blob comes near its inner edge is grown around that blob and joined
    with the windows it now meets, and searched again.
    """
    margin = exact_margin(opening_size(px_per_pt))
    # A box's blob reaches past its full cells by the cells cut by its edges (up
    # to a cell), its soft edge and the closing (a few pixels): windows start
    # that much wider than the exact margin, or nearly all would be searched twice.
    reach = margin + 2 * seeds.cell + 2
    pending = merge_regions([grow_region(a, reach, page.width, page.height) for a in seeds.areas])
    done: dict[Region, Window] = {}
    while pending:
        region = pending.pop()
        gray, ink = cut(region)
        sheet = page.at(region)
        blobs = find_solid_blobs(ink, sheet, px_per_pt, params, seeds)
        late = [
            _past(box, region, margin, page)
            for box in (_page_box(b, sheet) for b in blobs)
            if near_inner_edge(box, region, margin, page.width, page.height)
        ]
        if not late:
            done[region] = Window(sheet, gray, ink, blobs)
            continue
        # Grown, the window may meet others (searched or not): they are joined to it.
        grown, met = _absorb(_union(late), [*done, *pending])
        pending = [r for r in pending if r not in met] + [grown]
        done = {r: w for r, w in done.items() if r not in met}
    return list(done.values())


def _past(blob: Region, window: Region, margin: int, page: Sheet) -> Region:
    """``window`` pushed out past each of its edges that ``blob`` (cut off there)
    comes near: by the blob's own length that way, at least twice the margin, so
    that a blob running on (along a rule, down a column of boxes) is followed in
    a few searches rather than a margin at a time."""
    bx0, by0, bx1, by1 = blob
    x0, y0, x1, y1 = window
    step_x, step_y = max(2 * margin, bx1 - bx0), max(2 * margin, by1 - by0)
    if x0 > 0 and bx0 - x0 < margin:
        x0 = max(0, x0 - step_x)
    if y0 > 0 and by0 - y0 < margin:
        y0 = max(0, y0 - step_y)
    if x1 < page.width and x1 - bx1 < margin:
        x1 = min(page.width, x1 + step_x)
    if y1 < page.height and y1 - by1 < margin:
        y1 = min(page.height, y1 + step_y)
    return x0, y0, x1, y1


def _absorb(region: Region, others: list[Region]) -> tuple[Region, list[Region]]:
    """``region`` joined with every region of ``others`` it meets, until it meets no
    more; and the ones it took in."""
    taken: list[Region] = []
    changed = True
    while changed:
        changed = False
        for other in others:
            if other not in taken and _meet(region, other):
                region = _union([region, other])
                taken.append(other)
                changed = True
    return region, taken


def _union(regions: list[Region]) -> Region:
    return (
        min(r[0] for r in regions),
        min(r[1] for r in regions),
        max(r[2] for r in regions),
        max(r[3] for r in regions),
    )


def _meet(a: Region, b: Region) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def skew_regions(seeds: Seeds, page: Sheet, px_per_pt: float) -> list[Region]:
    """Where the page's tilt is read: around the seeded areas, a little wider than
    the windows start (a tilted bar's ends lie beyond its full cells)."""
    reach = 2 * exact_margin(opening_size(px_per_pt)) + 2 * seeds.cell
    return merge_regions([grow_region(a, reach, page.width, page.height) for a in seeds.areas])


def opening_size(px_per_pt: float) -> int:
    """The side of the ~2 pt opening that strips type from boxes (odd, >= 3)."""
    return max(3, round(2.2 * px_per_pt)) | 1


def find_solid_blobs(
    ink: np.ndarray,
    sheet: Sheet,
    px_per_pt: float,
    params: RasterParams,
    seeds: Seeds | None = None,
) -> list[Blob]:
    """The blobs of box size left by a 3x3 closing and a ~2 pt opening of the ink
    (with ``seeds``: only those holding one).

    The closing fills speckle; the opening removes strokes thinner than ~2 pt:
    the descenders and capitals of neighbouring lines that touch a box would
    otherwise join its blob. The closing's erosion and the opening's are one
    erosion by the sum of the squares: three passes, not four. On a whole page
    the last (the opening's dilation) is done only in the bands of rows the
    erosion left something in (``detect_bands``); a window is dilated whole.
    """
    size = opening_size(px_per_pt)
    solid = cv2.dilate(ink, np.ones((3, 3), np.uint8))
    core = cv2.erode(solid, np.ones((size + 2, size + 2), np.uint8))
    grown = grow(core, size, sheet.width * sheet.height)

    def keep(rects: np.ndarray) -> np.ndarray:
        w, h = rects[:, 2], rects[:, 3]
        ok = box_sized(w, h, px_per_pt, params)
        ok &= ~((w >= sheet.width * 0.97) & (h >= sheet.height * 0.97))  # the whole sheet
        if seeds is not None and ok.any():
            ok[ok] = seeds.hold(rects[ok] + np.array([sheet.x, sheet.y, 0, 0]))
        return ok

    return find_grown_components(grown, keep)


def box_sized(w: np.ndarray, h: np.ndarray, px_per_pt: float, params: RasterParams) -> np.ndarray:
    """For arrays of widths and heights: at least the least box (7 x 10 pt) either
    way round (``plausible_size`` without its whole-sheet test)."""
    short, long_ = np.minimum(w, h), np.maximum(w, h)
    return (short >= params.min_height_pt * px_per_pt) & (long_ >= params.min_width_pt * px_per_pt)


def plausible_size(w: int, h: int, sheet: Sheet, px_per_pt: float, params: RasterParams) -> bool:
    """Whether a ``w`` x ``h`` blob is the size of a box (and not the whole sheet)."""
    short, long_ = sorted((w, h))
    if short < params.min_height_pt * px_per_pt or long_ < params.min_width_pt * px_per_pt:
        return False
    return not (w >= sheet.width * 0.97 and h >= sheet.height * 0.97)  # the whole sheet is dark


def blob_order(blob: Blob, sheet: Sheet) -> tuple[int, int]:
    """Where a whole-page tracing lists ``blob``: in reverse order of its first
    pixel, row by row (sort by this key, ascending)."""
    first = int(np.argmax(blob.mask[0]))
    return -(sheet.y + blob.y), -(sheet.x + blob.x + first)


def _page_box(blob: Blob, sheet: Sheet) -> Region:
    return (
        sheet.x + blob.x,
        sheet.y + blob.y,
        sheet.x + blob.x + blob.w,
        sheet.y + blob.y + blob.h,
    )
