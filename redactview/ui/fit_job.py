"""Candidate fitting for the inspector, as plain work for the PDF lane.

The width engine opens the release's PDF (its fonts, or OCR of the line), so
this runs as a background task in the PDF lane, never beside another PyMuPDF
user. It only reads the case (cached OCR words), as the find job does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from redactview.analysis.fit import Candidate
from redactview.analysis.names import visible_names
from redactview.analysis.width import WidthEstimate
from redactview.analysis.width_page import NotOnTextLineError, estimate_span
from redactview.analysis.width_span import fit_span_candidates, group_boxes
from redactview.core.model import Redaction, Release
from redactview.jobs.ocr_run import OcrOptions
from redactview.jobs.words import cached_ocr_words, release_words
from redactview.pdf.document import load_page, opened_pdf
from redactview.store.case import Case
from redactview.ui.tasks import TaskContext

_AUTO_NAMES = 200


@dataclass(frozen=True, slots=True)
class FitRequest:
    case: Case  # read only here (the OCR cache), through the window's connection
    release: Release
    pdf: Path
    redaction: Redaction
    typed: tuple[str, ...]  # what the user typed, pasted or loaded
    auto_names: bool  # add the names the release shows in clear
    ocr: OcrOptions  # the preferences' language and resolution: the OCR cache's key

    @property
    def password(self) -> str | None:
        return self.ocr.password


@dataclass(frozen=True, slots=True)
class FitOutcome:
    redaction_id: str
    estimate: WidthEstimate
    candidates: tuple[Candidate, ...]
    auto_names: int  # how many names the release offered
    lines: int = 1  # text lines the hidden text runs over (a grouped or tall box)


def release_names(request: FitRequest) -> list[str]:
    """Names in clear in the release: its text layer and the OCR words the case holds."""
    words = release_words(request.case, request.release, request.ocr)
    return visible_names([w for page in words.values() for w in page], _AUTO_NAMES)


def fit_redaction(request: FitRequest, ctx: TaskContext) -> FitOutcome:
    r = request.redaction
    # A name broken over a line end is one hidden text: fit the whole group.
    boxes = group_boxes(r, request.case.redactions.list(request.release.id, r.page))
    # A scanned line: the case's OCR words if the page was read, else the width
    # engine OCRs a strip around the box itself.
    words = cached_ocr_words(request.case, request.release, r.page, request.ocr)
    with opened_pdf(request.pdf, request.password) as doc:
        span = estimate_span(load_page(doc, r.page), boxes, words)
    if span is None:
        raise NotOnTextLineError(
            f"page {r.page}: the box is not on a line of visible text, so there is nothing "
            "to measure the hidden text against"
        )
    ctx.cancel.raise_if_cancelled()
    names = release_names(request) if request.auto_names else []
    ranked = fit_span_candidates(span, [*request.typed, *names])
    return FitOutcome(r.id, span.estimate, tuple(ranked), len(names), len(span.segments))
