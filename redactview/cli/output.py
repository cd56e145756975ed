"""Writing data to stdout and progress to stderr."""

from __future__ import annotations

import json
import sys
from typing import Any

from redactview.core.progress import Progress


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


class StderrProgress:
    """A progress sink that draws one updating line on stderr (only on a terminal)."""

    def __init__(self, label: str, *, quiet: bool = False, unit: str = "pages") -> None:
        self.label = label
        self.quiet = quiet
        self.unit = unit
        self._tty = sys.stderr.isatty()
        self._last_percent = -1

    def __call__(self, progress: Progress) -> None:
        if self.quiet:
            return
        percent = int(progress.fraction * 100)
        finished = progress.done >= progress.total
        if not self._tty and not finished and percent // 10 == self._last_percent // 10:
            return  # a log file gets a line per 10%, not per page
        self._last_percent = percent
        eta = progress.eta_s
        tail = f", {eta:.0f}s left" if eta is not None else ""
        count = f"{progress.done}/{progress.total} {self.unit}"
        line = f"{self.label}: {count}{tail} {progress.message}"
        if self._tty:
            sys.stderr.write("\r" + line.ljust(79)[:200] + ("\n" if finished else ""))
        else:
            sys.stderr.write(line.rstrip() + "\n")
        sys.stderr.flush()
