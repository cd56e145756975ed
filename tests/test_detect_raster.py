"""The raster detector on generated scans: what it must find and what it must reject."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pymupdf
import pytest
from test_detect_fixtures import SCAN_DPI, black, draw_page, render_at, scan_pixels

from redactview.analysis import detect_fill
from redactview.analysis.detect_bordered import find_bordered_boxes, find_content_turn
from redactview.analysis.detect_raster import find_dark_boxes
from redactview.core.geometry import Box
from redactview.core.model import Fill

DPI = 150.0
S = DPI / 72.0


def detect(draw, *, skew: float = 0.0, noise: float = 3.0, dpi: float = DPI):  # type: ignore[no-untyped-def]
    pixels = render_at(scan_pixels(draw_page(draw), skew=skew, noise=noise), dpi)
    return pixels, find_dark_boxes(pixels, dpi)


def as_points(box) -> Box:  # type: ignore[no-untyped-def]
    return Box(box.x0 / S, box.y0 / S, box.x1 / S, box.y1 / S)


def only_match(found, expected: Box) -> None:  # type: ignore[no-untyped-def]
    assert len(found) == 1, found
    assert as_points(found[0]).iou(expected) > 0.8, (as_points(found[0]), expected)


def test_finds_a_noisy_black_box_with_its_bbox() -> None:
    rect = (150, 200, 330, 214)
    _, found = detect(lambda p: black(p, rect), noise=8)
    only_match(found, Box(*rect))
    assert found[0].fill == Fill.BLACK and not found[0].inner_ink


def test_finds_dark_and_light_grey_boxes_as_grey() -> None:
    _, found = detect(
        lambda p: (black(p, (100, 100, 260, 114), 0.35), black(p, (100, 300, 300, 314), 0.72))
    )
    assert sorted(round(as_points(b).y0) for b in found) == [100, 300]
    assert {b.fill for b in found} == {Fill.GREY}


def test_finds_a_skewed_box_with_the_bbox_of_its_corners() -> None:
    rect = (150, 300, 450, 314)
    _, found = detect(lambda p: black(p, rect), skew=3.0)
    assert len(found) == 1
    got = as_points(found[0])
    # A 300 pt box turned 3° spans ~15.7 pt more in y: the truth convention is its bbox.
    assert got.height == pytest.approx(14 + 300 * math.sin(math.radians(3)), abs=2.5)


@pytest.mark.parametrize(
    ("rect", "at", "code", "size", "font"),
    [
        ((100, 100, 230, 116), (140, 112), "(b)(6)", 9, "hebo"),
        # Courier 8 pt in white: its strokes blur to ~140-165 on the fill, never
        # as light as bold type's, and the box was taken for a plain one.
        ((100, 100, 230, 113), (102, 109), "(b)(7)(C)", 8, "cour"),
    ],
)
def test_code_printed_in_white_inside_counts_as_inner_print(
    rect: tuple[float, float, float, float],
    at: tuple[float, float],
    code: str,
    size: float,
    font: str,
) -> None:
    def draw(p: pymupdf.Page) -> None:
        black(p, rect)
        p.insert_text(at, code, fontsize=size, color=(1, 1, 1), fontname=font)

    _, found = detect(draw)
    only_match(found, Box(*rect))
    assert found[0].inner_ink


def test_multi_line_boxes_stay_separate() -> None:
    def draw(p: pymupdf.Page) -> None:
        for i in range(3):
            y = 200 + i * 13.65  # 10.5 pt type: 1.3 leading, 1.15 box height
            black(p, (89, y, 500 - 60 * i, y + 12.1))

    _, found = detect(draw)
    assert len(found) == 3


def test_hand_marker_strokes_are_found_as_other_fill() -> None:
    def draw(p: pymupdf.Page) -> None:
        x0, y0, x1, y1 = 200, 300, 320, 313
        # Cross-hatched strokes in mid greys with paper showing between them.
        for k in range(0, int(x1 - x0 + 13), 2):
            p.draw_line((x0 - 13 + k, y1), (x0 + k, y0), color=(0.3, 0.3, 0.3), width=0.8)
            p.draw_line((x0 + k, y1), (x0 - 13 + k, y0), color=(0.45, 0.45, 0.45), width=0.8)
        p.draw_rect((0, 0, x0, 792), color=None, fill=(1, 1, 1))  # ragged ends trimmed
        p.draw_rect((x1, 0, 612, 792), color=None, fill=(1, 1, 1))

    _, found = detect(draw)
    assert len(found) == 1
    assert as_points(found[0]).iou(Box(200, 300, 320, 313)) > 0.7
    assert found[0].fill == Fill.OTHER


@pytest.mark.parametrize(
    ("name", "draw"),
    [
        ("scan border", lambda p: black(p, (0, 0, 16, 792))),
        ("black margin at the bottom", lambda p: black(p, (0, 770, 612, 792))),
        ("punch hole", lambda p: p.draw_circle((31, 219), 9, color=None, fill=(0.12, 0.12, 0.12))),
        ("seal logo", lambda p: p.draw_circle((98, 70), 26, color=None, fill=(0.1, 0.16, 0.36))),
        ("thick table rule", lambda p: black(p, (72, 300, 540, 301.6))),
        (
            "heading in bold",
            lambda p: p.insert_text(
                (72, 200), "CONFIDENTIAL MEMORANDUM", fontsize=22, fontname="hebo"
            ),
        ),
        (
            "signature",
            lambda p: p.draw_polyline(
                [(80 + 2.5 * i, 300 + 12 * math.sin(i / 2.0)) for i in range(60)],
                color=(0.08, 0.1, 0.3),
                width=1.6,
            ),
        ),
        (
            "barcode",
            lambda p: [
                black(p, (100 + 3 * i, 600, 101 + 3 * i + (i % 3 == 0), 640)) for i in range(40)
            ],
        ),
    ],
)
def test_rejects_look_alikes(name: str, draw) -> None:  # type: ignore[no-untyped-def]
    _, found = detect(draw)
    assert found == [], name


def test_equal_line_boxes_of_a_sideways_page_are_not_taken_for_a_barcode() -> None:
    # Content turned sideways: five equally long fields on five lines stand side by
    # side with equal ends, 12 pt thick at a 16 pt line pitch. All five were dropped.
    def draw(p: pymupdf.Page) -> None:
        for k in range(5):
            black(p, (100 + 16 * k, 300, 112 + 16 * k, 390))

    _, found = detect(draw)
    assert len(found) == 5
    for k in range(5):
        assert any(as_points(b).iou(Box(100 + 16 * k, 300, 112 + 16 * k, 390)) > 0.8 for b in found)


def test_thick_barcode_bars_at_an_uneven_pitch_are_still_dropped() -> None:
    # Bars thick enough to pass for boxes (8-12 pt), 40 pt tall, equal ends:
    # their thicknesses and the white between them are uneven.
    widths, gaps = [8, 10, 8, 12, 8, 10], [3, 6, 2, 5, 3]

    def draw(p: pymupdf.Page) -> None:
        x = 100.0
        for k, w in enumerate(widths):
            black(p, (x, 600, x + w, 640))
            x += w + (gaps[k] if k < len(gaps) else 0)

    _, found = detect(draw)
    assert found == []


@pytest.mark.parametrize(("module", "seed"), [(0.6, 5), (0.6, 6), (1.0, 2), (1.5, 6)])
def test_blocks_of_merged_barcode_bars_are_not_boxes(module: float, seed: int) -> None:
    # Bars of one to four modules at gaps of one to three, 40 pt tall: the scan's
    # blur merges runs of them into solid blocks 7-20 pt wide that pass for boxes.
    rng = np.random.default_rng(seed)
    widths, gaps = rng.integers(1, 5, 80) * module, rng.integers(1, 4, 80) * module

    def draw(p: pymupdf.Page) -> None:
        x = 100.0
        for w, g in zip(widths, gaps, strict=True):
            if x + w > 500:
                break
            black(p, (x, 600, x + w, 640))
            x += w + g

    _, found = detect(draw)
    assert found == []


def test_rejects_a_dark_photograph() -> None:
    rng = np.random.default_rng(3)
    texture = (rng.random((60, 80)) * 160).astype(np.uint8)
    texture = cv2.GaussianBlur(cv2.resize(texture, (320, 240)), (0, 0), 2)

    def draw(p: pymupdf.Page) -> None:
        pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 320, 240), 0)
        pix.set_rect(pix.irect, (0,))
        pix = pymupdf.Pixmap(pymupdf.csGRAY, 320, 240, texture.tobytes(), False)
        p.insert_image((200, 300, 400, 450), pixmap=pix)

    _, found = detect(draw)
    assert found == []


def test_bordered_white_box_is_found_and_needs_a_label() -> None:
    def draw(p: pymupdf.Page) -> None:
        p.draw_rect((150, 160, 222, 172), color=(0, 0, 0), fill=(1, 1, 1), width=0.8)
        p.insert_text((165, 169.5), "(b)(6)", fontsize=8, fontname="hebo")

    pixels = render_at(scan_pixels(draw_page(draw)), DPI)
    found = find_bordered_boxes(pixels, DPI)
    assert len(found) == 1 and found[0].needs_label and found[0].fill == Fill.WHITE
    assert as_points(found[0]).iou(Box(150, 160, 222, 172)) > 0.75


def test_table_grid_is_not_a_bordered_box() -> None:
    def draw(p: pymupdf.Page) -> None:
        for r in range(5):
            p.draw_line((72, 300 + 18 * r), (540, 300 + 18 * r), color=(0.2, 0.2, 0.2), width=0.6)
        for x in (72, 200, 380, 540):
            p.draw_line((x, 300), (x, 372), color=(0.2, 0.2, 0.2), width=0.6)

    pixels = render_at(scan_pixels(draw_page(draw)), DPI)
    assert find_bordered_boxes(pixels, DPI) == []


def test_content_turn_from_box_shapes() -> None:
    tall = [Box(100, 100, 120, 300), Box(150, 100, 170, 250), Box(200, 50, 220, 400)]
    wide = [Box(100, 100, 300, 120), Box(100, 150, 250, 170)]
    assert find_content_turn(tall) == 3
    assert find_content_turn(wide) == 0
    assert find_content_turn([]) == 0


def test_low_dpi_render_still_finds_boxes() -> None:
    _, found = detect(lambda p: black(p, (150, 200, 330, 214)), dpi=100)
    assert len(found) == 1
    assert SCAN_DPI == 200


def marker_over_a_paragraph_line(p: pymupdf.Page) -> None:
    """Hatched marker over a whole line, set solid between two lines of text whose
    descenders and ascenders touch the strokes once scanned."""
    p.insert_text((72, 325), "Meeting notes kept by the project group, typed", fontsize=11)
    p.insert_text((72, 351.5), "Further lines of the memo go on below it here.", fontsize=11)
    x0, y0, x1, y1 = 70.0, 326.0, 414.0, 343.0
    for k in range(0, int(x1 - x0 + 17), 2):
        p.draw_line((x0 - 17 + k, y1), (x0 + k, y0), color=(0.35, 0.35, 0.35), width=0.9)
        p.draw_line((x0 + k, y1), (x0 - 17 + k, y0), color=(0.45, 0.45, 0.45), width=0.9)
    p.draw_rect((0, y0 - 0.2, x0, y1 + 0.2), color=None, fill=(1, 1, 1))  # ragged ends trimmed
    p.draw_rect((x1, y0 - 0.2, 612, y1 + 0.2), color=None, fill=(1, 1, 1))


def test_marker_stroke_is_found_without_the_lines_glued_to_it() -> None:
    _, found = detect(marker_over_a_paragraph_line)
    strokes = [b for b in found if b.style == "marker"]
    assert len(strokes) == 1, [as_points(b) for b in found]
    assert as_points(strokes[0]).iou(Box(70, 326, 414, 343)) > 0.8, as_points(strokes[0])


def test_rows_glued_to_a_marker_stroke_are_trimmed_off() -> None:
    """The closing glues the next line's ascenders (sparse rows) to a stroke: its
    box is the dense rows only. On the bench's marker variant a 22 pt stroke grew
    to 30 pt and was cut as two lines; another one's glued rows passed for the
    clear row between two lines of small print and it was lost."""
    ink = np.zeros((40, 300), bool)
    ink[0:6, ::7] = True  # descenders of the line above
    ink[6:30] = True  # the stroke
    ink[6:30, ::5] = False  # the paper between its hatching
    ink[30:40, 3::9] = True  # ascenders of the line below
    assert detect_fill.trim_sparse_rows(ink, 40, True) == (6, 24)
    assert detect_fill.trim_sparse_rows(ink, 40, False) == (0, 40)  # sideways: as found
