"""One self-contained HTML report: styles inline, page crops as data: URIs, no scripts.

Every piece of user or document text goes through ``esc``; a Content Security
Policy forbids scripts and any network fetch, so opening the report never
contacts anyone even if escaping were ever missed.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Sequence
from pathlib import Path

from redactview.core.geometry import Box
from redactview.core.progress import CancelToken, ProgressSink, ProgressTracker, ignore_progress
from redactview.export.atomic import write_text_atomically
from redactview.export.report_pdf import Locator, entry_lines, open_crops
from redactview.export.rows import ReportData, ReportRow
from redactview.export.stats import area_share_by_page, count_by_exemption, count_by_page
from redactview.export.vaughn import vaughn_entries
from redactview.pdf.report_crops import Crop, picture

CropFn = Callable[[int, Box], Crop]
_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1000px;color:#222}
h1,h2{margin-top:1.6em}table{border-collapse:collapse;width:100%;font-size:12px}
th,td{border:1px solid #ccc;padding:3px 5px;vertical-align:top;text-align:left}
th{background:#e3e7ef}.bar{background:#3a5a99;height:11px;display:inline-block}
.entry{display:flex;gap:14px;border-bottom:1px solid #ddd;padding:8px 0}
.crop{position:relative;flex:0 0 auto}.crop img{border:1px solid #bbb;max-width:260px}
.hl{position:absolute;border:2px solid #c01818}.num{color:#c01818;font-weight:bold}
dl{display:grid;grid-template-columns:7em 1fr;margin:0;gap:1px 8px}dt{color:#666}dd{margin:0}
.cols{display:flex;align-items:flex-end;height:80px;gap:1px;border-bottom:1px solid #888}
.cols div{background:#3a5a99;flex:1}.muted{color:#666}
"""


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def bars_html(items: Sequence[tuple[str, float]]) -> str:
    top = max((v for _, v in items), default=0.0) or 1.0
    rows = [
        f"<tr><td>{esc(label)}</td><td><span class='bar' style='width:{300 * v / top:.0f}px'>"
        f"</span> {v:g}</td></tr>"
        for label, v in items
    ]
    return "<table>" + "".join(rows) + "</table>"


def columns_html(values: Sequence[float], unit: str = "") -> str:
    top = max(values, default=0.0) or 1.0
    cells = "".join(
        f"<div title='page {i}: {v:g}{unit}' style='height:{100 * v / top:.0f}%'></div>"
        for i, v in enumerate(values, start=1)
    )
    return f"<div class='cols'>{cells}</div><p class='muted'>pages 1–{len(values)}</p>"


def crop_html(crop: Crop | None) -> str:
    if crop is None:
        return ""
    scale = min(260 / crop.width, 1.6)
    data = base64.b64encode(crop.image).decode("ascii")
    img = (
        f"<img alt='page crop' width='{crop.width * scale:.0f}' "
        f"src='data:{crop.mime};base64,{data}'>"
    )
    if crop.target is None:
        return f"<div class='crop'>{img}</div>"
    t = crop.target.scaled(scale)
    return (
        f"<div class='crop'>{img}<div class='hl' style='left:{t.x0 - 2:.0f}px;"
        f"top:{t.y0 - 2:.0f}px;width:{t.width:.0f}px;height:{t.height:.0f}px'></div></div>"
    )


def entry_html(row: ReportRow, crop: Crop | None) -> str:
    items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in entry_lines(row))
    return (
        f"<div class='entry' id='r{row.number}'><div class='num'>#{row.number}</div>"
        f"{crop_html(crop)}<dl>{items}</dl></div>"
    )


def table_html(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def summary_html(data: ReportData) -> list[str]:
    parts = [
        f"<h1>Redaction report: {esc(data.title)}</h1>",
        f"<p class='muted'>Case file {esc(data.case_path)} · "
        f"generated {esc(data.generated_at)}</p>",
        "<ul>",
    ]
    for s in data.releases:
        r = s.release
        parts.append(
            f"<li>{esc(r.label)}: {r.page_count} pages, {s.redaction_count} redactions, "
            f"{s.finding_count} leak findings</li>"
        )
    parts += ["</ul>", "<h2>Redactions by exemption</h2>", bars_html(count_by_exemption(data.rows))]
    for s in data.releases:
        rows = data.rows_of(s.release.id)
        parts += [
            f"<h2>{esc(s.release.label)}: redactions on each page</h2>",
            columns_html(count_by_page(rows, s.release.page_count)),
            f"<h2>{esc(s.release.label)}: share of each page redacted</h2>",
            columns_html(area_share_by_page(rows, s.pages), "%"),
        ]
    return parts


def render_html(
    data: ReportData,
    crops: dict[int, CropFn | None],
    tracker: ProgressTracker,
    cancel: CancelToken,
) -> str:
    parts = summary_html(data)
    vaughn = [
        (
            e.item,
            e.document,
            f"{e.bates} p.{e.page}".strip(),
            e.exemptions,
            e.description,
            e.justification,
            e.status,
        )
        for e in vaughn_entries(data)
    ]
    parts += [
        "<h2>Vaughn index</h2>",
        table_html(
            (
                "#",
                "Document",
                "Bates / page",
                "Exemptions",
                "Withheld",
                "Justification / challenge",
                "Status",
            ),
            vaughn,
        ),
    ]
    parts.append("<h2>Redactions</h2>")
    for row in data.rows:
        cancel.raise_if_cancelled()
        crop = crops.get(row.release_id)
        parts.append(entry_html(row, crop(row.page, row.box) if crop else None))
        tracker.step()
    parts += [
        "<h2>Leak findings</h2>",
        table_html(
            ("Release", "Page", "Mechanism", "Text", "Confidence"),
            [
                (f.release_label, f.page, f.mechanism, f.text, f"{f.confidence:.2f}")
                for f in data.findings
            ],
        ),
    ]
    parts += [crop_html(picture(f.image_png)) for f in data.findings if f.image_png]
    parts += [
        "<h2>Cross-release reveals</h2>",
        table_html(
            ("Withheld in", "Shown in", "Status", "Text"),
            [
                (f"{r.a_label} p.{r.a_page}", f"{r.b_label} p.{r.b_page}", r.status.value, r.text)
                for r in data.reveals
            ],
        ),
    ]
    head = (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{_CSP}\">"
        f"<title>{esc(data.title)} — redaction report</title><style>{_STYLE}</style></head><body>"
    )
    return head + "\n".join(parts) + "</body></html>\n"


def write_html_report(
    data: ReportData,
    out: Path,
    locate: Locator,
    *,
    progress: ProgressSink = ignore_progress,
    cancel: CancelToken | None = None,
) -> Path:
    tracker = ProgressTracker(len(data.rows), progress, "html")
    with open_crops(data, locate) as (crops, _missing):
        text = render_html(data, crops, tracker, cancel or CancelToken())
    return write_text_atomically(out, text)
