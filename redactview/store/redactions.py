"""Redactions in a case: detected ones are replaced per release, manual ones kept."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from redactview.core.model import Redaction
from redactview.store.db import transaction
from redactview.store.rows import REDACTION_COLUMNS, redaction_params, to_redaction

_INSERT = (
    "INSERT INTO redactions (id, release_id, page, x0, y0, x1, y1, kind, fill, exemptions, "
    "label, confidence, context_before, context_after, est_lo, est_hi, text_under, grp, "
    "label_position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT(id) DO UPDATE SET page = excluded.page, x0 = excluded.x0, y0 = excluded.y0, "
    "x1 = excluded.x1, y1 = excluded.y1, kind = excluded.kind, fill = excluded.fill, "
    "exemptions = excluded.exemptions, label = excluded.label, "
    "confidence = excluded.confidence, context_before = excluded.context_before, "
    "context_after = excluded.context_after, est_lo = excluded.est_lo, "
    "est_hi = excluded.est_hi, text_under = excluded.text_under, grp = excluded.grp, "
    "label_position = excluded.label_position, deleted = 0"
)


class RedactionRepo:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def replace_detected(
        self,
        release_id: int,
        redactions: Iterable[Redaction],
        pages: Iterable[int] | None = None,
        *,
        mark_done: bool = False,
    ) -> int:
        """Store a detection run's result for some pages (default: all) of a release.

        Detected boxes that are no longer found on those pages go away; boxes
        the user drew (kind ``manual``) stay; annotations are never touched.
        With ``mark_done`` the pages are recorded as detected in the same
        transaction, so an interrupted scan resumes exactly after the last
        page whose boxes were saved.
        """
        items = list(redactions)
        pages = None if pages is None else list(pages)
        with transaction(self._conn) as conn:
            if mark_done:
                self._mark_detected(conn, release_id, pages)
            if pages is None:
                conn.execute(
                    "DELETE FROM redactions WHERE release_id = ? AND kind != 'manual'",
                    (release_id,),
                )
            else:
                conn.executemany(
                    "DELETE FROM redactions WHERE release_id = ? AND page = ? AND kind != 'manual'",
                    [(release_id, p) for p in pages],
                )
            conn.executemany(_INSERT, [redaction_params(release_id, r) for r in items])
        return len(items)

    def replace_detected_pages(
        self, release_id: int, pages: Sequence[tuple[int, Sequence[Redaction], bool]]
    ) -> int:
        """Several pages' detection results, each ``(page, redactions, done)``, in one transaction.

        A batch scan stores a worker's run of pages at once: one commit (and
        its fsyncs) instead of one per page. Each page's boxes and its
        "detected" mark still land together, so a resumed scan restarts
        exactly after the last stored run. ``done`` False (a page skipped
        with a warning) stores its boxes but leaves the page to be retried.
        """
        with transaction(self._conn) as conn:
            for page, _, done in pages:
                if done:
                    self._mark_detected(conn, release_id, [page])
            conn.executemany(
                "DELETE FROM redactions WHERE release_id = ? AND page = ? AND kind != 'manual'",
                [(release_id, page) for page, _, _ in pages],
            )
            params = [redaction_params(release_id, r) for _, items, _ in pages for r in items]
            conn.executemany(_INSERT, params)
        return len(params)

    def detected_pages(self, release_id: int) -> set[int]:
        """Pages whose detection finished (and were saved) in an earlier run."""
        rows = self._conn.execute(
            "SELECT page FROM pages WHERE release_id = ? AND detected_at IS NOT NULL",
            (release_id,),
        )
        return {r[0] for r in rows}

    @staticmethod
    def _mark_detected(conn: sqlite3.Connection, release_id: int, pages: list[int] | None) -> None:
        stamp = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
        if pages is None:
            conn.execute(
                f"UPDATE pages SET detected_at = {stamp} WHERE release_id = ?", (release_id,)
            )
        else:
            conn.executemany(
                f"UPDATE pages SET detected_at = {stamp} WHERE release_id = ? AND page = ?",
                [(release_id, p) for p in pages],
            )

    def save(self, release_id: int, redaction: Redaction) -> Redaction:
        """Insert or update one redaction (a manual box, an edit)."""
        with transaction(self._conn) as conn:
            conn.execute(_INSERT, redaction_params(release_id, redaction))
        return redaction

    def delete(self, redaction_id: str) -> None:
        """Hide a redaction; its row and annotation stay so undo can bring it back."""
        with transaction(self._conn) as conn:
            conn.execute("UPDATE redactions SET deleted = 1 WHERE id = ?", (redaction_id,))

    def restore(self, redaction_id: str) -> None:
        with transaction(self._conn) as conn:
            conn.execute("UPDATE redactions SET deleted = 0 WHERE id = ?", (redaction_id,))

    def get(self, redaction_id: str) -> Redaction | None:
        row = self._conn.execute(
            f"SELECT {REDACTION_COLUMNS} FROM redactions WHERE id = ?", (redaction_id,)
        ).fetchone()
        return to_redaction(row) if row else None

    def release_of(self, redaction_id: str) -> int | None:
        row = self._conn.execute(
            "SELECT release_id FROM redactions WHERE id = ?", (redaction_id,)
        ).fetchone()
        return int(row[0]) if row else None

    def list(self, release_id: int, page: int | None = None) -> list[Redaction]:
        sql = f"SELECT {REDACTION_COLUMNS} FROM redactions WHERE release_id = ? AND deleted = 0"
        params: tuple[int, ...] = (release_id,)
        if page is not None:
            sql += " AND page = ?"
            params += (page,)
        rows = self._conn.execute(sql + " ORDER BY page, y0, x0", params)
        return [to_redaction(r) for r in rows]
