"""The inspector: everything about the selected redaction, and its edits.

Edits become undo commands on the shared stack, so the inspector, the page
view and Edit → Undo all agree. The note is saved when the field loses focus
or after a short pause in typing, so a crash loses at most a second of it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QButtonGroup,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from redactview.core.model import Annotation, Redaction, ReviewStatus
from redactview.ui import commands
from redactview.ui.exemption_info import describe, known_codes, parse_codes
from redactview.ui.session import CaseSession

_NOTE_SAVE_MS = 800


class CodeCompleter(QCompleter):
    """Completes the last code in "(b)(6); (b)(7)(C)" lists, not the whole line."""

    def pathFromIndex(self, index) -> str:  # type: ignore[no-untyped-def]
        edit = self.widget()
        done = edit.text().rsplit(";", 1) if isinstance(edit, QLineEdit) else [""]
        chosen = str(super().pathFromIndex(index))
        return f"{done[0]}; {chosen}" if len(done) > 1 else chosen

    def splitPath(self, path: str) -> list[str]:
        return [path.rsplit(";", 1)[-1].strip()]


class NoteEdit(QPlainTextEdit):
    focus_lost = Signal()

    def focusOutEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().focusOutEvent(event)
        self.focus_lost.emit()


class Inspector(QWidget):
    link_activated = Signal(int, int, str)  # release id, page, redaction id ("" if none)

    def __init__(self, push: Callable[[QUndoCommand], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._push = push
        self._session: CaseSession | None = None
        self._redaction: Redaction | None = None
        self._annotation: Annotation | None = None
        self._release_id = 0
        self._build_widgets()
        self._build_layout()
        self._note_timer = QTimer(self, singleShot=True, interval=_NOTE_SAVE_MS)
        self._note_timer.timeout.connect(self.commit_note)
        self.codes.editingFinished.connect(self._on_codes_edited)
        self.note.textChanged.connect(self._on_note_typed)
        self.note.focus_lost.connect(self.commit_note)
        self.tags.editingFinished.connect(self._on_tags_edited)
        self.status_group.idClicked.connect(self._on_status_clicked)
        self.show_redaction(None, None, 0)

    def _build_widgets(self) -> None:
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.codes = QLineEdit(placeholderText="(b)(6); (b)(7)(C)")
        # The models are kept as attributes: a completer does not own its model.
        self._code_model = QStringListModel(known_codes(), self)
        completer = CodeCompleter(self._code_model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.codes.setCompleter(completer)
        self.meanings = QLabel()
        self.meanings.setWordWrap(True)
        self.status_group = QButtonGroup(self)
        self.status_buttons: dict[ReviewStatus, QPushButton] = {}
        for i, (status, text) in enumerate(
            [
                (ReviewStatus.UNREVIEWED, "Unreviewed"),
                (ReviewStatus.CONFIRMED, "Confirmed"),
                (ReviewStatus.FALSE_POSITIVE, "False positive"),
            ]
        ):
            button = QPushButton(text)
            button.setCheckable(True)
            self.status_group.addButton(button, i)
            self.status_buttons[status] = button
        self.context = QLabel(
            wordWrap=True, textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.estimate = QLabel()
        self.candidates = QLineEdit(placeholderText="Candidate names or words…")
        self.fit_button = QPushButton("Fit")
        self._set_fit_available()
        self.leak = QLabel(
            wordWrap=True, textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.note = NoteEdit()
        self.note.setPlaceholderText("Your note (saved as you type)")
        self.tags = QLineEdit(placeholderText="tag, tag…")
        self._tag_model = QStringListModel([], self)
        self.tag_completer = QCompleter(self._tag_model, self)
        self.tags.setCompleter(self.tag_completer)
        self.links = QListWidget()
        self.links.setToolTip(
            "The same redaction in other releases (from the compare step); double-click to go there"
        )
        self.links.itemActivated.connect(self._on_link_activated)

    def _set_fit_available(self) -> None:
        # analysis.fit needs the line's LineFit (font metrics of the words around
        # the box); the viewer does not compute it yet, so the control says so.
        for w in (self.candidates, self.fit_button):
            w.setEnabled(False)
            w.setToolTip("Candidate fitting is not wired into the viewer yet (use the CLI)")

    def _build_layout(self) -> None:
        status_row = QHBoxLayout()
        for button in self.status_buttons.values():
            status_row.addWidget(button)
        fit_row = QHBoxLayout()
        fit_row.addWidget(self.candidates, 1)
        fit_row.addWidget(self.fit_button)
        form = QFormLayout(self)
        form.addRow(self.title)
        form.addRow("Exemptions", self.codes)
        form.addRow("", self.meanings)
        form.addRow("Review", status_row)
        form.addRow("Context", self.context)
        form.addRow("Width", self.estimate)
        form.addRow("Candidates", fit_row)
        form.addRow("Leaked text", self.leak)
        form.addRow("Note", self.note)
        form.addRow("Tags", self.tags)
        form.addRow("Other releases", self.links)

    # -- showing ----------------------------------------------------------------------------
    def set_session(self, session: CaseSession | None) -> None:
        self._session = session
        self.show_redaction(None, None, 0)

    def show_redaction(self, r: Redaction | None, a: Annotation | None, release_id: int) -> None:
        if self._redaction is not None and (r is None or r.id != self._redaction.id):
            self.commit_note()  # never lose a note by clicking elsewhere
        self._redaction, self._annotation, self._release_id = r, a, release_id
        for w in (self.codes, self.note, self.tags, *self.status_buttons.values()):
            w.setEnabled(r is not None)
        if r is None or a is None:
            self.title.setText("Select a redaction in the page or the catalog.")
            for label in (self.meanings, self.context, self.estimate, self.leak):
                label.clear()
            self.codes.clear()
            self.links.clear()
            self._set_note("")
            self.tags.clear()
            return
        release = self._session.release(release_id).label if self._session else ""
        self.title.setText(
            f"<b>{release}</b>, page {r.page} — {r.kind.value}, {r.fill.value} box, "
            f"{r.box.width:.0f}×{r.box.height:.0f} pt"
        )
        self._show_values(r, a)
        self._show_links(r.id)

    def _show_links(self, rid: str) -> None:
        self.links.clear()
        for view in self._session.links_of(rid) if self._session else []:
            link, there = view.link, view.there
            where = f"page {there.page}" if there else "no match"
            text = f"{view.other.label}, {where}: {link.status.value}"
            if link.revealed_text:
                text += f" — “{link.revealed_text}”"
            item = QListWidgetItem(text)
            if there is not None:
                item.setData(
                    Qt.ItemDataRole.UserRole,
                    (view.other.id, there.page, there.redaction_id or ""),
                )
            self.links.addItem(item)

    def _on_link_activated(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if target:
            self.link_activated.emit(*target)

    def _show_values(self, r: Redaction, a: Annotation) -> None:
        if not self.codes.hasFocus():
            self.codes.setText("; ".join(r.exemptions))
        self.meanings.setText(describe(r.exemptions))
        self.status_buttons[a.status].setChecked(True)
        before, after = r.context_before or "…", r.context_after or "…"
        self.context.setText(f"{before} ▇▇▇ {after}")
        self.estimate.setText(
            f"about {r.est_chars[0]}–{r.est_chars[1]} characters"
            if r.est_chars
            else "no estimate yet"
        )
        self.leak.setText(
            f"<span style='color:#C0392B'><b>{r.text_under}</b></span>"
            if r.text_under
            else "none found"
        )
        if self.note.toPlainText() != a.note and not self.note.hasFocus():
            self._set_note(a.note)
        if not self.tags.hasFocus():
            self.tags.setText(", ".join(a.tags))
        if self._session is not None:
            self._tag_model.setStringList(self._session.tag_names())

    def _set_note(self, text: str) -> None:
        self.note.blockSignals(True)
        self.note.setPlainText(text)
        self.note.blockSignals(False)

    # -- editing ----------------------------------------------------------------------------
    def _on_codes_edited(self) -> None:
        r = self._redaction
        if r is None or self._session is None:
            return
        codes = parse_codes(self.codes.text())
        if codes != r.exemptions:
            self._push(commands.exemptions_command(self._session, self._release_id, r, codes))

    def _on_status_clicked(self, button_id: int) -> None:
        a = self._annotation
        if a is None or self._session is None:
            return
        status = list(self.status_buttons)[button_id]
        if status != a.status:
            self._push(commands.status_command(self._session, a, status))

    def _on_note_typed(self) -> None:
        self._note_timer.start()

    def commit_note(self) -> None:
        """Save the note now if it differs from what is stored."""
        self._note_timer.stop()
        a, session = self._annotation, self._session
        if a is None or session is None:
            return
        text = self.note.toPlainText()
        stored = session.annotation(a.redaction_id)
        if text != stored.note and not self._push(commands.note_command(session, stored, text)):
            self._note_timer.start()  # the case is busy: keep the text and try again

    def _on_tags_edited(self) -> None:
        a = self._annotation
        if a is None or self._session is None:
            return
        names = dict.fromkeys(t.strip() for t in self.tags.text().split(",") if t.strip())
        tags = tuple(sorted(names, key=str.lower))  # the store keeps tags in name order
        stored = self._session.annotation(a.redaction_id)
        if tags != stored.tags:
            self._push(commands.tags_command(self._session, stored, tags))

    def refresh(self, r: Redaction | None, a: Annotation) -> None:
        """The shown redaction changed elsewhere (undo, a drag): update the fields."""
        if r is None:
            self.show_redaction(None, None, 0)
            return
        self._redaction, self._annotation = r, a
        self._show_values(r, a)
