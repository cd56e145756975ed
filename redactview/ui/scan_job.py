"""Detection and leak check as viewer jobs, over the case the window has open.

Both run on a task thread through the session's own case (the case lock lets
one writer in, and that is the window), so ``JobsMixin`` holds the window's
own edits while they write.
"""

from __future__ import annotations

from dataclasses import dataclass

from redactview.analysis.leaks import attach_text_under, check_document, link_findings
from redactview.core.exemptions import DEFAULT_JURISDICTIONS
from redactview.core.model import Release
from redactview.jobs.executor import Executor, make_executor
from redactview.jobs.scan import ScanOptions, scan_document
from redactview.store.case import Case
from redactview.ui.tasks import TaskContext


@dataclass(frozen=True, slots=True)
class ScanSummary:
    pages: int
    redactions: int
    skipped: int  # pages already detected earlier (a resumed scan)
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LeakSummary:
    findings: int
    redactions_with_text: int


def scan_release(
    case: Case,
    release: Release,
    ctx: TaskContext,
    *,
    executor: Executor | None = None,
    jobs: int | None = None,
    ocr: bool = True,
    password: str | None = None,
    rescan: bool = False,
    jurisdictions: tuple[str, ...] = DEFAULT_JURISDICTIONS,
) -> ScanSummary:
    """Detect redactions on every page (the batch runner stores each page as it ends).

    Pages detected earlier are skipped unless ``rescan``: then their detected
    boxes are replaced (same ids where a box is found again; manual boxes and
    every annotation stay).
    """
    pdf = case.locate_release(release)
    report = scan_document(
        pdf,
        options=ScanOptions(password=password, ocr=ocr, rescan=rescan, jurisdictions=jurisdictions),
        case=case,
        executor=executor or make_executor(jobs),
        progress=ctx.progress,
        cancel=ctx.cancel,
    )
    return ScanSummary(
        release.page_count,
        len(report.document.redactions),
        len(report.skipped_pages),
        report.warnings,
    )


def check_release_leaks(
    case: Case, release: Release, ctx: TaskContext, password: str | None = None
) -> LeakSummary:
    """Leak check: findings replace the release's earlier ones; boxes get their text_under."""
    pdf = case.locate_release(release)
    result = check_document(pdf, password=password, progress=ctx.progress, cancel=ctx.cancel)
    redactions = case.redactions.list(release.id)
    case.findings.replace(release.id, link_findings(result.findings, redactions))
    changed = 0
    for before, after in zip(
        redactions, attach_text_under(redactions, result.findings), strict=True
    ):
        if after.text_under != before.text_under:
            case.redactions.save(release.id, after)
            changed += 1
    return LeakSummary(len(result.findings), changed)
