"""Every executor runs every task once, keeps finished results on cancel, and agrees."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from redactview.core.progress import CancelToken
from redactview.errors import CancelledError
from redactview.jobs.executor import ProcessPoolExecutor, SerialExecutor


def square(n: int) -> int:
    return n * n


def test_serial_and_pool_agree() -> None:
    tasks = list(range(23))
    serial = sorted(SerialExecutor().map_unordered(square, tasks))
    pooled = sorted(ProcessPoolExecutor(2).map_unordered(square, tasks))
    assert serial == pooled == [n * n for n in tasks]


@pytest.mark.parametrize("executor", [SerialExecutor(), ProcessPoolExecutor(2)])
def test_cancel_keeps_finished_results_and_stops_early(executor: object) -> None:
    cancel = CancelToken()
    got = []
    with pytest.raises(CancelledError):
        for result in executor.map_unordered(square, range(1000), cancel):  # type: ignore[attr-defined]
            got.append(result)
            if len(got) == 5:
                cancel.cancel()
    assert len(got) >= 5
    assert len(got) < 50  # only the few tasks in flight finished after the cancel


def test_dask_local_cluster_agrees_with_serial() -> None:
    distributed = pytest.importorskip("distributed")
    from redactview.jobs.dask_executor import DaskExecutor

    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster, set_as_default=False) as client,
    ):
        got = sorted(DaskExecutor(client=client).map_unordered(square, range(31)))
    assert got == sorted(SerialExecutor().map_unordered(square, range(31)))


def test_chunk_planner_starts_single_then_sizes_runs_to_about_a_second() -> None:
    from redactview.jobs.chunks import MAX_PAGES, ChunkPlanner

    planner = ChunkPlanner()
    assert planner.size(1000, 2) == 1  # nothing timed yet: label OCR may make a page slow
    planner.record(0.25)
    assert planner.size(1000, 2) == 4  # 1 s of 0.25 s pages
    planner.record(0.25)
    assert planner.size(12, 2) == 3  # 12 left for 2 workers: two runs each at most
    assert planner.size(3, 2) == 1
    fast = ChunkPlanner()
    fast.record(0.001)
    assert fast.size(1000, 2) == MAX_PAGES
    slow = ChunkPlanner()
    slow.record(5.0)  # a page with label OCR: one page per task
    assert slow.size(1000, 8) == 1


def test_held_pdf_is_kept_per_thread_and_reopened_for_other_content(tmp_path: Path) -> None:
    from redactview.pdf.held import close_held, held_pdf

    first = make_pdf(tmp_path / "a.pdf", 2)
    second = make_pdf(tmp_path / "b.pdf", 3)
    try:
        doc = held_pdf(first, "sha-a")
        assert held_pdf(first, "sha-a") is doc  # the next task of the same file: no reopen
        other: list[object] = []
        thread = threading.Thread(target=lambda: other.append(held_pdf(first, "sha-a")))
        thread.start()
        thread.join()
        assert other[0] is not doc  # PyMuPDF documents are not shared between threads
        again = held_pdf(first, "sha-a2")  # same path, other content (a long-lived Dask worker)
        assert again is not doc and doc.is_closed
        assert held_pdf(second, "sha-b").page_count == 3 and again.is_closed
    finally:
        close_held()


def make_pdf(path: Path, pages: int) -> Path:
    import pymupdf

    doc = pymupdf.open()
    for _ in range(pages):
        doc.new_page()
    doc.save(path)
    doc.close()
    return path
