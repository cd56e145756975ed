"""The inspector's "Other releases": the same redaction elsewhere, and the user's say on it.

Links come from the compare step. The user can confirm one (a later compare
then keeps it), break one (the two boxes are not the same redaction: each
becomes unmatched, also kept), or link this box to one in another release by
hand. Each decision is written to the case at once (``Case.links``) and, through
the window's ``push``, goes on the undo stack with every other edit.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from redactview.core.model import Redaction
from redactview.ui import commands
from redactview.ui.error_dialog import show_error
from redactview.ui.session import CaseSession, LinkView


def describe_view(view: LinkView) -> str:
    link, there = view.link, view.there
    where = f"page {there.page}" if there else "no match"
    text = f"{view.other.label}, {where}: {link.status.value}"
    if link.user_set:
        text += " (set by you)"
    if link.revealed_text:
        text += f" — “{link.revealed_text}”"
    return text


def describe_target(label: str, r: Redaction) -> str:
    codes = "; ".join(r.exemptions) or "no code"
    return f"{label}, page {r.page}: {codes} at ({r.box.x0:.0f}, {r.box.y0:.0f}) [{r.id}]"


class LinksPanel(QWidget):
    link_activated = Signal(int, int, str)  # release id, page, redaction id ("" if none)

    def __init__(self, push: Callable[[QUndoCommand], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._push = push
        self._session: CaseSession | None = None
        self._redaction: Redaction | None = None
        self._views: list[LinkView] = []
        self.list = QListWidget()
        self.list.setToolTip(
            "The same redaction in other releases (from Tools → Compare); double-click to go there"
        )
        self.confirm_button = QPushButton("Confirm")
        self.confirm_button.setToolTip("This is the same redaction: keep the link on re-compare")
        self.break_button = QPushButton("Break")
        self.break_button.setToolTip("Not the same redaction: unlink both sides")
        self.add_button = QPushButton("Link to…")
        self.add_button.setToolTip("Link this box to a redaction of another release by hand")
        buttons = QHBoxLayout()
        for b in (self.confirm_button, self.break_button, self.add_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.list.itemActivated.connect(self._on_item_activated)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.confirm_button.clicked.connect(self.confirm_current)
        self.break_button.clicked.connect(self.break_current)
        self.add_button.clicked.connect(self.add_dialog)
        self._readonly = False
        self._update_buttons()

    def set_readonly(self, readonly: bool) -> None:
        self._readonly = readonly
        self._update_buttons()

    def show_links(self, session: CaseSession | None, r: Redaction | None) -> None:
        self._session, self._redaction = session, r
        self.list.clear()
        self._views = session.links_of(r.id) if session is not None and r is not None else []
        for view in self._views:
            item = QListWidgetItem(describe_view(view))
            if view.there is not None:
                target = (view.other.id, view.there.page, view.there.redaction_id or "")
                item.setData(Qt.ItemDataRole.UserRole, target)
            self.list.addItem(item)
        if self._views:
            self.list.setCurrentRow(0)
        self._update_buttons()

    def _current(self) -> LinkView | None:
        row = self.list.currentRow()
        return self._views[row] if 0 <= row < len(self._views) else None

    def _update_buttons(self) -> None:
        view = self._current()
        editable = self._session is not None and self._redaction is not None
        editable = editable and not self._readonly
        self.confirm_button.setEnabled(editable and view is not None and not view.link.user_set)
        self.break_button.setEnabled(editable and view is not None and view.there is not None)
        self.add_button.setEnabled(editable and len(self._session.releases()) > 1)  # type: ignore[union-attr]

    def _on_item_activated(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if target:
            self.link_activated.emit(*target)

    def confirm_current(self) -> None:
        self._decide(commands.confirm_link_command)

    def break_current(self) -> None:
        self._decide(commands.break_link_command)

    def _decide(self, make: Callable[[CaseSession, LinkView], QUndoCommand]) -> None:
        view, session = self._current(), self._session
        if view is None or session is None:
            return
        try:
            self._push(make(session, view))
        except Exception as exc:
            show_error(exc, self)

    def targets(self) -> list[tuple[str, Redaction]]:
        """Redactions of the other releases, in reading order, with their descriptions."""
        session, r = self._session, self._redaction
        if session is None or r is None:
            return []
        mine = session.release_of(r.id)
        found = []
        for release in session.releases():
            if release.id != mine:
                for other in session.redactions(release.id):
                    found.append((describe_target(release.label, other), other))
        return found

    def add_dialog(self) -> None:
        targets = self.targets()
        if not targets or self._session is None or self._redaction is None:
            return
        names = [text for text, _ in targets]
        chosen, ok = QInputDialog.getItem(
            self, "Link by hand", "The same redaction in another release:", names, 0, False
        )
        if ok and chosen in names:
            self.link_to(targets[names.index(chosen)][1])

    def link_to(self, other: Redaction) -> None:
        if self._session is None or self._redaction is None:
            return
        try:
            self._push(commands.hand_link_command(self._session, self._redaction, other))
        except Exception as exc:
            show_error(exc, self)
