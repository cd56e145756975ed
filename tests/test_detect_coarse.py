"""The coarse passes that decide where detection's expensive work is done give
exactly what the whole-page work gave: morphology in bands of rows, outlines
traced once per page, blobs opened together on one sheet, and the cheap tests
a blob is refused on before its outline is traced. Plus, on generated scans,
the boxes those gates must let through and the text they must skip."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pymupdf
import pytest
from test_detect_fixtures import black, draw_page, render_at, scan_pixels, seed_everywhere

from redactview.analysis import detect_raster, detect_skew
from redactview.analysis.detect_bands import (
    external_contours,
    find_grown_components,
    grow_in_bands,
    grow_whole,
)
from redactview.analysis.detect_bordered import find_bordered_boxes
from redactview.analysis.detect_raster import find_dark_boxes, find_raster_boxes
from redactview.analysis.detect_stripped import open_blobs
from redactview.analysis.detect_types import RasterParams, find_few_components, ink_mask
from redactview.core.geometry import Box
from redactview.core.model import Fill
from redactview.pdf.render import render_page

SAMPLES = Path(__file__).resolve().parent.parent / "sample_docs"
DPI = 150.0
S = DPI / 72.0


def random_core(seed: int, shape: tuple[int, int] = (400, 500)) -> np.ndarray:
    """Sparse rectangles and specks, some a band gap apart, some at the edges,
    one with a hole holding another blob."""
    rng = np.random.default_rng(seed)
    core = np.zeros(shape, np.uint8)
    for _ in range(60):
        y, x = int(rng.integers(0, shape[0] - 2)), int(rng.integers(0, shape[1] - 2))
        h, w = (int(v) for v in rng.integers(1, 30, 2))
        core[y : y + h, x : x + w] = 1
    core[100:103, 10:40] = 1
    core[103 + 4 : 110, 10:40] = 1  # 4 empty rows: grown by 2, the two touch
    core[200:203, 10:40] = 1
    core[203 + 5 : 212, 10:40] = 1  # 5 empty rows: a blank row stays between them
    core[0:3, 0:20] = 1
    core[-3:, -20:] = 1
    core[300:360, 300:360] = 1
    core[310:350, 310:350] = 0  # a hole ...
    core[325:330, 325:330] = 1  # ... with a blob in it
    return core


def whole_page_grown(core: np.ndarray, size: int) -> np.ndarray:
    return cv2.dilate(core, np.ones((size, size), np.uint8))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("size", [3, 5, 7])
def test_growing_in_bands_gives_the_whole_page_outlines(seed: int, size: int) -> None:
    core = random_core(seed)
    page, _ = cv2.findContours(
        whole_page_grown(core, size), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE
    )
    banded = external_contours(grow_in_bands(core, size))
    key = sorted(c.tobytes() for c in page)
    assert sorted(c.tobytes() for c in banded) == key


@pytest.mark.parametrize("seed", range(6))
def test_grown_components_are_the_whole_page_ones_in_their_order(seed: int) -> None:
    """Same boxes, masks and order as tracing the whole grown page; the outline is
    the one a tracing of the mask alone finds; a blob is hole-free when it is
    its filled outline."""
    core, size = random_core(seed), 5
    keep = lambda w, h: np.minimum(w, h) >= 6  # noqa: E731
    before = find_few_components(whole_page_grown(core, size), keep)
    after = find_grown_components(grow_in_bands(core, size), lambda r: keep(r[:, 2], r[:, 3]))
    # The whole image as one band (how a window around a box is grown) finds the same.
    whole = find_grown_components(grow_whole(core, size), lambda r: keep(r[:, 2], r[:, 3]))
    assert [(b.x, b.y, b.w, b.h) for b in whole] == [(b.x, b.y, b.w, b.h) for b in after]
    assert [(b.x, b.y, b.w, b.h) for b in after] == [c[:4] for c in before]
    for blob, (_, _, _, _, mask) in zip(after, before, strict=True):
        assert np.array_equal(blob.mask, mask)
        traced = cv2.findContours(mask.view(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        assert np.array_equal(traced[0][0], blob.outline)
        filled = np.zeros(mask.shape, np.uint8)
        cv2.drawContours(filled, [blob.outline], -1, 1, thickness=cv2.FILLED)
        assert blob.hole_free == np.array_equal(filled.view(bool), mask)
    assert any(not b.hole_free for b in after)  # the framed blob is one


def opened_alone(mask: np.ndarray, size: int, least: float) -> list[tuple[int, ...]] | None:
    """The per-blob opening the sheet replaced: crop erosion (outside counts as
    ink), early exit, dilation, labelling; pieces as (x, y, w, h, area)."""
    kernel = np.ones((size, size), np.uint8)
    eroded = cv2.erode(mask.view(np.uint8), kernel)
    rows, cols = np.flatnonzero(eroded.any(axis=1)), np.flatnonzero(eroded.any(axis=0))
    if rows.size == 0 or rows[-1] - rows[0] + 1 < least or cols[-1] - cols[0] + 1 < least:
        return None
    count, _, stats, _ = cv2.connectedComponentsWithStats(
        cv2.dilate(eroded, kernel), connectivity=8
    )
    return [tuple(int(v) for v in stats[k]) for k in range(1, count)]


@pytest.mark.parametrize("size", [5, 7, 9, 11])
def test_blobs_opened_on_one_sheet_are_opened_as_alone(size: int) -> None:
    rng = np.random.default_rng(size)
    masks = []
    for _ in range(40):
        h, w = (int(v) for v in rng.integers(3, 90, 2))
        speckled = (rng.random((h, w)) < 0.9).astype(np.uint8)
        blob = np.asarray(cv2.morphologyEx(speckled, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8)))
        blob[: int(rng.integers(0, h)), : int(rng.integers(0, w))] = 0  # an L, a step
        masks.append(blob.view(bool))
    masks.append(np.ones((1200, 30), bool))  # a tall one: a row of its own
    # Two pieces whose tops share a 2x2 block row: labelling alone meets the left
    # one first (its first block is further left), though the right one's first
    # pixel comes first row by row. On an odd sheet row the order would flip.
    two_tops = np.zeros((32, 91), bool)
    two_tops[1:31, 0:30] = True
    two_tops[0:30, 60:90] = True
    masks.append(two_tops)
    least = 7.0
    opened = open_blobs(masks, size, least, lambda w, h: np.ones(w.shape, bool))
    exits = 0
    for k, mask in enumerate(masks):
        alone = opened_alone(mask, size, least)
        if alone is None:
            exits += 1
            assert opened.pieces[k] == []
            continue
        got = [(p.x, p.y, p.w, p.h, p.area) for p in opened.pieces[k]]
        assert got == alone  # same pieces, in the order labelling met them alone
        for p in opened.pieces[k]:
            assert int(opened.piece_mask(k, p).sum()) == p.area
    assert 0 < exits < len(masks)
    assert [(p.x, p.y) for p in opened.pieces[-1]] == [(0, 1), (60, 0)]


def test_too_little_ink_refuses_only_what_the_judge_refuses() -> None:
    """The gate's bound: a blob's ink share over its filled area is at most its
    box's ink over its own area. Here a 10x40 blob in a box of 200 inked pixels
    (400 pixels of blob): share <= 0.5, so a 0.62 judge refuses it, and the
    gate says so; with 300 inked pixels the bound is 0.75 and the gate lets it
    through to the judge."""
    ink = np.zeros((10, 40), np.uint8)
    ink[:, :20] = 1
    stat = (0, 0, 40, 10, 400)
    assert detect_raster._too_little_ink(ink, stat, 0.62)
    ink[:, :30] = 1
    assert not detect_raster._too_little_ink(ink, stat, 0.62)


def scanned(draw, *, skew: float = 0.0) -> np.ndarray:  # type: ignore[no-untyped-def]
    return render_at(scan_pixels(draw_page(draw), skew=skew), DPI)


def in_points(box) -> Box:  # type: ignore[no-untyped-def]
    return Box(box.x0 / S, box.y0 / S, box.x1 / S, box.y1 / S)


def marker_stroke(p: pymupdf.Page) -> None:
    """A hatched grey stroke with ragged ends, as a hand-held marker leaves."""
    for i in range(120):
        x = 150 + 2.0 * i
        p.draw_line((x, 402 + (i % 3)), (x + 6, 420 - (i % 4)), color=(0.35,) * 3, width=1.4)


def gated_pages() -> list[tuple[str, object, float, Fill]]:
    return [
        ("light grey box", lambda p: black(p, (150, 300, 330, 314), 0.72), 0.0, Fill.GREY),
        ("marker stroke", marker_stroke, 0.0, Fill.OTHER),
        ("black box 3° askew", lambda p: black(p, (150, 300, 450, 314)), 3.0, Fill.BLACK),
    ]


@pytest.mark.parametrize(
    "name, draw, skew, fill", gated_pages(), ids=[page[0] for page in gated_pages()]
)
def test_the_gates_let_boxes_through(name: str, draw, skew: float, fill: Fill) -> None:  # type: ignore[no-untyped-def]
    found = find_dark_boxes(scanned(draw, skew=skew), DPI)
    assert [b.fill for b in found] == [fill], name


def test_a_bordered_box_tilted_3_degrees_is_found_by_the_shared_entry() -> None:
    def draw(p: pymupdf.Page) -> None:
        p.draw_rect((230, 400, 290, 412), color=(0, 0, 0), width=0.9)
        p.insert_text((244, 409.5), "(b)(6)", fontsize=8, fontname="hebo")

    found = [b for b in find_raster_boxes(scanned(draw, skew=3.0), DPI) if b.style == "bordered"]
    assert len(found) == 1
    rise = 60 * math.sin(math.radians(3))
    assert in_points(found[0]).iou(Box(230, 400 - rise / 2, 290, 412 + rise / 2)) > 0.6


def test_text_refused_at_the_ink_gate_changes_nothing() -> None:
    """On a soft 150 dpi scan (release_b p2) words of body text survive the 2 pt
    opening; judged (the seed gate, which keeps most of them out, turned off),
    the ink gate refuses pieces of them before any outline is traced, and the
    boxes are those found with the gate turned off."""
    with pymupdf.open(SAMPLES / "release_b.pdf") as doc:
        gray = render_page(doc[1], DPI).pixels
    refused = []
    real = detect_raster._too_little_ink

    def counting(ink: np.ndarray, stat: tuple[int, int, int, int, int], least: float) -> bool:
        refused.append(real(ink, stat, least))
        return refused[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(detect_raster, "find_seeds", seed_everywhere)
        patch.setattr(detect_raster, "_too_little_ink", counting)
        gated = find_dark_boxes(gray, DPI)
        patch.setattr(detect_raster, "_too_little_ink", lambda ink, stat, least: False)
        assert find_dark_boxes(gray, DPI) == gated
    assert sum(refused) >= 5 and gated


def test_short_bars_are_not_counted_for_the_skew() -> None:
    """Bars must be 40 pt long to tell the tilt: shorter ones are refused on the
    diagonal of their upright box (a rectangle fitted to them is no longer)."""

    def bars(length: float) -> Callable[[pymupdf.Page], None]:
        def draw(p: pymupdf.Page) -> None:
            for k in range(4):
                black(p, (100, 200 + 40 * k, 100 + length, 210 + 40 * k))

        return draw

    short, long_ = bars(30), bars(200)
    assert detect_skew.estimate_skew(scanned(short, skew=2.0), DPI) == 0.0
    assert detect_skew.estimate_skew(scanned(long_, skew=2.0), DPI) == pytest.approx(-2.0, abs=0.3)


@pytest.mark.parametrize("page", [2, 5, 8])
def test_shared_entry_is_the_two_detectors_on_a_sample(page: int) -> None:
    with pymupdf.open(SAMPLES / "release_b.pdf") as doc:
        gray = render_page(doc[page - 1], DPI).pixels
    both = find_dark_boxes(gray, DPI) + find_bordered_boxes(gray, DPI)
    assert find_raster_boxes(gray, DPI) == both
    assert both  # the sample pages hold boxes: the comparison is not of two empty lists
    assert find_dark_boxes(gray, DPI, ink=ink_mask(gray)) == find_dark_boxes(gray, DPI)


def test_stripped_params_are_made_once() -> None:
    params = RasterParams()
    assert detect_raster._stripped(params) is detect_raster._stripped(params)
    assert detect_raster._stripped(params).min_ink_fill == detect_raster.STRIPPED_MIN_INK


@pytest.mark.parametrize("level", [255, 0])
def test_blank_and_black_sheets_give_nothing(level: int) -> None:
    """No band (white) and one band that is the whole sheet (black, the scan of
    a closed lid): nothing to open, nothing that is a box."""
    gray = np.full((1650, 1275), level, np.uint8)
    assert find_raster_boxes(gray, DPI) == []
    assert detect_skew.estimate_skew(gray, DPI) == 0.0
