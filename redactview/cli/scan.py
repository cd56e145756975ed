"""``redactview scan FILE.pdf...``: find every redaction and print the catalog.

stdout is the catalog (JSON "redactview.catalog/1" or CSV); progress and
warnings go to stderr. With ``--case`` the releases and redactions are stored
in the case as well (resumable: finished pages are skipped unless --rescan).
"""

from __future__ import annotations

import argparse
import sys

from redactview.cli.output import StderrProgress, print_json
from redactview.core.catalog import catalog_to_csv, catalog_to_json, compute_stats
from redactview.core.progress import CancelToken
from redactview.jobs.executor import make_executor
from redactview.jobs.scan import ScanOptions, ScanReport, scan_document
from redactview.store.case import Case


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "scan", help="detect redactions and exemption codes; print the catalog"
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="PDF files (releases)")
    parser.add_argument("--case", metavar="X.rvcase", help="store results in this case file")
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    parser.add_argument("--stats", action="store_true", help="add counts per exemption/kind")
    parser.add_argument("--dpi", type=float, default=150.0, help="detection render DPI")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (1 = serial)")
    parser.add_argument("--no-ocr", action="store_true", help="do not OCR labels on scans")
    parser.add_argument("--rescan", action="store_true", help="redo pages already detected")
    parser.add_argument("--password", help="password for encrypted PDFs")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    options = ScanOptions(args.dpi, args.password, not args.no_ocr, args.rescan)
    executor = make_executor(args.jobs)
    cancel = CancelToken()
    case = Case.open(args.case, create=True) if args.case else None
    reports: list[ScanReport] = []
    try:
        for path in args.files:
            progress = StderrProgress(f"scan {path}", quiet=args.quiet)
            reports.append(
                scan_document(
                    path,
                    options=options,
                    case=case,
                    executor=executor,
                    progress=progress,
                    cancel=cancel,
                )
            )
    finally:
        if case is not None:
            case.close()
    write_catalog(reports, args.format, args.stats)
    for warning in dict.fromkeys(w for r in reports for w in r.warnings):
        print(f"redactview: warning: {warning}", file=sys.stderr)
    return 0


def write_catalog(reports: list[ScanReport], fmt: str, stats: bool) -> None:
    docs = [r.document for r in reports]
    if fmt == "csv":
        sys.stdout.write(catalog_to_csv(docs))
        if stats:
            summary = compute_stats(docs)
            print(f"redactions: {summary['redactions']}", file=sys.stderr)
        return
    print_json(catalog_to_json(docs, stats=stats))
