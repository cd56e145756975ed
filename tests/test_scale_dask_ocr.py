"""OCR and scans on a real Dask cluster (LocalCluster): same words as serial; dying workers.

Two worker processes × one thread on 127.0.0.1. The scheduler gives up on a
task after one retry (``allowed-failures`` 1, Dask's default is 3) so that the
"a page keeps killing its worker" case takes two worker restarts, not four.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_ocr_support import make_scanned_pdf
from test_scale_fixtures import OPTIONS, make_release

from redactview.cli.main import run
from redactview.errors import ExitCode
from redactview.jobs.dask_executor import DaskExecutor
from redactview.jobs.executor import Executor, SerialExecutor
from redactview.jobs.ocr_run import (
    EngineMismatchError,
    ExecutorFactory,
    OcrOptions,
    OcrRunReport,
    run_ocr,
)
from redactview.jobs.scan import DocChunkResult, DocChunkTask, analyze_doc_chunk, scan_documents
from redactview.jobs.words import page_words
from redactview.ocr.engine import OcrEngine
from redactview.ocr.fakes import CrashingEngine, FakeEngine
from redactview.pdf.info import inspect_document
from redactview.store.case import Case

distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
    ):
        yield cluster.scheduler_address


def on_dask(address: str) -> ExecutorFactory:
    def make(_: int) -> Executor:
        return DaskExecutor(address)

    return make


def serial(_: int) -> Executor:
    return SerialExecutor()


Words = dict[int, list[tuple[str, tuple[float, float, float, float]]]]


def ocr_words(
    tmp_path: Path, pdf: Path, name: str, engine: OcrEngine, factory: ExecutorFactory
) -> tuple[OcrRunReport, Words]:
    with Case.open(tmp_path / f"{name}.rvcase", create=True) as case:
        release = case.add_release(inspect_document(pdf))
        options = OcrOptions(dpi=100, engine=engine, jobs=2)
        report = run_ocr(case, release, options, executor_factory=factory)
        words = {
            n: [
                (w.text, w.box.as_tuple())
                for w in page_words(case, release, n, options, allow_ocr=False)
            ]
            for n in range(1, len(case.pages(release.id)) + 1)
        }
    return report, words


def test_tesseract_on_dask_reads_what_serial_reads(tmp_path: Path, scheduler: str) -> None:
    from redactview.ocr.engine import TesseractEngine

    pdf = make_scanned_pdf(tmp_path / "scan.pdf", 2)
    serial_report, serial_words = ocr_words(tmp_path, pdf, "s", TesseractEngine(), serial)
    dask_report, dask_words = ocr_words(tmp_path, pdf, "d", TesseractEngine(), on_dask(scheduler))
    assert dask_report.done == serial_report.done == (1, 2)
    assert dask_report.failures == ()
    assert "MEMORANDUM" in [text for text, _ in serial_words[1]]
    assert dask_words == serial_words


def test_cli_ocr_dask_json_equals_serial(
    tmp_path: Path, scheduler: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = make_scanned_pdf(tmp_path / "scan.pdf", 2)
    common = ["ocr", str(pdf), "--format", "json", "--quiet", "--dpi", "100"]
    assert run([*common, "--jobs", "1"]) == 0
    serial_pages = json.loads(capsys.readouterr().out)["pages"]
    assert run([*common, "--dask", scheduler, "--case", str(tmp_path / "d.rvcase")]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["pages"] == serial_pages
    assert any(w["text"] == "MEMORANDUM" for w in serial_pages[0]["words"])


def test_worker_killed_once_page_is_retried(tmp_path: Path, scheduler: str) -> None:
    """The first read of the dark page kills its worker (os._exit); Dask reruns it elsewhere."""
    state = tmp_path / "state"
    state.mkdir()
    pdf = make_scanned_pdf(tmp_path / "scan.pdf", 3, dark_page=2)
    engine = CrashingEngine(hard=True, state_dir=str(state), fail_times=1)
    report, words = ocr_words(tmp_path, pdf, "k", engine, on_dask(scheduler))
    assert report.done == (1, 2, 3) and report.failures == ()
    assert [m.read_text() for m in state.iterdir()] == ["2"]  # killed once, read once
    assert all(words[n] for n in (1, 2, 3))


def test_page_that_always_kills_its_worker_is_reported_not_hung(
    tmp_path: Path, scheduler: str
) -> None:
    pdf = make_scanned_pdf(tmp_path / "scan.pdf", 3, dark_page=2)
    report, _ = ocr_words(tmp_path, pdf, "a", CrashingEngine(hard=True), on_dask(scheduler))
    assert report.done == (1, 3)
    [failure] = report.failures
    assert failure.page == 2 and "Dask worker" in failure.error


def test_other_engine_version_on_the_workers_is_refused(
    tmp_path: Path, scheduler: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Here (the coordinator) the engine says 0.9; in the workers' processes it says 1.0."""
    monkeypatch.setattr(FakeEngine, "version", lambda self: "fake 0.9")
    pdf = make_scanned_pdf(tmp_path / "scan.pdf", 2)
    with pytest.raises(EngineMismatchError) as raised:
        ocr_words(tmp_path, pdf, "v", FakeEngine(), on_dask(scheduler))
    assert "fake 1.0" in raised.value.message and "fake 0.9" in raised.value.message
    assert raised.value.exit_code == ExitCode.OCR_UNAVAILABLE
    with Case.open(tmp_path / "v.rvcase") as case:  # nothing read by the other engine was kept
        (release,) = case.releases()
        assert case.search.indexed_pages(release.id) == set()


def die_on_page_12(task: DocChunkTask) -> DocChunkResult:
    """The scan's worker function, except that page 12 kills its worker process."""
    if any(page.page == 12 for page in task.pages):
        os._exit(70)
    return analyze_doc_chunk(task)


@pytest.mark.slow
def test_scan_page_that_kills_its_workers_is_skipped_not_the_run(
    tmp_path: Path, scheduler: str
) -> None:
    """The run holding page 12 is lost, retried page by page; only page 12 is given up.

    Runs of pages grow once the first pages are timed (jobs.chunks): with 24
    pages and 2 workers, page 12 travels in a run of 3 (10-12).
    """
    pdf = make_release(tmp_path / "r.pdf", digital=24, scanned=0)
    serial = scan_documents([pdf], options=OPTIONS).reports[0]
    with Case.open(tmp_path / "x.rvcase", create=True) as case:
        (report,) = scan_documents(
            [pdf],
            options=OPTIONS,
            case=case,
            executor=DaskExecutor(scheduler),
            worker=die_on_page_12,
        ).reports
        (release,) = case.releases()
        done = case.redactions.detected_pages(release.id)
    [(page, reason)] = report.unread_pages
    assert page == 12 and "Dask worker" in reason
    others = set(range(1, 25)) - {12}
    assert done == others  # page 12 is not marked done: the next run retries it
    assert {r.page for r in report.document.redactions} == others
    assert list(report.document.redactions) == [
        r for r in serial.document.redactions if r.page != 12
    ]
