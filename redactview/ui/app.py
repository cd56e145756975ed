"""Start the desktop app. (The full viewer is built in ui/; this is its entry.)"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from redactview import __version__


def run_app(argv: Sequence[str]) -> int:
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    window = QMainWindow()
    window.setWindowTitle(f"redactview {__version__}")
    window.setCentralWidget(QLabel("\n".join(argv) or "Open a release with File → Open"))
    window.resize(1000, 700)
    window.show()
    return int(app.exec())
