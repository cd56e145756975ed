"""Passwords of encrypted PDFs: asked once per file and session, kept in memory only.

A password is never written to the case, the preferences or the recent-files
list. The check itself runs in the render process (the owner of PyMuPDF in the
app); asking happens here, on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from redactview.errors import EncryptedPdfError
from redactview.ui.render_proc import PasswordState
from redactview.ui.render_service import RenderService

_MAX_TRIES = 5


def key_of(path: str | Path) -> str:
    return str(Path(path).resolve())


class PasswordKeeper:
    """The session's passwords by file, and the dialog that asks for one."""

    def __init__(self, renderer: RenderService) -> None:
        self._renderer = renderer
        self._known: dict[str, str] = {}
        self._opens: set[str] = set()  # checked this session: opens (with its password)

    def get(self, path: str | Path) -> str | None:
        return self._known.get(key_of(path))

    def ensure(self, path: str | Path, parent: QWidget | None) -> bool:
        """Make sure ``path`` can be opened: ask for its password if it needs one.

        False if the user gave up; a wrong password asks again (a few times).
        """
        key = key_of(path)
        if key in self._opens:
            return True
        state = self._renderer.check_password(key, self._known.get(key))
        prompt = f"{Path(path).name} is password-protected. Password:"
        for _ in range(_MAX_TRIES):
            if state is PasswordState.NOT_NEEDED:
                self._renderer.set_password(key, self._known.get(key))
                self._opens.add(key)
                return True
            text, ok = QInputDialog.getText(
                parent, "Password needed", prompt, QLineEdit.EchoMode.Password
            )
            if not ok:
                return False
            state = self._renderer.check_password(key, text)
            if state is PasswordState.NOT_NEEDED:
                self._known[key] = text
            prompt = f"Wrong password for {Path(path).name}. Try again:"
        raise EncryptedPdfError(f"{Path(path).name}: wrong password ({_MAX_TRIES} tries)")
