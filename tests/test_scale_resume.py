"""Resumable scans: an interrupted run, run again on the same case, does only the rest.

The analyse step is wrapped to count which pages actually run (serial
executor, in this process), so "skipped" is checked against the work done,
not just against what the report says.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from test_scale_fixtures import OPTIONS, catalog_key, make_release

from redactview.analysis.pipeline import PageResult, PageTask
from redactview.core.catalog import catalog_to_json
from redactview.core.model import RedactionKind
from redactview.core.progress import CancelToken, Progress, ProgressSink
from redactview.errors import CancelledError
from redactview.jobs import scan as scan_module
from redactview.jobs.executor import SerialExecutor
from redactview.jobs.scan import ScanOptions, scan_documents
from redactview.pdf.info import inspect_document
from redactview.store.case import Case

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def analysed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Pages handed to the analyse step, in order (serial runs in this process)."""
    pages: list[int] = []
    real = scan_module.analyze_open_page

    def counting(task: PageTask, doc: Any) -> PageResult:
        pages.append(task.page)
        return real(task, doc)

    monkeypatch.setattr(scan_module, "analyze_open_page", counting)
    return pages


def case_catalog(case_path: Path, pdf: Path) -> list[tuple[Any, ...]]:
    """The catalog a (finished) scan prints from the case, as a comparable key."""
    with Case.open(case_path) as case:
        batch = scan_documents([pdf], options=OPTIONS, case=case)
    return catalog_key(catalog_to_json([r.document for r in batch.reports])["documents"])


def cancel_after(pages: int, cancel: CancelToken) -> ProgressSink:
    def sink(progress: Progress) -> None:
        if progress.done >= pages:
            cancel.cancel()

    return sink


def test_cancelled_scan_resumes_with_only_the_remaining_pages(
    tmp_path: Path, analysed: list[int]
) -> None:
    pdf = make_release(tmp_path / "r.pdf", digital=5, scanned=1)
    (uninterrupted,) = scan_documents([pdf], options=OPTIONS).reports
    full = catalog_key(catalog_to_json([uninterrupted.document])["documents"])
    analysed.clear()
    case_path = tmp_path / "x.rvcase"
    cancel = CancelToken()
    with Case.open(case_path, create=True) as case, pytest.raises(CancelledError):
        scan_documents(
            [pdf], options=OPTIONS, case=case, cancel=cancel, progress=cancel_after(2, cancel)
        )
    # A cancel takes effect between runs of pages (jobs.chunks): the run that
    # held page 2 finishes, nothing after it starts.
    done = list(analysed)
    assert done[:2] == [1, 2] and done == list(range(1, len(done) + 1)) and len(done) < 6
    analysed.clear()
    with Case.open(case_path) as case:
        (report,) = scan_documents([pdf], options=OPTIONS, case=case).reports
    rest = list(range(len(done) + 1, 7))
    assert report.skipped_pages == tuple(done)  # every analysed page was stored
    assert analysed == rest
    assert [r.page for r in report.results] == rest
    analysed.clear()
    assert case_catalog(case_path, pdf) == full  # resumed == uninterrupted
    assert analysed == []  # a third run finds nothing left to do


def test_rescan_redoes_every_page(tmp_path: Path, analysed: list[int]) -> None:
    pdf = make_release(tmp_path / "r.pdf", digital=3, scanned=0)
    case_path = tmp_path / "x.rvcase"
    with Case.open(case_path, create=True) as case:
        first = scan_documents([pdf], options=OPTIONS, case=case).reports[0]
    analysed.clear()
    rescan = ScanOptions(ocr=False, rescan=True)
    with Case.open(case_path) as case:
        again = scan_documents([pdf], options=rescan, case=case).reports[0]
    assert analysed == [1, 2, 3] and again.skipped_pages == ()
    assert again.document.redactions == first.document.redactions


@pytest.mark.slow
def test_killed_subprocess_scan_resumes(tmp_path: Path, analysed: list[int]) -> None:
    """SIGKILL mid-run (no cleanup at all): the case keeps every page whose boxes were saved."""
    pdf = make_release(tmp_path / "r.pdf", digital=2, scanned=10)
    case_path = tmp_path / "x.rvcase"
    argv = [sys.executable, "-m", "redactview", "scan", "--jobs", "1", "--no-ocr"]
    proc = subprocess.Popen(
        [*argv, "--case", str(case_path), str(pdf)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    for line in proc.stderr:  # not a terminal: one progress line per page of 12
        if line.startswith("scan: 3/12"):
            proc.kill()
            break
    proc.wait(timeout=60)
    assert proc.returncode == -9, "the scan ended before it could be killed"
    with Case.open(case_path) as case:
        (report,) = scan_documents(
            [pdf], options=OPTIONS, case=case, executor=SerialExecutor()
        ).reports
    done_before = set(report.skipped_pages)
    assert {1, 2, 3} <= done_before and len(done_before) < 12
    assert sorted(analysed) == sorted(set(range(1, 13)) - done_before)
    uninterrupted = scan_documents([pdf], options=OPTIONS).reports[0].document
    assert catalog_key(catalog_to_json([report.document])["documents"]) == catalog_key(
        catalog_to_json([uninterrupted])["documents"]
    )


def test_pages_travel_in_runs_each_page_once_in_order(tmp_path: Path) -> None:
    """The first task is one page; once pages are timed, runs grow (and shrink at the end)."""
    pdf = make_release(tmp_path / "r.pdf", digital=20, scanned=0)
    runs: list[list[int]] = []

    def recording(task: scan_module.DocChunkTask) -> scan_module.DocChunkResult:
        runs.append([page.page for page in task.pages])
        return scan_module.analyze_doc_chunk(task)

    (report,) = scan_documents([pdf], options=OPTIONS, worker=recording).reports
    assert [page for run in runs for page in run] == list(range(1, 21))
    assert len(runs[0]) == 1 and max(len(run) for run in runs) > 1 and len(runs[-1]) == 1
    assert len({r.page for r in report.document.redactions}) == 20


def test_a_run_of_pages_is_stored_page_exact(tmp_path: Path) -> None:
    """One transaction per run, but only pages analysed without a warning are marked done."""
    pdf = make_release(tmp_path / "r.pdf", digital=3, scanned=0)
    (found,) = scan_documents([pdf], options=OPTIONS).reports
    by_page = {p: [r for r in found.document.redactions if r.page == p] for p in (1, 2, 3)}
    manual = dataclasses.replace(by_page[2][0], id="manual-1", kind=RedactionKind.MANUAL)
    with Case.open(tmp_path / "x.rvcase", create=True) as case:
        release = case.add_release(inspect_document(pdf))
        case.redactions.save(release.id, manual)
        stored = case.redactions.replace_detected_pages(
            release.id, [(1, by_page[1], True), (2, [], False), (3, by_page[3], True)]
        )
        assert stored == len(by_page[1]) + len(by_page[3])
        assert case.redactions.detected_pages(release.id) == {1, 3}
        kept = case.redactions.list(release.id)
    assert {r.id for r in kept} == {r.id for r in by_page[1] + by_page[3]} | {"manual-1"}
