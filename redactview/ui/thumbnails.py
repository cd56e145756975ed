"""Page thumbnails, rendered on demand (only the ones in sight) by the render service.

A list model, not a QListWidget: one ``QListWidgetItem`` per page cost 65–210 ms
of GUI-thread stall for 10,000 pages in one go; a model costs nothing per row,
and the view lays the rows out in batches across event-loop turns.

Only rows near the viewport keep their thumbnail: one held icon is ~50 KB, so
keeping every one ever shown grew without bound on a 10,000-page file. A row
that scrolls farther than ``KEEP_ROWS`` away gets the shared placeholder back
and is asked for again when it returns (often from the render cache).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QImage, QPixmap
from PySide6.QtWidgets import QListView, QWidget

from redactview.core.model import PageInfo
from redactview.ui.page_items import same_shape
from redactview.ui.render_service import RenderKey, RenderService, zoom_step

_THUMB_PX = 110
KEEP_ROWS = 100  # rows either side of the visible ones whose thumbnails are kept
_LAYOUT_BATCH = 1000  # rows the view lays out per event-loop turn (~3 ms)

_Index = QModelIndex | QPersistentModelIndex


class ThumbnailModel(QAbstractListModel):
    """One row per page: its number, and its thumbnail or the shared placeholder."""

    def __init__(self, placeholder: QIcon, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._placeholder = placeholder
        self._count = 0
        self.icons: dict[int, QIcon] = {}  # page number -> its rendered thumbnail

    def reset(self, count: int) -> None:
        self.beginResetModel()
        self._count, self.icons = count, {}
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's default)
        return 0 if parent.isValid() else self._count

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return str(index.row() + 1)
        if role == Qt.ItemDataRole.DecorationRole:
            return self.icons.get(index.row() + 1, self._placeholder)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignHCenter)
        return None

    def set_icon(self, number: int, icon: QIcon | None) -> None:
        if icon is None:
            self.icons.pop(number, None)
        else:
            self.icons[number] = icon
        index = self.index(number - 1)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])


class ThumbnailPanel(QListView):
    page_chosen = Signal(int)

    def __init__(self, service: RenderService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._path = ""
        self._infos: list[PageInfo] = []  # render keys are made from these when needed
        self._done: set[int] = set()  # pages whose icon is the real render
        self._keep = (1, KEEP_ROWS)  # page numbers whose thumbnails may be held now
        placeholder = QPixmap(_THUMB_PX, _THUMB_PX)
        placeholder.fill(QColor("#dddddd"))
        self._placeholder = QIcon(placeholder)  # one shared icon for every waiting row
        self._model = ThumbnailModel(self._placeholder, self)
        self.setModel(self._model)
        self._quiet = False  # show_page moves the current row without choosing a page
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(_LAYOUT_BATCH)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.TopToBottom)
        self.setWrapping(False)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setIconSize(QSize(_THUMB_PX, _THUMB_PX))
        self.setSpacing(4)
        self._timer = QTimer(self, singleShot=True, interval=50)
        self._timer.timeout.connect(self._request_visible)
        # Not ``connect(self._timer.start)``: valueChanged's int would become the
        # timer's interval, so thumbnails far down waited seconds (1 ms a pixel).
        self.verticalScrollBar().valueChanged.connect(lambda _value: self._timer.start())
        self.selectionModel().currentRowChanged.connect(self._on_row_changed)
        service.rendered.connect(self._on_rendered)

    def set_document(self, path: str, pages: list[PageInfo]) -> None:
        self._path = path
        self._quiet = True
        self._infos = list(pages)
        self._done = set()
        self._model.reset(len(pages))
        self._quiet = False
        self._timer.start()

    def count(self) -> int:
        return self._model.rowCount()

    def icon(self, number: int) -> QIcon:
        """The icon page ``number``'s row shows (the placeholder until rendered)."""
        return self._model.icons.get(number, self._placeholder)

    def is_placeholder(self, number: int) -> bool:
        return number not in self._model.icons

    def row_rect(self, row: int) -> QRect:
        return self.visualRect(self._model.index(row))

    def scroll_to_row(self, row: int) -> None:
        self.scrollTo(self._model.index(row), QListView.ScrollHint.PositionAtTop)

    def currentRow(self) -> int:
        return self.currentIndex().row()

    def setCurrentRow(self, row: int) -> None:
        self.setCurrentIndex(self._model.index(row))

    def document(self) -> str:
        """The path of the PDF listed ("" when none)."""
        return self._path

    def update_pages(self, path: str, pages: list[PageInfo]) -> bool:
        """Real page sizes for the document shown: keep the rows and their icons.

        Only a page whose size changed (so its render key) is asked for again.
        False (nothing done) for another document or another page count.
        """
        if path != self._path or len(pages) != self.count():
            return False
        old, self._infos = self._infos, list(pages)
        for before, info in zip(old, pages, strict=True):
            # Only a page whose shape changed can need another render (its key).
            if not same_shape(before, info) and self._key(path, before) != self._key(path, info):
                self._forget(info.number)
        self._timer.start()
        return True

    def _key_of(self, number: int) -> RenderKey:
        return self._key(self._path, self._infos[number - 1])

    @staticmethod
    def _key(path: str, info: PageInfo) -> RenderKey:
        side = max(info.width, info.height) or 1.0
        return RenderKey(path, info.number, zoom_step(_THUMB_PX / side))

    def held_count(self) -> int:
        """How many rows hold a rendered thumbnail (the rest show the placeholder)."""
        return len(self._done)

    def _on_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self._quiet:
            self.page_chosen.emit(current.row() + 1)

    def show_page(self, number: int) -> None:
        self._quiet = True
        self.setCurrentRow(number - 1)
        self._quiet = False

    def visible_rows(self) -> tuple[int, int]:
        """First and last row in sight (0-based), (0, -1) when empty."""
        if self.count() < 2:
            return 0, self.count() - 1
        # From the row pitch (the rows are uniform): probing the viewport's
        # corners with indexAt hits the margin beside the icons and finds no row.
        row0 = self.row_rect(0)
        top, height = row0.top(), row0.height()
        pitch = max(self.row_rect(1).top() - top, 1)
        first = min(max((-top - height) // pitch + 1, 0), self.count() - 1)
        last = min(max((self.viewport().height() - 1 - top) // pitch, first), self.count() - 1)
        return first, last

    def _request_visible(self) -> None:
        first, last = self.visible_rows()
        self._drop_far(first, last)
        wanted = []
        for number in range(first + 1, min(last + 3, self.count()) + 1):
            key = self._key_of(number)
            image = self._service.cache.get(key)
            if image is None:
                wanted.append(key)
            elif number not in self._done:
                self._set_icon(number, image)
        self._service.request(wanted, client="thumbs")

    def _drop_far(self, first: int, last: int) -> None:
        """Give rows far from the visible ones their placeholder back (bounded memory)."""
        low, high = first + 1 - KEEP_ROWS, last + 1 + KEEP_ROWS  # page numbers kept
        self._keep = (low, high)
        for number in [n for n in self._done if n < low or n > high]:
            self._forget(number)

    def _forget(self, number: int) -> None:
        self._done.discard(number)
        self._model.set_icon(number, None)

    def _on_rendered(self, key: RenderKey, image: QImage) -> None:
        low, high = self._keep
        # A render for a row scrolled far away meanwhile stays in the render cache only.
        mine = 1 <= key.page <= len(self._infos) and self._key_of(key.page) == key
        if mine and low <= key.page <= high:
            self._set_icon(key.page, image)

    def _set_icon(self, number: int, image: QImage) -> None:
        if 1 <= number <= self.count():
            self._done.add(number)
            scaled = image.scaled(
                _THUMB_PX,
                _THUMB_PX,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            self._model.set_icon(number, QIcon(QPixmap.fromImage(scaled)))
