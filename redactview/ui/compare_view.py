"""Two releases side by side: linked boxes highlighted together, what B reveals shown.

A standalone widget: it is given rendered page images and a ``CompareResult``
and knows nothing of files, cases or the linker. The main window embeds it.
Both pages scroll together; the change list steps through the links (also
with PageUp/PageDown); "Overlay" composites A in red and B in cyan, so what
differs between the two scans stands out in colour and what is equal is grey.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QImage, QKeySequence, QPainter, QPen, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from redactview.analysis.compare import CompareResult
from redactview.core.geometry import Box
from redactview.core.model import LinkRef, LinkStatus, RedactionLink
from redactview.pdf.pages import rotation_to_display

STATUS_COLOURS = {
    LinkStatus.BOTH: QColor(60, 110, 220),
    LinkStatus.REVEALED: QColor(20, 160, 60),
    LinkStatus.NEW: QColor(230, 130, 0),
    LinkStatus.UNMATCHED: QColor(200, 30, 30),
}


@dataclass(frozen=True)
class PageImage:
    """A rendered page, its unrotated size in points and the /Rotate it was rendered with.

    ``rotation`` 0 means the image is in unrotated page space (the default, and
    what ``render_upright`` gives); a page rendered as displayed (MuPDF's
    default) passes its /Rotate, and boxes — always in unrotated points — are
    turned onto it with the same matrix the main page view uses.
    """

    image: QImage
    width_pt: float
    height_pt: float
    rotation: int = 0

    @property
    def scale(self) -> float:
        """Pixels per point of the image as rendered (sideways: its width is the page height)."""
        shown = self.height_pt if self.rotation % 180 == 90 else self.width_pt
        return self.image.width() / shown if shown else 1.0

    def to_image(self, box: Box) -> QRectF:
        """An unrotated page box as a rectangle in image pixels."""
        a, b, c, d, e, f = rotation_to_display(self.width_pt, self.height_pt, self.rotation)
        xs, ys = [], []
        for x, y in ((box.x0, box.y0), (box.x1, box.y1)):
            xs.append(a * x + c * y + e)
            ys.append(b * x + d * y + f)
        s = self.scale
        return QRectF(min(xs) * s, min(ys) * s, (max(xs) - min(xs)) * s, (max(ys) - min(ys)) * s)


def describe(link: RedactionLink) -> str:
    a = f"A p{link.a.page}" if link.a else "A –"
    b = f"B p{link.b.page}" if link.b else "B –"
    text = f": {link.revealed_text}" if link.status is LinkStatus.REVEALED else ""
    codes = "/".join(link.exemptions_a or link.exemptions_b)
    return f"{link.status.value:<9} {a} → {b} {codes}{text}"


def overlay_image(a: QImage, b: QImage) -> QImage:
    """A in red, B in cyan: ink in both is dark, ink in one only is coloured."""
    size = a.size().expandedTo(b.size())
    out = QImage(size, QImage.Format.Format_RGB32)
    out.fill(QColor("white"))
    painter = QPainter(out)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
    for image, tint in ((a, QColor(255, 0, 0)), (b, QColor(0, 255, 255))):
        tinted = image.convertToFormat(QImage.Format.Format_RGB32)
        tinter = QPainter(tinted)
        tinter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Screen)
        # Screen lifts black to the tint and keeps white white.
        tinter.fillRect(tinted.rect(), tint)
        tinter.end()
        painter.drawImage(0, 0, tinted)
    painter.end()
    return out


class _PageView(QGraphicsView):
    def __init__(self, title: str) -> None:
        super().__init__()
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setToolTip(title)
        self.page: PageImage | None = None

    def show_page(self, page: PageImage | None, image: QImage | None = None) -> None:
        scene = self.scene()
        scene.clear()
        self.page = page
        if page is None:
            scene.addText("(no counterpart page)")
            return
        scene.addPixmap(QPixmap.fromImage(image if image is not None else page.image))
        scene.setSceneRect(QRectF(page.image.rect()))

    def mark(self, ref: LinkRef, colour: QColor, text: str = "", selected: bool = False) -> None:
        if self.page is None:
            return
        rect = self.page.to_image(ref.box)
        pen = QPen(colour, 4 if selected else 2)
        fill = QColor(colour)
        fill.setAlpha(70 if selected else 30)
        self.scene().addRect(rect.adjusted(-3, -3, 3, 3), pen, QBrush(fill))
        if text:
            label = self.scene().addSimpleText(text)
            label.setBrush(QBrush(colour))
            label.setPos(rect.left(), rect.bottom() + 4)


class CompareView(QWidget):
    """Side-by-side comparison of two releases with a change list."""

    link_selected = Signal(object)  # the RedactionLink now shown

    def __init__(
        self,
        pages_a: Mapping[int, PageImage],
        pages_b: Mapping[int, PageImage],
        result: CompareResult,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._pages_a, self._pages_b, self._result = pages_a, pages_b, result
        self._pairs = dict(result.page_pairs)
        self._index = -1
        self._build()
        self._connect()
        if result.links:
            self.changes.setCurrentRow(0)

    # -- building ----------------------------------------------------------------
    def _build(self) -> None:
        self.changes = QListWidget()
        for link in self._result.links:
            item = QListWidgetItem(describe(link))
            item.setForeground(QBrush(STATUS_COLOURS[link.status]))
            self.changes.addItem(item)
        self.view_a, self.view_b = _PageView("release A"), _PageView("release B")
        self.overlay = QCheckBox("Overlay (A red, B cyan)")
        self.previous, self.next = QPushButton("◀ Previous"), QPushButton("Next ▶")
        self.revealed = QLabel()
        self.revealed.setWordWrap(True)
        self.revealed.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title_a, self.title_b = QLabel(), QLabel()
        pages = QSplitter(Qt.Orientation.Horizontal)
        for title, view in ((self.title_a, self.view_a), (self.title_b, self.view_b)):
            column = QWidget()
            box = QVBoxLayout(column)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(title)
            box.addWidget(view)
            pages.addWidget(column)
        bar = QHBoxLayout()
        for widget in (self.previous, self.next, self.overlay):
            bar.addWidget(widget)
        bar.addStretch(1)
        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.addLayout(bar)
        right_box.addWidget(pages, 1)
        right_box.addWidget(self.revealed)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.changes)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 4)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def _connect(self) -> None:
        self.changes.currentRowChanged.connect(self._on_row_changed)
        self.previous.clicked.connect(lambda: self.step(-1))
        self.next.clicked.connect(lambda: self.step(+1))
        self.overlay.toggled.connect(lambda _: self._show(self._index))
        QShortcut(QKeySequence(Qt.Key.Key_PageDown), self, lambda: self.step(+1))
        QShortcut(QKeySequence(Qt.Key.Key_PageUp), self, lambda: self.step(-1))
        # Synchronized scrolling: either page's scroll bars drive the other's.
        for one, other in ((self.view_a, self.view_b), (self.view_b, self.view_a)):
            one.verticalScrollBar().valueChanged.connect(other.verticalScrollBar().setValue)
            one.horizontalScrollBar().valueChanged.connect(other.horizontalScrollBar().setValue)

    # -- behaviour ---------------------------------------------------------------
    def step(self, delta: int) -> None:
        count = self.changes.count()
        if count:
            self.changes.setCurrentRow(max(0, min(count - 1, self._index + delta)))

    def _on_row_changed(self, row: int) -> None:
        self._show(row)
        if 0 <= row < len(self._result.links):
            self.link_selected.emit(self._result.links[row])

    def pages_for(self, link: RedactionLink) -> tuple[int | None, int | None]:
        a_page = link.a.page if link.a else None
        b_page = link.b.page if link.b else None
        if a_page is None and b_page is not None:
            a_page = next((a for a, b in self._pairs.items() if b == b_page), None)
        if b_page is None and a_page is not None:
            b_page = self._pairs.get(a_page)
        return a_page, b_page

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self._result.links):
            return
        self._index = row
        link = self._result.links[row]
        a_page, b_page = self.pages_for(link)
        page_a = self._pages_a.get(a_page) if a_page else None
        page_b = self._pages_b.get(b_page) if b_page else None
        self.title_a.setText(f"Release A — page {a_page or '–'}")
        self.title_b.setText(f"Release B — page {b_page or '–'}")
        if self.overlay.isChecked() and page_a is not None and page_b is not None:
            self.view_a.show_page(page_a, overlay_image(page_a.image, page_b.image))
        else:
            self.view_a.show_page(page_a)
        self.view_b.show_page(page_b)
        self._mark_page_links(a_page, b_page, link)
        self._show_text(link)

    def _mark_page_links(
        self, a_page: int | None, b_page: int | None, chosen: RedactionLink
    ) -> None:
        """Every link on the two pages, the chosen one bold; partners share a colour."""
        for link in self._result.links:
            colour = STATUS_COLOURS[link.status]
            selected = link is chosen
            if link.a and link.a.page == a_page:
                self.view_a.mark(link.a, colour, "", selected)
            if link.b and link.b.page == b_page:
                text = link.revealed_text if link.status is LinkStatus.REVEALED and selected else ""
                self.view_b.mark(link.b, colour, text or "", selected)
        for view, ref in ((self.view_a, chosen.a), (self.view_b, chosen.b)):
            if ref is not None and view.page is not None:
                view.centerOn(view.page.to_image(ref.box).center())

    def _show_text(self, link: RedactionLink) -> None:
        if link.status is LinkStatus.REVEALED:
            self.revealed.setText(f"<b>Revealed in B:</b> {link.revealed_text}")
        elif link.status is LinkStatus.BOTH:
            codes = (
                f"A {'/'.join(link.exemptions_a) or '?'} · B {'/'.join(link.exemptions_b) or '?'}"
            )
            self.revealed.setText(f"<b>Redacted in both</b> ({codes})")
        elif link.status is LinkStatus.NEW:
            self.revealed.setText("<b>Newly redacted in B</b> (readable in A)")
        else:
            self.revealed.setText("<b>No counterpart found</b>")
