"""The redaction catalog as data: JSON ("redactview.catalog/1") and CSV rows.

Pure functions from ``Redaction`` values; the CLI writes what these return.
The format is documented in docs/catalog.md; change it only with a new schema
version, because other tools read it. Fields may be *added* within a version
(``label_position``): readers ignore keys they do not know, and new CSV columns
go at the end.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from typing import Any

from redactview.core.model import Redaction

SCHEMA = "redactview.catalog/1"
CSV_COLUMNS: tuple[str, ...] = (
    "path",
    "sha256",
    "release",
    "id",
    "page",
    "x0",
    "y0",
    "x1",
    "y1",
    "kind",
    "fill",
    "exemptions",
    "label",
    "confidence",
    "context_before",
    "context_after",
    "est_chars_min",
    "est_chars_max",
    "text_under",
    "group",
    "label_position",  # added after 1.0: last, so readers that go by column number still work
)


@dataclass(frozen=True, slots=True)
class CatalogDocument:
    path: str
    sha256: str
    page_count: int
    redactions: tuple[Redaction, ...]
    release: str = ""  # the release's label (its file stem unless a case names it)
    release_id: int | None = None  # the release's id in the case, when one was given


def redaction_to_json(r: Redaction, release: str) -> dict[str, Any]:
    return {
        "id": r.id,
        "release": release,
        "page": r.page,
        "bbox": [round(v, 2) for v in r.box.as_tuple()],
        "kind": r.kind.value,
        "fill": r.fill.value,
        "exemptions": list(r.exemptions),
        "label": r.label,
        "label_position": r.label_position,
        "confidence": round(r.confidence, 3),
        "context_before": r.context_before,
        "context_after": r.context_after,
        "est_chars": list(r.est_chars) if r.est_chars else None,
        "text_under": r.text_under,
        "group": r.group,
    }


def document_to_json(doc: CatalogDocument) -> dict[str, Any]:
    ordered = sorted(doc.redactions, key=lambda r: (r.page, r.box.y0, r.box.x0))
    return {
        "path": doc.path,
        "sha256": doc.sha256,
        "release": doc.release,
        "release_id": doc.release_id,
        "pages": doc.page_count,
        "redactions": [redaction_to_json(r, doc.release) for r in ordered],
    }


def compute_stats(docs: list[CatalogDocument]) -> dict[str, Any]:
    """Counts users ask for first: per exemption, kind, fill, and pages with redactions."""
    all_r = [r for d in docs for r in d.redactions]
    by_code = Counter(code for r in all_r for code in r.exemptions)
    return {
        "redactions": len(all_r),
        "pages_with_redactions": len({(d.sha256, r.page) for d in docs for r in d.redactions}),
        "pages": sum(d.page_count for d in docs),
        "without_exemption": sum(1 for r in all_r if not r.exemptions),
        "by_exemption": dict(sorted(by_code.items())),
        "by_kind": dict(sorted(Counter(r.kind.value for r in all_r).items())),
        "by_fill": dict(sorted(Counter(r.fill.value for r in all_r).items())),
    }


def catalog_to_json(docs: list[CatalogDocument], *, stats: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {"schema": SCHEMA, "documents": [document_to_json(d) for d in docs]}
    if stats:
        data["stats"] = compute_stats(docs)
    return data


def catalog_rows(docs: list[CatalogDocument]) -> list[dict[str, str]]:
    """One flat row per redaction; lists joined by ";" so spreadsheets can filter."""
    rows = []
    for doc in docs:
        for item in document_to_json(doc)["redactions"]:
            est = item["est_chars"] or ["", ""]
            x0, y0, x1, y1 = item["bbox"]
            row = {**item, "path": doc.path, "sha256": doc.sha256, "x0": x0, "y0": y0}
            row |= {"x1": x1, "y1": y1, "exemptions": ";".join(item["exemptions"])}
            row |= {"est_chars_min": est[0], "est_chars_max": est[1]}
            rows.append({col: _cell(row.get(col)) for col in CSV_COLUMNS})
    return rows


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def catalog_to_csv(docs: list[CatalogDocument]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(CSV_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(catalog_rows(docs))
    return buffer.getvalue()
