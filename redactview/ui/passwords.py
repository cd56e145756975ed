"""Passwords of encrypted PDFs: asked when a job or a render meets one, kept in memory only.

A password is never written to the case, the preferences or the recent-files
list. Nothing here opens the PDF: whoever opens it (a job in the PDF lane, the
render process) raises ``EncryptedPdfError`` when a password is missing or
wrong, and the window asks here, on the GUI thread, then tries again. So the
GUI thread never waits on PyMuPDF or on the render process to check one.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from redactview.ui.render_service import RenderService


def key_of(path: str | Path) -> str:
    return str(Path(path).resolve())


class PasswordKeeper:
    """The session's passwords by file, and the dialog that asks for one."""

    def __init__(self, renderer: RenderService) -> None:
        self._renderer = renderer
        self._known: dict[str, str] = {}
        self.declined: set[str] = set()  # files whose question the user cancelled

    def get(self, path: str | Path) -> str | None:
        return self._known.get(key_of(path))

    def remember(self, path: str | Path, password: str) -> None:
        """Use ``password`` for ``path`` from now on (renders too); a wrong one is asked again."""
        key = key_of(path)
        self._known[key] = password
        self.declined.discard(key)
        self._renderer.set_password(key, password)

    def forget(self, path: str | Path) -> None:
        key = key_of(path)
        self._known.pop(key, None)
        self._renderer.set_password(key, None)

    def ask(self, path: str | Path, parent: QWidget | None) -> str | None:
        """Ask for the password (hidden as typed); None if the user cancels."""
        name = Path(path).name
        wrong = self.get(path) is not None  # we tried one and it failed
        prompt = (
            f"Wrong password for {name}. Try again:"
            if wrong
            else f"{name} is password-protected. Password:"
        )
        text, ok = QInputDialog.getText(
            parent, "Password needed", prompt, QLineEdit.EchoMode.Password
        )
        if not ok:
            self.declined.add(key_of(path))
            self.forget(path)
            return None
        self.remember(path, text)
        return text
