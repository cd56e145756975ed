"""The window's actions and menus, with standard shortcuts, in one table-like place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

Shortcut = QKeySequence.StandardKey | str | None


@dataclass
class Actions:
    """Named handles on the actions that the window enables, disables or checks."""

    all: dict[str, QAction]

    def __getitem__(self, name: str) -> QAction:
        return self.all[name]


def make_action(
    window: QMainWindow,
    text: str,
    slot: Callable[..., object] | None,
    shortcut: Shortcut = None,
    *,
    tip: str = "",
    checkable: bool = False,
) -> QAction:
    action = QAction(text, window)
    if isinstance(shortcut, QKeySequence.StandardKey):
        action.setShortcuts(shortcut)
    elif shortcut:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    action.setCheckable(checkable)
    if slot is not None:
        if checkable:
            action.toggled.connect(slot)
        else:
            action.triggered.connect(lambda _checked=False: slot())
    else:
        action.setEnabled(False)
    return action


def add_menu(window: QMainWindow, title: str, actions: list[QAction | QMenu | None]) -> QMenu:
    menu = window.menuBar().addMenu(title)
    for item in actions:
        if item is None:
            menu.addSeparator()
        elif isinstance(item, QMenu):
            menu.addMenu(item)
        else:
            menu.addAction(item)
    return menu


def unavailable(window: QMainWindow, text: str, why: str) -> QAction:
    """A control for a feature that has not landed: visible, disabled, and saying why."""
    action = make_action(window, text, None, tip=why)
    action.setEnabled(False)
    return action
