"""The pipeline's last step: how many characters each redaction hides (``est_chars``).

Born-digital lines are measured in the text layer's real font
(``width_page.estimate_text``). Scanned lines reuse the words the page steps
already OCR'd (``state.words``: the bands of the lines that hold boxes, boxes
blanked) — no render or Tesseract run of its own. Those words are in view
pixels, where the content reads upright, so a line is horizontal there; they
are measured in *view points* (view pixels × 72 / dpi).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from redactview.analysis.page_state import PageState, page_to_view
from redactview.analysis.width import LineFit, LineWord
from redactview.analysis.width_page import MeasureCache, estimate_ocr, estimate_text
from redactview.analysis.width_span import join_segments, split_tall_box
from redactview.core.geometry import Box
from redactview.core.model import Redaction
from redactview.pdf.fonts import read_font_words

# OCR words read with less confidence are mostly box-edge noise ("|", "]").
_MIN_CONF = 30.0
# Label words are kept as stops (a word beyond a label is not the box's
# neighbour); this text makes ``width.is_label`` recognise them whatever OCR made
# of the code ("(oX6)").
_LABEL_STOP = "(b)"


def fill_est_chars(state: PageState, redactions: Sequence[Redaction]) -> list[Redaction]:
    """``redactions`` with ``est_chars`` set wherever the box sits on a text line."""
    if not redactions:
        return list(redactions)
    font_words = read_font_words(state.page) if state.text_words else []
    measures = MeasureCache(state.page)
    view_words: list[LineWord] | None = None
    layer = [LineWord(w.box, w.text) for w in font_words if not w.invisible]
    out = []
    for r in redactions:
        # A box over two or more text lines is measured line by line and summed.
        pieces = split_tall_box(r.box, layer) if layer else [r.box]
        fits = [estimate_text(p, font_words, state.page, measures) for p in pieces]
        if font_words and all(f is not None for f in fits):
            out.append(_with_estimate(r, fits, ragged=len(pieces) > 1))
            continue
        view_words = _view_line_words(state) if view_words is None else view_words
        box = _to_points(state, page_to_view(state, r.box))
        pieces = split_tall_box(box, view_words)
        fits = [estimate_ocr(p, view_words) for p in pieces]
        out.append(_with_estimate(r, fits, ragged=len(pieces) > 1))
    return out


def _with_estimate(r: Redaction, fits: list[LineFit | None], *, ragged: bool) -> Redaction:
    """est_chars from every line segment's fit; none if any segment is off a line."""
    kept = [f for f in fits if f is not None]
    if not kept or len(kept) < len(fits):
        return r
    est = join_segments(kept, ragged=ragged).estimate
    return r if est.hi <= 0 else dataclasses.replace(r, est_chars=(est.lo, est.hi))


def _view_line_words(state: PageState) -> list[LineWord]:
    """The page's words (text layer or OCR) in view points, labels as stops."""
    label_boxes = {w.box for c in state.candidates for w in c.label.words}
    words = []
    for w in state.words:
        if w.conf < _MIN_CONF and w.box not in label_boxes:
            continue
        text = _LABEL_STOP if w.box in label_boxes else w.text
        words.append(LineWord(_to_points(state, w.box), text))
    return words


def _to_points(state: PageState, box: Box) -> Box:
    k = 72.0 / state.render.dpi
    return Box(box.x0 * k, box.y0 * k, box.x1 * k, box.y1 * k)
