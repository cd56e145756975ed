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

import math
import statistics
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from redactview.analysis.width import (
    LineFit,
    LineWord,
    ScaledMeasure,
    TextMeasure,
    estimate_line,
    measure_space,
    pick_line_words,
)
from redactview.core.geometry import Box
from redactview.core.model import Word
from redactview.errors import ExitCode, RedactviewError
from redactview.ocr.tesseract import read_words
from redactview.pdf.document import load_page, opened_pdf
from redactview.pdf.fonts import FontWord, generic_measure, page_font_measure, read_font_words
from redactview.pdf.render import render_page

OCR_DPI = 300
_FAMILIES = ("serif", "sans", "mono")


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


def estimate_text(box: Box, words: Sequence[FontWord], page: Any) -> LineFit | None:
    """Estimate from text-layer words set in a real font (born-digital pages)."""
    visible = [w for w in words if not w.invisible and "glyphless" not in w.font.lower()]
    line = pick_line_words([LineWord(w.box, w.text) for w in visible], box)
    if not line:
        return None
    on_line = [w for w in visible if LineWord(w.box, w.text) in line]
    font, size, flags = Counter((w.font, round(w.size, 2), w.flags) for w in on_line).most_common(
        1
    )[0][0]
    base = page_font_measure(page, font, size, flags)
    same = [w for w in on_line if w.font == font and round(w.size, 2) == size]
    scale = calibrate_scale(same, base)
    space = measure_space(line, box, base.width(" ") * scale)
    return estimate_line(
        box, line, ScaledMeasure(base, scale, space), font=font, size=size,
        basis="text", edge_sigma=0.3, rel_error=0.01,
    )  # fmt: skip


def calibrate_scale(words: Sequence[FontWord | LineWord], base: TextMeasure) -> float:
    """Printed width / font width over the line's words (catches Tz and Tc)."""
    printed = sum(w.box.width for w in words)
    expected = sum(base.width(w.text) for w in words)
    scale = printed / expected if expected > 0 else 1.0
    return scale if 0.7 < scale < 1.4 else 1.0


def fit_generic(line: Sequence[LineWord]) -> tuple[str, float, float]:
    """The generic family, scale (≈ font size in points) and per-word spread of OCR'd words."""
    usable = [w for w in line if len(w.text) >= 2 and any(c.isalpha() for c in w.text)]
    usable = usable or list(line)
    best: tuple[str, float, float] | None = None
    for family in _FAMILIES:
        base = generic_measure(family, ink=True)
        ratios = [w.box.width / base.width(w.text) for w in usable if base.width(w.text) > 0]
        if not ratios:
            continue
        scale = sum(w.box.width for w in usable) / sum(base.width(w.text) for w in usable)
        spread = statistics.pstdev(r / scale for r in ratios) if len(ratios) > 1 else 0.1
        if best is None or (len(ratios) >= 3 and spread < best[2]):
            best = (family, scale, spread)
    return best or ("serif", 10.0, 0.1)


def estimate_ocr(box: Box, words: Sequence[LineWord]) -> LineFit | None:
    """Estimate from OCR'd words (all in the same, displayed, page space as ``box``)."""
    clean = [w for w in words if w.box.coverage_by(box) < 0.3]
    line = pick_line_words(clean, box)
    if not line:
        return None
    family, scale, spread = fit_generic(line)
    base = generic_measure(family, ink=True)
    space = measure_space(line, box, base.width(" ") * scale)
    return estimate_line(
        box, line, ScaledMeasure(base, scale, space), font=f"generic-{family}",
        size=scale, basis="ocr", edge_sigma=0.3 + 0.06 * scale,
        rel_error=max(0.03, spread), rel_scale=spread / math.sqrt(len(line)),
    )  # fmt: skip


def ocr_line_words(page: Any, box: Box) -> list[LineWord]:
    """OCR a strip of the displayed page around ``box`` (box painted white)."""
    rendered = render_page(page, OCR_DPI)
    pixels = rendered.pixels.copy()
    x0, y0, x1, y1 = rendered.page_box_to_pixels(box)
    m = 3  # anti-aliased box edges would otherwise be read as "]" or "|"
    pixels[max(0, y0 - m) : y1 + m, max(0, x0 - m) : x1 + m] = 255
    pad = max(8, (y1 - y0))
    top, bottom = max(0, y0 - pad), min(pixels.shape[0], y1 + pad)
    strip = np.ascontiguousarray(pixels[top:bottom])
    to_pt = 72.0 / OCR_DPI
    return [
        LineWord(pixel_box(w.left, w.top + top, w.width, w.height, to_pt), w.text)
        for w in read_words(strip, psm=6)
        if w.conf >= 30
    ]


def pixel_box(left: int, top: int, width: int, height: int, to_pt: float) -> Box:
    return Box(left * to_pt, top * to_pt, (left + width) * to_pt, (top + height) * to_pt)


def estimate_on_page(page: Any, box: Box, words: Sequence[Word] | None = None) -> LineFit | None:
    """The best estimate for ``box`` on an open page (``pdf.load_page``)."""
    fit = estimate_text(box, read_font_words(page), page)
    if fit is not None:
        return fit
    rotation, rect = int(page.rotation), page.mediabox
    shown = rotate_box(box, rotation, rect.width, rect.height)
    if words is None:
        # Pixels are in displayed space already: measure there, in points.
        return estimate_ocr(shown, ocr_line_words(page, box))
    turned = [LineWord(rotate_box(w.box, rotation, rect.width, rect.height), w.text) for w in words]
    return estimate_ocr(shown, turned)


def estimate_width(
    path: str | Path, page_number: int, box: Box, words: Sequence[Word] | None = None
) -> LineFit | None:
    """Open ``path`` and estimate what fits under ``box`` on 1-based ``page_number``."""
    with opened_pdf(path) as doc:
        return estimate_on_page(load_page(doc, page_number), box, words)
