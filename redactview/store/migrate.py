"""Numbered migrations for the case file.

A new case is built by running every migration from 0001, so the schema a user
gets on a fresh case is exactly the one an upgraded case has. Each migration
runs in its own transaction; before an old case is upgraded a backup copy is
written beside it; a case from a newer redactview is refused, never "fixed".
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from redactview.errors import CaseFileError, CaseTooNewError

# "RVCF" — marks the SQLite file as a redactview case (PRAGMA application_id).
APPLICATION_ID = 0x52564346

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations() -> list[Migration]:
    folder = resources.files("redactview.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise RuntimeError(f"migration numbering gap at {migration.name}")
    return found


def latest_version() -> int:
    return len(load_migrations())


def read_versions(conn: sqlite3.Connection) -> tuple[int, int]:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    return int(app_id), int(version)


def check_compatible(conn: sqlite3.Connection, path: Path) -> int:
    """Return the case's schema version, or raise if it is not ours or too new."""
    app_id, version = read_versions(conn)
    if app_id == 0 and version == 0:
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if tables:
            raise CaseFileError(f"{path}: an SQLite file, but not a redactview case")
        return 0
    if app_id != APPLICATION_ID:
        raise CaseFileError(f"{path}: not a redactview case file")
    if version > latest_version():
        raise CaseTooNewError(
            f"{path}: made by a newer redactview (case version {version}, this app knows "
            f"up to {latest_version()}); update redactview to open it"
        )
    return version


def backup_before_migrating(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    backup = path.with_name(f"{path.name}.v{version}.bak")
    target = sqlite3.connect(backup)
    try:
        conn.backup(target)
    finally:
        target.close()
    return backup


def apply_migrations(conn: sqlite3.Connection, path: Path) -> list[int]:
    """Bring the case up to date; returns the versions applied.

    ``conn`` must be in autocommit mode (isolation_level=None) so that the
    explicit BEGIN/COMMIT below are the only transactions.
    """
    current = check_compatible(conn, path)
    pending = [m for m in load_migrations() if m.version > current]
    if not pending:
        return []
    if current > 0:
        backup_before_migrating(conn, path, current)
    applied = []
    for migration in pending:
        try:
            conn.execute("BEGIN IMMEDIATE")
            for statement in split_statements(migration.sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {migration.version}")
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise CaseFileError(
                f"{path}: upgrading the case failed at {migration.name}", details=str(exc)
            ) from exc
        applied.append(migration.version)
    return applied


def split_statements(script: str) -> list[str]:
    """Split a migration into statements (executescript would commit on its own)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
