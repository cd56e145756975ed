"""Full-text search over every page of a case (text layers and OCR), with positions.

Each page's words are indexed in SQLite FTS5 as one text, words joined by
single spaces, and their boxes kept in the same order. FTS5's ``highlight()``
marks the matching tokens; counting words up to each mark gives the word
index, and so the box on the page, of every hit.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from redactview.core.geometry import Box, union_all
from redactview.core.model import Word
from redactview.store.db import transaction

_OPEN, _CLOSE = "\x02", "\x03"
_CONTEXT_WORDS = 6


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One match: a run of consecutive matching words on one page."""

    release_id: int
    page: int  # 1-based
    box: Box  # union of the matched words, unrotated page points
    word_boxes: tuple[Box, ...]
    text: str  # the matched words as read
    snippet: str  # a few words either side
    source: str  # "text", "ocr" or "mixed": where the page's words came from


def to_fts_query(query: str) -> str:
    """Turn what a user typed into a safe FTS5 query.

    Words are ANDed; a part in double quotes is a phrase; a trailing ``*``
    keeps a prefix search. Everything else is quoted, so "(b)(6)" or "O'Neil"
    never becomes FTS5 syntax (or a syntax error).
    """
    parts = []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', query):
        if phrase.strip():
            parts.append('"' + phrase.strip().replace('"', '""') + '"')
        elif word:
            prefix = word.endswith("*") and len(word) > 1
            core = word.rstrip("*") if prefix else word
            parts.append('"' + core.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(parts)


class SearchRepo:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def index_page(self, release_id: int, page: int, source: str, words: Sequence[Word]) -> None:
        """(Re)index one page's words; an empty list removes the page from the index."""
        clean = [w for w in words if w.text.strip()]
        with transaction(self._conn) as conn:
            self._delete_page(conn, release_id, page)
            if not clean:
                return
            boxes = [[round(v, 2) for v in w.box.as_tuple()] for w in clean]
            cur = conn.execute(
                "INSERT INTO search_pages (release_id, page, source, words) VALUES (?, ?, ?, ?)",
                (release_id, page, source, json.dumps(boxes, separators=(",", ":"))),
            )
            text = " ".join("".join(w.text.split()) for w in clean)
            conn.execute(
                "INSERT INTO search_text (rowid, text) VALUES (?, ?)", (cur.lastrowid, text)
            )

    def indexed_pages(self, release_id: int) -> set[int]:
        rows = self._conn.execute(
            "SELECT page FROM search_pages WHERE release_id = ?", (release_id,)
        )
        return {r[0] for r in rows}

    def search(
        self, query: str, *, release_id: int | None = None, limit: int = 200
    ) -> list[SearchHit]:
        """Hits in page order of relevance (bm25), then in reading order on each page."""
        fts = to_fts_query(query)
        if not fts:
            return []
        sql = (
            "SELECT p.release_id, p.page, p.source, p.words, "
            f"highlight(search_text, 0, '{_OPEN}', '{_CLOSE}') "
            "FROM search_text JOIN search_pages p ON p.id = search_text.rowid "
            "WHERE search_text MATCH ?"
        )
        params: tuple[object, ...] = (fts,)
        if release_id is not None:
            sql += " AND p.release_id = ?"
            params += (release_id,)
        hits: list[SearchHit] = []
        for rid, page, source, blob, marked in self._conn.execute(sql + " ORDER BY rank", params):
            boxes = [Box(*b) for b in json.loads(blob)]
            hits.extend(collect_hits(rid, page, source, marked, boxes))
            if len(hits) >= limit:
                break
        return hits[:limit]

    @staticmethod
    def _delete_page(conn: sqlite3.Connection, release_id: int, page: int) -> None:
        row = conn.execute(
            "SELECT id FROM search_pages WHERE release_id = ? AND page = ?", (release_id, page)
        ).fetchone()
        if row is not None:
            conn.execute("DELETE FROM search_text WHERE rowid = ?", (row[0],))
            conn.execute("DELETE FROM search_pages WHERE id = ?", (row[0],))


def find_marked_runs(marked: str) -> list[tuple[int, int]]:
    """(first, last) word indexes of each run of highlighted words in ``marked``."""
    runs: list[tuple[int, int]] = []
    inside = False
    for index, token in enumerate(marked.split(" ")):
        hit = inside or _OPEN in token
        if _OPEN in token or _CLOSE in token:
            inside = token.rfind(_OPEN) > token.rfind(_CLOSE)
        if not hit:
            continue
        if runs and runs[-1][1] == index - 1:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs


def collect_hits(
    release_id: int, page: int, source: str, marked: str, boxes: list[Box]
) -> list[SearchHit]:
    words = marked.replace(_OPEN, "").replace(_CLOSE, "").split(" ")
    hits = []
    for first, last in find_marked_runs(marked):
        if last >= len(boxes):
            continue  # index and boxes out of step: never expected, never fatal
        matched = tuple(boxes[first : last + 1])
        before = words[max(0, first - _CONTEXT_WORDS) : first]
        after = words[last + 1 : last + 1 + _CONTEXT_WORDS]
        text = " ".join(words[first : last + 1])
        snippet = " ".join([*before, f"[{text}]", *after])
        hits.append(SearchHit(release_id, page, union_all(matched), matched, text, snippet, source))
    return hits
