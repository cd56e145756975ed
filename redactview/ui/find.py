"""Find (Ctrl+F): matching a query against a page's words, and the find bar.

Matching is on words, not characters, because OCR words carry the boxes we
highlight: a query of several words matches consecutive words on a page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from redactview.core.geometry import Box, union_all
from redactview.core.model import Word

Hit = tuple[int, Box]
_STRIP = re.compile(r"^\W+|\W+$")


def _norm(text: str) -> str:
    return _STRIP.sub("", text.casefold())


def find_in_words(words: Sequence[Word], query: str) -> list[Hit]:
    """Hits for ``query`` in one page's words, each the union box of the matched words."""
    terms = [_norm(t) for t in query.split() if _norm(t)]
    if not terms:
        return []
    texts = [_norm(w.text) for w in words]
    hits = []
    for i in range(len(words) - len(terms) + 1):
        window = texts[i : i + len(terms)]
        if len(terms) == 1:
            matched = terms[0] in window[0]
        else:
            # Inner words must match whole; the ends may be partial ("John Sm").
            matched = (
                window[0].endswith(terms[0])
                and window[-1].startswith(terms[-1])
                and window[1:-1] == terms[1:-1]
            )
        if matched:
            hits.append((words[i].page, union_all(w.box for w in words[i : i + len(terms)])))
    return hits


class FindBar(QWidget):
    query_changed = Signal(str)
    step = Signal(int)  # +1 next, -1 previous
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(placeholderText="Find in text and OCR…")
        self.edit.setClearButtonEnabled(True)
        self.count = QLabel()
        prev_b, next_b, close_b = QToolButton(), QToolButton(), QToolButton()
        for button, glyph in ((prev_b, "▲"), (next_b, "▼"), (close_b, "✕")):
            button.setText(glyph)
        prev_b.setToolTip("Previous hit (Shift+F3)")
        next_b.setToolTip("Next hit (F3 or Enter)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        for w in (QLabel("Find:"), self.edit, self.count, prev_b, next_b, close_b):
            layout.addWidget(w)
        layout.setStretch(1, 1)
        self.edit.textChanged.connect(self.query_changed)
        self.edit.returnPressed.connect(lambda: self.step.emit(1))
        prev_b.clicked.connect(lambda: self.step.emit(-1))
        next_b.clicked.connect(lambda: self.step.emit(1))
        close_b.clicked.connect(self.close_bar)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.edit)
        escape.activated.connect(self.close_bar)

    def open_bar(self) -> None:
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.closed.emit()

    def show_count(self, current: int, total: int, loading: bool = False) -> None:
        if loading:
            self.count.setText("reading text…")
        elif not self.edit.text().strip():
            self.count.clear()
        else:
            self.count.setText(f"{current + 1 if total else 0} of {total}")
