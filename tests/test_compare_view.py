"""The compare widget on the sample releases (links from the truth's words and boxes).

Also writes docs/screenshots/compare.png when REDACTVIEW_SCREENSHOTS is set.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

import pymupdf
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QGraphicsRectItem

from redactview.analysis.compare import CompareResult, link_releases
from redactview.core.geometry import Box
from redactview.core.model import LinkRef, LinkStatus, RedactionLink
from redactview.pdf.document import load_page, opened_pdf
from redactview.pdf.render import render_page
from redactview.ui.compare_view import CompareView, PageImage, overlay_image
from tests.test_compare_samples import SAMPLES, load_truth, truth_pages

pytestmark = pytest.mark.gui


def render(path: Path, numbers: set[int], dpi: float = 60.0) -> dict[int, PageImage]:
    pages = {}
    with opened_pdf(path) as doc:
        for n in numbers:
            page = load_page(doc, n)
            shot = render_page(page, dpi, gray=False)
            h, w, _ = shot.pixels.shape
            image = QImage(shot.pixels.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
            pages[n] = PageImage(image, page.rect.width, page.rect.height)
    return pages


def test_compare_view_steps_through_changes_and_shows_reveals(qtbot: object) -> None:
    truth_a, truth_b = load_truth("release_a"), load_truth("release_b")
    result = link_releases(truth_pages(truth_a), truth_pages(truth_b))
    pages_a = render(SAMPLES / "release_a.pdf", {2, 3})
    pages_b = render(SAMPLES / "release_b.pdf", {3, 4})
    view = CompareView(pages_a, pages_b, result)
    qtbot.addWidget(view)  # type: ignore[attr-defined]
    view.resize(1400, 800)
    view.show()
    first_reveal = next(i for i, k in enumerate(result.links) if k.status is LinkStatus.REVEALED)
    view.changes.setCurrentRow(first_reveal)
    link = result.links[first_reveal]
    assert "Revealed in B" in view.revealed.text()
    assert link.revealed_text and link.revealed_text in view.revealed.text()
    assert view.title_b.text().endswith(str(link.b.page if link.b else ""))
    view.step(+1)
    assert view.changes.currentRow() == first_reveal + 1
    # Scrolling A scrolls B.
    view.view_a.verticalScrollBar().setValue(40)
    assert view.view_b.verticalScrollBar().value() == min(
        40, view.view_b.verticalScrollBar().maximum()
    )
    if os.environ.get("REDACTVIEW_SCREENSHOTS"):
        view.changes.setCurrentRow(first_reveal)
        qtbot.wait(200)  # type: ignore[attr-defined]
        out = Path(__file__).resolve().parent.parent / "docs" / "screenshots" / "compare.png"
        view.grab().save(str(out))


def test_overlay_colours_ink_present_in_one_release_only() -> None:
    a, b = QImage(4, 1, QImage.Format.Format_RGB32), QImage(4, 1, QImage.Format.Format_RGB32)
    a.fill(0xFFFFFF)
    b.fill(0xFFFFFF)
    a.setPixel(0, 0, 0x000000)  # ink in A only
    b.setPixel(1, 0, 0x000000)  # ink in B only
    a.setPixel(2, 0, 0x000000)
    b.setPixel(2, 0, 0x000000)  # ink in both
    out = overlay_image(a, b)
    only_a, only_b, both, none = (out.pixelColor(x, 0) for x in range(4))
    assert only_a.red() > 200 and only_a.green() < 60  # red
    assert only_b.red() < 60 and only_b.blue() > 200  # cyan
    assert max(both.red(), both.green(), both.blue()) < 60
    assert min(none.red(), none.green(), none.blue()) > 200


def rotated_page_pdf(path: Path) -> Box:
    """One portrait page with /Rotate 90 and a black box drawn in unrotated points."""
    box = Box(100.0, 500.0, 260.0, 530.0)
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.draw_rect(pymupdf.Rect(box.as_tuple()), color=(0, 0, 0), fill=(0, 0, 0))
    page.set_rotation(90)
    doc.save(path)
    doc.close()
    return box


def dark_share(image: QImage, rect: QRectF) -> float:
    r = rect.toAlignedRect().intersected(image.rect())
    inner = r.adjusted(2, 2, -2, -2)
    pixels = [
        image.pixelColor(x, y).lightness()
        for x in range(inner.left(), inner.right() + 1, 2)
        for y in range(inner.top(), inner.bottom() + 1, 2)
    ]
    return sum(p < 80 for p in pixels) / max(len(pixels), 1)


def test_boxes_land_on_the_box_of_a_page_with_rotate_90(qtbot: object, tmp_path: Path) -> None:
    """Boxes are unrotated points; a page rendered as displayed (sideways) must turn them."""
    path = tmp_path / "rotated.pdf"
    box = rotated_page_pdf(path)
    with opened_pdf(path) as doc:
        page = load_page(doc, 1)
        assert page.rotation == 90
        shot = render_page(page, 72.0, gray=False)
    h, w, _ = shot.pixels.shape
    assert w > h  # rendered as displayed: landscape
    image = QImage(shot.pixels.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
    shown = PageImage(image, 612.0, 792.0, rotation=90)
    rect = shown.to_image(box)
    assert rect.height() > rect.width()  # a wide box stands on its end when turned
    assert dark_share(image, rect) > 0.95
    # The old drawing (unrotated coordinates straight onto the image) misses it.
    assert dark_share(image, PageImage(image, 612.0, 792.0).to_image(box)) < 0.5
    link = RedactionLink(LinkStatus.BOTH, LinkRef(1, box, "a1"), LinkRef(1, box, "b1"), None,
                         ("(b)(6)",), ("(b)(6)",), 1.0)  # fmt: skip
    view = CompareView({1: shown}, {1: shown}, CompareResult(((1, 1),), (link,)))
    qtbot.addWidget(view)  # type: ignore[attr-defined]
    drawn = [i for i in view.view_a.scene().items() if isinstance(i, QGraphicsRectItem)]
    assert drawn, "no box drawn"
    assert all(dark_share(image, item.rect().adjusted(3, 3, -3, -3)) > 0.95 for item in drawn)
