"""Candidate fitting: which of the names a user suspects fits under a box.

Each candidate is measured the way the hidden text was set: in the line's real
font and size with the line's own space width (born-digital), or with the
generic font fitted to the OCR'd neighbours (scans). Its residual is its width
less the hidden text's estimated width; the score is how likely that residual
is given the estimate's uncertainty (1.0 = a perfect fit).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from redactview.analysis.width import EITHER, UPPER, LineFit

# A candidate further than this many standard deviations off cannot fit.
FIT_LIMIT_SIGMA = 3.0
# Born-digital widths still miss kerning and rounding: never trust below this.
_MIN_SIGMA_PT = 0.3


@dataclass(frozen=True, slots=True)
class Candidate:
    text: str
    width: float  # the candidate's width on this line, points
    residual: float  # width - hidden width, points (positive: too wide)
    score: float  # 0..1, exp(-residual² / 2σ²)
    fits: bool  # False: too wide for the gap (or too short, when both ends are words)
    rank: int = 0  # 1-based; candidates in one tie group share the group's first rank
    tied_with: int = 0  # how many other candidates share this rank (0: none)


def clean_candidates(lines: Iterable[str]) -> list[str]:
    """Candidates from typed/pasted/file lines: trimmed, blank and # comments dropped, deduped."""
    seen: dict[str, None] = {}
    for raw in lines:
        text = " ".join(raw.split())
        if text and not text.startswith("#"):
            seen.setdefault(text, None)
    return list(seen)


def candidate_sigma(line: LineFit, width: float) -> float:
    """One standard deviation of the residual for a candidate ``width`` points wide."""
    est = line.estimate
    return max(_MIN_SIGMA_PT, math.hypot(est.tolerance, line.rel_error * width))


def measure_candidate(line: LineFit, text: str) -> float:
    """``text``'s width on the line, points: in capitals on a line set in capitals
    (a name typed "John Smith" was printed "JOHN SMITH" there), the closer of both
    forms when the line's case leaves it open."""
    case = line.estimate.case
    forms = [text.upper()] if case == UPPER else [text, text.upper()] if case == EITHER else [text]
    widths = [line.measure.width(f) for f in dict.fromkeys(forms)]
    return min(widths, key=lambda w: abs(w - line.estimate.hidden_width))


def score_width(line: LineFit, text: str, width: float) -> Candidate:
    residual = width - line.estimate.hidden_width
    sigma = candidate_sigma(line, width)
    z = residual / sigma
    too_wide = z > FIT_LIMIT_SIGMA
    # With visible words on both sides the gap is exact: too short cannot fit
    # either. Against a box edge, the box may be padded, so short may fit.
    too_short = line.estimate.bounded and z < -FIT_LIMIT_SIGMA
    return Candidate(
        text, round(width, 2), round(residual, 2), round(math.exp(-0.5 * z * z), 4),
        not (too_wide or too_short),
    )  # fmt: skip


def fit_candidates(line: LineFit, texts: Iterable[str]) -> list[Candidate]:
    """Every candidate measured and ranked best first, ties sharing a rank."""
    texts = clean_candidates(texts)
    widths = [measure_candidate(line, t) for t in texts]
    scored = [
        (score_width(line, t, w), w - line.estimate.hidden_width)
        for t, w in zip(texts, widths, strict=True)
    ]
    return rank_ties(scored, line.resolution)


def rank_ties(scored: Sequence[tuple[Candidate, float]], resolution: float) -> list[Candidate]:
    """Rank best first (score, then smaller |residual|).

    ``scored`` pairs each candidate with its unrounded residual. Candidates whose
    residuals lie within ``resolution`` points of a tie group's best cannot be
    told apart from it by this measurement: they share its rank. Inside a group
    they stay listed by residual, then alphabetically (exact ties): an order that
    never looks at who is under the box, but no evidence either.
    """
    ordered = sorted(scored, key=lambda p: (-p[0].score, abs(p[1]), p[0].text))
    groups: list[list[tuple[Candidate, float]]] = []
    for c, residual in ordered:
        if groups and abs(residual) - abs(groups[-1][0][1]) <= resolution:
            groups[-1].append((c, residual))
        else:
            groups.append([(c, residual)])
    ranked: list[Candidate] = []
    for group in groups:
        rank, tied = len(ranked) + 1, len(group) - 1
        for c, _ in group:
            ranked.append(dataclasses.replace(c, rank=rank, tied_with=tied))
    return ranked


def rank_label(rank: int, tied_with: int) -> str:
    """ "3" alone, or "1–23 (tie)" for 23 candidates the measurement cannot tell apart."""
    return f"{rank}–{rank + tied_with} (tie)" if tied_with else str(rank)
