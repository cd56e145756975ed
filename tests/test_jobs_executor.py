"""Every executor runs every task once, keeps finished results on cancel, and agrees."""

from __future__ import annotations

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
