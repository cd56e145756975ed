"""Leak findings of a release: replaced as a whole on each leak check, never edited."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from redactview.core.geometry import Box
from redactview.core.model import LeakFinding
from redactview.store.db import transaction

_COLUMNS = "page, x0, y0, x1, y1, mechanism, text, confidence, redaction_id, image_png"


def finding_params(release_id: int, f: LeakFinding) -> tuple[Any, ...]:
    x0, y0, x1, y1 = f.box.as_tuple() if f.box else (None, None, None, None)
    return (release_id, f.page, x0, y0, x1, y1, f.mechanism, f.text, f.confidence,
            f.redaction_id, f.image_png)  # fmt: skip


def to_finding(row: tuple[Any, ...]) -> LeakFinding:
    page, x0, y0, x1, y1, mechanism, text, conf, rid, png = row
    box = None if x0 is None else Box(x0, y0, x1, y1)
    return LeakFinding(page, box, mechanism, text, conf, rid, None if png is None else bytes(png))


class FindingRepo:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def replace(self, release_id: int, findings: Iterable[LeakFinding]) -> int:
        """Store a leak check's result for a release, dropping the previous one."""
        items = list(findings)
        with transaction(self._conn) as conn:
            conn.execute("DELETE FROM findings WHERE release_id = ?", (release_id,))
            conn.executemany(
                f"INSERT INTO findings (release_id, {_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [finding_params(release_id, f) for f in items],
            )
        return len(items)

    def for_redaction(self, redaction_id: str) -> list[LeakFinding]:
        rows = self._conn.execute(
            f"SELECT {_COLUMNS} FROM findings WHERE redaction_id = ? ORDER BY id", (redaction_id,)
        )
        return [to_finding(r) for r in rows]

    def count(self, release_id: int) -> int:
        row = self._conn.execute(
            "SELECT count(*) FROM findings WHERE release_id = ?", (release_id,)
        ).fetchone()
        return int(row[0])

    # Defined last: inside the class body, later annotations would read "list" as this method.
    def list(self, release_id: int, page: int | None = None) -> list[LeakFinding]:
        sql = f"SELECT {_COLUMNS} FROM findings WHERE release_id = ?"
        params: tuple[int, ...] = (release_id,)
        if page is not None:
            sql += " AND page = ?"
            params += (page,)
        rows = self._conn.execute(sql + " ORDER BY page, y0, x0, id", params)
        return [to_finding(r) for r in rows]
