"""The page view's pages: one item per page, laid out by arithmetic, made in batches.

A 10,000-page file made 10,000 ``PageItem`` objects in one go when it opened
(140–146 ms of GUI-thread stall measured offscreen). Here every page's place
in the scene is plain arithmetic on its size (so the scroll range is right at
once); an item is made when something first needs it (the pages in sight, an
overlay) and the rest are made a few hundred at a time across event-loop
turns, nearest the page in sight first, so no turn holds the GUI for long.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Iterator, Sequence
from typing import overload

from PySide6.QtCore import QObject, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPen, QTransform
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QStyleOptionGraphicsItem,
    QWidget,
)

from redactview.core.model import PageInfo
from redactview.pdf.pages import rotation_to_display
from redactview.ui.render_service import RenderKey, RenderService, capped_step

GAP_PT = 12.0
# One event-loop turn makes items for at most this long: a 5 ms timer's worst
# lateness (the bench's stall probe) stays well under the 50 ms goal.
_BATCH_SECONDS = 0.012


def shown_size(info: PageInfo) -> tuple[float, float]:
    """Width and height as displayed (/Rotate applied), in points."""
    w, h = info.width, info.height
    return (h, w) if info.rotation % 180 == 90 else (w, h)


def same_shape(a: PageInfo, b: PageInfo) -> bool:
    """Same size and /Rotate (what the layout and the render key depend on)."""
    return a.width == b.width and a.height == b.height and a.rotation == b.rotation


def turned_rect(size: tuple[float, float], rotation: int) -> tuple[float, float, float, float]:
    """(left, top, width, height) of a page of displayed ``size`` turned by ``rotation``.

    Plain arithmetic: mapping each page's rect through a QTransform cost
    ~0.1 ms a page in Python calls, which on a 500-page open was the longest
    stall of the GUI thread.
    """
    w, h = size
    turns = (rotation // 90) % 4
    if turns == 1:  # Qt turns clockwise on screen: (x, y) -> (-y, x)
        return (-h, 0.0, h, w)
    if turns == 2:
        return (-w, -h, w, h)
    if turns == 3:
        return (0.0, -w, h, w)
    return (0.0, 0.0, w, h)


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
            a, b, c, d, e, f = rotation_to_display(w, h, rotation)
            self._space.setTransform(QTransform(a, b, c, d, e, f))

    def _set_info(self, info: PageInfo) -> None:
        self.info = info
        self._size = shown_size(info)
        self._place_space()

    def update_info(self, info: PageInfo) -> bool:
        """The page's real size and /Rotate (after a provisional one); True if they changed.

        Only a change of shape touches the scene: the real pages differ from the
        provisional ones in text status on every page, and a geometry change
        per item was most of updating 10,000 pages in place.
        """
        if same_shape(info, self.info):
            self.info = info
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
        return turned_rect(self._size, rotation)

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
        else:
            self._paint_failure(painter, rect)
        pen = QPen(QColor("#7f7f7f"), 0)
        painter.setPen(pen)
        painter.drawRect(rect)

    def _paint_failure(self, painter: QPainter, rect: QRectF) -> None:
        """A page that cannot be shown (too large, damaged) says why, in screen-sized
        text at its top left, instead of staying a blank sheet."""
        why = self._service.failure(self.path, self.number)
        if why is None:
            return
        shown = painter.worldTransform().mapRect(rect)
        painter.save()
        painter.resetTransform()
        painter.setPen(QColor("#7a1f1f"))
        box = QRectF(shown.left() + 12, shown.top() + 12, min(shown.width() - 24, 520), 120)
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(
            Qt.TextFlag.TextWordWrap
        )
        painter.drawText(box, flags, f"This page cannot be shown.\n{why}")
        painter.restore()


class PageList(Sequence[PageItem]):
    """Every page of the document shown; ``pages[i]`` makes page i+1's item if needed.

    Places (scene rectangles) are known for every page from the start. Items
    not made yet are made in the background by ``fill_step``, nearest
    ``anchor()`` first; iterating makes every item at once (tests, small files).
    """

    def __init__(
        self,
        scene: QGraphicsScene,
        service: RenderService,
        path: str,
        infos: list[PageInfo],
        anchor: Callable[[], int],
    ) -> None:
        self._scene, self._service, self.path = scene, service, path
        self.infos = list(infos)
        self._items: list[PageItem | None] = [None] * len(infos)
        self._made = 0
        self._anchor = anchor
        self._low = self._high = 0  # the batch frontier around the last anchor
        self._last_anchor = -1
        self.rects: list[tuple[float, float, float, float]] = []  # scene x, y, w, h
        self._tops: list[float] = []
        self._turn = QTransform()
        self._offsets: list[tuple[float, float]] = []

    # -- Sequence ---------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.infos)

    @overload
    def __getitem__(self, index: int) -> PageItem: ...

    @overload
    def __getitem__(self, index: slice) -> list[PageItem]: ...

    def __getitem__(self, index: int | slice) -> PageItem | list[PageItem]:
        if isinstance(index, slice):
            return [self._make(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._make(index)

    def __iter__(self) -> Iterator[PageItem]:
        return (self._make(i) for i in range(len(self)))

    def built(self, index: int) -> PageItem | None:
        """Page index+1's item if it has been made (never makes one)."""
        return self._items[index]

    @property
    def complete(self) -> bool:
        return self._made == len(self._items)

    # -- layout -----------------------------------------------------------------------------
    def lay_out(self, rotation: int) -> tuple[float, float]:
        """Every page's place, stacked and centred; returns the scene's (width, height)."""
        turned = [turned_rect(shown_size(info), rotation) for info in self.infos]
        width = max((r[2] for r in turned), default=0.0)
        self._turn = QTransform().rotate(rotation)
        y = 0.0
        self.rects, self._tops, self._offsets = [], [], []
        for left, top, w, h in turned:
            x = (width - w) / 2
            self.rects.append((x, y, w, h))
            self._tops.append(y)
            self._offsets.append((x - left, y - top))
            y += h + GAP_PT
        for i, item in enumerate(self._items):
            if item is not None:
                self._place(i, item)
        return width, y

    def _place(self, index: int, item: PageItem) -> None:
        item.setTransform(self._turn)
        item.setPos(*self._offsets[index])

    def index_at(self, y: float) -> int:
        """The page whose band (page plus the gap below it) holds scene height ``y``."""
        if not self._tops:
            return -1
        return min(max(bisect.bisect_right(self._tops, y) - 1, 0), len(self._tops) - 1)

    def indexes_between(self, top: float, bottom: float) -> range:
        """Pages intersecting the scene band [top, bottom] (by their rectangles)."""
        if not self._tops:
            return range(0)
        first = self.index_at(top)
        if self.rects[first][1] + self.rects[first][3] <= top:
            first += 1  # ``top`` fell in the gap below it
        last = self.index_at(bottom)
        return range(first, last + 1) if first <= last else range(0)

    def update_info(self, index: int, info: PageInfo) -> bool:
        """Page index+1's real info; True if its shape changed (the layout must follow)."""
        changed = not same_shape(info, self.infos[index])
        self.infos[index] = info
        item = self._items[index]
        if item is not None:
            item.update_info(info)
        return changed

    # -- making items ---------------------------------------------------------------------------
    def _make(self, index: int) -> PageItem:
        item = self._items[index]
        if item is None:
            item = PageItem(self.path, self.infos[index], self._service)
            if self._offsets:
                self._place(index, item)
            self._scene.addItem(item)
            self._items[index] = item
            self._made += 1
        return item

    def fill_step(self, seconds: float = _BATCH_SECONDS) -> bool:
        """Make items for about ``seconds``, nearest the anchor first; False once all are made."""
        deadline = time.perf_counter() + seconds
        anchor = min(max(self._anchor(), 0), len(self._items) - 1) if self._items else 0
        if anchor != self._last_anchor:  # the user went elsewhere: grow from there
            self._low, self._high, self._last_anchor = anchor, anchor, anchor
        while not self.complete:
            for _ in range(32):  # check the clock every few items, not every one
                self._make_next()
            if time.perf_counter() >= deadline:
                break
        return not self.complete

    def _make_next(self) -> None:
        """The nearest page not made yet on either side of the frontier."""
        n = len(self._items)
        while self._low >= 0 and self._items[self._low] is not None:
            self._low -= 1
        while self._high < n and self._items[self._high] is not None:
            self._high += 1
        below, above = self._high < n, self._low >= 0
        if below and (not above or self._high - self._last_anchor <= self._last_anchor - self._low):
            self._make(self._high)
        elif above:
            self._make(self._low)


class BatchFiller(QObject):
    """Runs ``PageList.fill_step`` once per event-loop turn until every item is made."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._pages: PageList | None = None
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._step)

    def start(self, pages: PageList) -> None:
        self._pages = pages
        self._timer.start()

    def stop(self) -> None:
        self._pages = None
        self._timer.stop()

    def _step(self) -> None:
        if self._pages is not None and self._pages.fill_step():
            self._timer.start()
