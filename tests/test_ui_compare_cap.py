"""The compare view's page images are under the page view's 32 MP cap.

A 200-inch drawing at the compare view's 60 dpi is 144 MP, past the
renderer's 120 MP refusal: uncapped, the compare view could not show it.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pymupdf
import pytest
from ui_fixtures import window_fixture  # noqa: F401

from redactview.analysis.compare import CompareResult
from redactview.core.geometry import Box
from redactview.core.model import LinkRef, LinkStatus, PageInfo, RedactionLink, TextStatus
from redactview.errors import RedactviewError
from redactview.ui.compare_job import COMPARE_DPI, RenderedPages
from redactview.ui.compare_view import CompareView
from redactview.ui.main_window import MainWindow
from redactview.ui.render_service import VIEW_MAX_PIXELS, capped_dpi

pytestmark = pytest.mark.gui

SIDE = 14400.0  # 200 inches, the largest page PDF allows without UserUnit
BOX = Box(7000, 7000, 8200, 7600)


def make_drawing(path: Path, shift: float) -> Path:
    doc = pymupdf.open()
    page = doc.new_page(width=SIDE, height=SIDE)
    box = pymupdf.Rect(BOX.x0 + shift, BOX.y0, BOX.x1 + shift, BOX.y1)
    page.draw_rect(box, color=(0, 0, 0), fill=(0, 0, 0))
    doc.save(path)
    return path


def info() -> list[PageInfo]:
    return [PageInfo(1, SIDE, SIDE, 0, TextStatus.EMPTY)]


def test_capped_dpi_keeps_small_pages_and_caps_huge_ones() -> None:
    assert capped_dpi(COMPARE_DPI, 612, 792) == COMPARE_DPI
    dpi = capped_dpi(COMPARE_DPI, SIDE, SIDE)
    assert dpi < COMPARE_DPI
    assert (SIDE * dpi / 72) ** 2 <= VIEW_MAX_PIXELS
    assert (SIDE * dpi / 72) ** 2 > 0.99 * VIEW_MAX_PIXELS  # not lower than it must be


def test_huge_page_pair_shows_capped_with_boxes_on_their_ink(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    a = make_drawing(tmp_path / "a.pdf", 0)
    b = make_drawing(tmp_path / "b.pdf", 600)
    with pytest.raises(RedactviewError):  # what the compare view met before the cap
        window.renderer.render_upright(str(a), 1, COMPARE_DPI)

    pages_a = RenderedPages(window.renderer, a, info())
    pages_b = RenderedPages(window.renderer, b, info())
    moved = Box(BOX.x0 + 600, BOX.y0, BOX.x1 + 600, BOX.y1)
    link = RedactionLink(LinkStatus.BOTH, LinkRef(1, BOX, "ra"), LinkRef(1, moved, "rb"))
    view = CompareView(pages_a, pages_b, CompareResult(((1, 1),), (link,)))
    qtbot.addWidget(view)
    view.show()

    for side, box in ((view.view_a, BOX), (view.view_b, moved)):
        assert side.page is not None
        image = side.page.image
        assert image.width() * image.height() <= VIEW_MAX_PIXELS
        assert image.width() > 5000  # capped, not shrunk further
        rect = side.page.to_image(box)
        ink = image.pixelColor(rect.center().toPoint())
        assert ink.red() < 60, "the box's outline is drawn where the page's ink is"
        outside = image.pixelColor(int(rect.right()) + 30, int(rect.center().y()))
        assert outside.red() > 200
    view.overlay.setChecked(True)  # the composite of two capped images
    shown = view.view_a.scene().itemsBoundingRect()
    assert shown.width() * shown.height() <= VIEW_MAX_PIXELS * 1.01
