"""Counts behind the report charts; shared by the PDF and HTML reports."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from redactview.core.model import PageInfo
from redactview.export.rows import ReportRow

NO_CODE = "(none printed)"


def count_by_exemption(rows: Sequence[ReportRow]) -> list[tuple[str, float]]:
    """How many redactions claim each code (a box with two codes counts for both)."""
    counts: Counter[str] = Counter()
    for row in rows:
        counts.update(row.codes or (NO_CODE,))
    return [(code, float(n)) for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def count_by_page(rows: Sequence[ReportRow], page_count: int) -> list[float]:
    counts = Counter(row.page for row in rows)
    return [float(counts.get(n, 0)) for n in range(1, page_count + 1)]


def area_share_by_page(rows: Sequence[ReportRow], pages: Sequence[PageInfo]) -> list[float]:
    """Percent of each page's area under redaction boxes, page by page (overlaps not removed)."""
    areas: dict[int, float] = {}
    for row in rows:
        areas[row.page] = areas.get(row.page, 0.0) + row.box.area
    shares = []
    for page in pages:
        total = page.width * page.height
        shares.append(
            round(min(100.0, 100.0 * areas.get(page.number, 0) / total), 1) if total else 0.0
        )
    return shares
