"""The inspector: everything about the selected redaction, and its edits.

Edits become undo commands on the shared stack, so the inspector, the page
view and Edit → Undo all agree. The note is saved when the field loses focus
or after a short pause in typing, so a crash loses at most a second of it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QPixmap, QUndoCommand
from PySide6.QtWidgets import (
    QButtonGroup,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from redactview.core.model import Annotation, Redaction, RedactionKind, ReviewStatus
from redactview.ui import commands
from redactview.ui.exemption_info import describe, known_codes, parse_codes
from redactview.ui.fit_job import FitOutcome
from redactview.ui.fit_panel import FitPanel
from redactview.ui.links_panel import LinksPanel
from redactview.ui.session import CaseSession

_NOTE_SAVE_MS = 800
_CROP_MAX_PX = 320


FROM_SUMMARY_NOTE = "Read from the page's footer/margin list, not printed at this box."
_PRINTED_WHERE = {
    "inside": "inside the box",
    "right": "right of the box",
    "stacked": "right of the box, in two rows",
    "left": "left of the box",
    "above": "above the box",
    "below": "below the box",
    "summary": "in the page's footer or margin list",
}


def describe_printed(r: Redaction) -> str:
    """The label as printed and where: a marker or a reason ("NON-RESPONSIVE",
    "Attorney-Client Privilege") is all a box may say, and a code's statute
    ("(b)(3):50 USC 3024(i)") is only here."""
    if not r.label:
        return "drawn by hand" if r.kind is RedactionKind.MANUAL else "nothing read at the box"
    where = _PRINTED_WHERE.get(r.label_position or "", "")
    return f"“{r.label}” {where}".rstrip()


def describe_source(r: Redaction) -> str:
    """The codes' meanings, and a warning when they are the page's, not this box's."""
    text = describe(r.exemptions)
    if r.exemptions and r.label_position == "summary":
        return f"{text}\n{FROM_SUMMARY_NOTE}"
    return text


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
        self._redaction_fitted = ""
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
        self.printed = QLabel(
            wordWrap=True, textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.printed.setTextFormat(Qt.TextFormat.PlainText)
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
        self.estimate = QLabel(wordWrap=True)
        self.fit = FitPanel()
        self.leak = QLabel(
            wordWrap=True, textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.leak_image = QLabel()
        self.leak_image.setToolTip("The picture found under this box (from Check for Leaks)")
        self.leak_image.hide()
        self.note = NoteEdit()
        self.note.setPlaceholderText("Your note (saved as you type)")
        self.tags = QLineEdit(placeholderText="tag, tag…")
        self._tag_model = QStringListModel([], self)
        self.tag_completer = QCompleter(self._tag_model, self)
        self.tags.setCompleter(self.tag_completer)
        self.links = LinksPanel(self._push)
        self.links.link_activated.connect(self.link_activated)
        self._readonly = False

    def _build_layout(self) -> None:
        status_row = QHBoxLayout()
        for button in self.status_buttons.values():
            status_row.addWidget(button)
        form = QFormLayout(self)
        form.addRow(self.title)
        form.addRow("Exemptions", self.codes)
        form.addRow("", self.meanings)
        form.addRow("Printed", self.printed)
        form.addRow("Review", status_row)
        form.addRow("Context", self.context)
        form.addRow("Width", self.estimate)
        form.addRow("Candidates", self.fit)
        form.addRow("Leaked text", self.leak)
        form.addRow("", self.leak_image)
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
            w.setEnabled(r is not None and not self._readonly)
        self.fit.setEnabled(r is not None)
        if r is None or r.id != self._redaction_fitted:
            self._redaction_fitted = ""  # a fit belongs to one redaction only
            self.fit.clear()
        if r is None or a is None:
            self.title.setText("Select a redaction in the page or the catalog.")
            for label in (self.meanings, self.printed, self.context, self.estimate, self.leak):
                label.clear()
            self.leak_image.hide()
            self.codes.clear()
            self.links.show_links(None, None)
            self._set_note("")
            self.tags.clear()
            return
        release = self._session.release(release_id).label if self._session else ""
        self.title.setText(
            f"<b>{release}</b>, page {r.page} — {r.kind.value}, {r.fill.value} box, "
            f"{r.box.width:.0f}×{r.box.height:.0f} pt"
        )
        self._show_values(r, a)
        self._show_leak_image(r.id)
        self.links.show_links(self._session, r)

    def set_readonly(self, readonly: bool) -> None:
        """A read-only case: show everything, edit nothing (fitting still works)."""
        self._readonly = readonly
        self.links.set_readonly(readonly)
        for w in (self.codes, self.note, self.tags, *self.status_buttons.values()):
            w.setEnabled(self._redaction is not None and not readonly)

    def _show_leak_image(self, rid: str) -> None:
        """The crop of a picture found under the box, if the leak check kept one."""
        crops = [f.image_png for f in self._session.findings_of(rid)] if self._session else []
        pixmap = QPixmap()
        for png in crops:
            if png and pixmap.loadFromData(png):
                break
        if pixmap.isNull():
            self.leak_image.hide()
            return
        if pixmap.width() > _CROP_MAX_PX:
            pixmap = pixmap.scaledToWidth(_CROP_MAX_PX, Qt.TransformationMode.SmoothTransformation)
        self.leak_image.setPixmap(pixmap)
        self.leak_image.show()

    def show_fit(self, outcome: FitOutcome) -> None:
        """A finished fit: shown if it is for the redaction still on display."""
        if self._redaction is not None and outcome.redaction_id == self._redaction.id:
            self._redaction_fitted = outcome.redaction_id
            self.fit.show_outcome(outcome)

    def _show_values(self, r: Redaction, a: Annotation) -> None:
        if not self.codes.hasFocus():
            self.codes.setText("; ".join(r.exemptions))
        self.meanings.setText(describe_source(r))
        self.printed.setText(describe_printed(r))
        self.status_buttons[a.status].setChecked(True)
        before, after = r.context_before or "…", r.context_after or "…"
        self.context.setText(f"{before} ▇▇▇ {after}")
        self.estimate.setText(
            f"about {r.est_chars[0]}–{r.est_chars[1]} characters (box {r.box.width:.1f} pt)"
            if r.est_chars
            else f"box {r.box.width:.1f} pt; no estimate yet (Fit measures it)"
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
        if codes == r.exemptions:
            return
        if r.label_position == "summary":
            # The user now says which codes this box has: no longer the page's list.
            after = dataclasses.replace(r, exemptions=codes, label_position=None)
            text = "Edit exemption codes"
            self._push(
                commands.EditRedactionCommand(self._session, self._release_id, r, after, text)
            )
        else:
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
