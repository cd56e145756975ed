"""The report model: every export is drawn from these rows, never from the store.

``build_report`` reads a case once and returns frozen, pure values. The PDF,
HTML, CSV, JSON, XFDF and Vaughn exports format the same rows, so they always
agree on what was redacted, where and why.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from redactview.core.geometry import Box
from redactview.core.model import (
    Annotation,
    LinkStatus,
    PageInfo,
    Redaction,
    RedactionKind,
    RedactionLink,
    Release,
    ReviewStatus,
    Word,
)
from redactview.export.meanings import describe_codes
from redactview.store.case import Case
from redactview.store.report_reads import read_links

# Bates / control numbers sit in a footer or header band of the page.
_BATES_BAND = 0.12
_GENERIC_BATES = re.compile(r"^[A-Z][A-Z0-9]{1,11}(?:[-_][A-Z0-9]{1,8})*[-_ ]?\d{4,9}$")


@dataclass(frozen=True, slots=True)
class ReportRow:
    number: int  # 1-based, across the whole report; the callout number in PDFs
    redaction: Redaction
    annotation: Annotation
    release_id: int
    release_label: str
    bates: str
    meanings: tuple[tuple[str, str], ...]  # (code, meaning) per claimed exemption
    findings: tuple[str, ...] = ()  # "mechanism: text" of leak findings on this box
    reveals: tuple[str, ...] = ()  # text another release shows where this one redacts

    @property
    def page(self) -> int:
        return self.redaction.page

    @property
    def box(self) -> Box:
        return self.redaction.box

    @property
    def codes(self) -> tuple[str, ...]:
        return self.redaction.exemptions

    def estimate_text(self) -> str:
        est = self.redaction.est_chars
        if est is None:
            return ""
        lo, hi = est
        return f"{lo} characters" if lo == hi else f"{lo}-{hi} characters"


@dataclass(frozen=True, slots=True)
class ReleaseSummary:
    release: Release
    pages: tuple[PageInfo, ...]
    redaction_count: int
    finding_count: int


@dataclass(frozen=True, slots=True)
class FindingRow:
    release_label: str
    page: int
    box: Box | None
    mechanism: str
    text: str
    confidence: float
    redaction_id: str | None
    image_png: bytes | None = field(default=None, repr=False)  # a picture found beneath


@dataclass(frozen=True, slots=True)
class RevealRow:
    status: LinkStatus
    a_label: str
    a_page: int | None
    b_label: str
    b_page: int | None
    text: str
    a_redaction_id: str | None
    b_redaction_id: str | None
    exemptions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReportData:
    title: str
    case_path: str
    generated_at: str
    releases: tuple[ReleaseSummary, ...]
    rows: tuple[ReportRow, ...]
    findings: tuple[FindingRow, ...]
    reveals: tuple[RevealRow, ...]

    def rows_of(self, release_id: int) -> tuple[ReportRow, ...]:
        return tuple(r for r in self.rows if r.release_id == release_id)


def build_report(case: Case, *, include_false_positives: bool = False) -> ReportData:
    """Read everything an export needs from ``case``, in one pass."""
    annotations = case.annotations.all()
    releases = case.releases()
    labels = {r.id: r.label or Path(r.path).stem for r in releases}
    findings = collect_findings(case, releases, labels)
    reveals = collect_reveals(case, labels)
    rows: list[ReportRow] = []
    summaries = []
    for release in releases:
        kept = [
            r
            for r in case.redactions.list(release.id)
            if include_false_positives or not is_false_positive(annotations.get(r.id))
        ]
        start = len(rows) + 1
        rows += make_rows(case, release, labels[release.id], kept, annotations, start)
        pages = tuple(case.pages(release.id))
        count = sum(1 for f in findings if f.release_label == labels[release.id])
        summaries.append(ReleaseSummary(release, pages, len(kept), count))
    rows = attach_evidence(rows, findings, reveals)
    return ReportData(
        title=case.path.stem,
        case_path=str(case.path),
        generated_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        releases=tuple(summaries),
        rows=tuple(rows),
        findings=tuple(findings),
        reveals=tuple(reveals),
    )


def is_false_positive(annotation: Annotation | None) -> bool:
    return annotation is not None and annotation.status is ReviewStatus.FALSE_POSITIVE


def make_rows(
    case: Case,
    release: Release,
    label: str,
    redactions: list[Redaction],
    annotations: dict[str, Annotation],
    start: int,
) -> list[ReportRow]:
    bates_by_page: dict[int, str] = {}
    rows = []
    for offset, red in enumerate(redactions):
        if red.page not in bates_by_page:
            words = case.words.page(release.id, red.page)
            bates_by_page[red.page] = find_bates(words, release.bates_prefix)
        rows.append(
            ReportRow(
                number=start + offset,
                redaction=red,
                annotation=annotations.get(red.id) or Annotation(red.id),
                release_id=release.id,
                release_label=label,
                bates=bates_by_page[red.page],
                meanings=describe_codes(red.exemptions),
            )
        )
    return rows


def find_bates(words: list[Word], prefix: str) -> str:
    """The page's Bates number as printed, read from its words ("" if none is found).

    With a known prefix any word starting with it counts; otherwise only a
    code-like token (``ABC-2019-000123``) in the top or bottom band of the page.
    """
    if not words:
        return ""
    if prefix:
        for word in words:
            if word.text.upper().startswith(prefix.upper()) and any(c.isdigit() for c in word.text):
                return word.text
        return ""
    bottom = max(w.box.y1 for w in words)
    band = bottom * _BATES_BAND
    for word in reversed(words):
        near_edge = word.box.y1 >= bottom - band or word.box.y0 <= band
        if near_edge and _GENERIC_BATES.match(word.text):
            return word.text
    return ""


def collect_findings(
    case: Case, releases: list[Release], labels: dict[int, str]
) -> list[FindingRow]:
    found = []
    for release in releases:
        for f in case.findings.list(release.id):
            found.append(
                FindingRow(
                    labels[release.id],
                    f.page,
                    f.box,
                    f.mechanism,
                    f.text,
                    f.confidence,
                    f.redaction_id,
                    f.image_png,
                )
            )
    return found


def collect_reveals(case: Case, labels: dict[int, str]) -> list[RevealRow]:
    """Links where one release shows what another withholds, or withholds anew."""
    found = []
    for a_rel, b_rel, link in read_links(case):
        if link.status not in (LinkStatus.REVEALED, LinkStatus.NEW):
            continue
        found.append(to_reveal(labels.get(a_rel, str(a_rel)), labels.get(b_rel, str(b_rel)), link))
    return found


def to_reveal(a_label: str, b_label: str, link: RedactionLink) -> RevealRow:
    return RevealRow(
        status=link.status,
        a_label=a_label,
        a_page=link.a.page if link.a else None,
        b_label=b_label,
        b_page=link.b.page if link.b else None,
        text=link.revealed_text or "",
        a_redaction_id=link.a.redaction_id if link.a else None,
        b_redaction_id=link.b.redaction_id if link.b else None,
        exemptions=link.exemptions_a or link.exemptions_b,
    )


def attach_evidence(
    rows: list[ReportRow], findings: list[FindingRow], reveals: list[RevealRow]
) -> list[ReportRow]:
    """Give each row the leak findings and cross-release reveals that name it."""
    leaks: dict[str, list[str]] = {}
    for f in findings:
        if f.redaction_id:
            leaks.setdefault(f.redaction_id, []).append(f"{f.mechanism}: {f.text}".strip())
    shown: dict[str, list[str]] = {}
    for rv in reveals:
        if rv.status is LinkStatus.REVEALED and rv.a_redaction_id and rv.text:
            shown.setdefault(rv.a_redaction_id, []).append(f"{rv.b_label} p.{rv.b_page}: {rv.text}")
    return [
        _with_evidence(r, leaks.get(r.redaction.id, []), shown.get(r.redaction.id, []))
        for r in rows
    ]


def _with_evidence(row: ReportRow, leaks: list[str], shown: list[str]) -> ReportRow:
    if not leaks and not shown:
        return row
    return replace(row, findings=tuple(leaks), reveals=tuple(shown))


def kind_label(kind: RedactionKind) -> str:
    return {"raster": "burned in", "vector": "vector box", "annotation": "annotation"}.get(
        kind.value, "drawn by user"
    )
