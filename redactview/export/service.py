"""The one entry point for exports, shared by the CLI and File → Export in the GUI.

``export_case`` reads the case once into report rows, then hands them to the
writer for the chosen format. Every file is written atomically. Formats that
mark up one PDF (annotated PDF, XFDF) need to know which release.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from redactview.core.model import Release
from redactview.core.progress import CancelToken, ProgressSink, ignore_progress
from redactview.errors import ExitCode, RedactviewError
from redactview.export.annotated import write_annotated_pdf
from redactview.export.atomic import write_bytes_atomically, write_text_atomically
from redactview.export.html import write_html_report
from redactview.export.report_pdf import Locator, write_report_pdf
from redactview.export.rows import ReleaseSummary, ReportData, build_report
from redactview.export.tabular import render_csv, render_json
from redactview.export.vaughn import render_vaughn_csv
from redactview.export.xfdf import build_xfdf
from redactview.pdf.annotate import page_spaces
from redactview.store.case import Case


class ExportFormat(enum.StrEnum):
    PDF = "pdf"
    ANNOTATED_PDF = "annotated-pdf"
    CSV = "csv"
    VAUGHN = "vaughn-csv"
    JSON = "json"
    XFDF = "xfdf"
    HTML = "html"

    @property
    def per_release(self) -> bool:
        return self in (ExportFormat.ANNOTATED_PDF, ExportFormat.XFDF)

    @property
    def suffix(self) -> str:
        return {"annotated-pdf": ".pdf", "vaughn-csv": ".csv"}.get(self.value, "." + self.value)


class ReleaseChoiceError(RedactviewError):
    """A per-release export on a case with several releases, and none was named."""

    exit_code = ExitCode.USAGE


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    format: ExportFormat
    items: int  # redactions written
    pages: int = 0  # for PDFs: pages in the file written


def choose_release(case: Case, wanted: str | None) -> Release:
    """A release by id or label; with one release in the case, that one."""
    releases = case.releases()
    if wanted is None:
        if len(releases) == 1:
            return releases[0]
        names = ", ".join(f"{r.id} ({r.label})" for r in releases) or "none"
        raise ReleaseChoiceError(
            f"this case has several releases; choose one with --release: {names}"
        )
    for r in releases:
        if str(r.id) == wanted or r.label == wanted:
            return r
    raise ReleaseChoiceError(f"no release '{wanted}' in {case.path}")


def export_case(
    case: Case,
    fmt: ExportFormat,
    out: Path,
    *,
    release: str | None = None,
    flatten: bool = False,
    include_false_positives: bool = False,
    progress: ProgressSink = ignore_progress,
    cancel: CancelToken | None = None,
) -> ExportResult:
    data = build_report(case, include_false_positives=include_false_positives)
    if fmt.per_release:
        return export_release(case, data, fmt, out, choose_release(case, release), flatten)
    if fmt is ExportFormat.PDF:
        pages = write_report_pdf(data, out, locator(case), progress=progress, cancel=cancel)
        return ExportResult(out, fmt, len(data.rows), pages)
    if fmt is ExportFormat.HTML:
        write_html_report(data, out, locator(case), progress=progress, cancel=cancel)
    else:
        write_text_atomically(out, render_text(data, fmt))
    return ExportResult(out, fmt, len(data.rows))


def render_text(data: ReportData, fmt: ExportFormat) -> str:
    """The text formats, also printable on stdout."""
    renderers = {
        ExportFormat.CSV: render_csv,
        ExportFormat.VAUGHN: render_vaughn_csv,
        ExportFormat.JSON: render_json,
    }
    return renderers[fmt](data)


def export_release(
    case: Case, data: ReportData, fmt: ExportFormat, out: Path, release: Release, flatten: bool
) -> ExportResult:
    source = case.locate_release(release)
    rows = data.rows_of(release.id)
    if fmt is ExportFormat.XFDF:
        write_bytes_atomically(out, build_xfdf(rows, page_spaces(source), source.name))
        return ExportResult(out, fmt, len(rows))
    count = write_annotated_pdf(source, rows, out, flatten=flatten)
    return ExportResult(out, fmt, count, release.page_count)


def locator(case: Case) -> Locator:
    def locate(summary: ReleaseSummary) -> Path:
        return case.locate_release(summary.release)

    return locate
