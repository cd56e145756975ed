"""Opening PDFs: the one place where PyMuPDF's failures become our errors.

A PyMuPDF document is not thread-safe, so nothing here caches or shares one:
every caller (a worker process, the render thread) opens its own by path.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pymupdf

from redactview.errors import (
    CorruptPdfError,
    EncryptedPdfError,
    InputMissingError,
    LimitExceededError,
    NotAPdfError,
)

# The header may sit after some junk (the spec allows 1024 bytes of it).
_HEADER_WINDOW = 1024
# Pages larger than this (in points, either side) are refused before rendering:
# PDF's own limit is 14,400 pt (200 in); anything bigger is a bomb or broken.
MAX_PAGE_SIDE_PT = 14_400.0

pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)


# Passwords the user gave during this process (the CLI's --password, the GUI's
# prompt). Exports and jobs reopen releases deep inside; rather than thread a
# password through every call, open_pdf also tries these. They live in memory
# only: never in the case file, the preferences or a log.
_session_passwords: list[str] = []


def remember_password(password: str) -> None:
    """Let every later ``open_pdf`` in this process try ``password``."""
    if password and password not in _session_passwords:
        _session_passwords.append(password)


def forget_passwords() -> None:
    _session_passwords.clear()


def _authenticate(doc: pymupdf.Document, path: Path, password: str | None) -> None:
    tried = [password] if password is not None else []
    tried += [p for p in _session_passwords if p != password]
    if not tried:
        doc.close()
        raise EncryptedPdfError(f"{path}: the PDF is password-protected (use --password)")
    if not any(doc.authenticate(candidate) for candidate in tried):
        doc.close()
        raise EncryptedPdfError(f"{path}: wrong password")


def _check_is_pdf(path: Path) -> None:
    if not path.exists():
        raise InputMissingError(f"{path}: no such file")
    if path.is_dir():
        raise InputMissingError(f"{path}: is a folder, not a PDF")
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEADER_WINDOW)
    except OSError as exc:
        raise InputMissingError(f"{path}: cannot read ({exc.strerror})") from exc
    if not head:
        raise NotAPdfError(f"{path}: the file is empty")
    if b"%PDF-" not in head:
        raise NotAPdfError(f"{path}: not a PDF file")


def open_pdf(path: str | Path, password: str | None = None) -> pymupdf.Document:
    """Open a PDF for reading, or raise a ``PdfError`` with a one-line message."""
    path = Path(path)
    _check_is_pdf(path)
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except (pymupdf.FileDataError, pymupdf.EmptyFileError, RuntimeError, ValueError) as exc:
        raise CorruptPdfError(
            f"{path}: damaged PDF that cannot be opened", details=str(exc)
        ) from exc
    if doc.needs_pass:
        _authenticate(doc, path, password)
    try:
        count = doc.page_count
    except Exception as exc:  # broken page tree
        doc.close()
        raise CorruptPdfError(f"{path}: damaged page tree", details=str(exc)) from exc
    if count == 0:
        doc.close()
        raise CorruptPdfError(f"{path}: the PDF has no pages")
    return doc


@contextlib.contextmanager
def opened_pdf(path: str | Path, password: str | None = None) -> Iterator[pymupdf.Document]:
    doc = open_pdf(path, password)
    try:
        yield doc
    finally:
        doc.close()
        # MuPDF keeps decoded images in a process-wide store (up to 256 MB) even
        # after their document is closed; a worker that opens the PDF for every
        # page would fill it with dead entries (+2 MB per scanned page). Empty it.
        pymupdf.TOOLS.store_shrink(100)


@contextlib.contextmanager
def mupdf_errors(where: str) -> Iterator[None]:
    """MuPDF's own exceptions from damaged or oversized page content, as ours.

    Opening repairs what it can, but some damage only shows when a page's
    content or images are decoded (an image MuPDF refuses as overly large, a
    broken stream): the caller reports that page and goes on with the others.
    """
    try:
        yield
    except pymupdf.mupdf.FzErrorLimit as exc:
        raise LimitExceededError(
            f"{where}: content exceeds MuPDF's size limits", details=str(exc)
        ) from exc
    except (pymupdf.mupdf.FzErrorBase, RuntimeError) as exc:
        # PyMuPDF's own C++ helpers (insert_pdf, …) raise plain RuntimeErrors
        # such as "source object number out of range" on a truncated file.
        raise CorruptPdfError(f"{where}: damaged content", details=str(exc)) from exc


def load_page(doc: pymupdf.Document, number: int) -> pymupdf.Page:
    """Load 1-based page ``number`` with its size checked against our limits."""
    try:
        page = doc.load_page(number - 1)
    except Exception as exc:
        raise CorruptPdfError(f"page {number}: damaged page", details=str(exc)) from exc
    rect = page.cropbox
    if rect.width > MAX_PAGE_SIDE_PT or rect.height > MAX_PAGE_SIDE_PT:
        raise LimitExceededError(
            f"page {number}: page size {rect.width:.0f}×{rect.height:.0f} pt exceeds the "
            f"{MAX_PAGE_SIDE_PT:.0f} pt limit"
        )
    return page
