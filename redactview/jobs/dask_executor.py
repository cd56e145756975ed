"""Running batch work on a Dask distributed cluster (optional extra ``redactview[dask]``).

Only the tasks travel: each is a small picklable value naming a PDF by path,
so every worker must see the same files at the same paths (a shared disk) and
have redactview installed. Results come back to the coordinating process,
which alone writes the case. This is the only place the app talks over a
network, and only to the scheduler address the user gave with ``--dask``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from redactview.core.progress import CancelToken
from redactview.errors import RedactviewError

T = TypeVar("T")
R = TypeVar("R")


class DaskUnavailableError(RedactviewError):
    pass


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise DaskUnavailableError(
            "--dask needs the optional Dask support: pip install 'redactview[dask]'"
        ) from exc
    return distributed


class WorkerLostError(RedactviewError):
    """Dask gave up on a task: every worker that ran it died (``KilledWorker``).

    Dask already retried it on other workers (``allowed-failures``, 3 by
    default), so the task itself kills its worker: a page that runs a worker
    out of memory, or crashes a native library. ``task`` names it.
    """

    def __init__(self, task: object, cause: BaseException) -> None:
        super().__init__(f"Dask workers kept dying on one task ({cause})")
        self.task = task


class DaskExecutor:
    """Tasks go to a Dask scheduler; at most ``in_flight`` of them at once."""

    in_process = False

    def __init__(self, address: str | None = None, *, client: Any = None, in_flight: int = 0):
        self._address = address
        self._client = client
        self._in_flight = in_flight
        self._threads = 0  # worker threads of the cluster, once connected

    def worker_count(self) -> int:
        """The cluster's worker threads when the run started (1 before connecting)."""
        return max(1, self._threads)

    def _connect(self) -> tuple[Any, bool]:
        if self._client is not None:
            return self._client, False
        distributed = _import_distributed()
        try:
            client = distributed.Client(self._address, set_as_default=False, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise DaskUnavailableError(
                f"cannot reach the Dask scheduler at {self._address} ({exc})"
            ) from exc
        return client, True

    def map_unordered(
        self, fn: Callable[[T], R], tasks: Iterable[T], cancel: CancelToken | None = None
    ) -> Iterator[R]:
        distributed = _import_distributed()
        client, owned = self._connect()
        futures: dict[Any, T] = {}
        try:
            self._threads = sum(client.nthreads().values())
            limit = self._in_flight or max(2, 2 * self._threads)
            pending = iter(tasks)
            # pure=False: the same task may legitimately be run again (a retry).
            for task in itertools.islice(pending, limit):
                futures[client.submit(fn, task, pure=False)] = task
            if not futures:
                return
            seq = distributed.as_completed(list(futures), loop=client.loop)
            for future in seq:
                task = futures.pop(future)
                yield _result_of(distributed, future, task)
                if cancel is not None and cancel.cancelled:
                    continue  # let the ones in flight finish; hand out no more
                following = next(pending, None)
                if following is not None:
                    submitted = client.submit(fn, following, pure=False)
                    futures[submitted] = following
                    seq.add(submitted)
            if cancel is not None:
                cancel.raise_if_cancelled()
        finally:
            # Stopped early (an error, a cancel, the caller gone): free the workers.
            for future in futures:
                future.cancel()
            if owned:
                client.close()


def _result_of(distributed: Any, future: Any, task: T) -> Any:
    try:
        return future.result()
    except distributed.KilledWorker as exc:
        raise WorkerLostError(task, exc) from exc
