"""``redactview compare A.pdf B.pdf``: what one release reveals that the other hides.

stdout is the comparison (JSON "redactview.compare/1", or CSV with one row
per link); progress goes to stderr. With ``--case`` detection and OCR are
resumed from and stored in the case, links are stored too, and links the
user confirmed or drew by hand are kept.
"""

from __future__ import annotations

import argparse
import csv
import sys
from typing import Any

from redactview.cli.output import StderrProgress, print_json
from redactview.cli.scan import add_jurisdiction_option, chosen_tables
from redactview.core.model import LinkRef, RedactionLink
from redactview.core.progress import CancelToken
from redactview.jobs.compare_run import CompareOptions, CompareRun, ReleaseSide, compare_files

SCHEMA = "redactview.compare/1"
CSV_FIELDS = (
    "status", "a_page", "a_x0", "a_y0", "a_x1", "a_y1", "b_page", "b_x0", "b_y0", "b_x1",
    "b_y1", "revealed_text", "exemptions_a", "exemptions_b", "confidence", "user_set",
)  # fmt: skip


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "compare", help="link the redactions of two releases; show what B reveals"
    )
    parser.add_argument("a", metavar="A.pdf", help="the earlier (or first) release")
    parser.add_argument("b", metavar="B.pdf", help="the later (or second) release")
    parser.add_argument("--case", metavar="X.rvcase", help="store results and links in a case")
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (1 = serial)")
    add_jurisdiction_option(parser)
    parser.add_argument("--no-ocr", action="store_true", help="text layers only, no Tesseract")
    parser.add_argument("--password-a", help="password for an encrypted A")
    parser.add_argument("--password-b", help="password for an encrypted B")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    options = CompareOptions(
        args.jobs, not args.no_ocr, args.password_a, args.password_b, chosen_tables(args)
    )
    outcome = compare_files(
        args.a,
        args.b,
        case_path=args.case,
        options=options,
        progress=StderrProgress("compare", quiet=args.quiet),
        cancel=CancelToken(),
    )
    if args.format == "csv":
        write_csv(outcome)
    else:
        print_json(to_json(outcome))
    for side in (outcome.a, outcome.b):
        if side.ocr_missing:
            pages = ", ".join(map(str, side.ocr_missing))
            print(f"redactview: warning: {side.path.name}: no words on pages {pages}; "
                  "their redactions are linked by position only", file=sys.stderr)  # fmt: skip
    return 0


def ref_to_json(ref: LinkRef | None) -> dict[str, Any] | None:
    if ref is None:
        return None
    return {"page": ref.page, "bbox": [round(v, 2) for v in ref.box.as_tuple()]}


def link_to_json(link: RedactionLink) -> dict[str, Any]:
    return {
        "status": link.status.value,
        "a": ref_to_json(link.a),
        "b": ref_to_json(link.b),
        "revealed_text": link.revealed_text,
        "exemptions_a": list(link.exemptions_a),
        "exemptions_b": list(link.exemptions_b),
        "confidence": round(link.confidence, 3),
        "user_set": link.user_set,
    }


def side_to_json(side: ReleaseSide) -> dict[str, Any]:
    return {"path": str(side.path), "sha256": side.sha256}


def to_json(outcome: CompareRun) -> dict[str, Any]:
    result = outcome.result
    return {
        "schema": SCHEMA,
        "a": side_to_json(outcome.a),
        "b": side_to_json(outcome.b),
        "page_pairs": [list(pair) for pair in result.page_pairs],
        "counts": result.count_by_status(),
        "links": [link_to_json(link) for link in result.links],
    }


def write_csv(outcome: CompareRun) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for link in outcome.result.links:
        a = [link.a.page, *(round(v, 2) for v in link.a.box.as_tuple())] if link.a else [""] * 5
        b = [link.b.page, *(round(v, 2) for v in link.b.box.as_tuple())] if link.b else [""] * 5
        writer.writerow([
            link.status.value, *a, *b, link.revealed_text or "",
            ";".join(link.exemptions_a), ";".join(link.exemptions_b),
            round(link.confidence, 3), int(link.user_set),
        ])  # fmt: skip
