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

import bisect
import itertools
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from redactview.analysis.context import same_line
from redactview.analysis.labels import ViewWord, group_rows
from redactview.core.exemptions import parse_exemptions
from redactview.core.geometry import Box

REACH = 8.0  # line heights above and below a pair of boxes that show their column
GUTTER = 1.5  # wider than any space: two columns' text, or a line and the margin's print
PROSE_GAP = 1.0  # running text: the next word within a line height (a space, a box's pad)
EDGE = 0.75  # a line starting within this of the column's left edge starts at the edge
LONG_WORD = 6.0  # on ragged text a line ends at most one long word short of the column
INLINE = 0.25  # a code starting before the column's right edge (less this) is inline
CODE_GAP = 0.75  # and so is one printed a space or so after a box (a margin is wider)
MAX_TILT = math.tan(math.radians(5.0))  # pages scanned further askew are not expected
# OCR words read with less confidence are mostly noise: specks in the margin read as
# "a", the half-cut line at a band's edge read with a box a word too wide.
MIN_CONF = 30.0


@dataclass(frozen=True, slots=True)
class Column:
    """The text column around a pair of boxes, from the other lines near them."""

    left: float  # where the lines start (the leftmost start; of 4+, the second: ``_outer``)
    right: float  # where the lines end (the rightmost end, likewise)
    pitch: float | None  # line to line, when three or more steps show it
    tilt: float  # the lines' slope, y per x (0 on a level page)
    h: float  # a line's height: the unit of the gaps and tolerances here


@dataclass(frozen=True, slots=True)
class PageText:
    """A page's print for grouping, in view pixels (``read_page_text`` builds it)."""

    words: tuple[ViewWord, ...]  # printed words (no labels, no codes), top to bottom
    codes: tuple[ViewWord, ...]  # label words and words that read as a code
    boxes: tuple[Box, ...]  # every box on the page
    middles: tuple[float, ...]  # the words' middle heights, to find a band's words fast
    tallest: float  # the tallest word's height
    far_right: float  # the rightmost word's end
    # Asked again for each pair of boxes: the page's tilt, whether a word is under a box.
    _memo: dict[str, float] = field(default_factory=dict, compare=False, repr=False)
    _covers: dict[ViewWord, bool] = field(default_factory=dict, compare=False, repr=False)

    def may_continue(self, upper: Box, lower: Box) -> bool:
        """A cheap first look at the words right beside the two boxes, before the
        column is measured: a word a space before ``upper``, none right after it,
        none right before ``lower``. Measured in the boxes' heights, which a tilt
        only makes larger, so nothing the later tests accept is turned away here."""
        for w in self._about(lower):
            if (
                w.box.vertical_overlap(lower) > 0.45
                and w.box.center[0] < lower.x0
                and lower.x0 - w.box.x1 <= lower.height
                and not self._covered(w)
            ):
                return False
        before = after = False
        for w in self._about(upper):
            if w.box.vertical_overlap(upper) > 0.45:
                if w.box.center[0] < upper.x0:
                    before = before or upper.x0 - w.box.x1 <= PROSE_GAP * upper.height
                elif 0 <= w.box.x0 - upper.x1 <= 0.5 * PROSE_GAP * upper.height:
                    after = after or not self._covered(w)
        return before and not after

    def column_around(self, upper: Box, lower: Box) -> Column | None:
        """Where the lines near ``upper`` and ``lower`` start and end, in the column
        ``upper``'s line is set in. ``upper``'s own line tells nothing about its end,
        nor ``lower``'s about its start."""
        tilt = self.tilt()
        h = _line_height(upper, lower, tilt)
        top, bottom = upper.y0 - REACH * h, lower.y1 + REACH * h
        items = [w.box for w in self._in_band(top, bottom)]
        tallest = 1.6 * max(upper.height, lower.height)  # line boxes, not a withheld block
        items += [b for b in self.boxes if b.height <= tallest and top <= b.center[1] <= bottom]
        # Rows are found with the tilt taken out: a skewed line's two ends lie at
        # different heights, and sorted by height its words would fall in two rows.
        rows = group_rows([ViewWord(level(b, tilt), "") for b in items])
        # Only the stretch of each row under ``upper``'s line counts: the other column
        # of a page set in two, a speck read as "oe" in the margin, a line number
        # are print across a gap wider than any space, and not this column.
        left = min(b.x0 for b in self._follow_line(upper, GUTTER * h, sides=(-1,)))
        right = upper.x1 + GUTTER * h
        ends, starts = [], []
        for row in rows:
            runs = [r for r in _runs(row, GUTTER * h) if r.x0 <= right and r.x1 >= left]
            if runs and not _holds(row, level(upper, tilt)):
                ends.append(max(r.x1 for r in runs))
            if runs and not _holds(row, level(lower, tilt)):
                starts.append(min(r.x0 for r in runs))
        if not ends or not starts:
            return None
        return Column(-_outer(-x for x in starts), _outer(ends), _pitch(rows, h), tilt, h)

    def is_line_below(self, upper: Box, lower: Box, column: Column) -> bool:
        """``lower`` is on the line after ``upper``'s (not a line further, not the same).

        On a scan fed askew a line rises or falls along its length (1 deg over a
        column is half a line), so the step is taken from where ``upper``'s line,
        followed at its words' tilt, passes above ``lower``.
        """
        h, tilt = column.h, column.tilt
        top, bottom = level(upper, tilt).center[1], level(lower, tilt).center[1]
        step = bottom - top
        if column.pitch is not None and not 0.6 * column.pitch <= step <= 1.6 * column.pitch:
            return False
        if not 0.6 * h <= step <= 2.6 * h:
            return False
        return not self.has_line_between(upper, lower, column.left, column.right)

    def has_line_between(self, upper: Box, lower: Box, left: float, right: float) -> bool:
        """Print on a line between the two boxes' lines, from ``left`` to ``right``
        ("will be our pilot lead." under "Agent ███", then a signature's name box):
        the lower box is on a later line, not the next."""
        tilt = self.tilt()
        h = _line_height(upper, lower, tilt)
        top, bottom = level(upper, tilt).center[1], level(lower, tilt).center[1]
        drift = self.far_right * abs(tilt)
        return any(
            top + 0.4 * h < level(w.box, tilt).center[1] < bottom - 0.4 * h
            and left - h < w.box.center[0] < right + h
            for w in self._in_band(top - drift, bottom + drift)
        )

    def ends_column_line(self, upper: Box, lower: Box, column: Column) -> bool:
        """``upper`` starts in running text and its line ends with it, at the column's
        right edge. On ragged-right text the line ended because the next line's
        first word (under ``lower``, so no wider than it) did not fit after it."""
        h = column.h
        line = self._visible_on_line(upper)
        before = [w for w in line if w.box.center[0] < upper.x0]
        margin = max(column.right, upper.x1) + PROSE_GAP * h  # a speck, a note: not the line
        if not before or any(upper.x1 < w.box.center[0] and w.box.x0 < margin for w in line):
            return False
        if upper.x0 - max(w.box.x1 for w in before) > PROSE_GAP * h:
            return False  # a cell after a column gap, not a phrase in a sentence
        if self._has_code_after(upper, column.right - INLINE * h, upper.x1 + CODE_GAP * h):
            return False  # "███ (b)(6)": the code closes this redaction
        return upper.x1 >= column.right - min(lower.width + 0.5 * h, LONG_WORD * h)

    def starts_column_line(self, lower: Box, column: Column) -> bool:
        """``lower`` starts its line at the column's left edge, and the text after it in
        the column, if any, follows within a space or two (past a code printed after
        it). Print beyond a gutter either side is another column's, or the margin's."""
        h = column.h
        line = [
            w
            for w in self._visible_on_line(lower)
            if column.left - GUTTER * h < w.box.center[0] < column.right + GUTTER * h
        ]
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
        return [w for w in self._about(box) if same_line(box, w) and not self._covered(w)]

    def _about(self, box: Box) -> Sequence[ViewWord]:
        """The words that may share ``box``'s height (a superset: by their middles)."""
        return self._in_band(box.y0 - self.tallest / 2, box.y1 + self.tallest / 2)

    def _in_band(self, top: float, bottom: float) -> Sequence[ViewWord]:
        """The words whose middles lie between ``top`` and ``bottom``."""
        return self.words[
            bisect.bisect_left(self.middles, top) : bisect.bisect_right(self.middles, bottom)
        ]

    def _covered(self, word: ViewWord) -> bool:
        if word not in self._covers:
            w = word.box
            self._covers[word] = any(
                b.x0 < w.x1
                and w.x0 < b.x1
                and b.y0 < w.y1
                and w.y0 < b.y1
                and w.coverage_by(b) > 0.5
                for b in self.boxes
            )
        return self._covers[word]

    def tilt(self) -> float:
        """The lines' slope (y per x), 0 on a level page: the median over the page's
        lines, each followed word by word and fitted. A scan is fed askew as a whole,
        and one line's few words can be off by half the tilt (a word of the next
        line taken in): on a 3 deg variant the two ends of one e-mail header line
        came out a line apart."""
        if "tilt" not in self._memo:
            seen: set[Box] = set()
            slopes = []
            for w in self.words:
                if w.box in seen:
                    continue
                line = self._follow_line(w.box, 2 * w.box.height)
                seen.update(line)
                slope = _fit_slope(line, 8 * w.box.height)
                if slope is not None:
                    slopes.append(slope)
            self._memo["tilt"] = statistics.median(slopes) if slopes else 0.0
        return self._memo["tilt"]

    def _follow_line(self, box: Box, gap: float, sides: tuple[int, ...] = (-1, 1)) -> list[Box]:
        """``box`` and the words of its line on ``sides`` (-1 left, 1 right), each found
        within ``gap`` of the one before it. On a skewed scan a line drifts by a line's
        height across the page: its far words no longer overlap ``box``'s height, and
        the next line's begin to."""
        found = [box]
        for side in sides:
            here = box
            while True:
                near = [
                    w.box
                    for w in self._about(here)
                    if w.box.vertical_overlap(here) > 0.5
                    and side * (w.box.center[0] - here.center[0]) > 0
                    and -0.25 * gap <= _gap(here, w.box, side) <= gap
                ]
                if not near:
                    break
                here = min(near, key=lambda b: abs(b.center[0] - here.center[0]))
                found.append(here)
        return found

    def _has_code_after(self, box: Box, margin: float, close: float) -> bool:
        """A code on ``box``'s line after it, printed in the text (starting before the
        ``margin``) or right after the box (before ``close``): not off in the margin.
        The column's edge alone cannot tell when ``box``'s line is the longest near
        it (a signature block's "Mobile: ███ (b)(6)")."""
        return any(
            same_line(box, c) and c.box.center[0] > box.x1 and c.box.x0 < max(margin, close)
            for c in self.codes
        )


def read_page_text(
    words: Sequence[ViewWord], label_words: Sequence[ViewWord], boxes: Sequence[Box]
) -> PageText:
    """The page's printed words parted into print and codes."""
    labels = set(label_words)
    codes = [w for w in words if w in labels or parse_exemptions(w.text)]
    taken = set(codes)
    printed = [w for w in printed_words(list(words)) if w not in taken and w.conf >= MIN_CONF]
    printed.sort(key=lambda w: w.box.center[1])
    return PageText(
        tuple(printed),
        tuple(codes),
        tuple(boxes),
        tuple(w.box.center[1] for w in printed),
        max((w.box.height for w in printed), default=0.0),
        max((w.box.x1 for w in printed), default=0.0),
    )


def printed_words(words: list[ViewWord]) -> list[ViewWord]:
    """The words that are print: with a letter or digit, and at least half as tall as
    the page's median word. On a photocopied scan OCR reads toner dust in the margin
    as "co" or "es" a point high, which would pass for a field name before a box."""
    texts = [w for w in words if any(ch.isalnum() for ch in w.text)]
    if not texts:
        return []
    least = 0.5 * statistics.median(w.box.height for w in texts)
    return [w for w in texts if w.box.height >= least]


def _line_height(upper: Box, lower: Box, tilt: float) -> float:
    """A text line's height, from the boxes' upright bboxes less the rise of their
    length at the lines' tilt (a skewed box's bbox grows with its length), and never
    under half a bbox: the tilt is an estimate."""
    return min(max(b.height - abs(tilt) * b.width, 0.5 * b.height) for b in (upper, lower))


def may_be_line_below(upper: Box, lower: Box) -> bool:
    """A cheap first test, before the page's words are looked at: ``lower`` lies
    below ``upper`` by no more than a few lines, at any tilt up to ``MAX_TILT``."""
    rise = MAX_TILT * abs(lower.center[0] - upper.center[0])
    step = lower.center[1] - upper.center[1]
    return -rise < step < 3.0 * max(upper.height, lower.height) + rise


def level(box: Box, tilt: float) -> Box:
    """``box`` moved up or down by the tilt at its middle: its line becomes level."""
    dy = tilt * box.center[0]
    return Box(box.x0, box.y0 - dy, box.x1, box.y1 - dy)


def _gap(here: Box, there: Box, side: int) -> float:
    """The white between ``here`` and ``there``, which lies on ``side`` (-1 left) of it."""
    return here.x0 - there.x1 if side < 0 else there.x0 - here.x1


def _fit_slope(line: list[Box], span: float) -> float | None:
    """The least-squares slope of a line's middles, if it has 4+ items over ``span``."""
    points = [b.center for b in line]
    xs = [x for x, _ in points]
    if len(points) < 4 or max(xs) - min(xs) < span:
        return None
    mx = statistics.fmean(xs)
    my = statistics.fmean(y for _, y in points)
    spread = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in points) / spread
    return max(-MAX_TILT, min(MAX_TILT, slope))


def _runs(row: list[ViewWord], gap: float) -> list[Box]:
    """The stretches of a row's print (left to right) between gaps wider than ``gap``."""
    runs: list[Box] = []
    for w in row:
        if runs and w.box.x0 - runs[-1].x1 <= gap:
            runs[-1] = runs[-1].union(w.box)
        else:
            runs.append(w.box)
    return runs


def _holds(row: list[ViewWord], box: Box) -> bool:
    return any(w.box == box for w in row)


def _between(code: ViewWord, box: Box, until: float) -> bool:
    return same_line(box, code) and box.x1 < code.box.center[0] < until


def _outer(values: Iterable[float]) -> float:
    """The largest value, or with four or more the second largest: one speck read as
    a word in the margin, or a page number beside a line, does not move the edge."""
    ranked = sorted(values, reverse=True)
    return ranked[1] if len(ranked) >= 4 else ranked[0]


def _pitch(rows: list[list[ViewWord]], h: float) -> float | None:
    """The step from a printed row to the next (rows levelled). The lower quartile: on
    a scan only bands around the boxes are read, and the step from a band's last
    line to the next band's first spans the lines between, as a paragraph break
    spans a blank line."""
    middles = sorted(statistics.median(w.box.center[1] for w in row) for row in rows)
    steps = [b - a for a, b in itertools.pairwise(middles) if b - a >= 0.6 * h]
    return statistics.quantiles(steps, n=4)[0] if len(steps) >= 3 else None
