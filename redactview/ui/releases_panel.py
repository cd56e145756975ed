"""Sidebar: the case's releases, with their metadata editable in place."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from redactview.core.model import Release
from redactview.ui.commands import EditReleaseCommand
from redactview.ui.session import CaseSession

FIELDS = (
    ("label", "Label"),
    ("agency", "Agency"),
    ("request_number", "Request no."),
    ("release_date", "Release date"),
    ("bates_prefix", "Bates prefix"),
)


class ReleasesPanel(QWidget):
    release_chosen = Signal(int)

    def __init__(self, push: Callable[[QUndoCommand], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._push = push
        self._session: CaseSession | None = None
        self.list = QListWidget()
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for name, text in FIELDS:
            edit = QLineEdit()
            if name == "release_date":
                edit.setPlaceholderText("YYYY-MM-DD")
            edit.editingFinished.connect(self._on_field_edited)
            self.edits[name] = edit
            form.addRow(text, edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.list, 1)
        layout.addLayout(form)
        self.list.currentItemChanged.connect(self._on_current_changed)

    def set_session(self, session: CaseSession | None) -> None:
        self._session = session
        self.refresh()

    def refresh(self, current: int | None = None) -> None:
        current = current if current is not None else self.current_release_id()
        self.list.blockSignals(True)
        self.list.clear()
        for release in self._session.releases() if self._session else []:
            item = QListWidgetItem(self._summary(release))
            item.setData(Qt.ItemDataRole.UserRole, release.id)
            item.setToolTip(release.path)
            self.list.addItem(item)
            if release.id == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self._show_fields()

    @staticmethod
    def _summary(r: Release) -> str:
        extra = " · ".join(x for x in (r.agency, r.request_number, r.release_date) if x)
        return f"{r.label}\n{r.page_count} pages" + (f" · {extra}" if extra else "")

    def current_release_id(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def select_release(self, release_id: int) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == release_id:
                self.list.setCurrentRow(i)
                return

    def _on_current_changed(self, current: QListWidgetItem | None, _prev: object) -> None:
        self._show_fields()
        if current is not None:
            self.release_chosen.emit(int(current.data(Qt.ItemDataRole.UserRole)))

    def _show_fields(self) -> None:
        rid = self.current_release_id()
        release = self._session.release(rid) if self._session and rid is not None else None
        for name, edit in self.edits.items():
            edit.setEnabled(release is not None)
            if not edit.hasFocus():
                edit.setText(getattr(release, name) if release else "")

    def _on_field_edited(self) -> None:
        rid = self.current_release_id()
        if self._session is None or rid is None:
            return
        release = self._session.release(rid)
        before = {n: getattr(release, n) for n, _ in FIELDS}
        after = {n: e.text().strip() for n, e in self.edits.items()}
        if after["label"] == "":
            after["label"] = before["label"]  # a release always has a name
        if after != before:
            self._push(EditReleaseCommand(self._session, rid, before, after))
