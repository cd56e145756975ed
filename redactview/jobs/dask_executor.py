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


class DaskExecutor:
    """Tasks go to a Dask scheduler; at most ``in_flight`` of them at once."""

    def __init__(self, address: str | None = None, *, client: Any = None, in_flight: int = 0):
        self._address = address
        self._client = client
        self._in_flight = in_flight

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
        try:
            limit = self._in_flight or max(2, 2 * sum(client.nthreads().values()))
            pending = iter(tasks)
            # pure=False: the same task may legitimately be run again (a retry).
            first = [client.submit(fn, t, pure=False) for t in itertools.islice(pending, limit)]
            if not first:
                return
            seq = distributed.as_completed(first, loop=client.loop)
            for future in seq:
                yield future.result()
                if cancel is not None and cancel.cancelled:
                    continue  # let the ones in flight finish; hand out no more
                for task in (next(pending, None),):
                    if task is not None:
                        seq.add(client.submit(fn, task, pure=False))
            if cancel is not None:
                cancel.raise_if_cancelled()
        finally:
            if owned:
                client.close()
