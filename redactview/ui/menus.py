"""Menus and shortcuts of the main window, built from its methods."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu

from redactview.core.model import ReviewStatus
from redactview.ui.about import show_about
from redactview.ui.actions import Actions, add_menu, make_action, unavailable

if TYPE_CHECKING:
    from redactview.ui.main_window import MainWindow

SK = QKeySequence.StandardKey


def _recent_menu(w: MainWindow) -> QMenu:
    menu = QMenu("Open &Recent", w)

    def fill() -> None:
        menu.clear()
        for path in w.prefs.recent_files:
            action = menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: w.open_path(Path(p)))
        if not w.prefs.recent_files:
            menu.addAction("(none yet)").setEnabled(False)

    menu.aboutToShow.connect(fill)
    return menu


def build_menus(w: MainWindow) -> Actions:
    pv = w.page_view
    a = {
        "open": make_action(w, "&Open…", w.open_dialog, SK.Open, tip="Open a PDF or a case"),
        "add_release": make_action(w, "&Add Release to Case…", w.add_release_dialog),
        "close_case": make_action(w, "&Close Case", w.close_case, SK.Close),
        "prefs": make_action(w, "&Preferences…", w.show_preferences, SK.Preferences),
        "quit": make_action(w, "&Quit", w.close, SK.Quit),
        "undo": w.undo.createUndoAction(w, "&Undo"),
        "redo": w.undo.createRedoAction(w, "&Redo"),
        "find": make_action(
            w, "&Find…", w.finder.open, SK.Find, tip="Find in text and OCR (Ctrl+F)"
        ),
        "find_next": make_action(w, "Find &Next", lambda: w.finder.step(1), SK.FindNext),
        "find_prev": make_action(w, "Find Pre&vious", lambda: w.finder.step(-1), SK.FindPrevious),
        "draw": make_action(
            w,
            "&Draw Redaction",
            pv.set_draw_mode,
            "R",
            checkable=True,
            tip="Drag a box on the page to add a redaction by hand (R)",
        ),
        "delete": make_action(w, "De&lete Redaction", w.delete_selected, SK.Delete),
        "zoom_in": make_action(w, "Zoom &In", pv.zoom_in, SK.ZoomIn),
        "zoom_out": make_action(w, "Zoom &Out", pv.zoom_out, SK.ZoomOut),
        "fit_width": make_action(w, "Fit &Width", pv.fit_width, "Ctrl+2"),
        "fit_page": make_action(w, "Fit &Page", pv.fit_page, "Ctrl+1"),
        "rotate_left": make_action(w, "Rotate &Left", lambda: pv.rotate_by(-90), "Ctrl+L"),
        "rotate_right": make_action(w, "Rotate &Right", lambda: pv.rotate_by(90), "Ctrl+R"),
        "go_to_page": make_action(w, "&Go to Page…", w.focus_page_spin, "Ctrl+G"),
        "next": make_action(w, "&Next Redaction", lambda: w.step_redaction(1), "N"),
        "prev": make_action(w, "&Previous Redaction", lambda: w.step_redaction(-1), "P"),
        "next_unreviewed": make_action(
            w, "Next &Unreviewed", lambda: w.step_redaction(1, unreviewed_only=True), "U"
        ),
        "confirm": make_action(w, "Mark &Confirmed", lambda: w.mark(ReviewStatus.CONFIRMED), "C"),
        "false_positive": make_action(
            w, "Mark &False Positive", lambda: w.mark(ReviewStatus.FALSE_POSITIVE), "X"
        ),
        "unreviewed": make_action(
            w, "Mark U&nreviewed", lambda: w.mark(ReviewStatus.UNREVIEWED), "Shift+U"
        ),
    }
    a["about"] = make_action(
        w, "&About redactview", lambda: show_about(w, w.prefs.tesseract_path or None)
    )
    a["undo"].setShortcuts(SK.Undo)
    a["redo"].setShortcuts(SK.Redo)
    a.update(w.build_job_actions())
    add_menu(
        w,
        "&File",
        [
            a["open"],
            _recent_menu(w),
            a["add_release"],
            None,
            w.export_menu,
            None,
            a["close_case"],
            a["prefs"],
            a["quit"],
        ],
    )
    add_menu(
        w,
        "&Edit",
        [
            a["undo"],
            a["redo"],
            None,
            a["find"],
            a["find_next"],
            a["find_prev"],
            None,
            a["draw"],
            a["delete"],
        ],
    )
    add_menu(
        w,
        "&View",
        [
            a["zoom_in"],
            a["zoom_out"],
            a["fit_width"],
            a["fit_page"],
            None,
            a["rotate_left"],
            a["rotate_right"],
            None,
            a["go_to_page"],
        ],
    )
    add_menu(
        w,
        "&Review",
        [
            a["next"],
            a["prev"],
            a["next_unreviewed"],
            None,
            a["confirm"],
            a["false_positive"],
            a["unreviewed"],
        ],
    )
    add_menu(w, "&Tools", [a["scan"], a["rescan"], a["ocr"], a["leaks"], a["compare"]])
    add_menu(w, "&Help", [a["about"]])
    return Actions(a)


__all__ = ["build_menus", "unavailable"]
