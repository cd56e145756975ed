"""``redactview info FILE...``: page count, text layers, metadata."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from redactview.cli.output import print_json
from redactview.core.model import DocumentInfo, TextStatus
from redactview.pdf.info import inspect_document


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "info", help="page count, text layer / OCR needs and metadata of PDFs"
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="PDF files")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("--password", help="password for encrypted PDFs")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    infos = [inspect_document(path, args.password) for path in args.files]
    if args.json:
        print_json({"schema": "redactview.info/1", "documents": [to_json(i) for i in infos]})
    else:
        print("\n\n".join(format_text(info) for info in infos))
    return 0


def pages_with(info: DocumentInfo, *statuses: TextStatus) -> list[int]:
    return [p.number for p in info.pages if p.text_status in statuses]


def to_json(info: DocumentInfo) -> dict[str, Any]:
    return {
        "path": info.path,
        "sha256": info.sha256,
        "page_count": info.page_count,
        "encrypted": info.encrypted,
        "metadata": info.metadata_dict(),
        "text_layer_pages": pages_with(info, TextStatus.TEXT),
        "ocr_pages": pages_with(info, TextStatus.NEEDS_OCR),
        "mixed_pages": pages_with(info, TextStatus.MIXED),
        "empty_pages": pages_with(info, TextStatus.EMPTY),
        "pages": [{**asdict(p), "text_status": p.text_status.value} for p in info.pages],
    }


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


def format_text(info: DocumentInfo) -> str:
    lines = [
        info.path,
        f"  pages:            {info.page_count}",
        f"  sha256:           {info.sha256}",
        f"  text layer:       {format_ranges(pages_with(info, TextStatus.TEXT))}",
        f"  needs OCR:        {format_ranges(pages_with(info, TextStatus.NEEDS_OCR))}",
        f"  mixed:            {format_ranges(pages_with(info, TextStatus.MIXED))}",
        f"  empty:            {format_ranges(pages_with(info, TextStatus.EMPTY))}",
    ]
    if info.encrypted:
        lines.append("  encrypted:        yes")
    for key, value in info.metadata:
        lines.append(f"  {key + ':':<17} {value}")
    return "\n".join(lines)
