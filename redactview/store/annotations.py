"""Annotations and tags. Saved on every edit; never deleted by anything automatic."""

from __future__ import annotations

import sqlite3

from redactview.core.model import Annotation
from redactview.store.db import transaction
from redactview.store.rows import to_annotation

_COLUMNS = "redaction_id, status, note, guess, justification, updated_at"


class AnnotationRepo:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def get(self, redaction_id: str) -> Annotation:
        """The annotation for a redaction (an empty one if none was written yet)."""
        row = self._conn.execute(
            f"SELECT {_COLUMNS} FROM annotations WHERE redaction_id = ?", (redaction_id,)
        ).fetchone()
        if row is None:
            return Annotation(redaction_id, tags=self._tags(redaction_id))
        return to_annotation(row, self._tags(redaction_id))

    def all(self) -> dict[str, Annotation]:
        rows = self._conn.execute(f"SELECT {_COLUMNS} FROM annotations").fetchall()
        tags = self._all_tags()
        found = {r[0]: to_annotation(r, tags.get(r[0], ())) for r in rows}
        for rid, names in tags.items():
            found.setdefault(rid, Annotation(rid, tags=names))
        return found

    def save(self, annotation: Annotation) -> Annotation:
        with transaction(self._conn) as conn:
            conn.execute(
                "INSERT INTO annotations (redaction_id, status, note, guess, justification, "
                "updated_at) VALUES (?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) "
                "ON CONFLICT(redaction_id) DO UPDATE SET status = excluded.status, "
                "note = excluded.note, guess = excluded.guess, "
                "justification = excluded.justification, updated_at = excluded.updated_at",
                (
                    annotation.redaction_id,
                    annotation.status.value,
                    annotation.note,
                    annotation.guess,
                    annotation.justification,
                ),
            )
            conn.execute(
                "DELETE FROM redaction_tags WHERE redaction_id = ?", (annotation.redaction_id,)
            )
            for name in dict.fromkeys(t.strip() for t in annotation.tags if t.strip()):
                conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", (name,))
                conn.execute(
                    "INSERT OR IGNORE INTO redaction_tags (redaction_id, tag_id) "
                    "SELECT ?, id FROM tags WHERE name = ?",
                    (annotation.redaction_id, name),
                )
        return self.get(annotation.redaction_id)

    def tag_names(self) -> list[str]:
        return [r[0] for r in self._conn.execute("SELECT name FROM tags ORDER BY name")]

    def _tags(self, redaction_id: str) -> tuple[str, ...]:
        rows = self._conn.execute(
            "SELECT t.name FROM redaction_tags rt JOIN tags t ON t.id = rt.tag_id "
            "WHERE rt.redaction_id = ? ORDER BY t.name",
            (redaction_id,),
        )
        return tuple(r[0] for r in rows)

    def _all_tags(self) -> dict[str, tuple[str, ...]]:
        found: dict[str, list[str]] = {}
        rows = self._conn.execute(
            "SELECT rt.redaction_id, t.name FROM redaction_tags rt JOIN tags t "
            "ON t.id = rt.tag_id ORDER BY t.name"
        )
        for rid, name in rows:
            found.setdefault(rid, []).append(name)
        return {k: tuple(v) for k, v in found.items()}
