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

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from redactview.analysis.labels import CropRequest, read_sheet
from redactview.analysis.width import (
    LineFit,
    LineWord,
    ScaledMeasure,
    TextMeasure,
    estimate_line,
    measure_space,
    pick_line_words,
)
from redactview.analysis.width_ocr import OCR_DPI, estimate_ocr
from redactview.analysis.width_span import SpanFit, join_segments, split_tall_box
from redactview.core.geometry import Box
from redactview.core.model import Word
from redactview.errors import ExitCode, RedactviewError
from redactview.pdf.document import load_page, opened_pdf
from redactview.pdf.fonts import FontWord, page_font_measure, read_font_words
from redactview.pdf.render import render_page

# Widths closer than this cannot be told apart (``LineFit.resolution``): PDF
# writers round text positions to 0.01 pt (the hidden width's two ends each off
# by up to half of that). OCR'd lines: ``width_ocr.OCR_RESOLUTION``.
TEXT_RESOLUTION = 0.01
# Read this many box heights (about three lines of text) above and below each box:
# the font and the word spacing are fitted to the page's body text, and a box's
# own line is too few words for that (one box fitted alone, without a case's
# OCR words: the true name in the top 3 for 20 of 24 generated boxes with the
# line's band only, 22 of 24 with this context; 0.5 -> 0.8 s a box).
_CONTEXT_HEIGHTS = 4


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


def ocr_page_lines(page: Any, boxes: Sequence[Box]) -> list[LineWord]:
    """OCR the lines holding ``boxes``, and a few lines above and below each (the
    page's body text calibrates the font), with one render and one Tesseract run.

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
        pad = max(8, _CONTEXT_HEIGHTS * (y1 - y0))
        top, bottom = max(0, y0 - pad), min(pixels.shape[0], y1 + pad)
        if bands and top <= bands[-1][1]:
            bands[-1] = (bands[-1][0], max(bands[-1][1], bottom))
        else:
            bands.append((top, bottom))
    bands = [(t, b) for t, b in bands if b - t >= 4]
    requests = [CropRequest(pixels[t:b], (0, t), scale=1.0) for t, b in bands]
    to_pt = 72.0 / OCR_DPI
    return [
        LineWord(
            Box(w.box.x0 * to_pt, w.box.y0 * to_pt, w.box.x1 * to_pt, w.box.y1 * to_pt), w.text
        )
        for (top, bottom), words in zip(bands, read_sheet(requests), strict=True)
        for w in words
        if w.conf >= 30 and inside_band(w.box, top, bottom, pixels.shape[0])
    ]


def inside_band(box: Box, top: int, bottom: int, height: int) -> bool:
    """A word clear of its band's cut edges (pixels). A line the cut runs through is
    read from the tops or feet of its letters as junk ("uestions", "irecte") whose
    widths would set a wrong font size; the page's own edges cut nothing."""
    return (top == 0 or box.y0 > top + 1) and (bottom == height or box.y1 < bottom - 1)


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
