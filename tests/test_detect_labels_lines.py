"""Lines of one withheld paragraph on a page scanned askew: their upright bboxes
overlap by most of their height, and must still be taken for one line under
another (the paragraph's label goes to its further lines)."""

from __future__ import annotations

import itertools
import math

import pytest

from redactview.analysis.labels_summary import continues_labelled, is_next_line
from redactview.core.geometry import Box


def tilted_lines(
    widths: list[float], deg: float, *, height: float = 31.0, pitch: float = 30.0
) -> list[Box]:
    """Upright bboxes (view pixels, 150 dpi) of a paragraph's line boxes, left edges
    aligned, the page turned ``deg`` degrees about the paragraph's top-left corner."""
    a = math.radians(deg)
    boxes = []
    for k, w in enumerate(widths):
        x0, y0 = 150.0, 450.0 + k * pitch
        corners = [(x0, y0), (x0 + w, y0), (x0, y0 + height), (x0 + w, y0 + height)]
        xs = [x * math.cos(a) + y * math.sin(a) for x, y in corners]
        ys = [-x * math.sin(a) + y * math.cos(a) for x, y in corners]
        boxes.append(Box(min(xs), min(ys), max(xs), max(ys)))
    return boxes


@pytest.mark.parametrize("deg", [0.0, 0.5, 3.0, -3.0])
def test_lines_of_a_tilted_paragraph_follow_each_other(deg: float) -> None:
    # The bench's 3° variant of release_a p6: four lines ~440 pt (916 px) long
    # and a short last one; at 3° each bbox is 80 px high for a 31 px line.
    lines = tilted_lines([916, 890, 840, 900, 300], deg)
    assert all(is_next_line(a, b) for a, b in itertools.pairwise(lines))
    labelled = [True, False, False, False, False]
    assert continues_labelled(lines, labelled) == [False, True, True, True, True]


@pytest.mark.parametrize("deg", [0.0, 3.0])
def test_boxes_that_are_not_the_next_line(deg: float) -> None:
    first, second = tilted_lines([916, 890], deg)
    if deg == 0.0:
        # Two lines further down. (On a tilted page the line height is known
        # only up to the bbox's height, so a skipped line is not told apart.)
        assert not is_next_line(first, Box(second.x0, second.y0 + 60, second.x1, second.y1 + 60))
    # Another box at the same height, or one starting elsewhere on the line below.
    assert not is_next_line(first, Box(first.x0, first.y0 + 2, first.x1, first.y1 + 2))
    assert not is_next_line(first, Box(second.x0 + 200, second.y0, second.x1, second.y1))
