"""Candidate fitting: which of the names a user suspects fits under a box.

Each candidate is measured the way the hidden text was set: in the line's real
font and size with the line's own space width (born-digital), or with the
generic font fitted to the OCR'd neighbours (scans). Its residual is its width
less the hidden text's estimated width; the score is how likely that residual
is given the estimate's uncertainty (1.0 = a perfect fit).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from redactview.analysis.width import LineFit

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


def fit_candidate(line: LineFit, text: str) -> Candidate:
    width = line.measure.width(text)
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
    """Every candidate measured and ranked best first (score, then smaller |residual|)."""
    results = [fit_candidate(line, t) for t in clean_candidates(texts)]
    return sorted(results, key=lambda c: (-c.score, abs(c.residual), c.text))
