"""Opening a case that is damaged or locked, without ever making things worse.

A damaged case is never touched: the user may open its last good copy
(``NAME.rvcase.bak``, refreshed after every clean open) read-only, or copy it
to a new name they pick, which then opens normally. A case another window or
process has open for writing may be opened read-only; the window then shows a
banner and turns editing off.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from redactview.errors import CaseFileError, CaseLockedError, CaseTooNewError
from redactview.store.case import CASE_SUFFIX, Case
from redactview.store.safety import backup_path

READ_ONLY = "Open Read-Only"
LAST_GOOD_READ_ONLY = "Open the Last Good Copy (read-only)"
LAST_GOOD_COPY = "Copy the Last Good Copy to a New Case…"
CANCEL = "Cancel"


def choose(parent: QWidget | None, title: str, text: str, choices: list[str]) -> str:
    """Ask the user to pick one of ``choices`` (the last one is Cancel)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    buttons = {}
    for label in choices:
        role = (
            QMessageBox.ButtonRole.RejectRole
            if label == CANCEL
            else QMessageBox.ButtonRole.AcceptRole
        )
        buttons[box.addButton(label, role)] = label
    box.exec()
    return buttons.get(box.clickedButton(), CANCEL)  # type: ignore[call-overload]


def ask_copy_target(parent: QWidget | None, damaged: Path) -> Path | None:
    suggested = damaged.with_name(f"{damaged.stem}-recovered{CASE_SUFFIX}")
    name, _ = QFileDialog.getSaveFileName(
        parent, "Save the last good copy as", str(suggested), f"Cases (*{CASE_SUFFIX})"
    )
    return Path(name) if name else None


def is_damaged(exc: CaseFileError, path: Path) -> bool:
    return not isinstance(exc, CaseLockedError | CaseTooNewError) and backup_path(path).exists()


def open_case_interactively(path: Path, parent: QWidget | None) -> Case | None:
    """``Case.open``, and if it fails for a lock or damage, offer the safe way out.

    None: the user cancelled. Other errors propagate to the error dialog.
    """
    try:
        return Case.open(path)
    except CaseLockedError as exc:
        answer = choose(parent, "Case in use", f"{exc.message}.", [READ_ONLY, CANCEL])
        return Case.open(path, readonly=True) if answer == READ_ONLY else None
    except CaseFileError as exc:
        if not is_damaged(exc, path):
            raise
        return _recover(path, exc, parent)


def _recover(path: Path, exc: CaseFileError, parent: QWidget | None) -> Case | None:
    backup = backup_path(path)
    text = (
        f"{exc.message}\n\nThe damaged file is left as it is. You can look at its last good "
        f"copy read-only, or copy that to a new case and go on working there."
    )
    answer = choose(parent, "Damaged case", text, [LAST_GOOD_READ_ONLY, LAST_GOOD_COPY, CANCEL])
    if answer == LAST_GOOD_READ_ONLY:
        return Case.open(backup, readonly=True)
    if answer != LAST_GOOD_COPY:
        return None
    target = ask_copy_target(parent, path)
    if target is None:
        return None
    if target.resolve() in (path.resolve(), backup.resolve()):
        raise CaseFileError(
            f"{target.name}: choose a new name; the damaged case and its last good copy "
            "are kept as they are"
        )
    shutil.copyfile(backup, target)
    return Case.open(target)
