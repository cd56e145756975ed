"""Start the desktop app: ``redactview [FILE.pdf|CASE.rvcase ...]``."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from redactview import __version__
from redactview.ui.error_dialog import install_excepthook
from redactview.ui.main_window import MainWindow
from redactview.ui.preferences import (
    apply_appearance,
    apply_tesseract_path,
    load_preferences,
)
from redactview.ui.pyside_guard import guard_none_refcount
from redactview.ui.smoke import start_quit_watchdog

_ICON = Path(__file__).resolve().parents[2] / "resources" / "redactview.svg"


def make_application(argv: Sequence[str] = ()) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *argv])
    guard_none_refcount()  # see pyside_guard: a PySide6 slip that aborts Python 3.11
    app.setApplicationName("redactview")
    app.setOrganizationName("redactview")
    app.setApplicationVersion(__version__)
    if _ICON.exists():
        app.setWindowIcon(QIcon(str(_ICON)))
    return app


def create_window(paths: Sequence[str | Path] = ()) -> MainWindow:
    """The main window with preferences applied; opens ``paths`` once the loop runs."""
    prefs = load_preferences()
    apply_appearance(prefs.appearance)
    apply_tesseract_path(prefs.tesseract_path)
    window = MainWindow(prefs)
    files = [Path(p) for p in paths]
    if files:
        # Open after show(), so a slow first open never delays the window appearing.
        QTimer.singleShot(0, lambda: _open_all(window, files))
    return window


def _open_all(window: MainWindow, files: list[Path]) -> None:
    first, rest = files[0], files[1:]
    window.open_path(first)
    if rest:
        # More PDFs on the command line become releases of the first one's case.
        window.case_opened.connect(
            lambda _s: [window.add_release(p) for p in rest],
            Qt.ConnectionType.SingleShotConnection,
        )


def run_app(argv: Sequence[str]) -> int:
    app = make_application(argv)
    start_quit_watchdog()  # only acts when a smoke test asks (REDACTVIEW_QUIT_AFTER_MS)
    install_excepthook()
    paths = [a for a in argv if not a.startswith("-")]
    window = create_window(paths)
    window.show()
    return int(app.exec())
