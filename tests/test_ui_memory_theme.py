"""Bounded viewer memory (thumbnails near the viewport only, one page image capped)
and a live light/dark switch of the page view's backdrop."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from redactview.core.model import PageInfo
from redactview.pdf.info import inspect_document
from redactview.ui import thumbnails
from redactview.ui.page_view import PageView
from redactview.ui.render_service import VIEW_MAX_PIXELS, RenderKey, RenderService, zoom_step
from redactview.ui.thumbnails import ThumbnailPanel

pytestmark = pytest.mark.gui


@pytest.fixture
def service(qtbot) -> Iterator[RenderService]:
    s = RenderService()
    yield s
    s.stop()


def pages_of(path: Path) -> list[PageInfo]:
    return list(inspect_document(path).pages)


# -- thumbnails ----------------------------------------------------------------------------
def make_long_pdf(path: Path, pages: int) -> Path:
    doc = pymupdf.open()
    for n in range(1, pages + 1):
        doc.new_page(width=300, height=400).insert_text((30, 60), f"page {n}", fontsize=30)
    doc.save(path)
    return path


def is_placeholder(panel: ThumbnailPanel, number: int) -> bool:
    """What the row really shows (the model's icon), not the panel's bookkeeping."""
    icon = panel.model().index(number - 1, 0).data(Qt.ItemDataRole.DecorationRole)
    return icon.cacheKey() == panel._placeholder.cacheKey()


def scroll_to_row(qtbot, panel: ThumbnailPanel, row: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Bring ``row`` to the top, and wait until every row in sight has its thumbnail."""

    def there() -> bool:  # asked again until the list has laid its rows out
        panel.scroll_to_row(row)
        first, last = panel.visible_rows()
        return first == row or (last == panel.count() - 1 and first <= row)

    qtbot.waitUntil(there, timeout=5000)
    first, last = panel.visible_rows()

    def shown() -> bool:
        return all(not is_placeholder(panel, n + 1) for n in range(first, last + 1))

    qtbot.waitUntil(shown, timeout=30000)
    return first, last


def test_thumbnails_are_kept_only_near_the_viewport(
    qtbot, service: RenderService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A small bound keeps the test short; the mechanism is the one used with 100.
    monkeypatch.setattr(thumbnails, "KEEP_ROWS", 8)
    pdf = make_long_pdf(tmp_path / "long.pdf", 70)
    panel = ThumbnailPanel(service)
    qtbot.addWidget(panel)
    panel.resize(170, 500)
    panel.show()
    panel.set_document(str(pdf), pages_of(pdf))
    most = 0
    first, last = scroll_to_row(qtbot, panel, 0)
    for row in range(0, panel.count(), 3):
        first, last = scroll_to_row(qtbot, panel, row)
        most = max(most, panel.held_count())
        held = [n for n in range(1, panel.count() + 1) if not is_placeholder(panel, n)]
        assert len(held) == panel.held_count()  # the count is what the icons say
        assert all(first + 1 - 8 <= n <= last + 1 + 8 for n in held), (first, last, held)
    visible = last - first + 1
    assert panel.held_count() <= visible + 2 * 8
    assert most <= visible + 2 * 8 + 3  # never more than the rows near the viewport
    assert is_placeholder(panel, 1)  # far above now: its thumbnail was let go
    scroll_to_row(qtbot, panel, 0)  # ... and comes back when row 1 does
    assert not is_placeholder(panel, 1) and panel.held_count() <= visible + 2 * 8


def test_real_page_sizes_update_the_thumbnails_in_place(
    qtbot, service: RenderService, tmp_path: Path
) -> None:
    pdf = make_long_pdf(tmp_path / "few.pdf", 4)
    panel = ThumbnailPanel(service)
    qtbot.addWidget(panel)
    real = pages_of(pdf)
    provisional = [PageInfo(p.number, 600, 800, 0, p.text_status) for p in real]
    panel.set_document(str(pdf), provisional)
    resets: list[bool] = []
    panel.model().modelReset.connect(lambda: resets.append(True))
    assert panel.update_pages(str(pdf), real)  # same file, same count: rows kept
    assert resets == [] and panel.count() == 4
    assert not panel.update_pages(str(pdf), real[:3])  # another count: a new list is needed


# -- one page image capped -----------------------------------------------------------------
def test_huge_page_at_max_zoom_renders_at_most_the_cap(
    qtbot, service: RenderService, tmp_path: Path
) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=14400, height=14400)  # 200 x 200 inches, PDF's largest
    page.insert_text((100, 200), "a very large drawing", fontsize=120)
    pdf = tmp_path / "huge.pdf"
    doc.save(pdf)
    view = PageView(service)
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    view.set_document(str(pdf), pages_of(pdf))
    asked: list[RenderKey] = []
    real_request = service.request

    def request(keys: list[RenderKey], client: str = "view") -> None:
        asked.extend(keys)
        real_request(keys, client)

    service.request = request  # type: ignore[method-assign]
    view.set_zoom(8.0)
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    for key in asked:
        assert key.step < zoom_step(8.0)  # capped: not the step the zoom asks for
        assert (14400 * key.zoom) ** 2 <= VIEW_MAX_PIXELS
    with qtbot.waitSignal(service.rendered, timeout=60000) as got:
        pass
    image = got.args[1]
    assert image.width() * image.height() <= VIEW_MAX_PIXELS
    assert image.width() * image.height() > VIEW_MAX_PIXELS / 2  # as sharp as the cap allows


def test_cap_leaves_ordinary_pages_alone(qtbot, service: RenderService, tmp_path: Path) -> None:
    pdf = make_long_pdf(tmp_path / "one.pdf", 1)
    view = PageView(service)
    qtbot.addWidget(view)
    view.set_document(str(pdf), pages_of(pdf))
    assert view.pages[0].wanted_key(4.0).step == zoom_step(4.0)  # 300x400 pt at 400%: 1.9 MP


# -- light and dark ------------------------------------------------------------------------
def test_page_backdrop_follows_a_live_palette_switch(qtbot, service: RenderService) -> None:
    view = PageView(service)
    qtbot.addWidget(view)
    view.show()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    light = app.palette()
    assert view.backgroundBrush().color() == light.color(QPalette.ColorRole.Dark)
    dark = QPalette(light)
    dark.setColor(QPalette.ColorRole.Dark, QColor("#1b1b1f"))
    dark.setColor(QPalette.ColorRole.Window, QColor("#2d2d30"))
    try:
        app.setPalette(dark)  # what the style does when the system turns dark
        qtbot.waitUntil(lambda: view.backgroundBrush().color() == QColor("#1b1b1f"), timeout=3000)
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            view.setBackgroundBrush(QColor("red"))  # stale on purpose
            hints.colorSchemeChanged.emit(hints.colorScheme())
            assert view.backgroundBrush().color() == QColor("#1b1b1f")
    finally:
        app.setPalette(light)
    qtbot.waitUntil(
        lambda: view.backgroundBrush().color() == light.color(QPalette.ColorRole.Dark),
        timeout=3000,
    )
