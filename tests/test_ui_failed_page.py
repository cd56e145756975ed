"""A page the renderer refuses (over the size limit) says why on the page itself.

Before, such a page stayed a blank white sheet and the reason flashed by in
the status bar, under the next job's message.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pymupdf
import pytest
from PySide6.QtGui import QColor, QImage, QPainter
from ui_fixtures import open_and_wait, window_fixture  # noqa: F401

from redactview.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def make_file(folder: Path) -> Path:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "An ordinary first page.")
    doc.new_page(width=20_000, height=20_000)  # past the 14,400 pt limit
    path = folder / "huge-second.pdf"
    doc.save(path)
    return path


def paint_item(item, size: int = 400) -> QImage:  # type: ignore[no-untyped-def]
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    scale = size / max(item.boundingRect().width(), item.boundingRect().height())
    painter.scale(scale, scale)
    item.paint(painter, None, None)
    painter.end()
    return image


def reddish_pixels(image: QImage) -> int:
    return sum(
        1
        for y in range(0, 60)
        for x in range(0, 300)
        if (c := image.pixelColor(x, y)).red() > c.green() + 40
    )


def test_refused_page_shows_its_reason(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = make_file(tmp_path)
    open_and_wait(qtbot, window, path)
    window.page_view.go_to_page(2)
    service = window.renderer
    qtbot.waitUntil(lambda: service.failure(str(path), 2) is not None, timeout=20000)
    why = service.failure(str(path), 2)
    assert why is not None and "exceeds the 14400 pt limit" in why
    assert service.failure(str(path), 1) is None
    item = window.page_view.pages[1]
    assert reddish_pixels(paint_item(item)) > 50  # the message is drawn on the page
