"""Putting an XFDF file's squares onto a release of a case (Acrobat → redactview).

A square we exported comes back to its redaction by name (the redaction id);
another tool's square matches a redaction it covers closely, or is added as a
manual redaction. Its note is read with ``parse_note`` and saved as the
redaction's annotation; fields the note leaves empty keep their old values.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from redactview.core.model import (
    Annotation,
    Fill,
    Redaction,
    RedactionKind,
    ReviewStatus,
    make_redaction_id,
)
from redactview.export.notes import ParsedNote, parse_note
from redactview.export.xfdf import XfdfSquare, parse_xfdf
from redactview.pdf.annotate import page_spaces
from redactview.store.case import Case

# A foreign square is "the same redaction" when it overlaps one this much.
MATCH_IOU = 0.7


@dataclass(frozen=True, slots=True)
class ImportSummary:
    matched: int  # squares that landed on an existing redaction
    created: int  # squares added as manual redactions
    read: int  # squares read from the file


def import_xfdf(case: Case, release_id: int, path: str | Path) -> ImportSummary:
    release = case.release(release_id)
    spaces = page_spaces(case.locate_release(release))
    squares = parse_xfdf(path, spaces)
    existing = {r.id: r for r in case.redactions.list(release_id)}
    matched = created = 0
    for square in squares:
        note = parse_note(square.contents)
        target = find_target(square, existing)
        if target is None:
            target = new_manual(release.sha256, square, note)
            case.redactions.save(release_id, target)
            existing[target.id] = target
            created += 1
        else:
            matched += 1
            if note.exemptions and not target.exemptions:
                case.redactions.save(release_id, replace(target, exemptions=note.exemptions))
        case.annotations.save(merge_note(case.annotations.get(target.id), note))
    return ImportSummary(matched, created, len(squares))


def find_target(square: XfdfSquare, existing: dict[str, Redaction]) -> Redaction | None:
    if square.name in existing and existing[square.name].page == square.page:
        return existing[square.name]
    best, best_iou = None, MATCH_IOU
    for red in existing.values():
        if red.page == square.page and (iou := red.box.iou(square.box)) >= best_iou:
            best, best_iou = red, iou
    return best


def new_manual(sha256: str, square: XfdfSquare, note: ParsedNote) -> Redaction:
    return Redaction(
        id=make_redaction_id(sha256, square.page, square.box),
        page=square.page,
        box=square.box.rounded(2),
        kind=RedactionKind.MANUAL,
        fill=Fill.OTHER,
        exemptions=note.exemptions,
        label=square.subject if square.subject and square.subject != "Redaction" else "",
    )


def merge_note(old: Annotation, note: ParsedNote) -> Annotation:
    """Imported values win where present; an empty field never erases the user's work."""
    return Annotation(
        redaction_id=old.redaction_id,
        status=note.status if note.status is not ReviewStatus.UNREVIEWED else old.status,
        note=note.note or old.note,
        guess=note.guess or old.guess,
        tags=tuple(dict.fromkeys((*old.tags, *note.tags))),
        justification=note.justification or old.justification,
    )
