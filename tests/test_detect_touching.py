"""Raster detection, second round: boxes that touch their neighbours or their labels.

Each test is a general case a real release shows (and the samples showed):
a paragraph withheld line by line on a page scanned slightly askew; boxes of
different widths on consecutive lines; a code printed in bold tight beside a
box; codes stacked small in two rows beside a box (not a marker stroke).
"""

from __future__ import annotations

import cv2
import numpy as np
import pymupdf
import pytest
from test_detect_fixtures import black, draw_page, render_at, scan_pixels

from redactview.analysis.detect_raster import estimate_skew, find_dark_boxes
from redactview.core.geometry import Box
from redactview.core.model import Fill

DPI = 150.0
S = DPI / 72.0


def detect(draw, *, skew: float = 0.0):  # type: ignore[no-untyped-def]
    pixels = render_at(scan_pixels(draw_page(draw), skew=skew), DPI)
    return pixels, find_dark_boxes(pixels, DPI)


def points(box) -> Box:  # type: ignore[no-untyped-def]
    return Box(box.x0 / S, box.y0 / S, box.x1 / S, box.y1 / S)


def matched(found, expected: list[Box], iou: float = 0.5) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for e in expected if any(points(f).iou(e) >= iou for f in found))


def tilted(box: Box, skew: float) -> Box:
    """Where the scanner puts a box: the bbox of its corners turned about the page centre."""
    matrix = cv2.getRotationMatrix2D((306.0, 396.0), skew, 1.0)
    corners = np.array([[x, y, 1.0] for x in (box.x0, box.x1) for y in (box.y0, box.y1)])
    pts = corners @ matrix.T
    return Box(pts[:, 0].min(), pts[:, 1].min(), pts[:, 0].max(), pts[:, 1].max())


def paragraph(p: pymupdf.Page, widths: tuple[float, ...], top: float = 300) -> list[Box]:
    """A paragraph withheld line by line: 11 pt type, 14.3 pt pitch, 12 pt boxes."""
    boxes = []
    for i, width in enumerate(widths):
        y = top + i * 14.3
        rect = (72, y, 72 + width, y + 12.2)
        black(p, rect)
        boxes.append(Box(*rect))
    return boxes


@pytest.mark.parametrize("skew", [-1.4, -0.5, 0.5, 1.4])
def test_skew_is_measured_with_its_sign(skew: float) -> None:
    pixels, _ = detect(lambda p: paragraph(p, (440, 420, 400)), skew=skew)
    # The detector's angle undoes the scanner's: the opposite sign, same size.
    assert estimate_skew(pixels, DPI) == pytest.approx(-skew, abs=0.25)


@pytest.mark.parametrize("skew", [-1.4, 0.6])
def test_paragraph_lines_on_a_skewed_scan_stay_apart(skew: float) -> None:
    expected: list[Box] = []
    _, found = detect(lambda p: expected.extend(paragraph(p, (440, 426, 401, 431, 144))), skew=skew)
    # The truth convention on a skewed scan is the bbox of the tilted box.
    assert len(found) == 5
    assert matched(found, [tilted(b, skew) for b in expected], iou=0.6) == 5


def test_stacked_boxes_of_different_widths_are_two() -> None:
    def draw(p: pymupdf.Page) -> list[Box]:
        black(p, (300, 104, 457, 116.5))  # To: a long address list
        black(p, (294, 117.5, 356, 130))  # Cc: a short name, 1 pt lower
        return []

    _, found = detect(draw, skew=1.3)
    truth = [Box(300, 104, 457, 116.5), Box(294, 117.5, 356, 130)]
    assert matched(found, [tilted(b, 1.3) for b in truth], iou=0.6) == 2
    assert len(found) == 2


def test_bold_code_touching_a_box_does_not_hide_it() -> None:
    def draw(p: pymupdf.Page) -> None:
        black(p, (150, 200, 230, 212.5))
        black(p, (150, 213.5, 200, 226))
        # The code is set in bold right against the boxes and the line above.
        p.insert_text((231, 211), "(b)(6);(b)(7)(C)", fontsize=10, fontname="hebo")
        p.insert_text((201, 224.5), "(b)(6)", fontsize=10, fontname="hebo")
        p.insert_text((150, 198.5), "Wednesday, March 12, 2025", fontsize=11, fontname="hebo")

    _, found = detect(draw, skew=0.4)
    truth = [Box(150, 200, 230, 212.5), Box(150, 213.5, 200, 226)]
    assert matched(found, [tilted(b, 0.4) for b in truth], iou=0.6) == 2
    assert len(found) == 2


def test_codes_stacked_small_beside_a_box_are_not_a_marker_stroke() -> None:
    def draw(p: pymupdf.Page) -> None:
        black(p, (150, 200, 220, 212))
        p.insert_text((222, 205), "(b)(6);", fontsize=5.5, fontname="hebo")
        p.insert_text((222, 211), "(b)(7)(C)", fontsize=5.5, fontname="hebo")

    _, found = detect(draw)
    assert len(found) == 1, [points(f) for f in found]
    assert found[0].fill == Fill.BLACK


def test_a_grey_box_with_its_code_inside_is_still_found() -> None:
    def draw(p: pymupdf.Page) -> None:
        black(p, (378, 243, 403, 254), grey=0.72)
        p.insert_text((381, 251), "(b) (4)", fontsize=6, fontname="helv")

    _, found = detect(draw)
    assert matched(found, [Box(378, 243, 403, 254)]) == 1
