"""Width estimates for redactions on a real page: text layer or OCR.

A line with visible text-layer words in a real font is measured in that font
(basis "text"). Otherwise (scans, junk or invisible OCR layers) the words come
from OCR — the caller's cached words, or Tesseract on a strip around the box
with the box painted white so it is not read as text — and are measured with
the generic font (sans, serif or monospace) whose real metrics best explain
the OCR'd words' widths (basis "ocr").

OCR geometry is done in *displayed* page space (rotation applied), where a
text line is horizontal even on a page with /Rotate=90.
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redactview.analysis.labels import CropRequest, read_sheet
from redactview.analysis.width import (
    LineFit,
    LineWord,
    ScaledMeasure,
    TextMeasure,
    estimate_line,
    is_label,
    measure_space,
    pick_line_words,
)
from redactview.analysis.width_span import SpanFit, join_segments, split_tall_box
from redactview.core.geometry import Box
from redactview.core.model import Word
from redactview.errors import ExitCode, RedactviewError
from redactview.pdf.document import load_page, opened_pdf
from redactview.pdf.fonts import (
    FontMeasure,
    FontWord,
    generic_measure,
    page_font_measure,
    read_font_words,
)
from redactview.pdf.render import render_page

OCR_DPI = 300
_FAMILIES = ("serif", "sans", "mono")
# Fewer non-label words than this on a line: fit the font to nearby lines too.
_MIN_FONT_WORDS, _NEAR_FONT_WORDS = 3, 12
# A runner-up family whose misfit is within this factor of the best is not ruled out.
_FAMILY_DOUBT = 1.6
# Text hidden by a box is at most this many box heights in size.
_MAX_SIZE_PER_HEIGHT = 1.6
# Widths closer than this cannot be told apart (``LineFit.resolution``): PDF
# writers round text positions to 0.01 pt (the hidden width's two ends each off
# by up to half of that); an OCR'd edge is known to one pixel of the render.
TEXT_RESOLUTION, OCR_RESOLUTION = 0.01, 72.0 / OCR_DPI


class NotOnTextLineError(RedactviewError):
    """No visible words beside the box: nothing to measure the hidden text against."""

    exit_code = ExitCode.INPUT_MISSING


def rotate_box(box: Box, rotation: int, width: float, height: float) -> Box:
    """Unrotated page box -> displayed page box (PDF /Rotate, clockwise)."""
    x0, y0, x1, y1 = box.as_tuple()
    if rotation == 90:
        return Box.from_seq((height - y0, x0, height - y1, x1))
    if rotation == 180:
        return Box.from_seq((width - x0, height - y0, width - x1, height - y1))
    if rotation == 270:
        return Box.from_seq((y0, width - x0, y1, width - x1))
    return box


class MeasureCache:
    """One ``FontMeasure`` per (font, size, flags) on a page: reading an embedded
    font program is the slow part, and every box on a line shares its font."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self._cache: dict[tuple[str, float, int], TextMeasure] = {}

    def get(self, font: str, size: float, flags: int) -> TextMeasure:
        key = (font, size, flags)
        if key not in self._cache:
            self._cache[key] = page_font_measure(self.page, font, size, flags)
        return self._cache[key]


def estimate_text(
    box: Box, words: Sequence[FontWord], page: Any, measures: MeasureCache | None = None
) -> LineFit | None:
    """Estimate from text-layer words set in a real font (born-digital pages)."""
    visible = [w for w in words if not w.invisible and "glyphless" not in w.font.lower()]
    line = pick_line_words([LineWord(w.box, w.text) for w in visible], box)
    if not line:
        return None
    on_line = [w for w in visible if LineWord(w.box, w.text) in line]
    font, size, flags = Counter((w.font, round(w.size, 2), w.flags) for w in on_line).most_common(
        1
    )[0][0]
    base = (measures or MeasureCache(page)).get(font, size, flags)
    same = [w for w in on_line if w.font == font and round(w.size, 2) == size]
    scale = calibrate_scale(same, base)
    space = measure_space(line, box, base.width(" ") * scale)
    return estimate_line(
        box, line, ScaledMeasure(base, scale, space), font=font, size=size,
        basis="text", edge_sigma=0.3, rel_error=0.01, resolution=TEXT_RESOLUTION,
    )  # fmt: skip


def calibrate_scale(words: Sequence[FontWord | LineWord], base: TextMeasure) -> float:
    """Printed width / font width over the line's words (catches Tz and Tc)."""
    printed = sum(w.box.width for w in words)
    expected = sum(base.width(w.text) for w in words)
    scale = printed / expected if expected > 0 else 1.0
    return scale if 0.7 < scale < 1.4 else 1.0


@dataclass(frozen=True, slots=True)
class GenericFit:
    family: str
    scale: float  # ≈ font size in points
    spread: float  # relative spread of the per-word scales
    misfit: float  # median relative deviation of the words' scales: lower fits better


def fit_generic(line: Sequence[LineWord]) -> tuple[str, float, float]:
    """The generic family, scale (≈ font size in points) and per-word spread of OCR'd words."""
    fits = rank_generic(line)
    return (fits[0].family, fits[0].scale, fits[0].spread) if fits else ("serif", 10.0, 0.1)


def rank_generic(line: Sequence[LineWord]) -> list[GenericFit]:
    """Generic families by how well they explain the words' ink widths, best first.

    Robust to a misread word or two ("Bio" for a smudge, a bold header): the
    families are compared by median deviation of the per-word scales, and the
    scale is fitted to the words within 20% of their median.
    """
    words = [w for w in line if not is_label(w.text)] or list(line)
    usable = [w for w in words if len(w.text) >= 2 and any(c.isalpha() for c in w.text)]
    usable = usable or words
    fits = []
    for family in _FAMILIES:
        base = generic_measure(family, ink=True)
        pairs = [(w.box.width, base.width(w.text)) for w in usable if base.width(w.text) > 0]
        if not pairs:
            continue
        middle = statistics.median(a / b for a, b in pairs)
        kept = [(a, b) for a, b in pairs if abs(a / b / middle - 1) < 0.2] or pairs
        scale = sum(a for a, _ in kept) / sum(b for _, b in kept)
        spread = statistics.pstdev(a / b / scale for a, b in kept) if len(kept) > 1 else 0.1
        # With fewer than 3 words no family is told apart: keep the table order.
        misfit = statistics.median(abs(a / b / middle - 1) for a, b in pairs)
        fits.append(GenericFit(family, scale, spread, misfit if len(pairs) >= 3 else 1.0))
    return sorted(fits, key=lambda f: f.misfit)


def pick_font_words(
    line: Sequence[LineWord], words: Sequence[LineWord], box: Box
) -> list[LineWord]:
    """Words to fit the font to: the line's own, or with too few of those (a header
    line "To: [box] (b)(6)"), also the words of the lines just above and below,
    nearest first, of the same height as the line's."""
    own = [w for w in line if not is_label(w.text) and len(w.text) >= 2]
    if len(own) >= _MIN_FONT_WORDS:
        return list(line)
    height = statistics.median(w.box.height for w in own) if own else box.height
    reach = 4.0 * max(box.height, height)
    near = [
        w
        for w in words
        if w not in line
        and not is_label(w.text)
        and len(w.text) >= 2
        and abs(w.box.center[1] - box.center[1]) < reach
        and 0.6 * height < w.box.height < 1.6 * height
    ]
    near.sort(key=lambda w: abs(w.box.center[1] - box.center[1]))
    return [*line, *near[:_NEAR_FONT_WORDS]]


def estimate_ocr(box: Box, words: Sequence[LineWord]) -> LineFit | None:
    """Estimate from OCR'd words (all in the same, displayed, page space as ``box``).

    OCR boxes hug the ink; the words are widened to their advance boxes with the
    fitted font's side bearings of their first and last letters, so the gaps
    between them are whole spaces and the hidden text's span is an advance width,
    as a candidate's is: bearings no longer blur the edges.
    """
    clean = [w for w in words if w.box.coverage_by(box) < 0.3]
    line = pick_line_words(clean, box)
    font_words = pick_font_words(line, clean, box)
    if not line and not looks_like_text_line(box, font_words):
        return None
    fits = rank_generic(drop_oversized(font_words, box)) or guess_from_height(box)
    best = measure_ocr_line(box, line, fits[0], len(font_words))
    if best is None or len(fits) < 2 or fits[1].misfit > _FAMILY_DOUBT * fits[0].misfit:
        return best
    # Few or noisy words tell two families apart badly (a header block of short
    # words): the count range covers both; candidates are measured in the better.
    other = measure_ocr_line(box, line, fits[1], len(font_words))
    if other is None:
        return best
    lo = min(best.estimate.lo, other.estimate.lo)
    hi = max(best.estimate.hi, other.estimate.hi)
    return dataclasses.replace(best, estimate=dataclasses.replace(best.estimate, lo=lo, hi=hi))


def drop_oversized(words: Sequence[LineWord], box: Box) -> list[LineWord]:
    """Words too wide for any font the box could hide (a table rule read as "[annual"):
    a box covers its text's ascenders to descenders, so that text is at most
    ``_MAX_SIZE_PER_HEIGHT`` box heights in size."""
    sans = generic_measure("sans", ink=True)
    limit = _MAX_SIZE_PER_HEIGHT * box.height
    return [w for w in words if sans.width(w.text) > 0 and w.box.width / sans.width(w.text) < limit]


def guess_from_height(box: Box) -> list[GenericFit]:
    """No word to fit: a size from the box's height (≈ 1.2 em), sans or serif alike."""
    size = box.height / 1.2
    return [GenericFit(f, size, 0.15, 1.0) for f in ("sans", "serif")]


def measure_ocr_line(
    box: Box, line: Sequence[LineWord], fit: GenericFit, n_font_words: int
) -> LineFit | None:
    """The estimate for ``box`` with the line measured in one fitted generic font."""
    base = generic_measure(fit.family)
    advance_line = to_advance_boxes(line, base, fit.scale)
    space = measure_space(advance_line, box, base.width(" ") * fit.scale)
    return estimate_line(
        box, advance_line, ScaledMeasure(base, fit.scale, space), font=f"generic-{fit.family}",
        size=fit.scale, basis="ocr", edge_sigma=0.3 + 0.06 * fit.scale,
        rel_error=max(0.03, fit.spread), rel_scale=fit.spread / math.sqrt(n_font_words),
        labels_only=n_font_words > len(line), resolution=OCR_RESOLUTION,
    )  # fmt: skip


def looks_like_text_line(box: Box, near: Sequence[LineWord]) -> bool:
    """A box one line tall amid lines of text, though OCR read nothing beside it
    (a header "Cc: [box]" whose "Cc:" was lost): its own edges bound the text."""
    if len(near) < _MIN_FONT_WORDS:
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


def ocr_page_lines(page: Any, boxes: Sequence[Box]) -> list[LineWord]:
    """OCR the lines holding ``boxes`` with one render and one Tesseract run.

    Every box is painted white (so it is not read as "|" or "]"); the bands
    around the boxes' lines are pasted under each other on one sheet
    (``labels.read_sheet``): starting Tesseract costs more than reading a line.
    Words come back in displayed page points.
    """
    rendered = render_page(page, OCR_DPI)
    pixels = rendered.pixels.copy()
    shown = [rendered.page_box_to_pixels(b) for b in boxes]
    m = 3  # anti-aliased box edges would otherwise be read as "]" or "|"
    for x0, y0, x1, y1 in shown:
        pixels[max(0, y0 - m) : y1 + m, max(0, x0 - m) : x1 + m] = 255
    bands: list[tuple[int, int]] = []
    for _x0, y0, _x1, y1 in sorted(shown, key=lambda b: b[1]):
        pad = max(8, y1 - y0)
        top, bottom = max(0, y0 - pad), min(pixels.shape[0], y1 + pad)
        if bands and top <= bands[-1][1]:
            bands[-1] = (bands[-1][0], max(bands[-1][1], bottom))
        else:
            bands.append((top, bottom))
    requests = [CropRequest(pixels[t:b], (0, t), scale=1.0) for t, b in bands if b - t >= 4]
    to_pt = 72.0 / OCR_DPI
    return [
        LineWord(
            Box(w.box.x0 * to_pt, w.box.y0 * to_pt, w.box.x1 * to_pt, w.box.y1 * to_pt), w.text
        )
        for words in read_sheet(requests)
        for w in words
        if w.conf >= 30
    ]


def estimate_boxes(
    page: Any, boxes: Sequence[Box], words: Sequence[Word] | None = None
) -> list[LineFit | None]:
    """Estimates for every box on an open page (``pdf.load_page``), in order.

    Text-layer lines are measured in their real font; the rest from ``words``
    (the caller's cached OCR words, unrotated page points) or, if none are
    given, one OCR of the page's box lines.
    """
    font_words, measures = read_font_words(page), MeasureCache(page)
    fits = [estimate_text(b, font_words, page, measures) for b in boxes]
    todo = [i for i, fit in enumerate(fits) if fit is None]
    if not todo:
        return fits
    rotation, rect = int(page.rotation), page.mediabox
    if words is None:
        # OCR pixels are in displayed space already: measure there, in points.
        line_words = ocr_page_lines(page, [boxes[i] for i in todo])
    else:
        line_words = [
            LineWord(rotate_box(w.box, rotation, rect.width, rect.height), w.text) for w in words
        ]
    for i in todo:
        fits[i] = estimate_ocr(rotate_box(boxes[i], rotation, rect.width, rect.height), line_words)
    return fits


def estimate_on_page(page: Any, box: Box, words: Sequence[Word] | None = None) -> LineFit | None:
    """The best estimate for ``box`` on an open page (``pdf.load_page``)."""
    return estimate_boxes(page, [box], words)[0]


def estimate_width(
    path: str | Path, page_number: int, box: Box, words: Sequence[Word] | None = None
) -> LineFit | None:
    """Open ``path`` and estimate what fits under ``box`` on 1-based ``page_number``."""
    with opened_pdf(path) as doc:
        return estimate_on_page(load_page(doc, page_number), box, words)


def split_on_page(page: Any, box: Box, words: Sequence[Word] | None) -> list[Box]:
    """``box`` cut into one band per text line it covers (``width_span.split_tall_box``),
    judged from the text layer, else from the given OCR words. OCR of the page's
    own (no cached words) happens later, per band: an unsplit tall box is read
    as a single line."""
    layer = [LineWord(w.box, w.text) for w in read_font_words(page) if not w.invisible]
    beside = split_tall_box(box, layer)
    if len(beside) == 1 and words:
        beside = split_tall_box(box, [LineWord(w.box, w.text) for w in words])
    return beside


def estimate_span(
    page: Any, boxes: Sequence[Box], words: Sequence[Word] | None = None
) -> SpanFit | None:
    """The estimate for one redaction made of ``boxes`` (a group's line boxes, top to
    bottom, or one box), each cut at the text lines it covers. None when any line
    segment has no text line to measure against: a partial sum would undercount."""
    pieces = [p for b in boxes for p in split_on_page(page, b, words)]
    fits = estimate_boxes(page, pieces, words)
    if any(f is None for f in fits):
        return None
    ragged = len(pieces) > len(boxes)  # a tall box's lines need not fill its width
    return join_segments([f for f in fits if f is not None], ragged=ragged)


def estimate_span_width(
    path: str | Path, page_number: int, boxes: Sequence[Box], words: Sequence[Word] | None = None
) -> SpanFit | None:
    """Open ``path`` and estimate the redaction made of ``boxes`` on ``page_number``."""
    with opened_pdf(path) as doc:
        return estimate_span(load_page(doc, page_number), boxes, words)
