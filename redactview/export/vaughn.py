"""A Vaughn-index-style table: one entry per withheld item, for an appeal or a court.

Columns follow the index courts ask agencies for: document, Bates number and
page, exemptions claimed, a description of what is withheld (from the user's
notes), a justification or challenge (the user's own column) and a status.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from redactview.export.rows import ReportData, ReportRow

HEADERS = (
    "item",
    "document",
    "bates",
    "page",
    "exemptions",
    "description_of_withheld",
    "justification_or_challenge",
    "status",
)


@dataclass(frozen=True, slots=True)
class VaughnEntry:
    item: int
    document: str
    bates: str
    page: int
    exemptions: str
    description: str
    justification: str
    status: str

    def as_tuple(self) -> tuple[str, ...]:
        return (
            str(self.item),
            self.document,
            self.bates,
            str(self.page),
            self.exemptions,
            self.description,
            self.justification,
            self.status,
        )


def describe_withheld(row: ReportRow) -> str:
    """The user's note; lacking one, what the box itself tells (size estimate)."""
    if row.annotation.note:
        return row.annotation.note
    estimate = row.estimate_text()
    return f"Withheld text (estimated {estimate})" if estimate else ""


# Codes taken from the page's own list (footer or margin), not printed at the box:
# the page says which exemptions it used, not which box used which.
FROM_SUMMARY = "(from page footer/margin list)"
NONE_CITED = "none cited"


def describe_exemptions(row: ReportRow) -> str:
    """The codes claimed, and where they were read when that weakens the claim; with
    no code, what the box says instead (NON-RESPONSIVE, "Attorney-Client Privilege"),
    for a challenge starts there: no exemption was cited."""
    codes = "; ".join(row.codes)
    if codes and row.redaction.label_position == "summary":
        return f"{codes} {FROM_SUMMARY}"
    if not codes and row.redaction.label:
        return f'{NONE_CITED} (printed: "{row.redaction.label}")'
    return codes


def describe_status(row: ReportRow) -> str:
    parts = [row.annotation.status.value]
    if row.reveals:
        parts.append("released elsewhere: " + " | ".join(row.reveals))
    if row.findings:
        parts.append("leaks: " + " | ".join(row.findings))
    return "; ".join(parts)


def vaughn_entries(data: ReportData) -> list[VaughnEntry]:
    return [
        VaughnEntry(
            item=row.number,
            document=row.release_label,
            bates=row.bates,
            page=row.page,
            exemptions=describe_exemptions(row),
            description=describe_withheld(row),
            justification=row.annotation.justification,
            status=describe_status(row),
        )
        for row in data.rows
    ]


def render_vaughn_csv(data: ReportData) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(entry.as_tuple() for entry in vaughn_entries(data))
    return buffer.getvalue()
