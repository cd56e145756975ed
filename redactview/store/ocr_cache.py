"""The OCR cache: words of a page, keyed by everything that determines them.

Key: (sha256, page, engine version, languages, dpi). Reopening a case, adding
the same file again or rescanning it finds the words here instead of running
Tesseract twice.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from redactview.core.geometry import Box
from redactview.core.model import Word
from redactview.store.db import transaction


@dataclass(frozen=True, slots=True)
class OcrKey:
    """What an OCR result depends on, apart from the page number."""

    sha256: str
    engine_version: str
    languages: str
    dpi: int


@dataclass(frozen=True, slots=True)
class CachedPage:
    page: int
    words: tuple[Word, ...]
    rotation: int
    seconds: float


def encode_words(words: Iterable[Word]) -> str:
    return json.dumps(
        [
            [*(round(v, 2) for v in w.box.as_tuple()), w.text, round(w.conf, 1), w.block, w.line]
            for w in words
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode_words(page: int, blob: str) -> tuple[Word, ...]:
    return tuple(
        Word(page, Box(x0, y0, x1, y1), text, conf, block, line, "ocr")
        for x0, y0, x1, y1, text, conf, block, line in json.loads(blob)
    )


class OcrCacheRepo:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def get(self, key: OcrKey, page: int) -> CachedPage | None:
        found = self.get_many(key, [page])
        return found.get(page)

    def get_many(self, key: OcrKey, pages: Sequence[int]) -> dict[int, CachedPage]:
        """Cached pages among ``pages`` (missing ones are simply absent)."""
        wanted = set(pages)
        rows = self._conn.execute(
            "SELECT page, words, rotation, seconds FROM ocr_pages WHERE sha256 = ? "
            "AND engine_version = ? AND languages = ? AND dpi = ?",
            (key.sha256, key.engine_version, key.languages, key.dpi),
        )
        return {
            page: CachedPage(page, decode_words(page, blob), rotation, seconds)
            for page, blob, rotation, seconds in rows
            if page in wanted
        }

    def put(self, key: OcrKey, page: CachedPage) -> None:
        """Store one page's result (replacing an older one with the same key)."""
        with transaction(self._conn) as conn:
            conn.execute(
                "INSERT OR REPLACE INTO ocr_pages (sha256, page, engine_version, languages, "
                "dpi, rotation, words, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    key.sha256,
                    page.page,
                    key.engine_version,
                    key.languages,
                    key.dpi,
                    page.rotation,
                    encode_words(page.words),
                    page.seconds,
                ),
            )

    def count(self, sha256: str) -> int:
        row = self._conn.execute(
            "SELECT count(*) FROM ocr_pages WHERE sha256 = ?", (sha256,)
        ).fetchone()
        return int(row[0])

    def forget(self, sha256: str, pages: Iterable[int] | None = None) -> None:
        """Drop cached results of a file (or some of its pages), e.g. for --force."""
        with transaction(self._conn) as conn:
            if pages is None:
                conn.execute("DELETE FROM ocr_pages WHERE sha256 = ?", (sha256,))
            else:
                conn.executemany(
                    "DELETE FROM ocr_pages WHERE sha256 = ? AND page = ?",
                    [(sha256, p) for p in pages],
                )
