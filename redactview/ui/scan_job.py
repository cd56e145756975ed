"""Scan a release for redactions from the viewer.

Runs the per-page detection pipeline (``analysis.pipeline``) through the
shared executor seam and stores each page's result as it arrives, so a
cancelled scan keeps every finished page. When the batch runner
(``jobs/scan``, resumable scans) lands, this should call it instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from redactview.analysis.pipeline import PageResult, PageTask, analyze_page
from redactview.core.model import Release
from redactview.core.progress import ProgressTracker
from redactview.jobs.executor import Executor, make_executor
from redactview.store.case import Case
from redactview.ui.tasks import TaskContext


@dataclass(frozen=True, slots=True)
class ScanSummary:
    pages: int
    redactions: int
    warnings: tuple[str, ...]


def scan_release(
    case: Case,
    release: Release,
    ctx: TaskContext,
    *,
    executor: Executor | None = None,
    jobs: int | None = None,
    ocr: bool = True,
) -> ScanSummary:
    """Detect redactions on every page of ``release`` and store them page by page."""
    pdf = case.locate_release(release)
    tasks = [
        PageTask(str(pdf), n, release.sha256, ocr=ocr) for n in range(1, release.page_count + 1)
    ]
    tracker = ProgressTracker(len(tasks), ctx.progress, "detecting redactions")
    executor = executor or make_executor(jobs)
    found = 0
    warnings: list[str] = []
    result: PageResult
    for result in executor.map_unordered(analyze_page, tasks, ctx.cancel):
        case.redactions.replace_detected(release.id, result.redactions, pages=[result.page])
        found += len(result.redactions)
        warnings.extend(f"page {result.page}: {w}" for w in result.warnings)
        tracker.step(message=f"page {result.page}")
    return ScanSummary(len(tasks), found, tuple(dict.fromkeys(warnings)))
