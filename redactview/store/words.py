"""Words of a release's pages, from the text layer or OCR."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from redactview.core.geometry import Box
from redactview.core.model import Word
from redactview.store.db import transaction


class WordRepo:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def replace_page(self, release_id: int, page: int, words: Iterable[Word]) -> None:
        with transaction(self._conn) as conn:
            conn.execute("DELETE FROM words WHERE release_id = ? AND page = ?", (release_id, page))
            conn.executemany(
                "INSERT INTO words (release_id, page, x0, y0, x1, y1, text, conf, block, line, "
                "source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        release_id,
                        page,
                        w.box.x0,
                        w.box.y0,
                        w.box.x1,
                        w.box.y1,
                        w.text,
                        w.conf,
                        w.block,
                        w.line,
                        w.source,
                    )
                    for w in words
                ],
            )

    def page(self, release_id: int, page: int) -> list[Word]:
        rows = self._conn.execute(
            "SELECT page, x0, y0, x1, y1, text, conf, block, line, source FROM words "
            "WHERE release_id = ? AND page = ? ORDER BY id",
            (release_id, page),
        )
        return [
            Word(p, Box(x0, y0, x1, y1), t, c, b, ln, s)
            for p, x0, y0, x1, y1, t, c, b, ln, s in rows
        ]
