"""Redactions that run over a line break: several line boxes, or one tall box.

A name broken at a line end ("John" at the end of one line, "Smith" at the start
of the next) is hidden by two line boxes (the detector groups them, the
``group`` field) or by one box tall enough to cover both lines. Each line
segment is measured on its own line (its own neighbours, font and spaces); the
hidden text is the segments' texts joined by the space the line break replaced.

A candidate fits across the break when some split of it at a space (the space
is swallowed by the break) or after a hyphen (the hyphen stays on the first
line) gives each segment a part that fits it.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from redactview.analysis.fit import (
    Candidate,
    candidate_sigma,
    clean_candidates,
    fit_candidates,
    rank_ties,
)
from redactview.analysis.fit import measure_candidate as measure_on_line
from redactview.analysis.width import LineFit, LineWord, WidthEstimate, is_label
from redactview.core.geometry import Box
from redactview.core.model import Redaction

# A candidate further than this many standard deviations off cannot fit (per segment).
_FIT_LIMIT_SIGMA = 3.0
# Beyond this many segments (a withheld paragraph) candidates are not split.
_MAX_SPLIT_SEGMENTS = 4


@dataclass(frozen=True, slots=True)
class SpanFit:
    """A redaction's estimate over one or more line segments, top to bottom."""

    segments: tuple[LineFit, ...]
    estimate: WidthEstimate  # the whole hidden text: counts summed, plus the breaks
    ragged: bool = False  # bands of one tall box: a line may stop short of its edge

    @property
    def resolution(self) -> float:
        return max(s.resolution for s in self.segments)


def join_segments(segments: Sequence[LineFit], *, ragged: bool = False) -> SpanFit:
    """The whole hidden text's estimate: each segment's count, plus one character
    (the space a line break replaces) per break; widths and sigmas add up.

    ``ragged``: the segments are bands of one tall box. A band whose right end is
    the box's edge (no word after it) may hold a line that stops well short of
    it; only the widest line is known to fill the box, so the low end counts
    the fullest band and one character for each other band.
    """
    first, breaks = segments[0].estimate, len(segments) - 1
    if not breaks:
        return SpanFit(tuple(segments), first, ragged)
    ests = [s.estimate for s in segments]
    lo = sum(e.lo for e in ests)
    if ragged and not all(e.bounded for e in ests):
        lo = max(e.lo for e in ests) + breaks
    joined = WidthEstimate(
        lo=lo + breaks,
        hi=sum(e.hi for e in ests) + breaks,
        box_width=round(sum(e.box_width for e in ests), 2),
        advance=first.advance, font=first.font, size=first.size, basis=first.basis,
        hidden_width=round(sum(e.hidden_width for e in ests), 2),
        tolerance=round(math.sqrt(sum(e.tolerance**2 for e in ests)), 2),
        bounded=ests[0].bounded and ests[-1].bounded, space=first.space, case=first.case,
    )  # fmt: skip
    return SpanFit(tuple(segments), joined, ragged)


def split_tall_box(box: Box, words: Sequence[LineWord]) -> list[Box]:
    """One band per text line a box covers, judged from the words beside it.

    A box over a single line comes back whole. Words left or right of the box
    whose middles lie inside its height are grouped into lines by their middles;
    two or more lines split the box at the midpoints between them.
    """
    beside = [
        w
        for w in words
        # Wholly within the box's height: the top of the next line's letters
        # (read as "WIL") peeks into a box padded low, and is no line of its own.
        if min(w.box.y1, box.y1) - max(w.box.y0, box.y0) >= 0.8 * w.box.height
        and (w.box.x1 <= box.x0 + 1.0 or w.box.x0 >= box.x1 - 1.0)
        and not is_label(w.text)
        # Punctuation sits low or high on its line ("," at the baseline): no row.
        and sum(c.isalnum() for c in w.text) >= 2
    ]
    if len(beside) < 2:
        return [box]
    height = statistics.median(w.box.height for w in beside)
    beside = [w for w in beside if w.box.height >= 0.6 * height]
    if box.height < 1.5 * height:
        return [box]
    rows: list[list[float]] = []
    for y in sorted(w.box.center[1] for w in beside):
        # Words of one line differ in middle by under half an ink height (x-height
        # words against capitals); lines lie about two ink heights apart.
        if rows and y - rows[-1][-1] < 0.8 * height:
            rows[-1].append(y)
        else:
            rows.append([y])
    middles = [statistics.median(r) for r in rows]
    if len(middles) < 2:
        return [box]
    cuts = [box.y0, *((a + b) / 2 for a, b in itertools.pairwise(middles)), box.y1]
    return [Box(box.x0, top, box.x1, bottom) for top, bottom in itertools.pairwise(cuts)]


def split_points(text: str) -> list[tuple[int, int]]:
    """Where a line break may fall in ``text``: (end of the first part, start of the
    next). At a space the space goes; after a hyphen the hyphen stays above."""
    points = [(i, i + 1) for i, c in enumerate(text) if c == " "]
    points += [(i + 1, i + 1) for i, c in enumerate(text) if c == "-" and 0 < i < len(text) - 1]
    return sorted(points)


def fit_span_candidates(span: SpanFit, texts: Iterable[str]) -> list[Candidate]:
    """Candidates ranked over every segment of ``span``, ties sharing a rank."""
    if len(span.segments) == 1:
        return fit_candidates(span.segments[0], texts)
    scored = [fit_across(span, t) for t in clean_candidates(texts)]
    return rank_ties(scored, span.resolution)


def fit_across(span: SpanFit, text: str) -> tuple[Candidate, float]:
    """The best split of ``text`` over the segments, scored as one fit: the sum of
    the parts' squared z-scores. Returns the candidate and its unrounded residual."""
    parts = best_split(span.segments, text)
    widths = [measure_on_line(s, p) for s, p in zip(span.segments, parts, strict=True)]
    chi2, fits = 0.0, True
    for seg, width in zip(span.segments, widths, strict=True):
        z = (width - seg.estimate.hidden_width) / candidate_sigma(seg, width)
        chi2 += z * z
        # Line boxes of a group were each drawn over their line's part: a part
        # far shorter than its box cannot be it, even where a box edge (not a
        # word) ends the segment. A tall box's lines may stop short of its edge.
        short_ok = span.ragged and not seg.estimate.bounded
        fits &= z <= _FIT_LIMIT_SIGMA and (short_ok or z >= -_FIT_LIMIT_SIGMA)
    residual = sum(widths) - span.estimate.hidden_width
    score = round(math.exp(-0.5 * chi2), 4)
    return Candidate(text, round(sum(widths), 2), round(residual, 2), score, fits), residual


def best_split(segments: Sequence[LineFit], text: str) -> list[str]:
    """``text`` cut into one part per segment, the cut that fits best (least Σz²).

    With no cut possible (one word over two lines, too many segments) the whole
    text goes to the first segment and the rest get nothing: it fits badly.
    """
    k = len(segments)
    points = split_points(text)
    if k > _MAX_SPLIT_SEGMENTS or len(points) < k - 1:
        return [text, *[""] * (k - 1)]
    best: tuple[float, list[str]] = (math.inf, [])
    for cuts in _choose(points, k - 1):
        starts = [0, *(b for _, b in cuts)]
        ends = [*(a for a, _ in cuts), len(text)]
        parts = [text[s:e] for s, e in zip(starts, ends, strict=True)]
        cost = sum(_z2(seg, p) for seg, p in zip(segments, parts, strict=True))
        if cost < best[0]:
            best = (cost, parts)
    return best[1]


def _z2(seg: LineFit, part: str) -> float:
    width = measure_on_line(seg, part)
    z = (width - seg.estimate.hidden_width) / candidate_sigma(seg, width)
    return z * z


def _choose(points: list[tuple[int, int]], n: int) -> Iterable[list[tuple[int, int]]]:
    """Increasing, non-overlapping choices of ``n`` break points."""
    if n == 0:
        yield []
        return
    for i, p in enumerate(points):
        for rest in _choose([q for q in points[i + 1 :] if q[0] > p[1]], n - 1):
            yield [p, *rest]


def group_boxes(found: Redaction, page: Sequence[Redaction]) -> list[Box]:
    """``found``'s box, or every line box of its group, top to bottom: a name broken
    over a line end is one hidden text."""
    if found.group is None:
        return [found.box]
    members = [r for r in page if r.group == found.group] or [found]
    return [r.box for r in sorted(members, key=lambda r: r.box.y0)]
