"""The annotated copy of a release: one Square with a popup note per redaction.

``flatten=True`` draws outlines and numbered tags into the pages instead, for
viewers and printers that hide annotations; the numbers match the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from redactview.export.atomic import write_atomically
from redactview.export.notes import compose_note, compose_title
from redactview.export.rows import ReportRow
from redactview.pdf.annotate import Mark, write_marked_copy

SUBJECT = "Redaction"


def to_mark(row: ReportRow) -> Mark:
    return Mark(
        page=row.page,
        box=row.box,
        number=row.number,
        title=compose_title(row),
        subject=SUBJECT,
        contents=compose_note(row),
        name=row.redaction.id,
    )


def write_annotated_pdf(
    source: Path, rows: Sequence[ReportRow], out: Path, *, flatten: bool = False
) -> int:
    """Write the marked copy of ``source`` to ``out`` atomically; returns the mark count."""
    marks = [to_mark(row) for row in rows]
    counted: list[int] = []

    def produce(tmp: Path) -> None:
        counted.append(write_marked_copy(source, tmp, marks, flatten=flatten))

    write_atomically(out, produce)
    return counted[0]
