"""The case file: built by running every migration, versioned, newer files refused."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from redactview.errors import CaseFileError, CaseTooNewError
from redactview.store.case import Case
from redactview.store.migrate import APPLICATION_ID, latest_version, load_migrations


def table_names(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {r[0] for r in rows}


def test_new_case_runs_every_migration(tmp_path: Path) -> None:
    path = tmp_path / "new.rvcase"
    Case.open(path, create=True).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_version()
    assert {"releases", "pages", "words", "redactions", "annotations", "links"} <= table_names(path)


def test_migrations_are_numbered_without_gaps() -> None:
    versions = [m.version for m in load_migrations()]
    assert versions == list(range(1, len(versions) + 1))


def test_a_case_from_a_newer_version_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "future.rvcase"
    Case.open(path, create=True).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
    before = path.read_bytes()
    with pytest.raises(CaseTooNewError, match="newer redactview"):
        Case.open(path)
    assert path.read_bytes() == before


def test_an_old_case_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.rvcase"
    # Build a version-1 case by hand: only the first migration.
    first = load_migrations()[0]
    conn = sqlite3.connect(path)
    conn.executescript(first.sql)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO annotations (redaction_id, note) VALUES ('r1', 'keep me')")
    conn.commit()
    conn.close()
    with Case.open(path) as case:
        assert case.annotations.get("r1").note == "keep me"
    if latest_version() > 1:
        backup = tmp_path / "old.rvcase.v1.bak"
        assert backup.exists()
        with sqlite3.connect(backup) as conn:
            assert conn.execute("PRAGMA user_version").fetchone()[0] == 1


def test_other_sqlite_files_and_junk_are_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.rvcase"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE x (y)")
    with pytest.raises(CaseFileError, match="not a redactview case"):
        Case.open(other)
    junk = tmp_path / "junk.rvcase"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(CaseFileError):
        Case.open(junk)
    with pytest.raises(CaseFileError):
        Case.open(tmp_path)


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    with (
        Case.open(tmp_path / "fk.rvcase", create=True) as case,
        pytest.raises(sqlite3.IntegrityError),
    ):
        case.connection.execute(
            "INSERT INTO pages (release_id, page, width, height, text_status) "
            "VALUES (999, 1, 1, 1, 'text')"
        )


def build_case_at(path: Path, version: int) -> sqlite3.Connection:
    """A case as an older redactview left it: only migrations 1..``version`` applied."""
    conn = sqlite3.connect(path)
    for migration in load_migrations()[:version]:
        conn.executescript(migration.sql)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {version}")
    return conn


def test_a_version_2_case_gains_label_position_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "v2.rvcase"
    conn = build_case_at(path, 2)
    conn.execute(
        "INSERT INTO releases (id, path, sha256, page_count) VALUES (1, 'a.pdf', 'abc', 1)"
    )
    conn.execute(
        "INSERT INTO redactions (id, release_id, page, x0, y0, x1, y1, kind, fill, exemptions, "
        "label) VALUES ('r1', 1, 1, 10, 20, 110, 32, 'raster', 'black', '[\"(b)(6)\"]', "
        "'Exemptions: (b)(6)')"
    )
    conn.execute("INSERT INTO annotations (redaction_id, note) VALUES ('r1', 'keep me')")
    conn.commit()
    conn.close()
    with Case.open(path) as case:
        (red,) = case.redactions.list(1)
        assert red.id == "r1" and red.exemptions == ("(b)(6)",)
        assert red.label == "Exemptions: (b)(6)"
        assert red.label_position is None  # unknown until the release is scanned again
        assert case.annotations.get("r1").note == "keep me"
        case.redactions.save(1, dataclasses.replace(red, label_position="summary"))
    with Case.open(path) as case:
        stored = case.redactions.get("r1")
        assert stored is not None and stored.label_position == "summary"
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_version() >= 3
    assert (tmp_path / "v2.rvcase.v2.bak").exists()
