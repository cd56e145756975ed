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
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

from redactview.core.geometry import Box
from redactview.core.model import Annotation, PageInfo, Redaction
from redactview.pdf.pages import rotation_to_display
from redactview.ui.overlays import HighlightItem, RedactionItem
from redactview.ui.render_service import RenderKey, RenderService, capped_step

_GAP_PT = 12.0
_MIN_ZOOM, _MAX_ZOOM = 0.1, 8.0
_ZOOM_FACTOR = 1.2


class PageItem(QGraphicsItem):
    def __init__(self, path: str, info: PageInfo, service: RenderService) -> None:
        super().__init__()
        self.path = path
        self._service = service
        self._space: QGraphicsRectItem | None = None
        self._set_info(info)

    @property
    def space(self) -> QGraphicsRectItem:
        """Children of ``space`` use unrotated page points (the store's convention).

        Made on first use: most pages of a long scan never carry an overlay, and
        a child item per page was a third of laying out a 500-page open.
        """
        if self._space is None:
            self._space = QGraphicsRectItem(self)
            self._space.setPen(QPen(Qt.PenStyle.NoPen))
            self._place_space()
        return self._space

    def _place_space(self) -> None:
        if self._space is not None:
            w, h, rotation = self.info.width, self.info.height, self.info.rotation
            affine = rotation_to_display(w, h, rotation)
            self._space.setTransform(QTransform(*_qt_affine(affine)))

    def _set_info(self, info: PageInfo) -> None:
        self.info = info
        w, h = info.width, info.height
        self._size = (h, w) if info.rotation % 180 == 90 else (w, h)
        self._place_space()

    def update_info(self, info: PageInfo) -> bool:
        """The page's real size and /Rotate (after a provisional one); True if it changed."""
        if info == self.info:
            return False
        self.prepareGeometryChange()
        self._set_info(info)
        self.update()
        return True

    @property
    def number(self) -> int:
        return self.info.number

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, *self._size)

    def turned_rect(self, rotation: int) -> tuple[float, float, float, float]:
        """(left, top, width, height) of this page turned by the view's ``rotation``.

        Plain arithmetic: mapping each page's rect through a QTransform cost
        ~0.1 ms a page in Python calls, which on a 500-page open was the longest
        stall of the GUI thread.
        """
        w, h = self._size
        turns = (rotation // 90) % 4
        if turns == 1:  # Qt turns clockwise on screen: (x, y) -> (-y, x)
            return (-h, 0.0, h, w)
        if turns == 2:
            return (-w, -h, w, h)
        if turns == 3:
            return (0.0, -w, h, w)
        return (0.0, 0.0, w, h)

    def wanted_key(self, zoom: float) -> RenderKey:
        # Capped in pixels: at high zoom on a huge page the cached image is
        # drawn scaled up (blurred) rather than rendered beyond the budget.
        step = capped_step(zoom, self.info.width, self.info.height)
        return RenderKey(self.path, self.number, step)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        rect = self.boundingRect()
        painter.fillRect(rect, QColor("white"))
        t = painter.worldTransform()
        zoom = (t.m11() ** 2 + t.m12() ** 2) ** 0.5
        if widget is not None:
            zoom *= widget.devicePixelRatioF()
        key = self.wanted_key(zoom)
        image = self._service.cache.get(key)
        if image is None:
            # A scaled cached image stands in (blurred) until the sharp one arrives.
            image = self._service.cache.best_standin(self.path, self.number, key.step)
        if image is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.drawImage(rect, image)
        pen = QPen(QColor("#7f7f7f"), 0)
        painter.setPen(pen)
        painter.drawRect(rect)


def _qt_affine(m: tuple[float, float, float, float, float, float]) -> tuple[float, ...]:
    a, b, c, d, e, f = m
    return (a, b, c, d, e, f)


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
        self.pages: list[PageItem] = []
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
    def set_document(self, path: str, pages: list[PageInfo]) -> None:
        self._scene.clear()
        self.items_by_id.clear()
        self._highlights.clear()
        self.pages = [PageItem(path, info, self._service) for info in pages]
        # Laid out before they join the scene: moving 500 items already in it
        # updates the scene's index once per move.
        self._layout()
        for item in self.pages:
            self._scene.addItem(item)
        self._fit = self._fit or "width"
        self._apply_fit()
        self.go_to_page(1)

    def update_pages(self, path: str, pages: list[PageInfo]) -> bool:
        """The real page sizes of the document shown (provisional until read): in place.

        Keeps the items, the overlays and the page the user has reached; only
        a page whose size or /Rotate differs is touched. False (nothing done)
        when ``path`` is not the document shown or its page count differs.
        """
        shown = self.pages[0].path if self.pages else None
        if shown != path or len(pages) != len(self.pages):
            return False
        page = self.current_page()
        changed = [item.update_info(info) for item, info in zip(self.pages, pages, strict=True)]
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
        rects = [item.turned_rect(self._rotation) for item in self.pages]
        width = max((r[2] for r in rects), default=0.0)
        turn = QTransform().rotate(self._rotation)
        y = 0.0
        for item, (left, top, w, h) in zip(self.pages, rects, strict=True):
            item.setTransform(turn)
            item.setPos((width - w) / 2 - left, y - top)
            y += h + _GAP_PT
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
        widest = max(p.turned_rect(self._rotation)[2] for p in self.pages)
        zoom = (view.width() - 2 * _GAP_PT) / max(widest + 2 * _GAP_PT, 1.0)
        if self._fit == "page":
            page = self.pages[max(self.current_page(), 1) - 1]
            height = page.turned_rect(self._rotation)[3]
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
        item = self.pages[number - 1]
        top = item.sceneBoundingRect().top() - _GAP_PT / 2
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
        center = self.mapToScene(self.viewport().rect().center())
        for item in self.pages:
            r = item.sceneBoundingRect()
            if r.top() - _GAP_PT <= center.y() <= r.bottom() + _GAP_PT:
                if item.number != self._current_page:
                    self._current_page = item.number
                    self.current_page_changed.emit(item.number)
                break

    def visible_pages(self) -> list[PageItem]:
        shown = self.mapToScene(self.viewport().rect()).boundingRect()
        return [p for p in self.pages if p.sceneBoundingRect().intersects(shown)]

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
        if 1 <= key.page <= len(self.pages) and self.pages[key.page - 1].path == key.path:
            self.pages[key.page - 1].update()

    def _on_selection_changed(self) -> None:
        self.redaction_selected.emit(self.selected_id())

    # -- drawing new boxes -----------------------------------------------------------------
    def set_draw_mode(self, on: bool) -> None:
        self._draw_mode = on
        self.viewport().setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)

    def _page_at(self, scene_pos: QPointF) -> PageItem | None:
        for item in self.pages:
            if item.sceneBoundingRect().contains(scene_pos):
                return item
        return None

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
