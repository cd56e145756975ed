"""What "open this file" means, as plain functions the task runner calls off the GUI thread.

A bare PDF always gets a case, so no annotation is ever unsaved: the case
lives in the user data folder, named after the PDF and its hash, so opening
the same file again (even renamed or moved) finds the same annotations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from redactview.core.hashing import sha256_file
from redactview.core.model import DocumentInfo, PageInfo
from redactview.errors import InputMissingError
from redactview.pdf.document import opened_pdf
from redactview.pdf.info import inspect_document, inspect_page
from redactview.store.case import CASE_SUFFIX, Case
from redactview.ui.preferences import data_dir
from redactview.ui.tasks import TaskContext


@dataclass(frozen=True, slots=True)
class Opened:
    case_path: Path
    release_id: int | None  # the release to show first (None: the case's first)
    # That release's pages, read on the worker thread: 10,000 rows made into
    # PageInfo values held the GUI thread for ~50 ms.
    pages: tuple[PageInfo, ...] = ()


def is_case_file(path: Path) -> bool:
    return path.suffix.lower() == CASE_SUFFIX


def case_path_for(pdf: Path, sha256: str) -> Path:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", pdf.stem)[:60] or "release"
    return data_dir() / "cases" / f"{stem}-{sha256[:12]}{CASE_SUFFIX}"


@dataclass(frozen=True, slots=True)
class FirstLook:
    """Enough of a PDF to show its first page before the rest is read."""

    path: Path
    page_count: int
    first: PageInfo
    pages: tuple[PageInfo, ...] = ()  # provisional, made on the worker thread

    def provisional_pages(self) -> list[PageInfo]:
        """Page 1 as it is; the others sized like it until the real sizes arrive."""
        if len(self.pages) == self.page_count:
            return list(self.pages)
        return make_provisional(self.first, self.page_count)


def make_provisional(first: PageInfo, count: int) -> list[PageInfo]:
    """``count`` pages like ``first`` (10,000 values: tens of ms, so not on the GUI thread)."""
    return [first] + [
        PageInfo(n, first.width, first.height, first.rotation, first.text_status)
        for n in range(2, count + 1)
    ]


def look_at_first_page(pdf: Path, ctx: TaskContext, password: str | None = None) -> FirstLook:
    """Page count and page 1 alone (milliseconds, whatever the page count)."""
    if not pdf.is_file():
        raise InputMissingError(f"{pdf}: no such file")
    with opened_pdf(pdf, password) as doc:
        first, count = inspect_page(doc, 1), int(doc.page_count)
    return FirstLook(pdf, count, first, tuple(make_provisional(first, count)))


def open_pdf_as_case(pdf: Path, ctx: TaskContext, password: str | None = None) -> Opened:
    """Find or make the case for a bare PDF. Runs on a worker thread."""
    if not pdf.is_file():
        raise InputMissingError(f"{pdf}: no such file")
    sha = sha256_file(pdf)
    case_path = case_path_for(pdf, sha)
    case_path.parent.mkdir(parents=True, exist_ok=True)
    with Case.open(case_path, create=True) as case:
        existing = case.release_by_sha256(sha)
        if existing is not None:
            if Path(existing.path) != pdf.resolve():
                case.relocate_release(existing.id, pdf)
            return Opened(case_path, existing.id, tuple(case.pages(existing.id)))
        ctx.cancel.raise_if_cancelled()
        release = case.add_release(inspect_document(pdf, password))
        return Opened(case_path, release.id, tuple(case.pages(release.id)))


def inspect_for_case(pdf: Path, ctx: TaskContext, password: str | None = None) -> DocumentInfo:
    """Read a PDF's pages for adding it to an open case (the GUI thread adds it)."""
    ctx.cancel.raise_if_cancelled()
    return inspect_document(pdf, password)
