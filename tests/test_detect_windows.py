"""The filled-box detector searches only windows around solid ink (detect_windows):
the seed gate must let every box through, a window search must find what a
whole-page search finds, and on a page of body text it must search little."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pymupdf
import pytest
from test_detect_fixtures import black, draw_page, render_at, scan_pixels, seed_everywhere

from redactview.analysis import detect_raster, detect_windows
from redactview.analysis.detect_raster import find_dark_boxes
from redactview.analysis.detect_types import PixelBox, RasterParams, ink_mask
from redactview.analysis.detect_windows import (
    Sheet,
    cell_size,
    find_seeds,
    grow_region,
    search_windows,
    skew_regions,
)
from redactview.core.geometry import Box
from redactview.pdf.render import render_page

SAMPLES = Path(__file__).resolve().parent.parent / "sample_docs"
PARAMS = RasterParams()


@pytest.mark.parametrize(("dpi", "cell"), [(72, 2), (100, 2), (150, 4), (200, 4), (300, 4)])
def test_cell_size_fits_a_seed_block_in_the_least_box(dpi: float, cell: int) -> None:
    assert cell_size(dpi / 72.0, PARAMS) == cell


@pytest.mark.parametrize("dpi", [72, 100, 150, 200])
@pytest.mark.parametrize("lying", [True, False])
def test_the_least_box_holds_a_seed_at_every_grid_phase(dpi: float, lying: bool) -> None:
    """The gate's promise: a solid box of the least size (7 x 10 pt, either way
    round), wherever it falls on the cell grid, holds a seed inside it."""
    px = dpi / 72.0
    h, w = int(np.ceil(PARAMS.min_height_pt * px)), int(np.ceil(PARAMS.min_width_pt * px))
    if not lying:
        h, w = w, h
    for dy in range(4):
        for dx in range(4):
            ink = np.zeros((120, 160), np.uint8)
            y0, x0 = 40 + dy, 50 + dx
            ink[y0 : y0 + h, x0 : x0 + w] = 1
            points = find_seeds(ink, px, PARAMS).points
            inside = (
                (points[:, 0] >= x0)
                & (points[:, 0] < x0 + w)
                & (points[:, 1] >= y0)
                & (points[:, 1] < y0 + h)
            )
            assert inside.any(), (dy, dx)


def test_ink_too_thin_for_a_block_has_no_seed() -> None:
    """...and the gate does refuse: a bar one pixel under two cells is never two
    full cells high, whatever its length or phase; nor is a square of 2 cells
    plus a pixel set on the grid's worst phase (so the test above would fail
    with cells too large for the least box)."""
    px = 150 / 72.0
    c = cell_size(px, PARAMS)
    for phase in range(c):
        ink = np.zeros((120, 400), np.uint8)
        ink[40 + phase : 40 + phase + 2 * c - 1, 20:380] = 1
        ink[80 + phase : 80 + phase + 2 * c - 1, 20:380] = 1
        assert find_seeds(ink, px, PARAMS).points.shape[0] == 0
    ink = np.zeros((120, 160), np.uint8)
    ink[41 : 41 + 2 * c + 1, 41 : 41 + 4 * c + 1] = 1  # rows 41..49: one full cell row
    assert find_seeds(ink, px, PARAMS).points.shape[0] == 0


def box_page(draw, *, skew: float = 0.0, dpi: float = 150.0) -> np.ndarray:  # type: ignore[no-untyped-def]
    return render_at(scan_pixels(draw_page(draw), skew=skew), dpi)


def near(found: list[PixelBox], rect: tuple[float, float, float, float], dpi: float) -> bool:
    s = dpi / 72.0
    want = Box(rect[0] * s, rect[1] * s, rect[2] * s, rect[3] * s)
    return any(Box(b.x0, b.y0, b.x1, b.y1).iou(want) > 0.6 for b in found)


@pytest.mark.parametrize("dpi", [100.0, 150.0, 200.0])
def test_a_small_box_with_a_white_code_filling_it_is_found(dpi: float) -> None:
    """The code printed in white across nearly all of a small box leaves only a
    thin solid stretch around it: the gate must still let the box through."""

    def draw(p: pymupdf.Page) -> None:
        black(p, (200, 300, 236, 311))
        p.insert_text((201.5, 309), "(b)(6)", fontsize=8, fontname="hebo", color=(1, 1, 1))

    found = find_dark_boxes(box_page(draw, dpi=dpi), dpi)
    assert near(found, (200, 300, 236, 311), dpi)


@pytest.mark.parametrize("skew", [-3.0, 3.0])
def test_a_least_size_box_tilted_three_degrees_is_found(skew: float) -> None:
    def draw(p: pymupdf.Page) -> None:
        black(p, (200, 300, 212, 308))  # 12 x 8 pt, near the least box
        black(p, (100, 500, 420, 512))  # a long bar: the page's tilt is read from it

    found = find_dark_boxes(box_page(draw, skew=skew), 150.0)
    assert len(found) == 2


def test_a_box_with_a_rule_glued_on_is_searched_to_its_end() -> None:
    """A 3 pt rule touching the box survives the 2 pt opening but holds no seed:
    the box's blob runs on along it, far beyond the window first cut around the
    box's solid cells. The window is grown to the blob's end, and the box is
    the one a whole-page search finds (the 4 pt opening strips the rule)."""

    def draw(p: pymupdf.Page) -> None:
        black(p, (150, 300, 260, 313))
        black(p, (259, 305, 520, 308))

    gray = box_page(draw)
    px = 150 / 72.0
    seeds = find_seeds(ink_mask(gray), px, PARAMS)
    page = Sheet(gray.shape[1], gray.shape[0])
    windows = search_windows(detect_raster._upright(gray, ink_mask(gray)), seeds, page, px, PARAMS)
    first = [grow_region(a, 0, page.width, page.height) for a in seeds.areas]
    widest = max(w.sheet.x + w.gray.shape[1] for w in windows)
    assert widest > max(a[2] for a in first) + 400  # grown along the rule
    found = find_dark_boxes(gray, 150.0)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(detect_raster, "find_seeds", seed_everywhere)
        assert find_dark_boxes(gray, 150.0) == found
    assert near(found, (150, 300, 260, 313), 150.0)


@pytest.mark.parametrize(("name", "page"), [("release_b", 10), ("release_a", 12), ("release_a", 9)])
def test_windows_find_what_the_whole_page_finds(name: str, page: int) -> None:
    """Upright sample pages: the boxes (positions, fill, style, confidence, order)
    are those of a search of the whole page, every blob judged."""
    with pymupdf.open(SAMPLES / f"{name}.pdf") as doc:
        gray = render_page(doc[page - 1], 150.0).pixels
    found = find_dark_boxes(gray, 150.0)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(detect_raster, "find_seeds", seed_everywhere)
        assert find_dark_boxes(gray, 150.0) == found
    assert found


def test_windows_on_a_skewed_page_find_the_whole_page_boxes() -> None:
    """release_b p2 is scanned ~1° askew: each window is straightened on its own,
    and the tilt is read in the windows; the boxes match the whole page's within
    a pixel."""
    with pymupdf.open(SAMPLES / "release_b.pdf") as doc:
        gray = render_page(doc[1], 150.0).pixels
    found = find_dark_boxes(gray, 150.0)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(detect_raster, "find_seeds", seed_everywhere)
        whole = find_dark_boxes(gray, 150.0)
    assert len(found) == len(whole) >= 5
    for a, b in zip(found, whole, strict=True):
        assert max(abs(a.x0 - b.x0), abs(a.y0 - b.y0), abs(a.x1 - b.x1), abs(a.y1 - b.y1)) <= 1
        assert (a.fill, a.style) == (b.fill, b.style)


def test_a_page_of_soft_body_text_is_searched_only_around_its_boxes() -> None:
    """release_b p2: ~90 blobs of soft print survive the opening on the whole page;
    the windows cover a small share of it and hold only a few blobs."""
    with pymupdf.open(SAMPLES / "release_b.pdf") as doc:
        gray = render_page(doc[1], 150.0).pixels
    px = 150 / 72.0
    ink = ink_mask(gray)
    page = Sheet(gray.shape[1], gray.shape[0])
    seeds = find_seeds(ink, px, PARAMS)
    windows = search_windows(detect_raster._upright(gray, ink), seeds, page, px, PARAMS)
    searched = sum(w.gray.size for w in windows) / gray.size
    assert 0 < searched < 0.15
    whole = detect_windows.find_solid_blobs(ink, page, px, PARAMS)
    assert len(whole) > 50
    assert sum(len(w.blobs) for w in windows) < 15
    assert sum(r[2] - r[0] for r in skew_regions(seeds, page, px)) > 0


def test_a_page_without_solid_ink_is_not_searched() -> None:
    def draw(p: pymupdf.Page) -> None:
        for k in range(30):
            p.insert_text((72, 100 + 18 * k), "Body text of a memorandum, " * 3, fontsize=10)

    gray = box_page(draw)
    assert find_seeds(ink_mask(gray), 150 / 72.0, PARAMS).areas == []
    assert find_dark_boxes(gray, 150.0) == []
