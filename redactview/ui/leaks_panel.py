"""The Leaks dock: everything Check for Leaks found in the shown release.

Findings under a box (text still in the file, a picture beneath a vector box)
and document-level ones (metadata, attachments, earlier revisions: page 0, no
box) are listed together; a picture's crop shows beside the list. Activating
a finding goes to its redaction, or to its page.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from redactview.core.model import LeakFinding

HEADERS = ("Page", "Found by", "Text", "Confidence", "Redaction")
_CROP_PX = 260


def where(f: LeakFinding) -> str:
    return "document" if f.page <= 0 or (f.box is None and f.redaction_id is None) else str(f.page)


def mechanism_text(mechanism: str) -> str:
    return mechanism.replace("_", " ").replace(":", ": ")


class LeaksPanel(QWidget):
    finding_activated = Signal(int, str)  # page (0: document), redaction id ("" if none)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.findings: list[LeakFinding] = []
        self.summary = QLabel("Run Tools → Check for Leaks to look for text left under boxes.")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.crop = QLabel()
        self.crop.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.crop.setMinimumWidth(_CROP_PX)
        row = QHBoxLayout()
        row.addWidget(self.table, 1)
        row.addWidget(self.crop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.summary)
        layout.addLayout(row, 1)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_crop(row))
        self.table.cellActivated.connect(lambda row, _col: self._on_activated(row))

    def set_findings(self, findings: list[LeakFinding]) -> None:
        # Document-level findings first: they concern the whole release.
        self.findings = sorted(findings, key=lambda f: (where(f) != "document", f.page))
        self.table.setRowCount(len(self.findings))
        for i, f in enumerate(self.findings):
            text = f.text or ("(a picture under the box)" if f.image_png else "")
            cells = (
                where(f),
                mechanism_text(f.mechanism),
                text,
                f"{f.confidence:.2f}",
                f.redaction_id or "",
            )
            for j, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(value if j == 2 else "")
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        document = sum(where(f) == "document" for f in self.findings)
        self.summary.setText(
            f"{len(self.findings)} findings ({document} about the whole document)"
            if self.findings
            else "No leak findings stored for this release (Tools → Check for Leaks)."
        )
        self._show_crop(0 if self.findings else -1)

    def _show_crop(self, row: int) -> None:
        pixmap = QPixmap()
        if 0 <= row < len(self.findings) and self.findings[row].image_png:
            pixmap.loadFromData(self.findings[row].image_png or b"")
        if pixmap.isNull():
            self.crop.clear()
            return
        self.crop.setPixmap(
            pixmap.scaled(
                _CROP_PX,
                _CROP_PX,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    def _on_activated(self, row: int) -> None:
        if 0 <= row < len(self.findings):
            f = self.findings[row]
            self.finding_activated.emit(max(f.page, 0), f.redaction_id or "")
