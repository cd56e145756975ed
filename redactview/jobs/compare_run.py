"""Comparing two releases end to end: detect, read words, link, store.

Each release goes through the same steps as ``scan`` and ``ocr`` (both
resumable from a case), then ``link_releases`` runs on plain page contents.
Without a case file the work happens in a throw-away case, so nothing is
left behind; with one, links are stored and links the user set by hand win
over the new computed ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from redactview.analysis.compare import CompareResult, PageContent, link_releases
from redactview.analysis.compare.reread import reread_reveals
from redactview.core.exemptions import DEFAULT_JURISDICTIONS
from redactview.core.hashing import sha256_file
from redactview.core.model import Redaction, Release
from redactview.core.progress import CancelToken, ProgressSink, ignore_progress
from redactview.jobs.executor import make_executor
from redactview.jobs.ocr_run import OcrOptions, run_ocr
from redactview.jobs.scan import ScanOptions, scan_document
from redactview.jobs.words import release_words
from redactview.store.case import Case, open_or_scratch_case


@dataclass(frozen=True, slots=True)
class CompareOptions:
    jobs: int | None = None
    ocr: bool = True  # OCR scanned pages (needs Tesseract); off: text layers only
    password_a: str | None = None
    password_b: str | None = None
    jurisdictions: tuple[str, ...] = DEFAULT_JURISDICTIONS  # the tables labels cite


@dataclass(frozen=True, slots=True)
class ReleaseSide:
    path: Path
    sha256: str
    release: Release
    ocr_missing: tuple[int, ...]  # scanned pages without words (OCR failed or off)


@dataclass(frozen=True, slots=True)
class CompareRun:
    a: ReleaseSide
    b: ReleaseSide
    result: CompareResult


def compare_files(
    path_a: str | Path,
    path_b: str | Path,
    *,
    case_path: str | Path | None = None,
    options: CompareOptions | None = None,
    progress: ProgressSink = ignore_progress,
    cancel: CancelToken | None = None,
) -> CompareRun:
    options = options or CompareOptions()
    with open_or_scratch_case(case_path, "compare") as case:
        side_a = prepare_release(case, Path(path_a), options, options.password_a, progress, cancel)
        side_b = prepare_release(case, Path(path_b), options, options.password_b, progress, cancel)
        pages_b = load_contents(case, side_b)
        result = link_releases(load_contents(case, side_a), pages_b, cancel)
        if options.ocr:
            # Whole-page OCR reads a name beside a box badly; read such reveals again.
            result = reread_reveals(path_b, options.password_b, result, pages_b)
        if case_path is not None:
            stored = case.links.replace_computed(side_a.release.id, side_b.release.id, result.links)
            result = CompareResult(result.page_pairs, tuple(stored))
    return CompareRun(side_a, side_b, result)


def prepare_release(
    case: Case,
    path: Path,
    options: CompareOptions,
    password: str | None,
    progress: ProgressSink,
    cancel: CancelToken | None,
) -> ReleaseSide:
    """Detect redactions and read words of one release (resuming what the case has)."""
    executor = make_executor(options.jobs)
    scan_options = ScanOptions(
        password=password, ocr=options.ocr, jurisdictions=options.jurisdictions
    )
    scan_document(
        path, options=scan_options, case=case, executor=executor, progress=progress, cancel=cancel
    )
    sha256 = sha256_file(path)
    release = case.release_by_sha256(sha256)
    assert release is not None  # scan_document added it
    missing: tuple[int, ...] = ()
    if options.ocr:
        report = run_ocr(
            case,
            release,
            OcrOptions(jobs=options.jobs, password=password),
            progress=progress,
            cancel=cancel,
        )
        missing = report.missing
    return ReleaseSide(path, sha256, release, missing)


def load_contents(case: Case, side: ReleaseSide) -> list[PageContent]:
    """Per page, the words (text layer or cached OCR) and the redactions the case holds."""
    release = side.release
    words = release_words(case, release)
    redactions = case.redactions.list(release.id)
    by_page: dict[int, list[Redaction]] = {}
    for red in redactions:
        by_page.setdefault(red.page, []).append(red)
    return [
        PageContent(
            info.number,
            tuple(words.get(info.number, ())),
            tuple(by_page.get(info.number, ())),
            info.width,
            info.height,
        )
        for info in case.pages(release.id)
    ]
