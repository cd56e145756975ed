"""Which page a lost Dask worker is blamed on, in OCR and in scans (no cluster: a
scripted executor).

Dask gives up on every task a dying worker held, not only on the one that
killed it, and in no set order: a page read beside the one that kills its
worker may be the first reported lost. It must not be failed for that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from test_ocr_support import make_scanned_pdf
from test_scale_fixtures import OPTIONS, make_release

from redactview.core.progress import CancelToken
from redactview.jobs.dask_executor import WorkerLostError
from redactview.jobs.executor import Executor
from redactview.jobs.ocr_run import OcrOptions, OcrPageTask, run_ocr
from redactview.jobs.scan import DocChunkTask, scan_documents
from redactview.ocr.fakes import FakeEngine
from redactview.pdf.info import inspect_document
from redactview.store.case import Case

KILLER = 2


class DyingWorkers:
    """Like a cluster whose worker dies whenever page ``KILLER`` is read: every
    task in flight with it is lost, and the lost report names the *last* of them
    (an innocent page, when there is one)."""

    in_process = True

    def __init__(self, rounds: list[list[int]]) -> None:
        self.rounds = rounds  # the pages each round handed out, for the test to see

    def worker_count(self) -> int:
        return 2

    def map_unordered(
        self, fn: Callable[[Any], Any], tasks: Iterable[Any], cancel: CancelToken | None = None
    ) -> Iterator[Any]:
        batch: list[OcrPageTask] = list(tasks)
        self.rounds.append([t.page for t in batch])
        if any(t.page == KILLER for t in batch):
            raise WorkerLostError(batch[-1], RuntimeError("worker died"))
        for task in batch:
            yield fn(task)


def test_the_page_beside_a_killer_is_read_and_the_killer_alone_fails(tmp_path: Path) -> None:
    pdf = make_scanned_pdf(tmp_path / "scan.pdf", 3)
    rounds: list[list[int]] = []

    def factory(_: int) -> Executor:
        return DyingWorkers(rounds)

    with Case.open(tmp_path / "c.rvcase", create=True) as case:
        release = case.add_release(inspect_document(pdf))
        options = OcrOptions(dpi=100, engine=FakeEngine(), jobs=2)
        report = run_ocr(case, release, options, executor_factory=factory)
    # Page 3 was named lost while page 2 ran beside it: it is read by itself, and
    # only page 2, lost when alone, fails.
    assert report.done == (1, 3)
    [failure] = report.failures
    assert failure.page == KILLER and "Dask worker" in failure.error
    assert [3] in rounds and [KILLER] in rounds


class DyingScanWorkers(DyingWorkers):
    """The same cluster, for the scan's runs of pages."""

    def map_unordered(
        self, fn: Callable[[Any], Any], tasks: Iterable[Any], cancel: CancelToken | None = None
    ) -> Iterator[Any]:
        batch: list[DocChunkTask] = list(tasks)
        self.rounds.append([p.page for t in batch for p in t.pages])
        if any(p.page == KILLER for t in batch for p in t.pages):
            raise WorkerLostError(batch[-1], RuntimeError("worker died"))
        for task in batch:
            yield fn(task)


def test_scan_reads_the_page_beside_a_killer_and_skips_only_the_killer(tmp_path: Path) -> None:
    pdf = make_release(tmp_path / "r.pdf", digital=4, scanned=0)
    rounds: list[list[int]] = []
    with Case.open(tmp_path / "x.rvcase", create=True) as case:
        (report,) = scan_documents(
            [pdf], options=OPTIONS, case=case, executor=DyingScanWorkers(rounds)
        ).reports
        (release,) = case.releases()
        done = case.redactions.detected_pages(release.id)
    [(page, reason)] = report.unread_pages
    assert page == KILLER and "Dask worker" in reason
    assert done == {1, 3, 4}
    assert [KILLER] in rounds  # judged by itself
