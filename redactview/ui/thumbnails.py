"""Page thumbnails, rendered on demand (only the ones in sight) by the render service."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QPixmap
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem, QWidget

from redactview.core.model import PageInfo
from redactview.ui.render_service import RenderKey, RenderService, zoom_step

_THUMB_PX = 110


class ThumbnailPanel(QListWidget):
    page_chosen = Signal(int)

    def __init__(self, service: RenderService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._path = ""
        self._keys: dict[int, RenderKey] = {}
        self._done: set[int] = set()  # pages whose icon is the real render
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
        self.verticalScrollBar().valueChanged.connect(self._timer.start)
        self.currentRowChanged.connect(self._on_row_changed)
        service.rendered.connect(self._on_rendered)

    def set_document(self, path: str, pages: list[PageInfo]) -> None:
        self._path = path
        self.blockSignals(True)
        self.clear()
        placeholder = QPixmap(_THUMB_PX, _THUMB_PX)
        placeholder.fill(QColor("#dddddd"))
        self._keys = {}
        self._done = set()
        for info in pages:
            side = max(info.width, info.height) or 1.0
            self._keys[info.number] = RenderKey(path, info.number, zoom_step(_THUMB_PX / side))
            item = QListWidgetItem(QIcon(placeholder), str(info.number))
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.addItem(item)
        self.blockSignals(False)
        self._timer.start()

    def _on_row_changed(self, row: int) -> None:
        if row >= 0:
            self.page_chosen.emit(row + 1)

    def show_page(self, number: int) -> None:
        self.blockSignals(True)
        self.setCurrentRow(number - 1)
        self.blockSignals(False)

    def _request_visible(self) -> None:
        first = self.indexAt(self.viewport().rect().topLeft()).row()
        last = self.indexAt(self.viewport().rect().bottomLeft()).row()
        first = max(first, 0)
        last = self.count() - 1 if last < 0 else last
        wanted = []
        for number in range(first + 1, min(last + 3, self.count()) + 1):
            key = self._keys[number]
            image = self._service.cache.get(key)
            if image is None:
                wanted.append(key)
            elif number not in self._done:
                self._set_icon(number, image)
        self._service.request(wanted, client="thumbs")

    def _on_rendered(self, key: RenderKey, image: QImage) -> None:
        if self._keys.get(key.page) == key:
            self._set_icon(key.page, image)

    def _set_icon(self, number: int, image: QImage) -> None:
        item = self.item(number - 1)
        if item is not None:
            self._done.add(number)
            scaled = image.scaled(
                _THUMB_PX,
                _THUMB_PX,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            item.setIcon(QIcon(QPixmap.fromImage(scaled)))
