"""One error dialog for everything: a message, and the details folded away.

It is also ``sys.excepthook``, so an exception escaping a slot shows up here
instead of vanishing into a terminal nobody watches. The dialog is opened
window-modal but non-blocking (``open()``, not ``exec()``): no nested event
loop, and tests are never stuck behind it.
"""

from __future__ import annotations

import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from redactview.errors import RedactviewError

_shown: list[QMessageBox] = []  # keep open dialogs alive (and inspectable by tests)


def describe_error(exc: BaseException) -> tuple[str, str]:
    """(message, details) for any exception: ours are user-facing, others are bugs."""
    if isinstance(exc, RedactviewError):
        return exc.message, exc.details
    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return (
        f"Something went wrong inside redactview ({type(exc).__name__}: {exc}). "
        "Your edits up to now are saved in the case file. Please report this.",
        trace,
    )


def show_error(exc: BaseException, parent: QWidget | None = None, title: str = "") -> QMessageBox:
    message, details = describe_error(exc)
    box = QMessageBox(parent or QApplication.activeWindow())
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title or "redactview")
    box.setText(message)
    if details:
        box.setDetailedText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.finished.connect(lambda _=0: _shown.remove(box) if box in _shown else None)
    _shown.append(box)
    box.open()
    return box


def open_dialogs() -> list[QMessageBox]:
    return list(_shown)


def _excepthook(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    sys.__excepthook__(exc_type, exc, tb)  # keep the trace on stderr for bug reports
    if QApplication.instance() is not None and not isinstance(exc, KeyboardInterrupt):
        show_error(exc.with_traceback(tb))


def install_excepthook() -> None:
    sys.excepthook = _excepthook
