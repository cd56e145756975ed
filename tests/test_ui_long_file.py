"""A 10,000-page file opens without making every page item (and thumbnail row) in one go.

The page view knows every page's place by arithmetic from the start (the
scroll range is right at once), makes the items in sight at once and the
rest in batches across event-loop turns, nearest the page in sight first.
Speed is measured in bench/viewer_bench.py (--pages 10000), not here.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtWidgets import QGraphicsScene

from redactview.core.geometry import Box
from redactview.core.model import Fill, PageInfo, Redaction, RedactionKind, TextStatus
from redactview.ui.page_items import GAP_PT, PageItem, PageList
from redactview.ui.page_view import PageView
from redactview.ui.render_service import RenderService
from redactview.ui.thumbnails import ThumbnailPanel

pytestmark = pytest.mark.gui

PAGES = 10_000


@pytest.fixture
def service(qtbot) -> Iterator[RenderService]:  # type: ignore[no-untyped-def]
    s = RenderService()
    yield s
    s.stop()


def long_pdf(tmp_path: Path) -> tuple[str, list[PageInfo]]:
    """10,000 pages of alternating sizes, as the open job would list them.

    The file itself has one page (writing 10,000 takes seconds): renders of
    the others fail in the render process, which the view does not need.
    """
    doc = pymupdf.open()
    doc.new_page(width=612, height=792)
    path = tmp_path / "long.pdf"
    doc.save(path)
    infos = [
        PageInfo(n + 1, 612 if n % 2 == 0 else 792, 792 if n % 2 == 0 else 612, 0, TextStatus.EMPTY)
        for n in range(PAGES)
    ]
    return str(path), infos


def page_items(view: PageView) -> int:
    return sum(1 for item in view.scene().items() if isinstance(item, PageItem))


def test_long_file_has_its_scroll_range_at_once_and_items_come_in_batches(  # type: ignore[no-untyped-def]
    qtbot, service: RenderService, tmp_path: Path
) -> None:
    path, infos = long_pdf(tmp_path)
    view = PageView(service)
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    view.set_document(path, infos)
    scene_rect = view.sceneRect()

    tall = sum(p.height + GAP_PT for p in infos)
    assert view.sceneRect().height() == pytest.approx(tall + GAP_PT)  # the whole file, now
    assert view.verticalScrollBar().maximum() > 0.9 * tall * view.zoom
    assert not view.pages.complete, "10,000 items made in one go"
    assert 0 < page_items(view) < PAGES
    assert view.visible_pages()[0].number == 1 and view.current_page() == 1

    view.go_to_page(7000)  # jump far ahead before the batches got there
    assert view.current_page() == 7000
    shown = view.visible_pages()
    assert shown and shown[0].number == 7000
    assert shown[0].sceneBoundingRect().top() == pytest.approx(view.pages.rects[6999][1])
    qtbot.waitUntil(lambda: view.pages.built(7000 + 150) is not None, timeout=5000)
    assert view.pages.built(7000 - 150) is not None  # grown around the page in sight ...
    assert not view.pages.complete  # ... before the rest

    far = Redaction("rfar", 9000, Box(100, 100, 200, 120), RedactionKind.VECTOR, Fill.BLACK)
    view.set_redactions([far], {})  # an overlay on a page not made yet makes it
    overlay = view.items_by_id["rfar"].sceneBoundingRect()
    x, y, _, _ = view.pages.rects[8999]
    assert (overlay.x(), overlay.y()) == pytest.approx((x + 100, y + 100), abs=1)

    qtbot.waitUntil(lambda: view.pages.complete, timeout=20000)
    assert page_items(view) == PAGES
    assert view.sceneRect() == scene_rect  # the scroll range never changed
    for n in (1, 2, 5001, PAGES):  # every item where the arithmetic said
        x, y, w, h = view.pages.rects[n - 1]
        r = view.pages[n - 1].sceneBoundingRect()
        assert (r.x(), r.y(), r.width(), r.height()) == pytest.approx((x, y, w, h))
    assert view.current_page() == 7000


def test_page_list_places_pages_and_finds_them_by_height(qtbot) -> None:  # type: ignore[no-untyped-def]
    scene = QGraphicsScene()
    infos = [PageInfo(n, 100, 200 + n, 0, TextStatus.EMPTY) for n in range(1, 6)]
    infos[2] = PageInfo(3, 100, 50, 90, TextStatus.EMPTY)  # /Rotate 90: shown 50 x 100
    pages = PageList(scene, None, "x.pdf", infos, lambda: 0)  # type: ignore[arg-type]
    width, height = pages.lay_out(0)
    assert width == 100 and height == pytest.approx(201 + 202 + 100 + 204 + 205 + 5 * GAP_PT)
    assert pages.rects[2] == pytest.approx((25.0, 201 + 202 + 2 * GAP_PT, 50.0, 100.0))
    third_top = pages.rects[2][1]
    assert pages.index_at(third_top + 1) == 2
    assert pages.index_at(third_top - 1) == 1  # in the gap below page 2: page 2's band
    assert list(pages.indexes_between(third_top - 1, third_top + 1)) == [2]
    assert pages.index_at(-5) == 0 and pages.index_at(1e9) == 4
    assert scene.items() == [] and not pages.complete  # nothing made yet


def test_thumbnails_list_10000_pages_without_a_row_object_each(  # type: ignore[no-untyped-def]
    qtbot, service: RenderService, tmp_path: Path
) -> None:
    path, infos = long_pdf(tmp_path)
    panel = ThumbnailPanel(service)
    qtbot.addWidget(panel)
    panel.resize(170, 600)
    panel.show()
    panel.set_document(path, infos)
    assert panel.count() == PAGES
    qtbot.waitUntil(lambda: not panel.is_placeholder(1), timeout=30000)
    chosen: list[int] = []
    panel.page_chosen.connect(chosen.append)
    panel.show_page(9000)  # follows the page view: no page chosen
    assert panel.currentRow() == 8999 and chosen == []
    panel.setCurrentRow(9001)  # a click on a row
    assert chosen == [9002]
    panel.scroll_to_row(9500)  # laid out in batches: the rows far down come soon

    def there() -> bool:
        panel.scroll_to_row(9500)
        first, last = panel.visible_rows()
        return first <= 9500 <= last

    qtbot.waitUntil(there, timeout=10000)
