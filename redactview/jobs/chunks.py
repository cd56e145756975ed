"""How many pages go into one batch task: about a second of a worker's time.

One page per task made the pool pay its per-task cost (pickling, a pipe round
trip, the coordinator waking up, a case transaction with its fsyncs) for every
120 ms page, and made each worker reopen the PDF every time. Big runs would
hurt the other way: a cancel waits for the runs in flight, progress arrives
in lumps, and the last runs leave workers idle while one finishes.

So the size follows the pace: the first tasks are single pages (the cost of a
page is not known yet, and label OCR can make it seconds), then each task
holds about ``TARGET_SECONDS`` of measured work, at most ``MAX_PAGES``, and
near the end of a file the runs shrink so that the workers finish together.
"""

from __future__ import annotations

TARGET_SECONDS = 1.0
MAX_PAGES = 16
# Weight of the newest page in the running mean of page times.
_NEWEST_WEIGHT = 0.1


class ChunkPlanner:
    """Keeps a running mean of worker seconds per page; sizes the next run of pages."""

    def __init__(self) -> None:
        self.page_seconds: float | None = None

    def record(self, seconds: float) -> None:
        """One page's worker time (the sum of its step timings)."""
        if self.page_seconds is None:
            self.page_seconds = seconds
        else:
            self.page_seconds += _NEWEST_WEIGHT * (seconds - self.page_seconds)

    def size(self, remaining: int, workers: int) -> int:
        """Pages for the next task, given the file's pages left and the workers sharing them."""
        if self.page_seconds is None:
            return 1
        wanted = int(TARGET_SECONDS / max(self.page_seconds, 1e-3))
        # Leave every worker about two runs of what is left: none idles at the end.
        tail = remaining // (2 * max(1, workers))
        return max(1, min(wanted, MAX_PAGES, tail))
