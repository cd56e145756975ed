"""Link decisions (Confirm, Break, Link to…) are on the undo stack with every other edit.

Each step drives the inspector's buttons, then reads the case file through a
second, read-only connection: undo must put back the exact rows (status,
confidence, ``user_set``; a hand-made link gone), redo what the decision left.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import Qt
from ui_fixtures import window_fixture  # noqa: F401

from redactview.core.geometry import Box
from redactview.core.model import Fill, LinkRef, LinkStatus, Redaction, RedactionKind, RedactionLink
from redactview.pdf.info import inspect_document
from redactview.store.case import Case
from redactview.ui import links_panel
from redactview.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

A1, A2 = Box(50, 60, 150, 74), Box(50, 120, 170, 134)
B1, B2 = Box(52, 61, 152, 75), Box(50, 200, 130, 214)


def make_release(path: Path, marker: str) -> Path:
    doc = pymupdf.open()
    for n in (1, 2):
        doc.new_page(width=400, height=300).insert_text((40, 40), f"{marker} page {n}")
    doc.save(path)
    return path


def computed_links() -> list[RedactionLink]:
    """What a compare could have stored: odd confidences, none set by the user."""
    return [
        RedactionLink(LinkStatus.BOTH, LinkRef(1, A1, "a1"), LinkRef(1, B1, "b1"),
                      None, ("(b)(6)",), ("(b)(6)",), 0.73),
        RedactionLink(LinkStatus.UNMATCHED, LinkRef(2, A2, "a2"), None, None, ("(b)(5)",), (), 0.5),
        RedactionLink(LinkStatus.NEW, None, LinkRef(2, B2, "b2"), None, (), ("(b)(7)(C)",), 0.55),
    ]  # fmt: skip


def make_case(tmp_path: Path) -> tuple[Path, int, int]:
    path = tmp_path / "two.rvcase"
    with Case.open(path, create=True) as case:
        a = case.add_release(inspect_document(make_release(tmp_path / "a.pdf", "first")))
        b = case.add_release(inspect_document(make_release(tmp_path / "b.pdf", "second")))
        for rid, page, box in (("a1", 1, A1), ("a2", 2, A2)):
            case.redactions.save(a.id, Redaction(rid, page, box, RedactionKind.RASTER, Fill.BLACK))
        for rid, page, box in (("b1", 1, B1), ("b2", 2, B2)):
            case.redactions.save(b.id, Redaction(rid, page, box, RedactionKind.RASTER, Fill.BLACK))
        case.links.replace_computed(a.id, b.id, computed_links())
    return path, a.id, b.id


def stored(path: Path, a_id: int, b_id: int) -> list[RedactionLink]:
    """The pair's links as the case file holds them (a fresh read-only connection)."""
    with Case.open(path, readonly=True) as case:
        return sorted(case.links.between(a_id, b_id), key=repr)


@pytest.fixture
def opened(window: MainWindow, tmp_path: Path) -> tuple[MainWindow, Path, int, int]:
    path, a_id, b_id = make_case(tmp_path)
    window.open_case(path)
    assert window.session is not None
    return window, path, a_id, b_id


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def link_texts(w: MainWindow) -> list[str]:
    panel = w.inspector.links.list
    return [panel.item(i).text() for i in range(panel.count())]


def catalog_links(w: MainWindow, rid: str) -> str:
    row = w.catalog.model.row_of(rid)
    assert row is not None
    return w.catalog.model.rows[row].links


def test_confirm_undo_redo(qtbot, opened) -> None:  # type: ignore[no-untyped-def]
    w, path, a_id, b_id = opened
    original = stored(path, a_id, b_id)
    w.select_redaction("a1")
    assert link_texts(w) == ["b, page 1: both"]
    click(qtbot, w.inspector.links.confirm_button)
    confirmed = stored(path, a_id, b_id)
    assert [x.user_set for x in confirmed if x.a and x.a.redaction_id == "a1"] == [True]
    assert link_texts(w) == ["b, page 1: both (set by you)"]  # the panel refreshed
    assert w.undo.undoText() == "Confirm link"
    w.undo.undo()
    assert stored(path, a_id, b_id) == original  # user_set cleared, confidence 0.73 kept
    assert link_texts(w) == ["b, page 1: both"]
    assert w.inspector.links.confirm_button.isEnabled()  # can be confirmed again
    w.undo.redo()
    assert stored(path, a_id, b_id) == confirmed


def test_break_undo_redo(qtbot, opened) -> None:  # type: ignore[no-untyped-def]
    w, path, a_id, b_id = opened
    original = stored(path, a_id, b_id)
    w.select_redaction("a1")
    assert catalog_links(w, "a1") == "both"
    click(qtbot, w.inspector.links.break_button)
    broken = stored(path, a_id, b_id)
    sides = [x for x in broken if x.status is LinkStatus.UNMATCHED and x.user_set]
    assert {(x.a.redaction_id if x.a else x.b.redaction_id) for x in sides} == {"a1", "b1"}  # type: ignore[union-attr]
    assert catalog_links(w, "a1") == "unmatched" and catalog_links(w, "b1") == "unmatched"
    w.undo.undo()
    assert stored(path, a_id, b_id) == original
    assert catalog_links(w, "a1") == "both" and link_texts(w) == ["b, page 1: both"]
    w.undo.redo()
    assert stored(path, a_id, b_id) == broken
    assert catalog_links(w, "b1") == "unmatched"


def test_link_by_hand_undo_removes_it_redo_restores(  # type: ignore[no-untyped-def]
    qtbot, opened, monkeypatch: pytest.MonkeyPatch
) -> None:
    w, path, a_id, b_id = opened
    original = stored(path, a_id, b_id)
    w.select_redaction("a2")

    def pick(_parent, _title, _label, names, *_rest):  # type: ignore[no-untyped-def]
        return next(n for n in names if "[b2]" in n), True

    monkeypatch.setattr(links_panel.QInputDialog, "getItem", pick)
    click(qtbot, w.inspector.links.add_button)
    linked = stored(path, a_id, b_id)
    hand = [x for x in linked if x.user_set]
    assert len(hand) == 1 and hand[0].a.redaction_id == "a2" and hand[0].b.redaction_id == "b2"  # type: ignore[union-attr]
    assert len(linked) == 2  # a2's unmatched and b2's new rows gave way to it
    assert link_texts(w) == ["b, page 2: both (set by you)"]
    w.undo.undo()
    assert stored(path, a_id, b_id) == original  # the hand-made link is gone
    assert link_texts(w) == ["b, no match: unmatched"]
    assert catalog_links(w, "b2") == "new"
    w.undo.redo()
    assert stored(path, a_id, b_id) == linked
    assert catalog_links(w, "b2") == "both"


def test_undo_after_a_new_compare_keeps_the_compare(qtbot, opened) -> None:  # type: ignore[no-untyped-def]
    w, path, a_id, b_id = opened
    w.select_redaction("a1")
    click(qtbot, w.inspector.links.confirm_button)
    # A compare run rewrites the pair meanwhile (a2 is now read as revealed; the
    # user's confirmed link is kept).
    revealed = RedactionLink(LinkStatus.REVEALED, LinkRef(2, A2, "a2"), LinkRef(2, A2),
                             "Jane Roe", ("(b)(5)",), (), 0.8)  # fmt: skip
    w.session.case.links.replace_computed(a_id, b_id, [revealed, computed_links()[2]])
    w.session.reload()
    recompared = stored(path, a_id, b_id)
    assert any(x.revealed_text == "Jane Roe" for x in recompared)
    w.undo.undo()
    assert stored(path, a_id, b_id) == recompared  # the old snapshot did not wipe it
    assert w.undo.count() == 0  # the stale decision left the stack
