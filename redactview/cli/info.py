"""``redactview info FILE...``: page count, text layers, metadata."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from typing import Any

from redactview.cli.output import print_json
from redactview.core.model import PageInfo, TextStatus
from redactview.pdf.info import Inspection, inspect_pages


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "info", help="page count, text layer / OCR needs and metadata of PDFs"
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="PDF files")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("--password", help="password for encrypted PDFs")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    found = [inspect_pages(path, args.password) for path in args.files]
    # A page over a size limit is skipped, not the file: say so, exit 0.
    for item in found:
        for _, reason in item.skipped:
            print(f"redactview: warning: {reason} (page not read)", file=sys.stderr)
    if args.json:
        print_json({"schema": "redactview.info/1", "documents": [to_json(i) for i in found]})
    else:
        print("\n\n".join(format_text(item) for item in found))
    return 0


def pages_with(item: Inspection, *statuses: TextStatus) -> list[int]:
    skipped = {page for page, _ in item.skipped}
    return [
        p.number for p in item.info.pages if p.text_status in statuses and p.number not in skipped
    ]


def to_json(item: Inspection) -> dict[str, Any]:
    info = item.info
    reasons = dict(item.skipped)
    return {
        "path": info.path,
        "sha256": info.sha256,
        "page_count": info.page_count,
        "encrypted": info.encrypted,
        "metadata": info.metadata_dict(),
        "text_layer_pages": pages_with(item, TextStatus.TEXT),
        "ocr_pages": pages_with(item, TextStatus.NEEDS_OCR),
        "mixed_pages": pages_with(item, TextStatus.MIXED),
        "empty_pages": pages_with(item, TextStatus.EMPTY),
        "skipped_pages": [{"page": page, "reason": reason} for page, reason in item.skipped],
        "pages": [page_json(p, reasons.get(p.number)) for p in info.pages],
    }


def page_json(page: PageInfo, skipped: str | None) -> dict[str, Any]:
    """A skipped page keeps its size and gets ``"skipped": reason``; its status is not known."""
    entry = {**asdict(page), "text_status": page.text_status.value}
    if skipped is not None:
        entry |= {"text_status": None, "skipped": skipped}
    return entry


def format_ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7, 9, 10] -> '1-3, 7, 9-10'."""
    if not numbers:
        return "none"
    parts, start = [], numbers[0]
    for prev, cur in zip(numbers, [*numbers[1:], None], strict=True):
        if cur is None or cur != prev + 1:
            parts.append(f"{start}" if start == prev else f"{start}-{prev}")
            start = cur if cur is not None else start
    return ", ".join(parts)


def format_text(item: Inspection) -> str:
    info = item.info
    lines = [
        info.path,
        f"  pages:            {info.page_count}",
        f"  sha256:           {info.sha256}",
        f"  text layer:       {format_ranges(pages_with(item, TextStatus.TEXT))}",
        f"  needs OCR:        {format_ranges(pages_with(item, TextStatus.NEEDS_OCR))}",
        f"  mixed:            {format_ranges(pages_with(item, TextStatus.MIXED))}",
        f"  empty:            {format_ranges(pages_with(item, TextStatus.EMPTY))}",
    ]
    if item.skipped:
        skipped = format_ranges([page for page, _ in item.skipped])
        lines.append(f"  not read:         {skipped} (over a size limit)")
    if info.encrypted:
        lines.append("  encrypted:        yes")
    for key, value in info.metadata:
        lines.append(f"  {key + ':':<17} {value}")
    return "\n".join(lines)
