"""The batch runner for detection: every page of every release, in worker processes.

Workers run ``analysis.pipeline.analyze_page`` and return values; this
coordinating process alone writes to the case (SQLite has one writer). A
cancelled run keeps every finished page. With a case, pages whose detection
already finished (``pages.detected_at``) are skipped unless ``rescan`` is set.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from redactview.analysis.pipeline import DEFAULT_DPI, PageResult, PageTask, analyze_page
from redactview.core.catalog import CatalogDocument
from redactview.core.model import DocumentInfo, Redaction
from redactview.core.progress import CancelToken, ProgressSink, ProgressTracker, ignore_progress
from redactview.errors import PdfError
from redactview.jobs.executor import Executor, SerialExecutor
from redactview.pdf.document import mupdf_errors
from redactview.pdf.info import inspect_document
from redactview.store.case import Case


@dataclass(frozen=True, slots=True)
class ScanOptions:
    dpi: float = DEFAULT_DPI
    password: str | None = None
    ocr: bool = True
    rescan: bool = False  # redo pages a case says are done


@dataclass(frozen=True, slots=True)
class ScanReport:
    document: CatalogDocument
    results: tuple[PageResult, ...]  # pages analysed in this run, in page order
    skipped_pages: tuple[int, ...]  # already detected (resumed from the case)
    warnings: tuple[str, ...]


def _tasks(info: DocumentInfo, pages: list[int], options: ScanOptions) -> list[PageTask]:
    return [
        PageTask(info.path, n, info.sha256, options.dpi, options.password, options.ocr)
        for n in pages
    ]


def analyze_page_or_skip(task: PageTask) -> PageResult:
    """One bad page (a decompression bomb, damaged content) is reported; the run goes on.

    Module-level so that worker processes can unpickle it.
    """
    try:
        with mupdf_errors(f"page {task.page}"):
            return analyze_page(task)
    except PdfError as exc:
        return PageResult(task.page, (), (), (), (f"{exc.message} (page skipped)",))


def scan_document(
    path: str | Path,
    *,
    options: ScanOptions | None = None,
    case: Case | None = None,
    executor: Executor | None = None,
    progress: ProgressSink = ignore_progress,
    cancel: CancelToken | None = None,
) -> ScanReport:
    """Detect redactions on every page of one PDF; store them in ``case`` if given."""
    options = options or ScanOptions()
    info = inspect_document(path, options.password)
    release = case.add_release(info) if case is not None else None
    done: set[int] = set()
    if case is not None and release is not None and not options.rescan:
        done = case.redactions.detected_pages(release.id)
    todo = [n for n in range(1, info.page_count + 1) if n not in done]
    tracker = ProgressTracker(len(todo), progress, Path(path).name)
    results: list[PageResult] = []
    for result in (executor or SerialExecutor()).map_unordered(
        analyze_page_or_skip, _tasks(info, todo, options), cancel
    ):
        results.append(result)
        if case is not None and release is not None:
            case.redactions.replace_detected(
                release.id, result.redactions, [result.page], mark_done=not result.warnings
            )
        tracker.step(message=f"page {result.page}")
    results.sort(key=lambda r: r.page)
    redactions = _all_redactions(case, release.id if release else None, results)
    document = CatalogDocument(
        info.path,
        info.sha256,
        info.page_count,
        redactions,
        release.label if release else Path(path).stem,
        release.id if release else None,
    )
    warnings = tuple(dict.fromkeys(w for r in results for w in r.warnings))
    return ScanReport(document, tuple(results), tuple(sorted(done)), warnings)


def _all_redactions(
    case: Case | None, release_id: int | None, results: list[PageResult]
) -> tuple[Redaction, ...]:
    """With a case, the catalog is what the case holds: resumed pages and manual boxes too."""
    if case is not None and release_id is not None:
        return tuple(case.redactions.list(release_id))
    return tuple(r for result in results for r in result.redactions)
