"""Labelling band by band (``find_components(..., min_side=...)``) finds the same
components as OpenCV's whole-page labelling, in the same order, and the
detectors' shared products (ink masks, outline tracings) give the same answers
as the computations they replaced."""

from __future__ import annotations

import itertools
from pathlib import Path

import cv2
import numpy as np
import pymupdf
import pytest

from redactview.analysis import detect_raster, detect_split
from redactview.analysis.detect_types import PAPER_LEVEL, find_components, ink_mask

SAMPLES = Path(__file__).resolve().parent.parent / "sample_docs"


def whole_page(binary: np.ndarray, min_side: float) -> list[tuple[int, int, int, int, int]]:
    """OpenCV's own labelling of the whole image, in its label order."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8, ltype=cv2.CV_32S)
    return [
        (int(x), int(y), int(w), int(h), int(a))
        for x, y, w, h, a in stats[1:]
        if min(w, h) >= min_side
    ]


def banded(binary: np.ndarray, min_side: float) -> list[tuple[int, int, int, int, int]]:
    found = find_components(binary, lambda w, h: np.minimum(w, h) >= min_side, min_side=min_side)
    return [(x, y, w, h, int(m.sum())) for x, y, w, h, m in found]


def test_bands_keep_opencvs_order_where_first_pixel_order_differs() -> None:
    img = np.zeros((200, 300), np.uint8)
    # OpenCV scans 2x2 blocks: rows 42-43 are one block row, so of two boxes
    # whose tops are there the one further left comes first, though the other's
    # top row is higher.
    img[42:70, 201:260] = 1
    img[43:70, 11:60] = 1
    img[42:44, 120:123] = 1  # a speck in the same band, too small to keep
    # A band starting at an odd row: its own first block row (121-122) is not
    # the page's (120-121, then 122-123), where the upper box comes first.
    img[121:150, 201:260] = 1
    img[122:150, 31:90] = 1
    img[180:185, 10:290] = 1  # a band too low to hold anything kept
    expected = whole_page(img, 10)
    assert [c[:2] for c in expected] == [(11, 43), (201, 42), (201, 121), (31, 122)]
    assert banded(img, 10) == expected


@pytest.mark.parametrize("threads", [1, 2])
def test_bands_match_whole_page_labelling_on_a_sample_page(threads: int) -> None:
    with pymupdf.open(SAMPLES / "release_a.pdf") as doc:
        pix = doc[1].get_pixmap(dpi=150, colorspace=pymupdf.csGRAY)
    gray = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width)
    ink = ink_mask(gray)
    before = cv2.getNumThreads()
    cv2.setNumThreads(threads)
    try:
        expected = whole_page(ink, 15)
    finally:
        cv2.setNumThreads(before)
    assert len(expected) > 20  # words of print tall enough, and the page's boxes
    assert banded(ink, 15) == expected


def test_too_full_blobs_are_screened_from_the_stats() -> None:
    img = np.zeros((100, 200), np.uint8)
    img[10:40, 10:60] = 1  # filled: 100% of its box
    img[50:90, 100:180] = 1
    img[53:87, 103:177] = 0  # an outline: ~30% of its box
    found = find_components(img, lambda w, h: np.minimum(w, h) >= 10, max_fill=0.75)
    assert [(x, y) for x, y, *_ in found] == [(100, 50)]


def test_ink_mask_is_the_comparison_it_replaced() -> None:
    gray = np.arange(256, dtype=np.uint8).reshape(16, 16)
    assert np.array_equal(ink_mask(gray), (gray < PAPER_LEVEL).astype(np.uint8))
    assert np.array_equal(ink_mask(gray, 110), (gray < 110).astype(np.uint8))
    assert np.array_equal(ink_mask(np.rot90(gray)), (np.rot90(gray) < PAPER_LEVEL).astype(np.uint8))
    soft = np.array([[204.5, 205.0, 10.0]], np.float32)  # not a render: compared as before
    assert ink_mask(soft).tolist() == [[1, 0, 1]]


def test_one_outline_tracing_fills_holes_and_measures_the_rotated_rectangle() -> None:
    mask = np.zeros((60, 120), bool)
    mask[5:55, 10:110] = True
    mask[20:40, 30:90] = False  # a code printed in white: a hole
    contours = detect_raster._outer_contours(mask)
    filled = detect_raster._filled(mask.shape, contours)
    assert filled.dtype == np.bool_ and int(filled.sum()) == 50 * 100
    assert detect_raster._rotated_rect_area(contours) == pytest.approx(50 * 100)


def row_pieces_by_loop(mask: np.ndarray, px_per_pt: float) -> list[tuple[int, int]]:
    """The row-by-row loop ``row_pieces`` replaced, kept as the reference."""
    rows = mask.sum(axis=1).astype(float)
    right = [int(np.flatnonzero(r)[-1]) if r.any() else -1 for r in mask]
    left = [int(np.flatnonzero(r)[0]) if r.any() else -1 for r in mask]
    min_line = int(6 * px_per_pt)
    cuts = [0]
    for r in range(1, mask.shape[0]):
        moved = max(abs(right[r] - right[r - 1]), abs(left[r] - left[r - 1]))
        thin = rows[r] < 0.5 * max(rows[max(0, r - 3) : r].max(initial=0.0), 1.0)
        if (moved > 4 * px_per_pt or thin) and r - cuts[-1] >= min_line:
            cuts.append(r)
    cuts.append(mask.shape[0])
    return [(a, b) for a, b in itertools.pairwise(cuts) if b - a >= min_line]


def test_row_pieces_cuts_where_the_row_loop_did() -> None:
    rng = np.random.default_rng(5)
    cut_somewhere = 0
    for _ in range(400):
        h, w = int(rng.integers(1, 120)), int(rng.integers(1, 300))
        mask = np.zeros((h, w), bool)
        for _ in range(int(rng.integers(0, 6))):  # overlapping line boxes of a blob
            y0, x0 = int(rng.integers(0, h)), int(rng.integers(0, w))
            mask[y0 : y0 + int(rng.integers(1, 60)), x0 : x0 + int(rng.integers(1, 200))] = True
        if rng.random() < 0.3:
            mask &= rng.random((h, w)) < 0.8  # ragged ink
        px_per_pt = float(rng.choice([100 / 72, 150 / 72, 300 / 72]))
        expected = row_pieces_by_loop(mask, px_per_pt)
        cut_somewhere += len(expected) > 1
        assert detect_split.row_pieces(mask, px_per_pt) == expected
    assert cut_somewhere > 20  # the masks do exercise the cuts
