"""Cross-release links in a case: computed ones are replaced on re-link, user ones kept.

A link the user confirmed, broke or drew (``user_set``) pins the redactions it
names: a later re-link does not store a computed link touching them, so a
decision made by hand is never overwritten by the algorithm.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from redactview.core.geometry import Box
from redactview.core.model import LinkRef, LinkStatus, RedactionLink
from redactview.store.db import transaction

_COLUMNS = (
    "status, a_page, a_x0, a_y0, a_x1, a_y1, a_redaction_id, "
    "b_page, b_x0, b_y0, b_x1, b_y1, b_redaction_id, revealed_text, "
    "exemptions_a, exemptions_b, confidence, user_set"
)
_INSERT = (
    f"INSERT INTO links (a_release_id, b_release_id, {_COLUMNS}) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# Identifies one stored link ("IS" so that NULL sides compare equal).
_SAME = (
    "a_release_id = ? AND b_release_id = ? AND status = ? AND a_page IS ? AND "
    "a_redaction_id IS ? AND b_page IS ? AND b_redaction_id IS ? AND "
    "coalesce(round(a_x0), -1) = coalesce(round(?), -1) AND "
    "coalesce(round(b_x0), -1) = coalesce(round(?), -1)"
)


def _ref_params(ref: LinkRef | None) -> tuple[Any, ...]:
    if ref is None:
        return (None,) * 6
    return (ref.page, *ref.box.as_tuple(), ref.redaction_id)


def _params(a_id: int, b_id: int, link: RedactionLink) -> tuple[Any, ...]:
    return (
        a_id,
        b_id,
        link.status.value,
        *_ref_params(link.a),
        *_ref_params(link.b),
        link.revealed_text,
        json.dumps(list(link.exemptions_a)),
        json.dumps(list(link.exemptions_b)),
        link.confidence,
        int(link.user_set),
    )


def _same_params(a_id: int, b_id: int, link: RedactionLink) -> tuple[Any, ...]:
    a, b = link.a, link.b
    return (
        a_id,
        b_id,
        link.status.value,
        a.page if a else None,
        a.redaction_id if a else None,
        b.page if b else None,
        b.redaction_id if b else None,
        a.box.x0 if a else None,
        b.box.x0 if b else None,
    )


def _ref(row: tuple[Any, ...]) -> LinkRef | None:
    page, x0, y0, x1, y1, rid = row
    return None if page is None else LinkRef(page, Box(x0, y0, x1, y1), rid)


def _to_link(row: tuple[Any, ...]) -> RedactionLink:
    status, *rest = row
    return RedactionLink(
        status=LinkStatus(status),
        a=_ref(tuple(rest[0:6])),
        b=_ref(tuple(rest[6:12])),
        revealed_text=rest[12],
        exemptions_a=tuple(json.loads(rest[13])),
        exemptions_b=tuple(json.loads(rest[14])),
        confidence=rest[15],
        user_set=bool(rest[16]),
    )


class LinkRepo:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def between(self, a_release_id: int, b_release_id: int) -> list[RedactionLink]:
        rows = self._conn.execute(
            f"SELECT {_COLUMNS} FROM links WHERE a_release_id = ? AND b_release_id = ? "
            "ORDER BY a_page IS NULL, coalesce(a_page, b_page), coalesce(a_y0, b_y0), id",
            (a_release_id, b_release_id),
        )
        return [_to_link(r) for r in rows]

    def replace_computed(
        self, a_release_id: int, b_release_id: int, links: Iterable[RedactionLink]
    ) -> list[RedactionLink]:
        """Store a linker run; links touching a redaction the user decided on are skipped."""
        with transaction(self._conn) as conn:
            conn.execute(
                "DELETE FROM links WHERE a_release_id = ? AND b_release_id = ? AND user_set = 0",
                (a_release_id, b_release_id),
            )
            pinned_a, pinned_b = self._pinned(a_release_id, b_release_id)
            kept = [
                link
                for link in links
                if not (link.a and link.a.redaction_id in pinned_a)
                and not (link.b and link.b.redaction_id in pinned_b)
            ]
            conn.executemany(_INSERT, [_params(a_release_id, b_release_id, k) for k in kept])
        return self.between(a_release_id, b_release_id)

    def add(self, a_release_id: int, b_release_id: int, link: RedactionLink) -> RedactionLink:
        """A link drawn by hand: stored as ``user_set``; computed links on its boxes go."""
        link = _as_user(link)
        with transaction(self._conn) as conn:
            self._delete_touching(conn, a_release_id, b_release_id, link)
            conn.execute(_INSERT, _params(a_release_id, b_release_id, link))
        return link

    def confirm(self, a_release_id: int, b_release_id: int, link: RedactionLink) -> bool:
        """Mark a stored link as the user's; False if no such link is stored."""
        with transaction(self._conn) as conn:
            cur = conn.execute(
                f"UPDATE links SET user_set = 1 WHERE {_SAME}",
                _same_params(a_release_id, b_release_id, link),
            )
        return cur.rowcount > 0

    def break_link(
        self, a_release_id: int, b_release_id: int, link: RedactionLink
    ) -> list[RedactionLink]:
        """The two sides are not counterparts: each side becomes a user-set "unmatched"."""
        sides = []
        if link.a is not None:
            sides.append(RedactionLink(LinkStatus.UNMATCHED, link.a, None, None,
                                       link.exemptions_a, (), 1.0, True))  # fmt: skip
        if link.b is not None and link.b.redaction_id is not None:
            sides.append(RedactionLink(LinkStatus.UNMATCHED, None, link.b, None,
                                       (), link.exemptions_b, 1.0, True))  # fmt: skip
        with transaction(self._conn) as conn:
            conn.execute(
                f"DELETE FROM links WHERE {_SAME}", _same_params(a_release_id, b_release_id, link)
            )
            for side in sides:
                self._delete_touching(conn, a_release_id, b_release_id, side)
                conn.execute(_INSERT, _params(a_release_id, b_release_id, side))
        return sides

    def restore_pair(
        self, a_release_id: int, b_release_id: int, links: Iterable[RedactionLink]
    ) -> None:
        """Make the pair's stored links exactly ``links`` (undo/redo of a link decision).

        The whole pair is rewritten in one transaction: a decision can add rows
        (a hand-made link, the two sides of a broken one), delete rows and flip
        ``user_set``, and putting back a snapshot undoes all of that at once.
        """
        with transaction(self._conn) as conn:
            conn.execute(
                "DELETE FROM links WHERE a_release_id = ? AND b_release_id = ?",
                (a_release_id, b_release_id),
            )
            conn.executemany(_INSERT, [_params(a_release_id, b_release_id, link) for link in links])

    def _pinned(self, a_release_id: int, b_release_id: int) -> tuple[set[str], set[str]]:
        rows = self._conn.execute(
            "SELECT a_redaction_id, b_redaction_id FROM links WHERE a_release_id = ? AND "
            "b_release_id = ? AND user_set = 1",
            (a_release_id, b_release_id),
        ).fetchall()
        return {a for a, _ in rows if a}, {b for _, b in rows if b}

    @staticmethod
    def _delete_touching(
        conn: sqlite3.Connection, a_release_id: int, b_release_id: int, link: RedactionLink
    ) -> None:
        for column, ref in (("a_redaction_id", link.a), ("b_redaction_id", link.b)):
            if ref is not None and ref.redaction_id is not None:
                conn.execute(
                    f"DELETE FROM links WHERE a_release_id = ? AND b_release_id = ? AND "
                    f"{column} = ?",
                    (a_release_id, b_release_id, ref.redaction_id),
                )


def _as_user(link: RedactionLink) -> RedactionLink:
    return RedactionLink(
        link.status, link.a, link.b, link.revealed_text, link.exemptions_a,
        link.exemptions_b, 1.0, True,
    )  # fmt: skip
