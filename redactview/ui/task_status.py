"""Status-bar widget for background tasks: label, progress bar and Cancel.

It appears only when a task has run for half a second, so quick work does
not flicker, and it shows the newest running task.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from redactview.core.progress import Progress
from redactview.ui.tasks import TaskHandle, TaskManager

_SHOW_AFTER_MS = 500


class TaskStatus(QWidget):
    def __init__(self, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._current: TaskHandle | None = None
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(180)
        self.cancel_button = QPushButton("Cancel")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.label, self.bar, self.cancel_button):
            layout.addWidget(w)
        self._show_timer = QTimer(self, singleShot=True, interval=_SHOW_AFTER_MS)
        self._show_timer.timeout.connect(self._on_show_timeout)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        tasks.started.connect(self._on_started)
        tasks.began.connect(self._on_began)
        tasks.progressed.connect(self._on_progressed)
        tasks.finished.connect(self._on_finished)
        self.hide()

    def _on_started(self, handle: TaskHandle) -> None:
        self._current = handle
        # PDF jobs run one at a time: say why this one has not started.
        self.label.setText(f"{handle.label} (waiting)" if handle.waiting else handle.label)
        self.bar.setRange(0, 0)  # busy until the first progress report
        self._show_timer.start()

    def _on_began(self, handle: TaskHandle) -> None:
        if handle is self._current:
            self.label.setText(handle.label)

    def _on_show_timeout(self) -> None:
        if self._current is not None and not self._current.done:
            self.show()

    def _on_progressed(self, handle: TaskHandle, progress: Progress) -> None:
        if handle is not self._current:
            return
        self.bar.setRange(0, max(progress.total, 1))
        self.bar.setValue(progress.done)
        eta = f", about {progress.eta_s:.0f} s left" if progress.eta_s else ""
        self.label.setText(f"{handle.label}: {progress.message or ''}{eta}".rstrip(": "))

    def _on_finished(self, handle: TaskHandle) -> None:
        running = self._tasks.running
        if running:
            self._on_started(running[-1])
            return
        self._current = None
        self._show_timer.stop()
        self.hide()

    def _on_cancel_clicked(self) -> None:
        if self._current is not None:
            self._current.cancel()
            self.label.setText(f"{self._current.label}: cancelling…")
