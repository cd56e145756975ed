"""What grouping reads from a page's print: its lines, and the column they fill.

A passage withheld from mid-line runs to the end of its line and on from the
start of the next: to tell that, the page's printed lines say where the text
column starts and ends, how far apart lines are, and whether a box sits in
running text (a space from the next word) or in a table cell (a column gap).

Codes are not print here: a code stamped in the margin beside a box, or
printed right after it, says which exemption the box uses, not that the line's
text goes on. Geometry is in view pixels; distances are in line heights.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from redactview.analysis.context import same_line
from redactview.analysis.labels import ViewWord, group_rows
from redactview.core.exemptions import parse_exemptions
from redactview.core.geometry import Box

REACH = 8.0  # line heights above and below a pair of boxes that show their column
PROSE_GAP = 1.0  # running text: the next word within a line height (a space, a box's pad)
EDGE = 0.75  # a line starting within this of the column's left edge starts at the edge
LONG_WORD = 6.0  # on ragged text a line ends at most one long word short of the column
INLINE = 0.25  # a code starting before the column's right edge (less this) is inline
# OCR words read with less confidence are mostly noise: specks in the margin read as
# "a", the half-cut line at a band's edge read with a box a word too wide.
MIN_CONF = 30.0


@dataclass(frozen=True, slots=True)
class Column:
    """The text column around a pair of boxes, from the other lines near them."""

    left: float  # where the lines start (the leftmost of them)
    right: float  # where the lines end (the rightmost of them)
    pitch: float | None  # baseline to baseline, when three or more lines show it


@dataclass(frozen=True, slots=True)
class PageText:
    words: tuple[ViewWord, ...]  # printed words: no labels, no codes
    codes: tuple[ViewWord, ...]  # label words and words that read as a code
    boxes: tuple[Box, ...]  # every box on the page

    def column_around(self, upper: Box, lower: Box) -> Column | None:
        """Where the lines near ``upper`` and ``lower`` start and end. ``upper``'s own
        line tells nothing about its end, nor ``lower``'s about its start."""
        h = line_height(upper, lower)
        top, bottom = upper.y0 - REACH * h, lower.y1 + REACH * h
        items = [ViewWord(w.box, w.text) for w in self.words if top <= w.box.center[1] <= bottom]
        items += [
            ViewWord(b, "")
            for b in self.boxes
            if b.height <= 1.6 * h and top <= b.center[1] <= bottom
        ]
        rows = group_rows(items)
        ends = [max(w.box.x1 for w in r) for r in rows if not _holds(r, upper)]
        starts = [min(w.box.x0 for w in r) for r in rows if not _holds(r, lower)]
        if not ends or not starts:
            return None
        return Column(min(starts), max(ends), _pitch(rows, h))

    def is_line_below(self, upper: Box, lower: Box, column: Column) -> bool:
        """``lower`` is on the line after ``upper``'s (not a line further, not the same)."""
        h = line_height(upper, lower)
        step = lower.center[1] - upper.center[1]
        if column.pitch is not None and not 0.6 * column.pitch <= step <= 1.4 * column.pitch:
            return False
        return 0.6 * h <= step <= 2.6 * h

    def ends_column_line(self, upper: Box, lower: Box, column: Column) -> bool:
        """``upper`` starts in running text and its line ends with it, at the column's
        right edge. On ragged-right text the line ended because the next line's
        first word (under ``lower``, so no wider than it) did not fit after it."""
        h = line_height(upper, lower)
        line = self._visible_on_line(upper)
        before = [w for w in line if w.box.center[0] < upper.x0]
        if not before or any(w.box.center[0] > upper.x1 for w in line):
            return False
        if upper.x0 - max(w.box.x1 for w in before) > PROSE_GAP * h:
            return False  # a cell after a column gap, not a phrase in a sentence
        if self._has_inline_code(upper, column.right - INLINE * h):
            return False  # "███ (b)(6)": the code closes this redaction
        return upper.x1 >= column.right - min(lower.width + 0.5 * h, LONG_WORD * h)

    def starts_column_line(self, lower: Box, upper: Box, column: Column) -> bool:
        """``lower`` starts its line at the column's left edge, and the text after it,
        if any, follows within a space or two (past a code printed after it)."""
        h = line_height(upper, lower)
        line = self._visible_on_line(lower)
        if any(w.box.center[0] < lower.x0 for w in line):
            return False
        if abs(lower.x0 - column.left) > EDGE * h:
            return False
        after = [w for w in line if w.box.center[0] > lower.x1]
        if not after:
            return True
        nxt = min(after, key=lambda w: w.box.x0)
        between = [c.box.x1 for c in self.codes if _between(c, lower, nxt.box.x0)]
        return nxt.box.x0 - max([lower.x1, *between]) <= PROSE_GAP * h

    def _visible_on_line(self, box: Box) -> list[ViewWord]:
        """Printed words on ``box``'s line, less those under a box (a leak is no print)."""
        return [
            w
            for w in self.words
            if same_line(box, w) and not any(w.box.coverage_by(b) > 0.5 for b in self.boxes)
        ]

    def _has_inline_code(self, box: Box, margin: float) -> bool:
        """A code on ``box``'s line after it, starting inside the column (not in the margin)."""
        return any(
            same_line(box, c) and c.box.center[0] > box.x1 and c.box.x0 < margin for c in self.codes
        )


def read_page_text(
    words: Sequence[ViewWord], label_words: Sequence[ViewWord], boxes: Sequence[Box]
) -> PageText:
    """The page's printed words parted into print and codes."""
    labels = set(label_words)
    codes = [w for w in words if w in labels or parse_exemptions(w.text)]
    taken = set(codes)
    printed = [w for w in printed_words(list(words)) if w not in taken and w.conf >= MIN_CONF]
    return PageText(tuple(printed), tuple(codes), tuple(boxes))


def printed_words(words: list[ViewWord]) -> list[ViewWord]:
    """The words that are print: with a letter or digit, and at least half as tall as
    the page's median word. On a photocopied scan OCR reads toner dust in the margin
    as "co" or "es" a point high, which would pass for a field name before a box."""
    texts = [w for w in words if any(ch.isalnum() for ch in w.text)]
    if not texts:
        return []
    least = 0.5 * statistics.median(w.box.height for w in texts)
    return [w for w in texts if w.box.height >= least]


def line_height(upper: Box, lower: Box) -> float:
    """A text line's height, from the shorter box: on a scan a skewed box's upright
    bbox grows with its length, and the short one grows least."""
    return min(upper.height, lower.height)


def _holds(row: list[ViewWord], box: Box) -> bool:
    return any(w.box == box for w in row)


def _between(code: ViewWord, box: Box, until: float) -> bool:
    return same_line(box, code) and box.x1 < code.box.center[0] < until


def _pitch(rows: list[list[ViewWord]], h: float) -> float | None:
    """The usual step between neighbouring lines (a paragraph break is a larger one)."""
    middles = sorted(statistics.median(w.box.center[1] for w in r) for r in rows)
    steps = [b - a for a, b in itertools.pairwise(middles) if b - a >= 0.6 * h]
    return statistics.median(steps) if len(steps) >= 2 else None
