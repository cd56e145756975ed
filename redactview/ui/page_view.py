"""Continuous page view: all pages stacked, zoom, rotate, overlays and drawing.

Scene units are PDF points (displayed orientation); the view's scale is the
zoom in pixels per point. Each ``PageItem`` paints whatever the render
service has cached for it and asks for the sharp image when it becomes
visible, so scrolling a 500-page scan never waits on rendering.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QMouseEvent,
    QPainter,
    QPen,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QWidget,
)

from redactview.core.geometry import Box
from redactview.core.model import Annotation, PageInfo, Redaction
from redactview.ui.overlays import HighlightItem, RedactionItem
from redactview.ui.page_items import GAP_PT, BatchFiller, PageItem, PageList
from redactview.ui.render_service import RenderKey, RenderService

_GAP_PT = GAP_PT
_MIN_ZOOM, _MAX_ZOOM = 0.1, 8.0
_ZOOM_FACTOR = 1.2


class PageView(QGraphicsView):
    redaction_selected = Signal(str)  # id ("" when the selection is cleared)
    box_drawn = Signal(int, object)  # page, Box (unrotated points)
    box_edited = Signal(str, object)  # redaction id, new Box
    current_page_changed = Signal(int)
    zoom_changed = Signal(float)

    def __init__(self, service: RenderService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._scene = QGraphicsScene(self)
        self.setScene(self._scene)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._follow_palette()
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.pages = self._page_list("", [])
        self._filler = BatchFiller(self)
        self.items_by_id: dict[str, RedactionItem] = {}
        self._highlights: list[HighlightItem] = []
        self._rotation = 0
        self._draw_mode = False
        self._drawing: tuple[PageItem, QPointF, QGraphicsRectItem] | None = None
        self._current_page = 0
        self._fit: str | None = "width"
        self._visible_timer = QTimer(self, singleShot=True, interval=0)
        self._visible_timer.timeout.connect(self._request_visible)
        self._scene.selectionChanged.connect(self._on_selection_changed)
        service.rendered.connect(self._on_rendered)
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):  # Qt 6.5+
            hints.colorSchemeChanged.connect(self._on_color_scheme_changed)

    # -- appearance ------------------------------------------------------------------------
    def _follow_palette(self) -> None:
        """The backdrop between pages is the palette's dark shade (light or dark mode)."""
        self.setBackgroundBrush(self.palette().dark())
        self.viewport().update()  # overlays and page borders repaint on the new backdrop

    def changeEvent(self, event: QEvent) -> None:
        # A brush set once is not restyled by Qt: follow a live switch of the
        # system's (or the app's) light/dark palette ourselves.
        if event.type() == QEvent.Type.PaletteChange:
            self._follow_palette()
        super().changeEvent(event)

    def _on_color_scheme_changed(self, _scheme: object) -> None:
        # The style updates the palette after this signal on most platforms;
        # take whatever palette the view has now, and again when it changes.
        self._follow_palette()

    # -- content -------------------------------------------------------------------------
    def _page_list(self, path: str, pages: list[PageInfo]) -> PageList:
        return PageList(self._scene, self._service, path, pages, lambda: self._current_page - 1)

    def set_document(self, path: str, pages: list[PageInfo]) -> None:
        self._filler.stop()
        self._scene.clear()
        self.items_by_id.clear()
        self._highlights.clear()
        # Every page's place is known now (the scroll range is right at once);
        # items are made when needed and the rest in batches (``page_items``).
        self.pages = self._page_list(path, pages)
        self._current_page = 0
        self._layout()
        self._fit = self._fit or "width"
        self._apply_fit()
        self.go_to_page(1)
        # A short first batch (the layout above took its share of this turn);
        # a short file is whole after it.
        if self.pages.fill_step(0.005):
            self._filler.start(self.pages)

    def update_pages(self, path: str, pages: list[PageInfo]) -> bool:
        """The real page sizes of the document shown (provisional until read): in place.

        Keeps the items, the overlays and the page the user has reached; only
        a page whose size or /Rotate differs is touched. False (nothing done)
        when ``path`` is not the document shown or its page count differs.
        """
        if not self.pages or self.pages.path != path or len(pages) != len(self.pages):
            return False
        page = self.current_page()
        changed = [self.pages.update_info(i, info) for i, info in enumerate(pages)]
        if any(changed):
            self._layout()
            self._apply_fit()
            if page:
                self.go_to_page(page)
        return True

    def set_redactions(self, redactions: list[Redaction], notes: dict[str, Annotation]) -> None:
        selected = self.selected_id()
        for item in self.items_by_id.values():
            self._scene.removeItem(item)
        self.items_by_id.clear()
        for r in redactions:
            self._add_item(r, notes.get(r.id) or Annotation(r.id))
        if selected in self.items_by_id:
            self.items_by_id[selected].setSelected(True)

    def update_redaction(
        self, redaction: Redaction | None, annotation: Annotation, rid: str
    ) -> None:
        """Refresh one overlay after an edit (``redaction`` None: it was deleted)."""
        item = self.items_by_id.get(rid)
        if redaction is None:
            if item is not None:
                self._scene.removeItem(self.items_by_id.pop(rid))
            return
        if item is None or item.redaction.page != redaction.page:
            if item is not None:
                self._scene.removeItem(self.items_by_id.pop(rid))
            self._add_item(redaction, annotation)
        else:
            item.apply(redaction, annotation)

    def _add_item(self, r: Redaction, annotation: Annotation) -> None:
        if not 1 <= r.page <= len(self.pages):
            return
        item = RedactionItem(r, annotation, self.box_edited.emit)
        item.setParentItem(self.pages[r.page - 1].space)
        self.items_by_id[r.id] = item

    def set_highlights(self, hits: list[tuple[int, Box]], current: int = -1) -> None:
        for h in self._highlights:
            self._scene.removeItem(h)
        self._highlights = []
        for i, (page, box) in enumerate(hits):
            if 1 <= page <= len(self.pages):
                item = HighlightItem(box, current=i == current)
                item.setParentItem(self.pages[page - 1].space)
                self._highlights.append(item)

    # -- layout, zoom, rotation ------------------------------------------------------------
    def _layout(self) -> None:
        width, y = self.pages.lay_out(self._rotation)
        self._scene.setSceneRect(QRectF(-_GAP_PT, -_GAP_PT, width + 2 * _GAP_PT, y + _GAP_PT))

    def rotate_by(self, degrees: int) -> None:
        page = self.current_page()
        self._rotation = (self._rotation + degrees) % 360
        self._layout()
        self._apply_fit()
        self.go_to_page(page)

    @property
    def zoom(self) -> float:
        return float(self.transform().m11())

    def set_zoom(self, zoom: float, *, keep_fit: bool = False) -> None:
        zoom = min(max(zoom, _MIN_ZOOM), _MAX_ZOOM)
        if not keep_fit:
            self._fit = None
        self.setTransform(QTransform.fromScale(zoom, zoom))
        self.zoom_changed.emit(zoom)
        self._visible_timer.start()

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom * _ZOOM_FACTOR)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom / _ZOOM_FACTOR)

    def fit_width(self) -> None:
        self._fit = "width"
        self._apply_fit()

    def fit_page(self) -> None:
        self._fit = "page"
        self._apply_fit()

    def _apply_fit(self) -> None:
        if not self.pages or self._fit is None:
            return
        view = self.viewport().rect()
        widest = max(r[2] for r in self.pages.rects)
        zoom = (view.width() - 2 * _GAP_PT) / max(widest + 2 * _GAP_PT, 1.0)
        if self._fit == "page":
            height = self.pages.rects[max(self.current_page(), 1) - 1][3]
            zoom = min(zoom, (view.height() - 2 * _GAP_PT) / height)
        self.set_zoom(zoom, keep_fit=True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        page = self.current_page()
        self._apply_fit()
        if page:
            self.go_to_page(page)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120.0
            self.set_zoom(self.zoom * (_ZOOM_FACTOR**steps))
            event.accept()
            return
        super().wheelEvent(event)

    # -- navigation ------------------------------------------------------------------------
    def go_to_page(self, number: int) -> None:
        if not 1 <= number <= len(self.pages):
            return
        top = self.pages.rects[number - 1][1] - _GAP_PT / 2
        self.verticalScrollBar().setValue(
            int(self.mapFromScene(QPointF(0, top)).y()) + self.verticalScrollBar().value()
        )
        self._update_current_page()

    def current_page(self) -> int:
        return self._current_page

    def center_on_redaction(self, rid: str) -> None:
        item = self.items_by_id.get(rid)
        if item is None:
            return
        self._scene.clearSelection()
        item.setSelected(True)
        self.centerOn(item.mapToScene(item.rect().center()))
        self._update_current_page()

    def center_on_highlight(self, index: int) -> None:
        if 0 <= index < len(self._highlights):
            item = self._highlights[index]
            self.centerOn(item.mapToScene(item.rect().center()))

    def selected_id(self) -> str:
        for item in self._scene.selectedItems():
            if isinstance(item, RedactionItem):
                return item.redaction_id
        return ""

    def is_visible(self, rid: str) -> bool:
        item = self.items_by_id.get(rid)
        if item is None:
            return False
        shown = self.mapToScene(self.viewport().rect()).boundingRect()
        return shown.contains(item.sceneBoundingRect().center())

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self._update_current_page()
        self._visible_timer.start()

    def _update_current_page(self) -> None:
        # By bisection on the pages' places: a loop over 10,000 items' rects ran
        # on every scroll step.
        center = self.mapToScene(self.viewport().rect().center())
        index = self.pages.index_at(center.y())
        if index >= 0 and index + 1 != self._current_page:
            self._current_page = index + 1
            self.current_page_changed.emit(index + 1)

    def visible_pages(self) -> list[PageItem]:
        shown = self.mapToScene(self.viewport().rect()).boundingRect()
        found = []
        for i in self.pages.indexes_between(shown.top(), shown.bottom()):
            x, _, w, _ = self.pages.rects[i]
            if x < shown.right() and x + w > shown.left():
                found.append(self.pages[i])
        return found

    def request_visible(self) -> None:
        """Ask again for the pages on screen (after a password made them renderable)."""
        self._request_visible()

    def _request_visible(self) -> None:
        visible = self.visible_pages()
        if not visible:
            return
        zoom = self.zoom * self.devicePixelRatioF()
        # The pages on screen first, then one page either side for smooth scrolling.
        first, last = visible[0].number, visible[-1].number
        extra = [self.pages[n - 1] for n in (last + 1, first - 1) if 1 <= n <= len(self.pages)]
        self._service.request([p.wanted_key(zoom) for p in visible + extra])

    def _on_rendered(self, key: RenderKey, _image: object) -> None:
        item = self.pages.built(key.page - 1) if 1 <= key.page <= len(self.pages) else None
        if item is not None and item.path == key.path:
            item.update()

    def _on_selection_changed(self) -> None:
        self.redaction_selected.emit(self.selected_id())

    # -- drawing new boxes -----------------------------------------------------------------
    def set_draw_mode(self, on: bool) -> None:
        self._draw_mode = on
        self.viewport().setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)

    def _page_at(self, scene_pos: QPointF) -> PageItem | None:
        index = self.pages.index_at(scene_pos.y())
        if index < 0:
            return None
        item = self.pages[index]
        return item if item.sceneBoundingRect().contains(scene_pos) else None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._draw_mode and event.button() == Qt.MouseButton.LeftButton:
            scene_pos = self.mapToScene(event.position().toPoint())
            page = self._page_at(scene_pos)
            if page is not None:
                start = page.space.mapFromScene(scene_pos)
                band = QGraphicsRectItem(QRectF(start, start), page.space)
                pen = QPen(QColor("#D55E00"), 2, Qt.PenStyle.DashLine)
                pen.setCosmetic(True)
                band.setPen(pen)
                band.setZValue(20)
                self._drawing = (page, start, band)
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drawing is not None:
            page, start, band = self._drawing
            here = page.space.mapFromScene(self.mapToScene(event.position().toPoint()))
            band.setRect(QRectF(start, here).normalized())
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drawing is not None:
            page, _, band = self._drawing
            self._drawing = None
            r = band.rect()
            self._scene.removeItem(band)
            box = Box(r.left(), r.top(), r.right(), r.bottom())
            clipped = box.intersection(Box(0, 0, page.info.width, page.info.height))
            if clipped.width >= 2 and clipped.height >= 2:
                self.box_drawn.emit(page.number, clipped)
            return
        super().mouseReleaseEvent(event)
