"""The leak check: combine page and document findings, dedupe, score, and show them.

``check_document`` runs every mechanism over one file. Findings that come from
different mechanisms but name the same hidden words at the same place are one
finding (the more confident one is kept). A picture found beneath a box is
read with OCR when Tesseract is there, so the user gets words as well as the
crop. Document-level text (a title, a bookmark, an attachment) that names
words hidden on a page is corroborated and scores high.

``attach_text_under`` puts what a finding recovered into ``Redaction.text_under``
for the catalog; ``link_findings`` records which redaction each finding is under.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from redactview.core.geometry import Box
from redactview.core.hashing import sha256_file
from redactview.core.model import LeakFinding, Redaction
from redactview.core.progress import CancelToken, ProgressSink, ProgressTracker, ignore_progress
from redactview.errors import OcrPageError, OcrUnavailableError, PdfError
from redactview.ocr.tesseract import read_words
from redactview.pdf.document import load_page, mupdf_errors, opened_pdf
from redactview.pdf.leaks_content import PdfPage, find_content_leaks
from redactview.pdf.leaks_document import DOCUMENT_PAGE, find_document_leaks
from redactview.pdf.render import check_image_sizes

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\-]{2,}|\d{3,}")
_CORROBORATED = 0.9
# A finding belongs to a redaction when this share of it lies inside the box.
_UNDER = 0.5
# White margin between crops stacked for one OCR run, in pixels.
_GAP = 24


@dataclass(frozen=True, slots=True)
class DocumentLeaks:
    path: str
    sha256: str
    findings: tuple[LeakFinding, ...]
    # Pages that could not be checked (a bomb, damaged content): never silently clean.
    warnings: tuple[str, ...] = ()


def check_page(page: PdfPage, number: int, *, ocr: bool = True) -> list[LeakFinding]:
    """Page-content findings for one page, pictures beneath boxes read with OCR."""
    findings = find_content_leaks(page, number)
    return read_pictures(findings) if ocr else findings


def check_document(
    path: str | Path,
    *,
    password: str | None = None,
    ocr: bool = True,
    progress: ProgressSink = ignore_progress,
    cancel: CancelToken | None = None,
) -> DocumentLeaks:
    """Every leak in one PDF, page by page then the document as a whole."""
    found: list[LeakFinding] = []
    warnings: list[str] = []
    with opened_pdf(path, password) as doc:
        tracker = ProgressTracker(doc.page_count, progress, "leak check")
        for number in range(1, doc.page_count + 1):
            if cancel is not None:
                cancel.raise_if_cancelled()
            try:
                found += check_page_guarded(load_page(doc, number), number, ocr=ocr)
            except PdfError as exc:
                warnings.append(f"{exc.message} (page not checked)")
            tracker.step()
        with mupdf_errors(str(path)):  # a page-tree cycle surfaces here too
            found += find_document_leaks(doc, Path(path).read_bytes())
    findings = corroborate(dedupe(found))
    return DocumentLeaks(
        str(path), sha256_file(path), tuple(sort_findings(findings)), tuple(warnings)
    )


def check_page_guarded(page: PdfPage, number: int, *, ocr: bool) -> list[LeakFinding]:
    """Looking under a box decodes the page's images: refuse bombs first."""
    with mupdf_errors(f"page {number}"):
        check_image_sizes(page)
        return check_page(page, number, ocr=ocr)


def decode_gray(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("L"))


def stack_crops(crops: Sequence[np.ndarray]) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Crops one under another on white, with each one's row range.

    One Tesseract run per page instead of one per crop: starting Tesseract
    costs more than reading a line.
    """
    width = max(c.shape[1] for c in crops) + 2 * _GAP
    height = sum(c.shape[0] for c in crops) + _GAP * (len(crops) + 1)
    sheet = np.full((height, width), 255, dtype=np.uint8)
    rows, y = [], _GAP
    for crop in crops:
        sheet[y : y + crop.shape[0], _GAP : _GAP + crop.shape[1]] = crop
        rows.append((y, y + crop.shape[0]))
        y += crop.shape[0] + _GAP
    return sheet, rows


def read_pictures(findings: Sequence[LeakFinding]) -> list[LeakFinding]:
    """Fill picture findings' text with what OCR reads in their crops, when it can."""
    todo = [i for i, f in enumerate(findings) if f.image_png is not None and not f.text]
    if not todo:
        return list(findings)
    sheet, rows = stack_crops([decode_gray(findings[i].image_png or b"") for i in todo])
    try:
        words = read_words(sheet, psm=6)
    except (OcrUnavailableError, OcrPageError):
        return list(findings)  # the crop itself is the evidence; words are a bonus
    out = list(findings)
    for i, (top, bottom) in zip(todo, rows, strict=True):
        inside = [w for w in words if w.conf >= 40 and top <= w.top + w.height / 2 < bottom]
        inside.sort(key=lambda w: (w.block, w.par, w.line, w.left))
        text = " ".join(w.text for w in inside)
        if text:
            out[i] = dataclasses.replace(out[i], text=text)
    return out


def normalise(text: str) -> str:
    return " ".join(text.lower().split())


def same_leak(a: LeakFinding, b: LeakFinding) -> bool:
    if a.page != b.page or normalise(a.text) != normalise(b.text):
        return False
    if a.box is None or b.box is None:
        return a.box is None and b.box is None and a.mechanism == b.mechanism
    return a.box.iou(b.box) > 0.5


def dedupe(findings: Iterable[LeakFinding]) -> list[LeakFinding]:
    """One finding per hidden thing: the most confident mechanism wins."""
    kept: list[LeakFinding] = []
    for finding in sorted(findings, key=lambda f: -f.confidence):
        if finding.image_png is not None or not any(same_leak(finding, k) for k in kept):
            kept.append(finding)
    return kept


def tokens(text: str) -> set[str]:
    return {t.lower() for t in _TOKEN.findall(text)}


def corroborate(findings: Sequence[LeakFinding]) -> list[LeakFinding]:
    """Text outside the pages that repeats words hidden on a page is a real leak."""
    hidden: set[str] = set()
    for f in findings:
        if f.box is not None and f.page != DOCUMENT_PAGE and f.confidence >= 0.5:
            hidden |= tokens(f.text)
    out = []
    for f in findings:
        outside = f.box is None or ":" in f.mechanism or f.mechanism == "form_field"
        if outside and f.confidence < _CORROBORATED and tokens(f.text) & hidden:
            f = dataclasses.replace(f, confidence=_CORROBORATED)
        out.append(f)
    return out


def sort_findings(findings: Iterable[LeakFinding]) -> list[LeakFinding]:
    def key(f: LeakFinding) -> tuple[int, float, float, str]:
        box = f.box or Box(0, 0, 0, 0)
        return (f.page, box.y0, box.x0, f.mechanism)

    return sorted(findings, key=key)


def is_under(finding: LeakFinding, redaction: Redaction) -> bool:
    if finding.box is None or finding.page != redaction.page:
        return False
    area = redaction.box.expanded(2.0)
    return (
        finding.box.coverage_by(area) >= _UNDER or redaction.box.coverage_by(finding.box) >= _UNDER
    )


def attach_text_under(
    redactions: Sequence[Redaction], findings: Sequence[LeakFinding]
) -> list[Redaction]:
    """Redactions with ``text_under`` set to what the findings under them recovered.

    Redactions with nothing recovered are returned unchanged (their
    ``text_under`` stays as it was, normally None).
    """
    out = []
    for redaction in redactions:
        under = [f for f in findings if f.text and is_under(f, redaction)]
        texts = list(dict.fromkeys(f.text for f in sort_findings(under)))
        out.append(
            dataclasses.replace(redaction, text_under=" ".join(texts)) if texts else redaction
        )
    return out


def link_findings(
    findings: Sequence[LeakFinding], redactions: Sequence[Redaction]
) -> list[LeakFinding]:
    """Findings with ``redaction_id`` set to the redaction each one lies under."""
    out = []
    for finding in findings:
        match = next((r for r in redactions if is_under(finding, r)), None)
        out.append(dataclasses.replace(finding, redaction_id=match.id) if match else finding)
    return out


def fill_text_under(
    page: PdfPage, number: int, redactions: Sequence[Redaction], *, ocr: bool = True
) -> list[Redaction]:
    """The pipeline's last step: check one page and fill its redactions' ``text_under``."""
    if not redactions:
        return list(redactions)
    return attach_text_under(redactions, dedupe(check_page(page, number, ocr=ocr)))
