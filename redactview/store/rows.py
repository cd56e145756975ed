"""Converting rows to core dataclasses and back. The store never hands out rows."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from redactview.core.geometry import Box
from redactview.core.model import (
    Annotation,
    Fill,
    Redaction,
    RedactionKind,
    Release,
    ReviewStatus,
)

REDACTION_COLUMNS = (
    "id, page, x0, y0, x1, y1, kind, fill, exemptions, label, confidence, "
    "context_before, context_after, est_lo, est_hi, text_under, grp, label_position"
)
RELEASE_COLUMNS = (
    "id, path, sha256, page_count, label, agency, request_number, release_date, bates_prefix"
)


def to_release(row: sqlite3.Row | tuple[Any, ...]) -> Release:
    return Release(*row)


def to_redaction(row: sqlite3.Row | tuple[Any, ...]) -> Redaction:
    (
        rid,
        page,
        x0,
        y0,
        x1,
        y1,
        kind,
        fill,
        codes,
        label,
        conf,
        before,
        after,
        lo,
        hi,
        under,
        grp,
        position,
    ) = row
    return Redaction(
        id=rid,
        page=page,
        box=Box(x0, y0, x1, y1),
        kind=RedactionKind(kind),
        fill=Fill(fill),
        exemptions=tuple(json.loads(codes)),
        label=label,
        confidence=conf,
        context_before=before,
        context_after=after,
        est_chars=None if lo is None else (lo, hi),
        text_under=under,
        group=grp,
        label_position=position,
    )


def redaction_params(release_id: int, r: Redaction) -> tuple[Any, ...]:
    lo, hi = r.est_chars if r.est_chars else (None, None)
    return (
        r.id,
        release_id,
        r.page,
        r.box.x0,
        r.box.y0,
        r.box.x1,
        r.box.y1,
        r.kind.value,
        r.fill.value,
        json.dumps(list(r.exemptions)),
        r.label,
        r.confidence,
        r.context_before,
        r.context_after,
        lo,
        hi,
        r.text_under,
        r.group,
        r.label_position,
    )


def to_annotation(row: tuple[Any, ...], tags: tuple[str, ...]) -> Annotation:
    rid, status, note, guess, justification, updated = row
    return Annotation(rid, ReviewStatus(status), note, guess, tags, justification, updated)
