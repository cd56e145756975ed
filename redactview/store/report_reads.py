"""Read-only access to cross-release links, for exports.

A stop-gap owned by the export issue: LinkRepo is being written by someone
else. When it lands, exports switch to it and this module goes. Nothing here
writes. (Findings already moved to ``Case.findings``.)
"""

from __future__ import annotations

import json

from redactview.core.geometry import Box
from redactview.core.model import LinkRef, LinkStatus, RedactionLink
from redactview.store.case import Case


def _ref(page: int | None, coords: tuple[float, ...], rid: str | None) -> LinkRef | None:
    if page is None or any(c is None for c in coords):
        return None
    return LinkRef(page, Box(*coords), rid)


def read_links(case: Case) -> list[tuple[int, int, RedactionLink]]:
    """Every link as (a_release_id, b_release_id, link)."""
    rows = case.connection.execute(
        "SELECT a_release_id, b_release_id, status, a_page, a_x0, a_y0, a_x1, a_y1, "
        "a_redaction_id, b_page, b_x0, b_y0, b_x1, b_y1, b_redaction_id, revealed_text, "
        "exemptions_a, exemptions_b, confidence, user_set FROM links ORDER BY id"
    )
    found = []
    for row in rows:
        a_rel, b_rel, status = row[0], row[1], row[2]
        link = RedactionLink(
            status=LinkStatus(status),
            a=_ref(row[3], tuple(row[4:8]), row[8]),
            b=_ref(row[9], tuple(row[10:14]), row[14]),
            revealed_text=row[15],
            exemptions_a=tuple(json.loads(row[16])),
            exemptions_b=tuple(json.loads(row[17])),
            confidence=row[18],
            user_set=bool(row[19]),
        )
        found.append((a_rel, b_rel, link))
    return found
