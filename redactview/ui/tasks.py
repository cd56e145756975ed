"""The one way the GUI runs background work.

``tasks.op(fn, "OCR").progress(cb).success(cb).failure(cb).run()`` runs
``fn(ctx)`` on a pool thread. PyMuPDF is not thread-safe, so by default a task
runs in the *PDF lane*: one thread, tasks one after another in the order they
were started (a second job waits, and says so, until the first ends). Only
work that provably never touches PyMuPDF may say ``.concurrent()`` and run on
the other lane's threads. Page rendering is not a task: it happens in the
render process (``render_service``). Callbacks always arrive on the GUI thread
(queued signals), progress is throttled so a fast loop cannot flood the event
loop, and cancel is a flag (``ctx.cancel``) that the work checks between
steps. Nothing here calls ``processEvents()``: the window stays responsive
because the work is elsewhere.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from redactview.core.progress import CancelToken, Progress
from redactview.errors import CancelledError

T = TypeVar("T")
_PROGRESS_INTERVAL_S = 0.1


@dataclass(frozen=True, slots=True)
class TaskContext:
    cancel: CancelToken
    progress: Callable[[Progress], None]


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits, Qt queues to the receivers."""

    began = Signal()
    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)


class TaskHandle:
    """A running task: cancel it, or ask whether it has finished."""

    def __init__(self, label: str, token: CancelToken) -> None:
        self.label = label
        self.token = token
        self.done = False
        self.waiting = False  # queued behind another PDF job, not started yet
        self.uses_pdf = True

    def cancel(self) -> None:
        self.token.cancel()


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[TaskContext], Any], relay: _Relay, token: CancelToken):
        super().__init__()
        self._fn = fn
        self._relay = relay
        self._token = token
        self._last = 0.0
        self._lock = threading.Lock()

    def _report(self, progress: Progress) -> None:
        # Throttle: always pass the last step, otherwise at most 10 per second.
        now = time.monotonic()
        with self._lock:
            if progress.done < progress.total and now - self._last < _PROGRESS_INTERVAL_S:
                return
            self._last = now
        self._relay.progressed.emit(progress)

    def run(self) -> None:
        relay = self._relay
        try:
            relay.began.emit()
            self._token.raise_if_cancelled()  # cancelled while it waited in the queue
            result = self._fn(TaskContext(self._token, self._report))
        except BaseException as exc:  # every failure reaches the GUI, none is silent
            relay.failed.emit(exc)
        else:
            relay.succeeded.emit(result)
        # Drop our reference here: the relay must only ever be destroyed on the
        # GUI thread (the manager keeps it until then).
        self._relay = None  # type: ignore[assignment]
        del relay


class TaskBuilder(Generic[T]):
    def __init__(self, manager: TaskManager, fn: Callable[[TaskContext], T], label: str) -> None:
        self._manager = manager
        self._fn = fn
        self.label = label
        self._on_success: Callable[[T], None] = lambda _: None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._on_progress: Callable[[Progress], None] = lambda _: None
        self.uses_pdf = True

    def concurrent(self) -> TaskBuilder[T]:
        """This work never touches PyMuPDF: it may run beside the PDF lane."""
        self.uses_pdf = False
        return self

    def success(self, cb: Callable[[T], None]) -> TaskBuilder[T]:
        self._on_success = cb
        return self

    def failure(self, cb: Callable[[BaseException], None]) -> TaskBuilder[T]:
        self._on_failure = cb
        return self

    def progress(self, cb: Callable[[Progress], None]) -> TaskBuilder[T]:
        self._on_progress = cb
        return self

    def run(self) -> TaskHandle:
        return self._manager.start(
            self, self._fn, self._on_success, self._on_failure, self._on_progress
        )


class TaskManager(QObject):
    """Starts tasks and tells the status bar what is running."""

    started = Signal(object)  # TaskHandle
    progressed = Signal(object, object)  # TaskHandle, Progress
    began = Signal(object)  # TaskHandle: it left the queue and runs now
    finished = Signal(object)  # TaskHandle (success, failure or cancel)
    error = Signal(object)  # an exception nobody handled: the error dialog shows it

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        # The PDF lane: one thread, so tasks using PyMuPDF run one at a time,
        # in the order they were started (QThreadPool's queue is FIFO).
        self._pdf_pool = QThreadPool(self)
        self._pdf_pool.setMaxThreadCount(1)
        self._running: dict[TaskHandle, _Relay] = {}
        # Relays of finished tasks, freed at the next start: never inside their
        # own signal's delivery, and always on this (the GUI) thread.
        self._retired: list[_Relay] = []

    def op(self, fn: Callable[[TaskContext], T], label: str) -> TaskBuilder[T]:
        return TaskBuilder(self, fn, label)

    @property
    def running(self) -> list[TaskHandle]:
        return list(self._running)

    def start(
        self,
        builder: TaskBuilder[Any],
        fn: Callable[[TaskContext], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None] | None,
        on_progress: Callable[[Progress], None],
    ) -> TaskHandle:
        handle = TaskHandle(builder.label, CancelToken())
        self._retired.clear()
        relay = _Relay()
        pool = self._pdf_pool if builder.uses_pdf else self._pool
        handle.waiting = builder.uses_pdf and any(h.uses_pdf for h in self._running if not h.done)
        handle.uses_pdf = builder.uses_pdf
        self._running[handle] = relay

        def began() -> None:
            handle.waiting = False
            self.began.emit(handle)

        def progressed(p: Progress) -> None:
            on_progress(p)
            self.progressed.emit(handle, p)

        # ``finished`` is emitted after the callbacks, so whoever waits on it
        # (the status bar, a test) sees the callbacks' effects.
        def succeeded(result: Any) -> None:
            try:
                on_success(result)
            finally:
                self._finish(handle)

        def failed(exc: BaseException) -> None:
            # A failure callback also hears of a cancel (to tidy up); without
            # one, a cancel is silent (the user asked for it) and an error
            # goes to the error dialog.
            try:
                if on_failure is not None:
                    on_failure(exc)
                elif not isinstance(exc, CancelledError):
                    self.error.emit(exc)
            finally:
                self._finish(handle)

        relay.began.connect(began)
        relay.progressed.connect(progressed)
        relay.succeeded.connect(succeeded)
        relay.failed.connect(failed)
        self.started.emit(handle)
        pool.start(_Runnable(fn, relay, handle.token))
        return handle

    def _finish(self, handle: TaskHandle) -> None:
        handle.done = True
        relay = self._running.pop(handle, None)
        if relay is not None:
            self._retired.append(relay)
        self.finished.emit(handle)

    def cancel_all(self) -> None:
        for handle in self._running:
            handle.cancel()

    def wait_all(self, timeout_ms: int = 10_000) -> bool:
        """Block until worker threads end (used on quit, after cancel_all)."""
        pdf_done = self._pdf_pool.waitForDone(timeout_ms)
        return bool(self._pool.waitForDone(timeout_ms) and pdf_done)
