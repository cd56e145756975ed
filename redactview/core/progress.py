"""Progress reporting and cooperative cancellation, independent of any UI.

Long work takes a ``ProgressSink`` and a ``CancelToken``. The CLI prints
progress to stderr; the GUI forwards it to the status bar on its own thread.
Cancellation is a flag checked between steps (pages), never a thread kill, so
finished steps are always kept.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from redactview.errors import CancelledError


@dataclass(frozen=True, slots=True)
class Progress:
    done: int
    total: int
    message: str = ""
    elapsed_s: float = 0.0

    @property
    def fraction(self) -> float:
        return 0.0 if self.total <= 0 else min(1.0, self.done / self.total)

    @property
    def eta_s(self) -> float | None:
        """Seconds left, from the average pace so far; None until a step finished."""
        if self.done <= 0 or self.total <= 0 or self.done >= self.total:
            return None
        return self.elapsed_s / self.done * (self.total - self.done)


ProgressSink = Callable[[Progress], None]


def ignore_progress(_: Progress) -> None:
    """A sink for callers that do not show progress."""


class CancelToken:
    """A thread-safe cancel flag. ``raise_if_cancelled`` is the checkpoint."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise CancelledError()


class ProgressTracker:
    """Counts finished steps and forwards a ``Progress`` with elapsed time to a sink."""

    def __init__(self, total: int, sink: ProgressSink = ignore_progress, message: str = "") -> None:
        self.total = total
        self.done = 0
        self.message = message
        self._sink = sink
        self._start = time.monotonic()

    def step(self, n: int = 1, message: str | None = None) -> Progress:
        self.done += n
        if message is not None:
            self.message = message
        progress = Progress(self.done, self.total, self.message, time.monotonic() - self._start)
        self._sink(progress)
        return progress
