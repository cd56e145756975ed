"""The catalog as CSV (one row per redaction) and as JSON (the whole report model).

CSV cells that begin with = + - @ are prefixed with a quote: spreadsheet apps
would otherwise run user notes as formulas (CSV injection).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from redactview.export.rows import FindingRow, ReportData, ReportRow, RevealRow

SCHEMA = "redactview.report/1"
CSV_HEADERS = (
    "number",
    "redaction_id",
    "release",
    "page",
    "bates",
    "x0",
    "y0",
    "x1",
    "y1",
    "kind",
    "fill",
    "exemptions",
    "label",
    "confidence",
    "est_chars_lo",
    "est_chars_hi",
    "text_under",
    "status",
    "note",
    "guess",
    "tags",
    "justification",
    "leaks",
    "revealed",
    "label_position",  # added later: last, so column positions stay
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse_cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_row(row: ReportRow) -> list[str]:
    r, a = row.redaction, row.annotation
    lo, hi = r.est_chars or ("", "")
    cells = [
        str(row.number),
        r.id,
        row.release_label,
        str(r.page),
        row.bates,
        *(f"{v:.2f}" for v in r.box.as_tuple()),
        r.kind.value,
        r.fill.value,
        "; ".join(r.exemptions),
        r.label,
        f"{r.confidence:.3f}",
        str(lo),
        str(hi),
        r.text_under or "",
        a.status.value,
        a.note,
        a.guess,
        ", ".join(a.tags),
        a.justification,
        " | ".join(row.findings),
        " | ".join(row.reveals),
        r.label_position or "",
    ]
    return [defuse_cell(c) for c in cells]


def render_csv(data: ReportData) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    writer.writerows(csv_row(row) for row in data.rows)
    return buffer.getvalue()


def row_json(row: ReportRow) -> dict[str, Any]:
    r, a = row.redaction, row.annotation
    return {
        "number": row.number,
        "id": r.id,
        "release_id": row.release_id,
        "release": row.release_label,
        "page": r.page,
        "bates": row.bates,
        "bbox": [round(v, 2) for v in r.box.as_tuple()],
        "kind": r.kind.value,
        "fill": r.fill.value,
        "exemptions": [{"code": c, "meaning": m} for c, m in row.meanings],
        "label": r.label,
        "label_position": r.label_position,
        "confidence": r.confidence,
        "est_chars": list(r.est_chars) if r.est_chars else None,
        "text_under": r.text_under,
        "context_before": r.context_before,
        "context_after": r.context_after,
        "group": r.group,
        "annotation": {
            "status": a.status.value,
            "note": a.note,
            "guess": a.guess,
            "tags": list(a.tags),
            "justification": a.justification,
            "updated_at": a.updated_at,
        },
        "leaks": list(row.findings),
        "revealed": list(row.reveals),
    }


def finding_json(f: FindingRow) -> dict[str, Any]:
    return {
        "release": f.release_label,
        "page": f.page,
        "bbox": [round(v, 2) for v in f.box.as_tuple()] if f.box else None,
        "mechanism": f.mechanism,
        "text": f.text,
        "confidence": f.confidence,
        "redaction_id": f.redaction_id,
    }


def reveal_json(rv: RevealRow) -> dict[str, Any]:
    return {
        "status": rv.status.value,
        "a_release": rv.a_label,
        "a_page": rv.a_page,
        "b_release": rv.b_label,
        "b_page": rv.b_page,
        "text": rv.text,
        "a_redaction_id": rv.a_redaction_id,
        "b_redaction_id": rv.b_redaction_id,
        "exemptions": list(rv.exemptions),
    }


def report_json(data: ReportData) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "case": data.case_path,
        "generated_at": data.generated_at,
        "releases": [
            {
                "id": s.release.id,
                "label": s.release.label,
                "path": s.release.path,
                "sha256": s.release.sha256,
                "page_count": s.release.page_count,
                "agency": s.release.agency,
                "request_number": s.release.request_number,
                "release_date": s.release.release_date,
                "bates_prefix": s.release.bates_prefix,
                "redaction_count": s.redaction_count,
                "finding_count": s.finding_count,
            }
            for s in data.releases
        ],
        "redactions": [row_json(r) for r in data.rows],
        "findings": [finding_json(f) for f in data.findings],
        "reveals": [reveal_json(rv) for rv in data.reveals],
    }


def render_json(data: ReportData) -> str:
    return json.dumps(report_json(data), indent=2, ensure_ascii=False) + "\n"
