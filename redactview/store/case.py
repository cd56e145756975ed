"""A case: one SQLite file (``*.rvcase``) holding releases and everything said of them.

``Case`` is the store's public face. It returns core dataclasses and takes
them; no caller sees SQL or rows. Every write is one transaction.
"""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from redactview import __version__
from redactview.core.hashing import sha256_file
from redactview.core.model import DocumentInfo, PageInfo, Release, TextStatus
from redactview.errors import CaseFileError, InputMissingError, ReleaseNotFoundError
from redactview.store.annotations import AnnotationRepo
from redactview.store.db import connect, transaction
from redactview.store.findings import FindingRepo
from redactview.store.links import LinkRepo
from redactview.store.migrate import apply_migrations, check_compatible, latest_version
from redactview.store.ocr_cache import OcrCacheRepo
from redactview.store.redactions import RedactionRepo
from redactview.store.rows import RELEASE_COLUMNS, to_release
from redactview.store.safety import (
    CaseLock,
    damaged_case_error,
    is_intact,
    save_last_good_copy,
)
from redactview.store.search import SearchRepo
from redactview.store.words import WordRepo

CASE_SUFFIX = ".rvcase"
_EDITABLE = ("label", "agency", "request_number", "release_date", "bates_prefix")


class Case:
    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        readonly: bool,
        lock: CaseLock | None = None,
    ) -> None:
        self.path = path
        self.readonly = readonly
        self._conn = conn
        self._lock = lock
        self.redactions = RedactionRepo(conn)
        self.annotations = AnnotationRepo(conn)
        self.words = WordRepo(conn)
        self.ocr_cache = OcrCacheRepo(conn)
        self.search = SearchRepo(conn)
        self.findings = FindingRepo(conn)
        self.links = LinkRepo(conn)

    # -- lifecycle -----------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, create: bool = False, readonly: bool = False) -> Case:
        """Open (or with ``create=True`` make) a case, migrating it if it is older.

        A writable case is locked against a second writer (``CaseLockedError``);
        read-only opens take no lock. A damaged case is refused with a pointer to
        its last good copy, which is refreshed here after every clean open.
        """
        path = Path(path)
        if not path.exists() and not create:
            raise InputMissingError(f"{path}: no such case file")
        if path.exists() and path.is_dir():
            raise CaseFileError(f"{path}: is a folder, not a case file")
        lock = None if readonly else CaseLock(path)
        if lock is not None:
            lock.acquire()
        try:
            conn = connect(path, readonly=readonly)
        except CaseFileError as exc:
            if lock is not None:
                lock.release()
            raise damaged_case_error(path, str(exc)) from exc
        try:
            cls._prepare(conn, path, readonly)
        except sqlite3.DatabaseError as exc:
            conn.close()
            if lock is not None:
                lock.release()
            raise damaged_case_error(path, str(exc)) from exc
        except BaseException:
            conn.close()
            if lock is not None:
                lock.release()
            raise
        return cls(path, conn, readonly, lock)

    @staticmethod
    def _prepare(conn: sqlite3.Connection, path: Path, readonly: bool) -> None:
        if not is_intact(conn):
            raise sqlite3.DatabaseError("integrity check failed")
        if readonly:
            if check_compatible(conn, path) != latest_version():
                raise CaseFileError(f"{path}: too old to open read-only; open it normally")
            return
        apply_migrations(conn, path)
        with transaction(conn):
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('app_version', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (__version__,),
            )
        save_last_good_copy(conn, path)

    def close(self) -> None:
        self._conn.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Case:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def connection(self) -> sqlite3.Connection:
        """For store-internal repositories only; other packages must not use it."""
        return self._conn

    # -- releases -------------------------------------------------------------------
    def add_release(self, info: DocumentInfo, label: str = "") -> Release:
        """Add a release (or return the existing one with the same sha256)."""
        existing = self.release_by_sha256(info.sha256)
        if existing:
            return existing
        with transaction(self._conn) as conn:
            cur = conn.execute(
                "INSERT INTO releases (path, sha256, page_count, label) VALUES (?, ?, ?, ?)",
                (
                    str(Path(info.path).resolve()),
                    info.sha256,
                    info.page_count,
                    label or Path(info.path).stem,
                ),
            )
            release_id = int(cur.lastrowid or 0)
            conn.executemany(
                "INSERT INTO pages (release_id, page, width, height, rotation, text_status, "
                "char_count, image_coverage) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        release_id,
                        p.number,
                        p.width,
                        p.height,
                        p.rotation,
                        p.text_status.value,
                        p.char_count,
                        p.image_coverage,
                    )
                    for p in info.pages
                ],
            )
        return self.release(release_id)

    def release(self, release_id: int) -> Release:
        row = self._conn.execute(
            f"SELECT {RELEASE_COLUMNS} FROM releases WHERE id = ?", (release_id,)
        ).fetchone()
        if row is None:
            raise CaseFileError(f"no release {release_id} in {self.path}")
        return to_release(row)

    def release_by_sha256(self, sha256: str) -> Release | None:
        row = self._conn.execute(
            f"SELECT {RELEASE_COLUMNS} FROM releases WHERE sha256 = ?", (sha256,)
        ).fetchone()
        return to_release(row) if row else None

    def releases(self) -> list[Release]:
        rows = self._conn.execute(f"SELECT {RELEASE_COLUMNS} FROM releases ORDER BY id")
        return [to_release(r) for r in rows]

    def pages(self, release_id: int) -> list[PageInfo]:
        rows = self._conn.execute(
            "SELECT page, width, height, rotation, text_status, char_count, image_coverage "
            "FROM pages WHERE release_id = ? ORDER BY page",
            (release_id,),
        )
        return [PageInfo(p, w, h, r, TextStatus(s), c, i) for p, w, h, r, s, c, i in rows]

    def update_release(self, release_id: int, **fields: str) -> Release:
        unknown = set(fields) - set(_EDITABLE)
        if unknown:
            raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
        if fields:
            assignments = ", ".join(f"{name} = ?" for name in fields)
            with transaction(self._conn) as conn:
                conn.execute(
                    f"UPDATE releases SET {assignments} WHERE id = ?",
                    (*fields.values(), release_id),
                )
        return self.release(release_id)

    def locate_release(self, release: Release) -> Path:
        """The release's PDF on disk, found again by sha256 if it has moved.

        Looks at the stored path, then for a file of the same name beside the
        case. Raises ``ReleaseNotFoundError`` so the caller can ask the user;
        nothing in the case is touched either way.
        """
        stored = Path(release.path)
        candidates = [stored, self.path.parent / stored.name]
        for candidate in candidates:
            if candidate.is_file() and sha256_file(candidate) == release.sha256:
                if candidate != stored and not self.readonly:
                    self._set_release_path(release.id, candidate)
                return candidate
        raise ReleaseNotFoundError(
            f"{stored.name}: the release's PDF is not at {stored} any more; locate it "
            "(it is recognised by its content, whatever its name)"
        )

    def relocate_release(self, release_id: int, new_path: str | Path) -> Release:
        """Point a release at a file the user located; refuses a different file."""
        release = self.release(release_id)
        new_path = Path(new_path)
        if not new_path.is_file():
            raise InputMissingError(f"{new_path}: no such file")
        if sha256_file(new_path) != release.sha256:
            raise ReleaseNotFoundError(
                f"{new_path.name} is not the same file as release '{release.label}' "
                "(its content differs)"
            )
        self._set_release_path(release_id, new_path)
        return self.release(release_id)

    def _set_release_path(self, release_id: int, path: Path) -> None:
        with transaction(self._conn) as conn:
            conn.execute(
                "UPDATE releases SET path = ? WHERE id = ?", (str(path.resolve()), release_id)
            )


@contextlib.contextmanager
def open_or_scratch_case(path: str | Path | None, purpose: str) -> Iterator[Case]:
    """The case the user named, or a throw-away one deleted afterwards.

    Commands that work without ``--case`` still run through a case (caches,
    words, links) so there is one code path; nothing of the scratch case stays.
    """
    if path:
        with Case.open(path, create=True) as case:
            yield case
        return
    with (
        tempfile.TemporaryDirectory(prefix=f"redactview-{purpose}-") as folder,
        Case.open(Path(folder) / f"{purpose}.rvcase", create=True) as case,
    ):
        yield case
