"""Keeping a case safe: one writer at a time, and a last good copy to fall back on.

The lock is an OS advisory lock on ``NAME.rvcase.lock`` held for as long as
the case is open for writing. The OS drops it when the process dies, even on
SIGKILL, so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

from redactview.errors import CaseFileError, CaseLockedError


def _lock_fd(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock_fd(fd: int) -> None:
    if sys.platform != "win32":
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


def lock_path(case_path: Path) -> Path:
    return case_path.with_name(case_path.name + ".lock")


def backup_path(case_path: Path) -> Path:
    return case_path.with_name(case_path.name + ".bak")


class CaseLock:
    """An exclusive, non-blocking lock on a case file."""

    def __init__(self, case_path: Path) -> None:
        self.path = lock_path(case_path)
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock_fd(fd)
        except OSError as exc:
            os.close(fd)
            raise CaseLockedError(
                f"{self.path.name[:-5]} is open in another redactview window or process; "
                "open it read-only or close the other one"
            ) from exc
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            _unlock_fd(self._fd)
        finally:
            os.close(self._fd)
            self._fd = None
        # The lock file itself is harmless and left in place: removing it could
        # race with another process that is acquiring it right now.


def is_intact(conn: sqlite3.Connection) -> bool:
    try:
        return bool(conn.execute("PRAGMA quick_check").fetchone()[0] == "ok")
    except sqlite3.DatabaseError:
        return False


def save_last_good_copy(conn: sqlite3.Connection, case_path: Path) -> None:
    """Refresh ``NAME.rvcase.bak`` from a case that has just passed its integrity check."""
    target_path = backup_path(case_path)
    tmp = target_path.with_name(target_path.name + ".tmp")
    target = sqlite3.connect(tmp)
    try:
        conn.backup(target)
    finally:
        target.close()
    os.replace(tmp, target_path)


def damaged_case_error(case_path: Path, reason: str) -> CaseFileError:
    backup = backup_path(case_path)
    if backup.exists():
        return CaseFileError(
            f"{case_path}: the case file is damaged; the last good copy is {backup} "
            "(open that instead)",
            details=reason,
        )
    return CaseFileError(f"{case_path}: the case file is damaged ({reason})", details=reason)
