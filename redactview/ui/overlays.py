"""Redaction outlines on a page: coloured by exemption, styled by review status.

Items live in a page's *unrotated* coordinate space (their parent carries the
page's /Rotate matrix), so a stored box is drawn exactly as stored, and a
drag or resize comes back as a box in the same space.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsSceneHoverEvent,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from redactview.core.geometry import Box
from redactview.core.model import Annotation, Redaction, ReviewStatus
from redactview.ui.exemption_info import colour_for, describe

_HANDLE_PX = 6.0  # grab distance from an edge, in screen pixels
_MIN_SIDE_PT = 2.0

EditCallback = Callable[[str, Box], None]


def tooltip_for(redaction: Redaction, annotation: Annotation) -> str:
    lines = [describe(redaction.exemptions)]
    if redaction.est_chars:
        lo, hi = redaction.est_chars
        lines.append(f"Estimated {lo}–{hi} characters")
    if redaction.text_under:
        lines.append(f"Leaked text: {redaction.text_under}")
    lines.append(f"Status: {annotation.status.value.replace('_', ' ')}")
    if annotation.note:
        lines.append(f"Note: {annotation.note}")
    return "\n".join(lines)


class RedactionItem(QGraphicsRectItem):
    def __init__(self, redaction: Redaction, annotation: Annotation, on_edit: EditCallback) -> None:
        box = redaction.box
        super().__init__(QRectF(box.x0, box.y0, box.width, box.height))
        self.redaction = redaction
        self.annotation = annotation
        self._on_edit = on_edit
        self._drag: tuple[str, QPointF, QRectF] | None = None
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setAcceptHoverEvents(True)
        self.setZValue(10)
        self.apply(redaction, annotation)

    @property
    def redaction_id(self) -> str:
        return self.redaction.id

    def apply(self, redaction: Redaction, annotation: Annotation) -> None:
        self.redaction, self.annotation = redaction, annotation
        box = redaction.box
        self.setRect(QRectF(box.x0, box.y0, box.width, box.height))
        self.setToolTip(tooltip_for(redaction, annotation))
        colour = colour_for(redaction.exemptions)
        status = annotation.status
        pen = QPen(colour, 2.0)
        pen.setCosmetic(True)  # same width on screen at every zoom
        fill = QColor(colour)
        fill.setAlpha(45)
        if status is ReviewStatus.CONFIRMED:
            pen.setWidthF(3.0)
        elif status is ReviewStatus.FALSE_POSITIVE:
            pen = QPen(QColor("#888888"), 1.5, Qt.PenStyle.DashLine)
            pen.setCosmetic(True)
            fill = QColor(0, 0, 0, 0)
        self.setPen(pen)
        self.setBrush(QBrush(fill))
        self.update()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        # Draw the outline ourselves: the default adds a dotted focus rect.
        painter.setPen(self.pen())
        painter.setBrush(self.brush())
        painter.drawRect(self.rect())
        if self.isSelected():
            sel = QPen(QColor("#FFD400"), 3.0)
            sel.setCosmetic(True)
            painter.setPen(sel)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.rect())
        if self.annotation.status is ReviewStatus.UNREVIEWED:
            # A small dot in the corner marks "still to review".
            r = min(4.0, self.rect().height() / 3)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(self.pen().color()))
            painter.drawEllipse(self.rect().topRight() + QPointF(-r, r), r, r)

    # -- move and resize ------------------------------------------------------------------
    def _grab_zone(self, pos: QPointF) -> str:
        """Which edges a press at ``pos`` grabs ("" = move the whole box)."""
        scale = self.sceneTransform().mapRect(QRectF(0, 0, 1, 1)).width() or 1.0
        views = self.scene().views() if self.scene() else []
        zoom = views[0].transform().m11() if views else 1.0
        tol = _HANDLE_PX / max(scale * zoom, 1e-6)
        r = self.rect()
        zone = ""
        if abs(pos.y() - r.top()) <= tol:
            zone += "t"
        elif abs(pos.y() - r.bottom()) <= tol:
            zone += "b"
        if abs(pos.x() - r.left()) <= tol:
            zone += "l"
        elif abs(pos.x() - r.right()) <= tol:
            zone += "r"
        return zone

    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        zone = self._grab_zone(event.pos()) if self.isSelected() else ""
        shapes = {
            "t": Qt.CursorShape.SizeVerCursor,
            "b": Qt.CursorShape.SizeVerCursor,
            "l": Qt.CursorShape.SizeHorCursor,
            "r": Qt.CursorShape.SizeHorCursor,
            "tl": Qt.CursorShape.SizeFDiagCursor,
            "br": Qt.CursorShape.SizeFDiagCursor,
            "tr": Qt.CursorShape.SizeBDiagCursor,
            "bl": Qt.CursorShape.SizeBDiagCursor,
        }
        default = (
            Qt.CursorShape.SizeAllCursor if self.isSelected() else Qt.CursorShape.PointingHandCursor
        )
        self.setCursor(shapes.get(zone, default))
        super().hoverMoveEvent(event)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        was_selected = self.isSelected()
        super().mousePressEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and was_selected:
            self._drag = (self._grab_zone(event.pos()), event.pos(), QRectF(self.rect()))

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._drag is None:
            return
        zone, start, rect = self._drag
        d = event.pos() - start
        r = QRectF(rect)
        if not zone:
            r.translate(d)
        if "l" in zone:
            r.setLeft(min(rect.left() + d.x(), rect.right() - _MIN_SIDE_PT))
        if "r" in zone:
            r.setRight(max(rect.right() + d.x(), rect.left() + _MIN_SIDE_PT))
        if "t" in zone:
            r.setTop(min(rect.top() + d.y(), rect.bottom() - _MIN_SIDE_PT))
        if "b" in zone:
            r.setBottom(max(rect.bottom() + d.y(), rect.top() + _MIN_SIDE_PT))
        self.prepareGeometryChange()
        self.setRect(r)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if self._drag is None:
            return
        _, _, before = self._drag
        self._drag = None
        r = self.rect()
        if r != before:
            self._on_edit(self.redaction.id, Box(r.left(), r.top(), r.right(), r.bottom()))


class HighlightItem(QGraphicsRectItem):
    """A find hit: translucent yellow, not selectable, under the redaction outlines."""

    def __init__(self, box: Box, current: bool = False) -> None:
        super().__init__(QRectF(box.x0, box.y0, box.width, box.height))
        colour = QColor("#FF8C00" if current else "#FFE600")
        colour.setAlpha(110)
        self.setBrush(QBrush(colour))
        self.setPen(QPen(Qt.PenStyle.NoPen))
        self.setZValue(5)
