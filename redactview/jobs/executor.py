"""One way to run per-page batch work: serial, a local process pool, or a Dask cluster.

Work is described by small picklable task values; each worker opens the PDF by
path itself (PyMuPDF documents are never shared). Results come back unordered
as they finish; the coordinating process alone writes them to the case.
Cancelling stops handing out new tasks and keeps every finished result.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from importlib import import_module
from typing import Protocol, TypeVar

from redactview.core.progress import CancelToken

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    # True when tasks run in the caller's own process (no pickling, no worker limits).
    in_process: bool

    def worker_count(self) -> int:
        """How many tasks run at once (known once connected, for a cluster)."""
        ...

    def map_unordered(
        self, fn: Callable[[T], R], tasks: Iterable[T], cancel: CancelToken | None = None
    ) -> Iterator[R]:
        """Yield ``fn(task)`` for every task as each finishes."""
        ...


def default_jobs() -> int:
    return max(
        1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )


class SerialExecutor:
    """Runs tasks one after another in this process: for tests and tiny jobs."""

    in_process = True

    def worker_count(self) -> int:
        return 1

    def map_unordered(
        self, fn: Callable[[T], R], tasks: Iterable[T], cancel: CancelToken | None = None
    ) -> Iterator[R]:
        for task in tasks:
            if cancel is not None:
                cancel.raise_if_cancelled()
            yield fn(task)


class ProcessPoolExecutor:
    """A pool of ``spawn``-ed worker processes (safe with Qt and PyMuPDF)."""

    in_process = False

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = jobs or default_jobs()

    def worker_count(self) -> int:
        return self.jobs

    def map_unordered(
        self, fn: Callable[[T], R], tasks: Iterable[T], cancel: CancelToken | None = None
    ) -> Iterator[R]:
        pending_tasks = iter(tasks)
        context = multiprocessing.get_context("spawn")
        with cf.ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=context,
            initializer=import_module,
            initargs=(fn.__module__,),
        ) as pool:
            start_workers(pool, self.jobs)
            # Keep only a few tasks in flight so that cancel takes effect quickly
            # and a 10,000-page job does not queue 10,000 futures.
            in_flight: set[cf.Future[R]] = set()
            try:
                while True:
                    while len(in_flight) < self.jobs * 2 and not (cancel and cancel.cancelled):
                        task = next(pending_tasks, None)
                        if task is None:
                            break
                        in_flight.add(pool.submit(fn, task))
                    if not in_flight:
                        break
                    done, in_flight = cf.wait(in_flight, return_when=cf.FIRST_COMPLETED)
                    for future in done:
                        yield future.result()
                if cancel is not None:
                    cancel.raise_if_cancelled()
            finally:
                for future in in_flight:
                    future.cancel()


def start_workers(pool: cf.ProcessPoolExecutor, count: int) -> None:
    """Start every worker now, before the first task is ready.

    A spawned worker takes a second or more to import NumPy, OpenCV and
    PyMuPDF (the initializer imports the task function's module). Started
    here, that overlaps the coordinator's own first work (inspecting the first
    file, opening the case) instead of following it; the pool would otherwise
    start them one per submitted task.
    """
    for _ in range(count):
        pool.submit(do_nothing)


def do_nothing() -> None:
    """The task that makes the pool start a worker."""


def make_executor(jobs: int | None = None, dask_address: str | None = None) -> Executor:
    """Serial for one job, a Dask cluster when an address is given, else a process pool."""
    if dask_address:
        from redactview.jobs.dask_executor import DaskExecutor

        return DaskExecutor(dask_address)
    if jobs == 1:
        return SerialExecutor()
    return ProcessPoolExecutor(jobs)
