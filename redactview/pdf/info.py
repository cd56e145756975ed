"""``redactview info``: what a PDF holds, page by page."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from redactview.core.hashing import sha256_file
from redactview.core.model import DocumentInfo, PageInfo
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


def inspect_document(path: str | Path, password: str | None = None) -> DocumentInfo:
    with opened_pdf(path, password) as doc:
        pages = tuple(inspect_page(doc, n) for n in range(1, doc.page_count + 1))
        raw = doc.metadata or {}
        metadata = tuple((k, str(raw[k])) for k in _METADATA_KEYS if raw.get(k))
        encrypted = bool(doc.is_encrypted or raw.get("encryption"))
    return DocumentInfo(
        path=str(path),
        sha256=sha256_file(path),
        page_count=len(pages),
        pages=pages,
        metadata=metadata,
        encrypted=encrypted,
    )
