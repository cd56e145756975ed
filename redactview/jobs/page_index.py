"""A page's words for search and for callers: text layer, OCR, or both merged."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from redactview.core.model import TextStatus, Word
from redactview.errors import LimitExceededError
from redactview.pdf.document import load_page, opened_pdf
from redactview.pdf.held import PdfDocument
from redactview.pdf.textlayer import extract_words

# An OCR word mostly covered by a text-layer word is the same word read twice.
_SAME_WORD_COVERAGE = 0.5


def read_text_layer(
    pdf_path: str | Path, pages: Iterable[int], password: str | None = None
) -> dict[int, list[Word]]:
    """Text-layer words of some pages, opening the PDF once."""
    wanted = list(pages)
    if not wanted:
        return {}
    with opened_pdf(pdf_path, password) as doc:
        return {n: _words_or_none(doc, n) for n in wanted}


def _words_or_none(doc: PdfDocument, number: int) -> list[Word]:
    """A page over the size limit has no words here: it is never read (info/scan/ocr warn)."""
    try:
        page = load_page(doc, number)
    except LimitExceededError:
        return []
    return extract_words(page, number)


def merge_words(text_words: Sequence[Word], ocr_words: Sequence[Word]) -> list[Word]:
    """Text-layer words plus the OCR words that are not already among them.

    On a mixed page (a typed letter with a scanned attachment) the text layer
    is exact where it exists; OCR adds only what sits in the images.
    """
    extra = [
        w
        for w in ocr_words
        if all(w.box.coverage_by(t.box) < _SAME_WORD_COVERAGE for t in text_words)
    ]
    return [*text_words, *extra]


def source_of(status: TextStatus, has_ocr: bool) -> str:
    """How a page's indexed words were made: "text", "ocr" or "mixed"."""
    if not has_ocr:
        return "text"
    return "mixed" if status is TextStatus.MIXED else "ocr"
