"""Width estimates on scanned lines: OCR'd words measured in a fitted generic font.

The words come in displayed page points (a text line is horizontal there). The
font (family and scale) and the word spacing are fitted to the page's body text
(``width_calibrate``); the box's own line gives its neighbours.
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from collections.abc import Sequence

from redactview.analysis.width import (
    LineFit,
    LineWord,
    ScaledMeasure,
    estimate_line,
    pick_line_words,
)
from redactview.analysis.width_calibrate import (
    MIN_FONT_WORDS,
    GenericFit,
    fit_page_font,
    fit_space,
    group_lines,
    guess_from_height,
    pick_font_words,
)
from redactview.core.geometry import Box
from redactview.pdf.fonts import FontMeasure, generic_measure

OCR_DPI = 300
# A runner-up family whose misfit is within this factor of the best is not ruled out.
_FAMILY_DOUBT = 1.6
# The fitted size is no better than the generic table's match to the real font
# and the scan's ink bleed, however many words were fitted: 1-3% off on the
# sample releases' degraded scans (3.7% on a mixed-font email page). The count
# range keeps this much.
_MIN_REL_SCALE = 0.03
# An OCR'd edge is known to one pixel of the render (``LineFit.resolution``).
OCR_RESOLUTION = 72.0 / OCR_DPI


def estimate_ocr(box: Box, words: Sequence[LineWord]) -> LineFit | None:
    """Estimate from OCR'd words (all in the same, displayed, page space as ``box``).

    OCR boxes hug the ink; the words are widened to their advance boxes with the
    fitted font's side bearings of their first and last letters, so the gaps
    between them are whole spaces and the hidden text's span is an advance width,
    as a candidate's is: bearings no longer blur the edges.
    """
    clean = [w for w in words if w.box.coverage_by(box) < 0.3]
    line = pick_line_words(clean, box)
    seed = pick_font_words(line, clean, box)
    if not line and not looks_like_text_line(box, seed):
        return None
    fits, body = fit_page_font(seed, clean, box)
    fits = fits or guess_from_height(box)
    others = body_lines(clean, line, body)
    extra = len(seed) > len(line)
    best = measure_ocr_line(box, line, fits[0], others, len(body), labels_only=extra)
    if best is None or len(fits) < 2 or fits[1].misfit > _FAMILY_DOUBT * fits[0].misfit:
        return best
    # Few or noisy words tell two families apart badly (a header block of short
    # words): the count range covers both; candidates are measured in the better.
    other = measure_ocr_line(box, line, fits[1], others, len(body), labels_only=extra)
    if other is None:
        return best
    lo = min(best.estimate.lo, other.estimate.lo)
    hi = max(best.estimate.hi, other.estimate.hi)
    return dataclasses.replace(best, estimate=dataclasses.replace(best.estimate, lo=lo, hi=hi))


def body_lines(
    words: Sequence[LineWord], line: Sequence[LineWord], body: Sequence[LineWord]
) -> list[list[LineWord]]:
    """The page's other text lines that hold body words, whole (short words such as
    "a" or "4" included, so runs of words are not cut where they were left out)."""
    mine, chosen = set(line), set(body)
    rows = ([w for w in row if w not in mine] for row in group_lines(words))
    return [row for row in rows if any(w in chosen for w in row)]


def measure_ocr_line(
    box: Box,
    line: Sequence[LineWord],
    fit: GenericFit,
    others: Sequence[Sequence[LineWord]],
    n_font_words: int,
    *,
    labels_only: bool,
) -> LineFit | None:
    """The estimate for ``box`` with the line measured in one fitted generic font."""
    base = generic_measure(fit.family)
    advance_line = to_advance_boxes(line, base, fit.scale)
    page_lines = [to_advance_boxes(row, base, fit.scale) for row in others]
    space = fit_space(advance_line, page_lines, base, fit.scale, box)
    return estimate_line(
        box, advance_line, ScaledMeasure(base, fit.scale, space), font=f"generic-{fit.family}",
        size=fit.scale, basis="ocr", edge_sigma=0.3 + 0.06 * fit.scale,
        rel_error=max(0.03, fit.spread),
        rel_scale=max(_MIN_REL_SCALE, fit.spread / math.sqrt(n_font_words)),
        labels_only=labels_only, resolution=OCR_RESOLUTION,
    )  # fmt: skip


def looks_like_text_line(box: Box, near: Sequence[LineWord]) -> bool:
    """A box one line tall amid lines of text, though OCR read nothing beside it
    (a header "Cc: [box]" whose "Cc:" was lost): its own edges bound the text."""
    if len(near) < MIN_FONT_WORDS:
        return False
    height = statistics.median(w.box.height for w in near)
    return 0.6 * height < box.height < 2.5 * height


def to_advance_boxes(line: Sequence[LineWord], base: FontMeasure, scale: float) -> list[LineWord]:
    """OCR ink boxes widened by the side bearings of their first and last letters."""
    out = []
    for w in line:
        lsb, rsb = base.side_bearings(w.text[0], w.text[-1]) if w.text else (0.0, 0.0)
        x0, x1 = w.box.x0 - scale * lsb, w.box.x1 + scale * rsb
        out.append(LineWord(Box(x0, w.box.y0, x1, w.box.y1), w.text))
    return out
