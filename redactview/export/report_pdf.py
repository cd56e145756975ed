"""The report PDF: cover, charts, Vaughn index, every redaction with a crop, leaks, reveals.

Composed here from the report rows; drawn by ``pdf.report_pdf``. Crops come
from each release's own PDF; a release whose file cannot be found is still
reported, without crops, and the cover says so.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

from redactview.core.geometry import Box
from redactview.core.progress import CancelToken, ProgressSink, ProgressTracker, ignore_progress
from redactview.errors import ReleaseNotFoundError
from redactview.export.atomic import write_atomically
from redactview.export.rows import ReleaseSummary, ReportData, ReportRow, kind_label
from redactview.export.stats import area_share_by_page, count_by_exemption, count_by_page
from redactview.export.vaughn import vaughn_entries
from redactview.pdf.report_crops import Crop, crop_source, picture
from redactview.pdf.report_pdf import MUTED, Column, ReportWriter

CropFn = Callable[[int, Box], Crop]
Locator = Callable[[ReleaseSummary], Path]


def write_cover(w: ReportWriter, data: ReportData, missing: list[str]) -> None:
    w.space(120)
    w.paragraph("Redaction report", 26, font="hebo")
    w.paragraph(data.title, 16)
    w.space(10)
    w.paragraph(f"Case file: {data.case_path}", 9, color=MUTED)
    w.paragraph(f"Generated {data.generated_at} by redactview", 9, color=MUTED)
    w.space(24)
    total = len(data.rows)
    w.paragraph(
        f"{len(data.releases)} release(s), {total} redaction(s), {len(data.findings)} leak "
        f"finding(s), {len(data.reveals)} cross-release difference(s).",
        11,
    )
    w.space(8)
    for s in data.releases:
        r = s.release
        facts = [f"{r.page_count} pages", f"{s.redaction_count} redactions"]
        facts += [f"{s.finding_count} leak findings"] if s.finding_count else []
        extra = [v for v in (r.agency, r.request_number, r.release_date) if v]
        w.paragraph(f"• {r.label}: " + ", ".join(facts + extra), 10, indent=10)
    for label in missing:
        w.paragraph(f"Note: the PDF of release '{label}' was not found; no crops.", 9, color=MUTED)


def write_charts(w: ReportWriter, data: ReportData) -> None:
    w.heading("Charts", 1, new_page=True)
    w.bar_chart("Redactions by exemption (all releases)", count_by_exemption(data.rows))
    for s in data.releases:
        rows = data.rows_of(s.release.id)
        w.heading(f"{s.release.label}", 2)
        w.column_chart("Redactions on each page", count_by_page(rows, s.release.page_count))
        w.column_chart(
            "Share of each page's area redacted, across the release",
            area_share_by_page(rows, s.pages),
            unit="%",
        )


def write_vaughn(w: ReportWriter, data: ReportData) -> None:
    w.heading("Vaughn index", 1, new_page=True)
    w.paragraph(
        "One entry per withheld item. The description comes from the notes; the "
        "justification or challenge column is the requester's own.",
        9,
        color=MUTED,
    )
    w.space(6)
    columns = [
        Column("#", 20),
        Column("Document", 62),
        Column("Bates / page", 80),
        Column("Exemptions", 62),
        Column("Withheld", 104),
        Column("Justification", 96),
        Column("Status", 80),
    ]
    rows = [
        (
            str(e.item),
            e.document,
            f"{e.bates}\np.{e.page}".strip(),
            e.exemptions,
            e.description,
            e.justification,
            e.status,
        )
        for e in vaughn_entries(data)
    ]
    w.table(columns, rows or [("", "No redactions.", "", "", "", "", "")])


def entry_lines(row: ReportRow) -> list[tuple[str, str]]:
    r, a = row.redaction, row.annotation
    lines = [
        ("Where", f"{row.release_label}, page {r.page}" + (f", {row.bates}" if row.bates else "")),
        ("Exemptions", "; ".join(f"{c} {m}".strip() for c, m in row.meanings) or "none printed"),
        ("Box", f"{kind_label(r.kind)}, {r.fill.value}, {r.box.width:.0f}×{r.box.height:.0f} pt"),
    ]
    optional = [
        ("Label", r.label),
        ("Estimate", row.estimate_text()),
        ("Note", a.note),
        ("Guess", a.guess),
        ("Tags", ", ".join(a.tags)),
        ("Justification", a.justification),
        ("Context", f"{r.context_before} [...] {r.context_after}".strip(" [.]")),
    ]
    lines += [(k, v) for k, v in optional if v]
    lines.append(("Status", a.status.value))
    lines += [("Leak", t) for t in row.findings]
    lines += [("Released", t) for t in row.reveals]
    return lines


def write_catalog(
    w: ReportWriter,
    data: ReportData,
    crops: dict[int, CropFn | None],
    tracker: ProgressTracker,
    cancel: CancelToken,
) -> None:
    w.heading("Redactions", 1, new_page=True)
    for s in data.releases:
        w.heading(s.release.label, 2)
        crop = crops.get(s.release.id)
        for row in data.rows_of(s.release.id):
            cancel.raise_if_cancelled()
            image = crop(row.page, row.box) if crop else None
            w.crop_block(image, entry_lines(row), row.number)
            tracker.step()
        if not data.rows_of(s.release.id):
            w.paragraph("No redactions.", 10, color=MUTED)


def write_findings(w: ReportWriter, data: ReportData) -> None:
    w.heading("Leak findings", 1, new_page=True)
    columns = [
        Column("Release", 90),
        Column("Page", 36),
        Column("Mechanism", 110),
        Column("Text", 210),
        Column("Conf.", 58),
    ]
    rows = [
        (f.release_label, str(f.page), f.mechanism, f.text, f"{f.confidence:.2f}")
        for f in data.findings
    ]
    w.table(columns, rows or [("", "", "None recorded.", "", "")])
    pictured = [f for f in data.findings if f.image_png]
    if pictured:
        w.heading("Pictures found under redactions", 2)
        for number, f in enumerate(pictured, start=1):
            lines = [("Where", f"{f.release_label}, page {f.page}"), ("Mechanism", f.mechanism)]
            lines += [("Text", f.text)] if f.text else []
            w.crop_block(picture(f.image_png or b""), lines, number, prefix="L")
    w.heading("Cross-release reveals", 1)
    columns = [
        Column("Withheld in", 100),
        Column("Shown in", 100),
        Column("Status", 60),
        Column("Exemptions", 70),
        Column("Text", 174),
    ]
    rows = [
        (
            f"{rv.a_label} p.{rv.a_page}",
            f"{rv.b_label} p.{rv.b_page}",
            rv.status.value,
            "; ".join(rv.exemptions),
            rv.text,
        )
        for rv in data.reveals
    ]
    w.table(columns, rows or [("", "", "None recorded.", "", "")])


@contextlib.contextmanager
def open_crops(
    data: ReportData, locate: Locator
) -> Iterator[tuple[dict[int, CropFn | None], list[str]]]:
    """One open PDF per release for crops; releases that cannot be found get none."""
    crops: dict[int, CropFn | None] = {}
    missing: list[str] = []
    with contextlib.ExitStack() as stack:
        for s in data.releases:
            try:
                path = locate(s)
            except ReleaseNotFoundError:
                crops[s.release.id] = None
                missing.append(s.release.label)
                continue
            crops[s.release.id] = stack.enter_context(crop_source(path))
        yield crops, missing


def write_report_pdf(
    data: ReportData,
    out: Path,
    locate: Locator,
    *,
    progress: ProgressSink = ignore_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Write the report atomically; returns its page count."""
    cancel = cancel or CancelToken()
    tracker = ProgressTracker(len(data.rows), progress, "report")
    pages: list[int] = []

    def produce(tmp: Path) -> None:
        w = ReportWriter(f"Redaction report: {data.title}")
        with open_crops(data, locate) as (crops, missing):
            write_cover(w, data, missing)
            write_charts(w, data)
            write_vaughn(w, data)
            write_catalog(w, data, crops, tracker, cancel)
        write_findings(w, data)
        pages.append(w.finish(tmp))

    write_atomically(out, produce)
    return pages[0]
