"""Page view controls, drag and drop, preferences dialog, the exception hook."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
import sys
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from ui_fixtures import open_and_wait, window_fixture  # noqa: F401

from redactview.ui.error_dialog import install_excepthook, open_dialogs
from redactview.ui.main_window import MainWindow
from redactview.ui.preferences import settings_path

pytestmark = pytest.mark.gui


def make_pdf(path: Path, pages: int = 5) -> Path:
    doc = pymupdf.open()
    for n in range(pages):
        page = doc.new_page(width=612, height=792)
        page.insert_text((72, 72), f"Page {n + 1}")
    doc.save(path)
    return path


def test_zoom_fit_rotate_and_go_to_page(qtbot, window: MainWindow, tmp_path: Path) -> None:
    open_and_wait(qtbot, window, make_pdf(tmp_path / "five.pdf"))
    view = window.page_view
    view.fit_width()
    page_px = view.mapFromScene(view.pages[0].sceneBoundingRect()).boundingRect().width()
    assert abs(page_px - view.viewport().width()) < 0.1 * view.viewport().width()
    zoom = view.zoom
    window.actions_["zoom_in"].trigger()
    assert view.zoom == pytest.approx(zoom * 1.2)
    window.actions_["zoom_out"].trigger()
    window.actions_["zoom_out"].trigger()
    assert view.zoom < zoom
    view.fit_page()
    whole = view.mapFromScene(view.pages[0].sceneBoundingRect()).boundingRect()
    assert whole.height() <= view.viewport().height()

    window.page_spin.setValue(4)
    assert view.current_page() == 4 and "Page 4 of 5" in window.page_label.text()
    before = view.pages[0].sceneBoundingRect()
    window.actions_["rotate_right"].trigger()
    after = view.pages[0].sceneBoundingRect()
    assert after.width() == pytest.approx(before.height())  # portrait became landscape
    assert view.current_page() == 4, "rotating keeps the page you were on"


def test_thumbnails_get_rendered_and_navigate(qtbot, window: MainWindow, tmp_path: Path) -> None:
    open_and_wait(qtbot, window, make_pdf(tmp_path / "five.pdf"))
    thumbs = window.thumbs
    qtbot.waitUntil(lambda: 1 in thumbs._done, timeout=30000)
    assert thumbs.count() == 5
    thumbs.setCurrentRow(2)
    assert window.page_view.current_page() == 3


def test_dropping_a_pdf_opens_it(qtbot, window: MainWindow, tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "dropped.pdf", pages=2)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(pdf))])
    event = QDropEvent(
        QPointF(100, 100),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.case_opened, timeout=30000):
        window.dropEvent(event)
    assert window.session is not None and window.session.releases()[0].label == "dropped"
    assert window.prefs.recent_files[0] == str(pdf.resolve())


def test_preferences_dialog_saves_json(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDACTVIEW_TESSERACT", "")  # restored after the test
    dialog = window.show_preferences()
    dialog.tesseract.setText("/usr/bin/tesseract")
    dialog.dpi.setValue(400)
    dialog.languages.setText("eng+deu")
    dialog.appearance.setCurrentIndex(2)  # dark
    dialog.accept()
    saved = json.loads(settings_path().read_text())
    assert saved["ocr_dpi"] == 400 and saved["languages"] == "eng+deu"
    assert saved["appearance"] == "dark" and window.prefs.ocr_dpi == 400
    # Detection and OCR workers (spawned processes) find Tesseract through this.
    assert os.environ["REDACTVIEW_TESSERACT"] == "/usr/bin/tesseract"


def test_uncaught_exception_shows_the_error_dialog(qtbot, window: MainWindow) -> None:
    previous = sys.excepthook
    install_excepthook()
    try:
        try:
            raise ValueError("boom in a slot")
        except ValueError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook = previous
    dialog = open_dialogs()[-1]
    assert "ValueError: boom in a slot" in dialog.text()
    assert "Traceback" in dialog.detailedText()
    dialog.close()
