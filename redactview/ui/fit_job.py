"""Candidate fitting for the inspector, as plain work for the PDF lane.

The width engine opens the release's PDF (its fonts, or OCR of the line), so
this runs as a background task in the PDF lane, never beside another PyMuPDF
user. Everything it needs from the case is read on the GUI thread first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from redactview.analysis.fit import Candidate, fit_candidates
from redactview.analysis.names import visible_names
from redactview.analysis.width import WidthEstimate
from redactview.analysis.width_page import NotOnTextLineError, estimate_on_page
from redactview.core.model import Redaction, Word
from redactview.jobs.page_index import read_text_layer
from redactview.pdf.document import load_page, opened_pdf
from redactview.ui.tasks import TaskContext

_AUTO_NAMES = 200


@dataclass(frozen=True, slots=True)
class FitRequest:
    pdf: Path
    password: str | None
    redaction: Redaction
    line_words: tuple[Word, ...] | None  # the case's OCR words of the page (None: read afresh)
    typed: tuple[str, ...]  # what the user typed, pasted or loaded
    auto_names: bool  # add the names the release shows in clear
    ocr_words: tuple[Word, ...] = ()  # every OCR word of the release, for names


@dataclass(frozen=True, slots=True)
class FitOutcome:
    redaction_id: str
    estimate: WidthEstimate
    candidates: tuple[Candidate, ...]
    auto_names: int  # how many names the release offered


def release_names(request: FitRequest, ctx: TaskContext) -> list[str]:
    """Names in clear in the text layer of every page and in the case's OCR words."""
    with opened_pdf(request.pdf, request.password) as doc:
        count = int(doc.page_count)
    ctx.cancel.raise_if_cancelled()
    text = read_text_layer(request.pdf, range(1, count + 1), request.password)
    words = [w for page in text.values() for w in page] + list(request.ocr_words)
    return visible_names(words, _AUTO_NAMES)


def fit_redaction(request: FitRequest, ctx: TaskContext) -> FitOutcome:
    r = request.redaction
    with opened_pdf(request.pdf, request.password) as doc:
        words: Sequence[Word] | None = request.line_words
        line = estimate_on_page(load_page(doc, r.page), r.box, words)
    if line is None:
        raise NotOnTextLineError(
            f"page {r.page}: the box is not on a line of visible text, so there is nothing "
            "to measure the hidden text against"
        )
    names = release_names(request, ctx) if request.auto_names else []
    ranked = fit_candidates(line, [*request.typed, *names])
    return FitOutcome(r.id, line.estimate, tuple(ranked), len(names))
