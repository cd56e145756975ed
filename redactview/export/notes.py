"""The text of one redaction's note, as a PDF popup or an XFDF comment holds it.

The note is plain labelled lines ("Exemptions: …", "Note: …") so a person
reads it in any viewer, and so ``parse_note`` can read our own notes back on
XFDF import. A comment written by someone else (no labels) becomes the note.
"""

from __future__ import annotations

from dataclasses import dataclass

from redactview.core.model import ReviewStatus
from redactview.export.rows import ReportRow

_FIELDS = ("Exemptions", "Note", "Guess", "Tags", "Justification", "Status", "Estimate")


@dataclass(frozen=True, slots=True)
class ParsedNote:
    exemptions: tuple[str, ...] = ()
    note: str = ""
    guess: str = ""
    tags: tuple[str, ...] = ()
    justification: str = ""
    status: ReviewStatus = ReviewStatus.UNREVIEWED


def compose_title(row: ReportRow) -> str:
    codes = "; ".join(row.codes) or "no exemption shown"
    return f"#{row.number} {codes}"


def compose_note(row: ReportRow) -> str:
    """Multi-line note: codes with meanings, the user's note, tags and estimate."""
    ann = row.annotation
    lines = []
    if row.meanings:
        meanings = [f"{code} {meaning}".strip() for code, meaning in row.meanings]
        lines.append("Exemptions: " + "; ".join(row.codes))
        lines += [f"  {m}" for m in meanings]
    else:
        lines.append(
            "Exemptions: none printed"
            + (f" (label: {row.redaction.label})" if row.redaction.label else "")
        )
    for name, value in (
        ("Note", ann.note),
        ("Guess", ann.guess),
        ("Tags", ", ".join(ann.tags)),
        ("Justification", ann.justification),
        ("Estimate", row.estimate_text()),
    ):
        if value:
            lines.append(f"{name}: {value}")
    lines.append(f"Status: {ann.status.value}")
    lines += [f"Leak: {text}" for text in row.findings]
    lines += [f"Shown in {text}" for text in row.reveals]
    return "\n".join(lines)


def parse_note(text: str) -> ParsedNote:
    """Read a note written by ``compose_note`` (or take foreign text as the note)."""
    values: dict[str, str] = {}
    current = ""
    for line in text.splitlines():
        name, sep, rest = line.partition(": ")
        if sep and name in _FIELDS:
            current = name
            values[name] = rest
        elif current == "Note":
            values["Note"] += "\n" + line  # a note may span lines
    if not values:
        return ParsedNote(note=text.strip())
    return ParsedNote(
        exemptions=split_list(values.get("Exemptions", ""), ";", skip=("none printed",)),
        note=values.get("Note", ""),
        guess=values.get("Guess", ""),
        tags=split_list(values.get("Tags", ""), ","),
        justification=values.get("Justification", ""),
        status=read_status(values.get("Status", "")),
    )


def split_list(text: str, sep: str, skip: tuple[str, ...] = ()) -> tuple[str, ...]:
    if any(text.startswith(s) for s in skip):
        return ()
    return tuple(part.strip() for part in text.split(sep) if part.strip())


def read_status(text: str) -> ReviewStatus:
    try:
        return ReviewStatus(text.strip())
    except ValueError:
        return ReviewStatus.UNREVIEWED
