"""Undo after a job rewrote the rows it refers to: no stale write, no crash, the user is told.

A scan re-detects boxes (same id, detected geometry and codes back), a box no
longer found is removed; undo steps recorded before must not put their old
values over that, and steps the job left alone (a note) still undo.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QPoint, Qt
from ui_fixtures import open_and_wait, window_fixture  # noqa: F401

from redactview.core.geometry import Box
from redactview.core.model import Fill, Redaction, RedactionKind
from redactview.jobs.executor import SerialExecutor
from redactview.ui import commands
from redactview.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def make_memo(path: Path) -> Path:
    """One page of text with a black box over part of the second line."""
    doc = pymupdf.open()
    page = doc.new_page(width=500, height=400)
    page.insert_text((40, 60), "Memo from the field office to the director", fontsize=11)
    page.insert_text(
        (40, 100), "The witness                   was interviewed on Tuesday", fontsize=11
    )
    page.draw_rect(pymupdf.Rect(105, 89, 190, 103), color=(0, 0, 0), fill=(0, 0, 0))
    doc.save(path)
    return path


def scan(qtbot, w: MainWindow, rescan: bool = False) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(w.tasks.finished, timeout=60000):
        w.run_scan_job(executor=SerialExecutor(), ocr=False, rescan=rescan)


def drag_box(qtbot, w: MainWindow, r: Redaction, dx: float) -> None:  # type: ignore[no-untyped-def]
    """Select the box and drag it ``dx`` points to the right, as a user would."""
    view = w.page_view
    w.select_redaction(r.id)
    page = view.pages[r.page - 1]

    def to_view(x: float, y: float) -> QPoint:
        return view.mapFromScene(page.space.mapToScene(x, y))

    x, y = (r.box.x0 + r.box.x1) / 2, (r.box.y0 + r.box.y1) / 2
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=to_view(x, y))
    qtbot.mouseMove(view.viewport(), pos=to_view(x + dx, y))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=to_view(x + dx, y))


def test_undo_of_a_move_a_rescan_replaced_writes_nothing(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    w = window
    open_and_wait(qtbot, w, make_memo(tmp_path / "memo.pdf"))
    w.page_view.fit_page()
    scan(qtbot, w)
    assert w.session is not None and w.release_id is not None
    (found,) = w.session.redactions(w.release_id)
    assert abs(found.box.x0 - 105) < 3, found

    drag_box(qtbot, w, found, 40)
    moved = w.session.redaction(found.id)
    assert moved is not None and abs(moved.box.x0 - found.box.x0 - 40) < 3
    assert w.push(commands.note_command(w.session, w.session.annotation(found.id), "agent?"))
    assert w.undo.count() == 2 and w.stale_steps() == 0

    scan(qtbot, w, rescan=True)  # detection puts the box back where it is in the file
    assert w.session.redaction(found.id) == found
    assert w.stale_steps() == 1
    assert "1 undo step refers" in w.statusBar().currentMessage()

    w.undo.undo()  # the note: the scan never touches annotations, so it undoes
    assert w.session.annotation(found.id).note == ""
    w.undo.undo()  # the move: its box was replaced, so nothing is written
    assert w.session.redaction(found.id) == found
    assert "Not undone" in w.statusBar().currentMessage()
    assert "Move/resize redaction" in w.statusBar().currentMessage()
    assert w.undo.count() == 1 and w.undo.index() == 0  # the stale step left the history
    w.undo.redo()  # the note again
    assert w.session.annotation(found.id).note == "agent?"
    assert w.page_view.items_by_id[found.id].rect().width() > 0  # the view is alive


def test_undo_never_brings_back_a_box_the_scan_removed(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    """A detected box that a scan no longer finds is gone: undoing a code edit on it
    must not re-insert it (saving a redaction is an upsert)."""
    w = window
    open_and_wait(qtbot, w, make_memo(tmp_path / "memo.pdf"))
    assert w.session is not None and w.release_id is not None
    ghost = Redaction(
        "rghost", 1, Box(300, 200, 380, 214), RedactionKind.VECTOR, Fill.BLACK, ("(b)(6)",)
    )
    w.session.case.redactions.replace_detected(w.release_id, [ghost])  # page not marked done
    w.session.reload()
    assert w.push(commands.exemptions_command(w.session, w.release_id, ghost, ("(b)(7)(C)",)))
    assert w.push(commands.DeleteRedactionCommand(w.session, w.release_id, ghost))

    scan(qtbot, w)  # page 1 was never detected: the scan replaces its detected boxes
    ids = {r.id for r in w.session.redactions(w.release_id)}
    assert "rghost" not in ids and len(ids) == 1
    assert w.stale_steps() == 2

    w.undo.undo()  # restore of the deleted ghost: dropped
    w.undo.undo()  # its code edit: dropped
    assert w.session.redaction("rghost") is None, "undo re-inserted a removed box"
    assert w.undo.count() == 0
    assert "Not undone" in w.statusBar().currentMessage()
    assert not w.undo.canUndo() and not w.undo.canRedo()


def test_steps_a_job_did_not_touch_still_undo_and_redo(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    """A box drawn by hand survives a rescan untouched, so its history stays whole."""
    w = window
    open_and_wait(qtbot, w, make_memo(tmp_path / "memo.pdf"))
    assert w.session is not None and w.release_id is not None
    drawn = Redaction("mhand", 1, Box(40, 200, 120, 220), RedactionKind.MANUAL, Fill.OTHER)
    assert w.push(commands.AddRedactionCommand(w.session, w.release_id, drawn))
    moved = Box(60, 200, 140, 220)
    assert w.push(commands.move_command(w.session, w.release_id, drawn, moved))
    scan(qtbot, w, rescan=True)
    assert w.stale_steps() == 0
    w.undo.undo()
    stored = w.session.redaction("mhand")
    assert stored is not None and stored.box == drawn.box
    w.undo.undo()
    assert "mhand" not in {r.id for r in w.session.redactions(w.release_id)}
    w.undo.redo()
    w.undo.redo()
    stored = w.session.redaction("mhand")
    assert stored is not None and stored.box == moved and w.undo.count() == 2


def test_redo_of_a_step_whose_box_a_rescan_replaced_writes_nothing(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    w = window
    open_and_wait(qtbot, w, make_memo(tmp_path / "memo.pdf"))
    scan(qtbot, w)
    assert w.session is not None and w.release_id is not None
    (found,) = w.session.redactions(w.release_id)
    assert w.push(commands.exemptions_command(w.session, w.release_id, found, ("(b)(5)",)))
    w.undo.undo()  # codes back to what detection read; the step waits on the redo side
    assert w.session.redaction(found.id) == found
    ghost = Redaction("rmoved", 1, found.box, RedactionKind.VECTOR, Fill.BLACK)
    w.session.case.redactions.replace_detected(w.release_id, [ghost])  # another detection
    w.session.reload()
    assert w.stale_steps() == 1
    w.undo.redo()
    assert w.session.redaction(found.id) is None, "redo re-inserted a replaced box"
    assert "Not redone" in w.statusBar().currentMessage()
    assert w.undo.count() == 0
