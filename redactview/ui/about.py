"""Help → About: name, version, what the app does, and the licenses of what it bundles.

The component table is data (``bundled_components()``) so that tests and the
frozen-build smoke test can check it without a window. Versions are read at
run time from the installed distributions' metadata (the frozen build copies
that metadata in, see build.spec), never hard-coded, so the table cannot go
stale. Licenses are fixed facts of each project.
"""

from __future__ import annotations

import platform
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from redactview import __version__

APP_NAME = "redactview"
APP_LICENSE = "AGPL-3.0-or-later"
DESCRIPTION = (
    "Finds, catalogs and compares redactions in FOIA and other disclosure releases. "
    "Works entirely offline: it never opens a network connection."
)
NOT_FOUND = "not found"
_ICON = Path(__file__).resolve().parents[2] / "resources" / "redactview.svg"


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    version: str
    license: str
    note: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def distribution_version(*names: str) -> str:
    """Version of the first installed distribution among ``names`` (wheels vary by name)."""
    for name in names:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return NOT_FOUND


def tesseract_version(configured: str | None = None) -> str:
    """The system Tesseract's version, or why there is none (it is not bundled)."""
    from redactview.errors import RedactviewError
    from redactview.ocr.tesseract import probe

    try:
        return probe(configured).version
    except RedactviewError:
        return NOT_FOUND


def bundled_components(tesseract_path: str | None = None) -> tuple[Component, ...]:
    pyside = distribution_version("PySide6-Essentials", "PySide6")
    return (
        Component("Python", platform.python_version(), "PSF-2.0"),
        Component("Qt", qVersion(), "LGPL-3.0", "via Qt for Python"),
        Component("PySide6 / Shiboken6", pyside, "LGPL-3.0"),
        Component("PyMuPDF (with MuPDF)", distribution_version("PyMuPDF"), "AGPL-3.0"),
        Component("Pillow", distribution_version("Pillow"), "MIT-CMU (HPND)"),
        Component("NumPy", distribution_version("numpy"), "BSD-3-Clause"),
        Component(
            "OpenCV",
            distribution_version(
                "opencv-python-headless",
                "opencv-python",
                "opencv-contrib-python-headless",
                "opencv-contrib-python",
            ),
            "Apache-2.0",
        ),
        Component("pytesseract", distribution_version("pytesseract"), "Apache-2.0"),
        Component(
            "Tesseract OCR", tesseract_version(tesseract_path), "Apache-2.0", "system, not bundled"
        ),
        Component("platformdirs", distribution_version("platformdirs"), "MIT"),
    )


class AboutDialog(QDialog):
    """A modal dialog; ``show_about(parent)`` is the one call the menu needs."""

    def __init__(self, parent: QWidget | None = None, tesseract_path: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        self.components = bundled_components(tesseract_path)
        self.table = self._build_table(self.components)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_header())
        layout.addWidget(QLabel("Bundled and used components:"))
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(580, 480)

    def _build_header(self) -> QHBoxLayout:
        header = QHBoxLayout()
        if _ICON.exists():
            icon = QLabel()
            icon.setPixmap(QIcon(str(_ICON)).pixmap(64, 64))
            header.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        self.title = QLabel(f"<h2>{APP_NAME} {__version__}</h2>")
        text = QLabel(f"{DESCRIPTION}<br><br>Licensed under the {APP_LICENSE}.")
        text.setWordWrap(True)
        column = QVBoxLayout()
        column.addWidget(self.title)
        column.addWidget(text)
        header.addLayout(column, 1)
        return header

    @staticmethod
    def _build_table(components: tuple[Component, ...]) -> QTableWidget:
        table = QTableWidget(len(components), 3)
        table.setHorizontalHeaderLabels(["Component", "Version", "License"])
        table.verticalHeader().setVisible(False)
        # Compact rows, so every component fits without scrolling.
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for row, c in enumerate(components):
            version = f"{c.version} ({c.note})" if c.note else c.version
            for col, value in enumerate((c.name, version, c.license)):
                table.setItem(row, col, QTableWidgetItem(value))
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        return table


def show_about(parent: QWidget | None = None, tesseract_path: str | None = None) -> None:
    AboutDialog(parent, tesseract_path).exec()
