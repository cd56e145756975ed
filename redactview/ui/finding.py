"""Find (Ctrl+F): wires the find bar to the case's search index and the text layer.

Pages the OCR run indexed are searched through the case's full-text index
(``Case.search``); the other pages' text-layer words are read once per
release in the background and matched word by word. Hits are highlighted in
the page view and stepped through in reading order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from redactview.core.model import Word
from redactview.errors import CancelledError
from redactview.jobs.page_index import read_text_layer
from redactview.ui.find import Hit, find_in_words

if TYPE_CHECKING:
    from redactview.ui.main_window import MainWindow

_DEBOUNCE_MS = 250


class FindController(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._w = window
        self._text_words: dict[int, list[Word]] | None = None
        self._loading = False
        self.hits: list[Hit] = []
        self.current = -1
        self._timer = QTimer(self, singleShot=True, interval=_DEBOUNCE_MS)
        self._timer.timeout.connect(self.search_now)
        bar = window.find_bar
        bar.query_changed.connect(lambda _q: self._timer.start())
        bar.step.connect(self.step)
        bar.closed.connect(self._on_closed)

    def reset(self) -> None:
        """A release or case changed: forget its words and hits."""
        self._text_words = None
        self.hits, self.current = [], -1
        self._w.page_view.set_highlights([])
        self._w.find_bar.show_count(0, 0)

    def open(self) -> None:
        self._w.find_bar.open_bar()
        self._ensure_text_words()

    def _ensure_text_words(self) -> None:
        w = self._w
        if (
            self._text_words is not None
            or self._loading
            or w.session is None
            or w.release_id is None
        ):
            return
        indexed = w.session.case.search.indexed_pages(w.release_id)
        pages = [p.number for p in w.session.pages(w.release_id) if p.number not in indexed]
        pdf = w.page_view.pages[0].path if w.page_view.pages else ""
        if not pdf:
            return
        self._loading = True
        w.find_bar.show_count(0, 0, loading=True)
        release_id = w.release_id
        password = w.passwords.get(pdf)
        (
            w.tasks.op(lambda ctx: read_text_layer(pdf, pages, password), "Reading text for Find")
            .success(lambda words: self._on_words_loaded(release_id, words))
            .failure(self._on_load_failed)
            .run()
        )

    def _on_words_loaded(self, release_id: int, words: dict[int, list[Word]]) -> None:
        self._loading = False
        if release_id != self._w.release_id:
            return  # the user moved on to another release meanwhile
        self._text_words = words
        self.search_now()

    def _on_load_failed(self, exc: BaseException) -> None:
        self._loading = False
        if isinstance(exc, CancelledError):
            return
        self._text_words = {}
        self._w.statusBar().showMessage(f"Find: the text layer could not be read ({exc})", 8000)

    def search_now(self) -> None:
        w = self._w
        query = w.find_bar.edit.text().strip()
        if w.session is None or w.release_id is None or not query:
            self.hits, self.current = [], -1
        else:
            self.hits = self._collect(query)
            self.current = 0 if self.hits else -1
        self._show()

    def _collect(self, query: str) -> list[Hit]:
        w = self._w
        assert w.session is not None and w.release_id is not None
        found = [
            (h.page, h.box)
            for h in w.session.case.search.search(query, release_id=w.release_id, limit=5000)
        ]
        for page_words in (self._text_words or {}).values():
            found.extend(find_in_words(page_words, query))
        return sorted(set(found), key=lambda h: (h[0], round(h[1].y0), h[1].x0))

    def step(self, delta: int) -> None:
        if not self.hits:
            self.search_now()
            return
        self.current = (self.current + delta) % len(self.hits)
        self._show()

    def _show(self) -> None:
        w = self._w
        w.page_view.set_highlights(self.hits, self.current)
        w.find_bar.show_count(self.current, len(self.hits), loading=self._loading)
        if 0 <= self.current < len(self.hits):
            w.page_view.center_on_highlight(self.current)

    def _on_closed(self) -> None:
        self.hits, self.current = [], -1
        self._w.page_view.set_highlights([])
        self._w.page_view.setFocus()
