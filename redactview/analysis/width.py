"""How many characters fit under a redaction: a range, with its uncertainty.

The hidden text sat between the last visible word before the box and the first
one after it, with a space on each side (unless punctuation touches it). Its
width in points is that gap less the spaces; its character count follows from
the line's per-character advance. Born-digital lines measure in the real font
(``pdf.fonts``); scanned lines fit a generic font table (sans, serif or
monospace, from real base-14 metrics) to the OCR'd neighbours' widths.

The count is a range because letters differ in width: n characters of a name
vary by about sqrt(n) times one letter's spread. Every n whose expected width
lies within ``K_SIGMA`` standard deviations of the measured gap is in range.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from redactview.core.geometry import Box

# How many standard deviations of width we accept for a character count.
K_SIGMA = 2.0
# Past this many characters (longer than most names) a hidden text may as well be
# a phrase as a name.
PROSE_FROM = 26
# English letter frequencies (percent, Lewand): how often each letter occurs,
# used to weigh the font's real letter widths into a mean and spread.
_LETTER_FREQ = dict(
    zip(
        "etaoinshrdlcumwfgypbvkjxqz",
        (
            12.7,
            9.1,
            8.2,
            7.5,
            7.0,
            6.7,
            6.3,
            6.1,
            6.0,
            4.3,
            4.0,
            2.8,
            2.8,
            2.4,
            2.4,
            2.2,
            2.0,
            2.0,
            1.9,
            1.5,
            1.0,
            0.8,
            0.15,
            0.15,
            0.1,
            0.07,
        ),
        strict=True,
    )
)
# A hidden name: about one capital and one space per ~7 characters. A hidden
# phrase (a withheld sentence): a space every ~6 characters, few capitals.
NAME_MIX, PROSE_MIX = (0.14, 0.09), (0.03, 0.17)  # (capital share, space share)
# A name or phrase set in capitals (a cable, a header block): every letter a capital.
CAPS_MIX, CAPS_PROSE_MIX = (1.0, 0.09), (1.0, 0.17)
# Letter case of the text around a box (``WidthEstimate.case``): "upper" = the
# line is set in capitals, so the hidden text is too; "either" = a lone capital
# word ("TO:") that may head a mixed-case name; "mixed" = ordinary text.
UPPER, EITHER, MIXED = "upper", "either", "mixed"
_OPENERS = tuple("([{\"'“‘")
_CLOSERS = tuple(",.;:!?)]}\"'”’")
_LABEL_HINTS = ("(b)", "(k)", "(j)", "redact", "withheld", "non-resp", "exempt")


class TextMeasure(Protocol):
    """Anything that says how wide a string is, in points."""

    def width(self, text: str) -> float: ...

    def advance(self, char: str) -> float: ...


@dataclass(frozen=True, slots=True)
class LineWord:
    """A visible word near a redaction, from the text layer or from OCR."""

    box: Box
    text: str


@dataclass(frozen=True, slots=True)
class WidthEstimate:
    lo: int  # fewest characters (spaces inside the hidden text count) that fit
    hi: int
    box_width: float  # the redaction box, points
    advance: float  # mean advance of one character of a name on this line, points
    font: str
    size: float
    basis: str  # "text" (real font), "ocr" (generic font fitted to OCR'd words)
    hidden_width: float  # best estimate of the hidden text's width, points
    tolerance: float  # one standard deviation of hidden_width, points
    bounded: bool  # both ends set by visible words (not by the box's edges)
    space: float  # a space's width on this line, points
    case: str = MIXED  # letter case of the hidden text: UPPER, EITHER or MIXED


class ScaledMeasure:
    """A base measure scaled to the line, with the line's own (justified) spaces."""

    def __init__(self, base: TextMeasure, scale: float, space: float) -> None:
        self.base, self.scale, self.space = base, scale, space

    def width(self, text: str) -> float:
        words = text.split(" ")
        ink = sum(self.base.width(w) for w in words)
        return self.scale * ink + self.space * (len(words) - 1)

    def advance(self, char: str) -> float:
        return self.space if char == " " else self.scale * self.base.advance(char)


@dataclass(frozen=True, slots=True)
class LineEdges:
    left: float
    right: float
    sigma: float
    bounded: bool


def pick_line_words(words: Sequence[LineWord], box: Box) -> list[LineWord]:
    """Words on the box's text line that are not inside the box, left to right."""
    line = [
        w
        for w in words
        if w.box.vertical_overlap(box) >= 0.5
        and not box.contains_point(w.box.center[0], w.box.center[1])
        and w.box.height < 3 * max(box.height, 1.0)
    ]
    return sorted(line, key=lambda w: w.box.x0)


def is_label(text: str) -> bool:
    """An exemption code or REDACTED-style label printed beside a box."""
    low = text.lower()
    return any(h in low for h in _LABEL_HINTS) or low.startswith("(b") or low in ("b6", "b7c")


def find_neighbours(line: Sequence[LineWord], box: Box) -> tuple[LineWord | None, LineWord | None]:
    """Nearest words left and right of the box; a label beside it stops the search."""
    tol = 0.25 * box.height
    left = [w for w in line if w.box.x1 <= box.x0 + tol]
    right = [w for w in line if w.box.x0 >= box.x1 - tol]
    prev = left[-1] if left and not is_label(left[-1].text) else None
    after = right[0] if right and not is_label(right[0].text) else None
    return prev, after


def measure_space(line: Sequence[LineWord], box: Box, fallback: float) -> float:
    """Median gap between neighbouring words on the line (justified text widens it)."""
    gaps = []
    for a, b in itertools.pairwise(line):
        gap = b.box.x0 - a.box.x1
        crosses = a.box.x1 <= box.center[0] <= b.box.x0
        if not crosses and 0.3 * fallback < gap < 3.0 * fallback:
            gaps.append(gap)
    return statistics.median(gaps) if gaps else fallback


def locate_edges(
    prev: LineWord | None, after: LineWord | None, box: Box, space: float, em: float, edge: float
) -> LineEdges:
    """Where the hidden text starts and ends, and how sure that is (one sigma, points).

    A neighbour close to the box fixes its side to within ``edge`` points; a side
    with no neighbour (line start, a label, a far column) falls back to the box's
    own edge, whose padding is unknown (about a sixth of an em either way).
    """
    reach = 2.0 * space + 0.5 * em
    box_sigma = 0.18 * em
    left, l_sigma, l_word = box.x0, box_sigma, False
    if prev is not None and box.x0 - prev.box.x1 <= reach:
        gap = 0.0 if prev.text.endswith(_OPENERS) else space
        left, l_sigma, l_word = prev.box.x1 + gap, edge, True
    right, r_sigma, r_word = box.x1, box_sigma, False
    if after is not None and after.box.x0 - box.x1 <= reach:
        gap = 0.0 if after.text.startswith(_CLOSERS) else space
        right, r_sigma, r_word = after.box.x0 - gap, edge, True
    return LineEdges(left, right, math.hypot(l_sigma, r_sigma), l_word and r_word)


def letter_stats(
    measure: TextMeasure, space: float, mix: tuple[float, float] = NAME_MIX
) -> tuple[float, float]:
    """Mean and standard deviation of one character's width in ``measure``, for text
    with ``mix`` = (capital share, space share): a name by default."""
    capitals, spaces = mix
    total = sum(_LETTER_FREQ.values())
    weights: list[tuple[float, float]] = [(spaces, space)]
    letter_share = 1.0 - spaces
    for ch, freq in _LETTER_FREQ.items():
        p = freq / total * letter_share
        weights.append((p * (1 - capitals), measure.advance(ch)))
        weights.append((p * capitals, measure.advance(ch.upper())))
    mean = sum(p * w for p, w in weights)
    var = sum(p * (w - mean) ** 2 for p, w in weights)
    return mean, math.sqrt(var)


def count_range(
    width: float, sigma: float, mean: float, spread: float, rel: float = 0.0
) -> tuple[int, int]:
    """Character counts n whose expected width n*mean is within K_SIGMA of ``width``.

    The variance of n letters is n*spread² (letters vary), plus the edges'
    sigma², plus (rel*n*mean)² when the scale itself is uncertain (scans).
    """
    if width <= 0 or mean <= 0:
        return (0, 0)
    best = max(1, round(width / mean))
    fits = [
        n
        for n in range(1, int(3 * width / mean) + 3)
        if abs(width - n * mean)
        <= K_SIGMA * math.sqrt(n * spread**2 + sigma**2 + (rel * n * mean) ** 2)
    ]
    return (min(fits), max(fits)) if fits else (best, best)


def read_case(line: Sequence[LineWord]) -> str:
    """Whether the line around a box is set in capitals.

    Two or more capital words (of two letters or more) and no lower-case word:
    the line is in capitals (a cable, a title) and the hidden text is too. A
    single capital word ("TO:", "FROM:") heads memo lines whose names are in
    mixed case as often as not: either reading stays open.
    """
    words = [w.text for w in line if not is_label(w.text)]
    lettered = [t for t in words if sum(c.isalpha() for c in t) >= 2]
    if not lettered or any(any(c.islower() for c in t) for t in lettered):
        return MIXED
    return UPPER if len(lettered) >= 2 else EITHER


def count_for_case(
    width: float, sigma: float, measure: TextMeasure, space: float, case: str, rel: float
) -> tuple[int, int]:
    """The count range under each reading ``case`` allows (name, and phrase for long boxes)."""
    mixes = {UPPER: [CAPS_MIX], EITHER: [NAME_MIX, CAPS_MIX], MIXED: [NAME_MIX]}[case]
    ranges = [count_range(width, sigma, *letter_stats(measure, space, m), rel) for m in mixes]
    if max(hi for _, hi in ranges) >= PROSE_FROM:
        # A long box may hide a phrase rather than a name: more spaces, fewer
        # capitals, so more characters in the same width. Cover both readings.
        prose = {UPPER: [CAPS_PROSE_MIX], EITHER: [PROSE_MIX, CAPS_PROSE_MIX]}.get(
            case, [PROSE_MIX]
        )
        ranges += [count_range(width, sigma, *letter_stats(measure, space, m), rel) for m in prose]
    return min(lo for lo, _ in ranges), max(hi for _, hi in ranges)


@dataclass(frozen=True, slots=True)
class LineFit:
    """An estimate and the measure candidates are fitted with (not picklable)."""

    estimate: WidthEstimate
    measure: ScaledMeasure
    rel_error: float  # relative error of a candidate's measured width
    # Candidates whose widths differ by less than this (points) cannot be told
    # apart by this measurement: they share a rank (``fit.rank_ties``).
    resolution: float = 0.0


def estimate_line(
    box: Box,
    line: Sequence[LineWord],
    measure: ScaledMeasure,
    *,
    font: str,
    size: float,
    basis: str,
    edge_sigma: float,
    rel_error: float,
    rel_scale: float = 0.0,
    labels_only: bool = False,
    resolution: float = 0.0,
) -> LineFit | None:
    """The estimate for ``box`` from the words on its line; None if it is on no line.

    A box with no usable neighbour (it starts the line and a label follows it)
    is still on a text line: its own edges bound the text, the line's words
    give the font. ``labels_only``: a line holding only labels counts too (the
    font was fitted to nearby lines).
    """
    prev, after = find_neighbours(line, box)
    if prev is None and after is None and all(is_label(w.text) for w in line) and not labels_only:
        return None
    em = max(size, 1.0)
    edges = locate_edges(prev, after, box, measure.space, em, edge_sigma)
    hidden = max(0.0, edges.right - edges.left)
    case = read_case(line)
    mix = CAPS_MIX if case == UPPER else NAME_MIX
    mean, _spread = letter_stats(measure, measure.space, mix)
    lo, hi = count_for_case(hidden, edges.sigma, measure, measure.space, case, rel_scale)
    estimate = WidthEstimate(
        lo, hi, round(box.width, 2), round(mean, 3), font, round(size, 2), basis,
        round(hidden, 2), round(edges.sigma, 2), edges.bounded, round(measure.space, 3), case,
    )  # fmt: skip
    return LineFit(estimate, measure, rel_error, resolution)
