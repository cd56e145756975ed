"""Start-and-quit hook for smoke tests of the desktop app (also of a frozen build).

With ``REDACTVIEW_QUIT_AFTER_MS=N`` in the environment the app quits by itself
N milliseconds after its QApplication exists, so ``scripts/smoke_frozen.sh``
can start the GUI offscreen and see it end. With ``REDACTVIEW_SMOKE_REPORT=FILE``
it also writes, while quitting, a small JSON report: the visible windows and
the About dialog's component table, which proves that the window really came
up and that the frozen build carries every component's metadata.

``start_quit_watchdog()`` may be called before the QApplication exists (the
frozen build's runtime hook does that) or after it (``run_app``), from the GUI
thread. It waits on a daemon thread, so it needs no cooperation from the code
that builds the window; from that thread it only emits a signal that Qt
delivers, queued, to a slot living in the GUI thread.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

QUIT_ENV = "REDACTVIEW_QUIT_AFTER_MS"
REPORT_ENV = "REDACTVIEW_SMOKE_REPORT"
_APP_WAIT_S = 120.0  # a cold frozen start on a busy 2-core machine can take a while

_started = threading.Event()
_quitters: list[Any] = []  # keeps the quitter alive after its thread ends


def quit_delay_ms() -> int | None:
    """The requested delay, or None when the variable is unset or not a number."""
    raw = os.environ.get(QUIT_ENV, "").strip()
    try:
        return max(0, int(raw)) if raw else None
    except ValueError:
        return None


def start_quit_watchdog() -> bool:
    """Quit the app after the requested delay; False (and nothing done) when not asked."""
    delay = quit_delay_ms()
    if delay is None or _started.is_set():
        return False
    _started.set()
    threading.Thread(
        target=_quit_later, args=(delay,), name="redactview-smoke-quit", daemon=True
    ).start()
    return True


def _quit_later(delay_ms: int) -> None:
    from PySide6.QtCore import QCoreApplication

    deadline = time.monotonic() + _APP_WAIT_S
    app = QCoreApplication.instance()
    while app is None and time.monotonic() < deadline:
        time.sleep(0.05)
        app = QCoreApplication.instance()
    if app is None:
        return
    time.sleep(delay_ms / 1000)
    quitter = _make_quitter()
    _quitters.append(quitter)
    # Hand the object to the GUI thread, then signal it from here: Qt queues the
    # call, so the report and quit run in the GUI thread while windows are open.
    quitter.moveToThread(app.thread())
    quitter.requested.emit()


def _make_quitter() -> Any:
    from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

    class Quitter(QObject):
        requested = Signal()

        def __init__(self) -> None:
            super().__init__()
            self.requested.connect(self.report_and_quit)

        @Slot()
        def report_and_quit(self) -> None:
            _write_report()
            QCoreApplication.quit()

    return Quitter()


def _write_report() -> None:
    target = os.environ.get(REPORT_ENV)
    if not target:
        return
    Path(target).write_text(json.dumps(describe_app(), indent=2), encoding="utf-8")


def describe_app() -> dict[str, Any]:
    """What a smoke test checks: platform, visible windows, bundled components."""
    from PySide6.QtWidgets import QApplication

    from redactview import __version__
    from redactview.ui.about import bundled_components

    windows = [
        {"class": type(w).__name__, "title": w.windowTitle()}
        for w in QApplication.topLevelWidgets()
        if w.isVisible()
    ]
    return {
        "version": __version__,
        "platform": QApplication.platformName(),
        "windows": windows,
        "components": [c.as_dict() for c in bundled_components()],
    }
