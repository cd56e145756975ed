"""One PDF kept open per worker thread, across the batch tasks that name it.

A batch worker (a pool process, a Dask worker thread) receives many tasks for
the same file. Opening it for each of them parses the cross-reference table
every time: 11 ms per open on a 1,000-page scan, 10× that on a 10,000-page
one, a cost that grows with the file while a page's work does not. So the
worker keeps the last document it opened, keyed by path, content hash and
password, and reopens only when a task names another file.

The handle is per thread (PyMuPDF documents are not thread-safe: a Dask
worker with two threads must not share one) and at most one per thread is
open. Decoded images stay in MuPDF's process-wide store while the document is
open, so callers empty it after each run of pages (``drop_decoded_images``).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pymupdf

from redactview.pdf.document import open_pdf

# Callers outside redactview.pdf name the type without importing PyMuPDF.
PdfDocument = pymupdf.Document
_HeldKey = tuple[str, str, str | None]


class _Held(threading.local):
    key: _HeldKey | None = None
    doc: pymupdf.Document | None = None


_held = _Held()


def held_pdf(path: str | Path, sha256: str, password: str | None = None) -> pymupdf.Document:
    """This thread's open document for ``path``; opened (and the previous one closed) on a change.

    ``sha256`` is the coordinator's hash of the file: a long-lived Dask worker
    that meets the same path with other content opens it again. The worker
    does not hash the file itself (reading 130 MB per task would cost more
    than the open it saves).
    """
    key = (str(path), sha256, password)
    if _held.doc is not None and _held.key == key:
        return _held.doc
    close_held()
    doc = open_pdf(path, password)
    _held.key, _held.doc = key, doc
    return doc


def close_held() -> None:
    """Close this thread's held document, if any (end of a batch in this process)."""
    doc, _held.doc, _held.key = _held.doc, None, None
    if doc is not None:
        doc.close()
        drop_decoded_images()


def drop_decoded_images() -> None:
    """Empty MuPDF's store of decoded images (up to 256 MB, +2 MB per scanned page)."""
    pymupdf.TOOLS.store_shrink(100)
