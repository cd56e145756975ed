"""``redactview info``: what a PDF holds, page by page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pymupdf

from redactview.core.hashing import sha256_file
from redactview.core.model import DocumentInfo, PageInfo, TextStatus
from redactview.errors import LimitExceededError
from redactview.pdf.document import load_page, opened_pdf
from redactview.pdf.textlayer import classify_text_layer, measure_text_layer

_METADATA_KEYS = (
    "title",
    "author",
    "subject",
    "keywords",
    "creator",
    "producer",
    "creationDate",
    "modDate",
)


@dataclass(frozen=True, slots=True)
class Inspection:
    """What ``inspect_pages`` found: the document, and the pages it refused to read."""

    info: DocumentInfo
    # (page, reason): pages over a safety limit (a page side past 14,400 pt).
    # Their PageInfo has the page's size and no content (status "empty").
    skipped: tuple[tuple[int, str], ...] = ()


def inspect_page(doc: pymupdf.Document, number: int) -> PageInfo:
    page = load_page(doc, number)
    stats = measure_text_layer(page)
    box = page.cropbox
    return PageInfo(
        number=number,
        width=round(box.width, 2),
        height=round(box.height, 2),
        rotation=page.rotation,
        text_status=classify_text_layer(stats),
        char_count=stats.chars,
        image_coverage=round(stats.image_coverage, 3),
    )


def inspect_page_or_skip(
    doc: pymupdf.Document, number: int, skipped: list[tuple[int, str]]
) -> PageInfo:
    """One oversized page does not refuse the document: it is listed, never read.

    ``load_page`` refuses the page before any of its content is decoded; only
    its size (from the page dictionary) is kept. Other damage still refuses
    the whole file, as before.
    """
    try:
        return inspect_page(doc, number)
    except LimitExceededError as exc:
        skipped.append((number, exc.message))
    page = doc.load_page(number - 1)
    box = page.cropbox
    return PageInfo(
        number, round(box.width, 2), round(box.height, 2), page.rotation, TextStatus.EMPTY
    )


def inspect_pages(path: str | Path, password: str | None = None) -> Inspection:
    """The document's pages, metadata and hash; pages over a size limit skipped and named."""
    skipped: list[tuple[int, str]] = []
    with opened_pdf(path, password) as doc:
        pages = tuple(inspect_page_or_skip(doc, n, skipped) for n in range(1, doc.page_count + 1))
        raw = doc.metadata or {}
        metadata = tuple((k, str(raw[k])) for k in _METADATA_KEYS if raw.get(k))
        encrypted = bool(doc.is_encrypted or raw.get("encryption"))
    info = DocumentInfo(
        path=str(path),
        sha256=sha256_file(path),
        page_count=len(pages),
        pages=pages,
        metadata=metadata,
        encrypted=encrypted,
    )
    return Inspection(info, tuple(skipped))


def inspect_document(path: str | Path, password: str | None = None) -> DocumentInfo:
    """``inspect_pages`` for callers that need no word on skipped pages."""
    return inspect_pages(path, password).info
