"""The inspector's candidate fitting: who could be under this box?

The user types or pastes candidates (one per line) or loads a file; names the
release shows in clear can be added automatically. The window runs the fit in
the background (``fit_job``) and hands the outcome back here: the character
estimate with its uncertainty, the box width, and the candidates ranked with
score, residual in points and a "cannot fit" flag.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from redactview.analysis.fit import rank_label
from redactview.ui.fit_job import FitOutcome

HEADERS = ("Candidate", "Score", "Residual (pt)", "Fits", "Rank")
_MAX_LOAD_BYTES = 2_000_000


def describe_estimate(outcome: FitOutcome) -> str:
    e = outcome.estimate
    ends = "words on both sides" if e.bounded else "a box edge on one side"
    over = f" · over {outcome.lines} lines" if outcome.lines > 1 else ""
    return (
        f"<b>{e.lo}–{e.hi} characters</b> · hidden width {e.hidden_width:.1f} ± "
        f"{e.tolerance:.1f} pt (box {e.box_width:.1f} pt) · {e.font} {e.size:.1f} pt "
        f"({'text layer' if e.basis == 'text' else 'OCR'}, {ends}){over}"
    )


class FitPanel(QWidget):
    fit_requested = Signal(list, bool)  # candidate lines, add the release's names

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.candidates = QPlainTextEdit()
        self.candidates.setPlaceholderText("Candidates, one per line (names, words…)")
        self.candidates.setMaximumHeight(70)
        self.load_button = QPushButton("Load…")
        self.load_button.setToolTip("Add candidates from a text file, one per line")
        self.auto_names = QCheckBox("Add names seen in the release")
        self.auto_names.setChecked(True)
        self.fit_button = QPushButton("Fit")
        self.fit_button.setToolTip("Measure the gap and rank the candidates (in the background)")
        self.summary = QLabel(wordWrap=True)
        self.results = QTableWidget(0, len(HEADERS))
        self.results.setHorizontalHeaderLabels(HEADERS)
        self.results.verticalHeader().hide()
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.results.setMaximumHeight(150)
        # The table must not widen the inspector dock (and so narrow the pages).
        self.results.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.candidates.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._build_layout()
        self.load_button.clicked.connect(self.load_dialog)
        self.fit_button.clicked.connect(self._on_fit_clicked)

    def _build_layout(self) -> None:
        row = QHBoxLayout()
        row.addWidget(self.auto_names, 1)
        row.addWidget(self.load_button)
        row.addWidget(self.fit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.candidates)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.results)

    # -- input ----------------------------------------------------------------------------
    def load_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load candidates", "", "Text (*.txt);;All (*)")
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        data = path.read_bytes()[:_MAX_LOAD_BYTES]
        text = data.decode("utf-8", errors="replace")
        current = self.candidates.toPlainText().rstrip("\n")
        self.candidates.setPlainText(f"{current}\n{text}" if current else text)

    def _on_fit_clicked(self) -> None:
        lines = self.candidates.toPlainText().splitlines()
        self.fit_button.setEnabled(False)
        self.summary.setText("Measuring…")
        self.fit_requested.emit(lines, self.auto_names.isChecked())

    # -- output ---------------------------------------------------------------------------
    def clear(self) -> None:
        self.summary.clear()
        self.results.setRowCount(0)
        self.fit_button.setEnabled(self.isEnabled())

    def show_failure(self, message: str) -> None:
        self.fit_button.setEnabled(True)
        self.results.setRowCount(0)
        self.summary.setText(f"<span style='color:#C0392B'>{message}</span>")

    def show_outcome(self, outcome: FitOutcome) -> None:
        self.fit_button.setEnabled(True)
        names = f" · {outcome.auto_names} names from the release" if outcome.auto_names else ""
        self.summary.setText(describe_estimate(outcome) + names)
        self.results.setRowCount(len(outcome.candidates))
        grey = QBrush(QColor("#9a9a9a"))
        for i, c in enumerate(outcome.candidates):
            cells = (
                c.text,
                f"{c.score:.3f}",
                f"{c.residual:+.2f}",
                "yes" if c.fits else "cannot fit",
                # "1–23 (tie)": candidates of indistinguishable width share a rank.
                rank_label(c.rank, c.tied_with),
            )
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if not c.fits:
                    item.setForeground(grey)
                self.results.setItem(i, j, item)
        self.results.resizeColumnsToContents()
        self.results.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
