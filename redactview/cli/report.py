"""``redactview report CASE --format … -o OUT``: exports a case; ``--import-xfdf`` reads one back.

Text formats (csv, vaughn-csv, json) go to stdout when ``-o`` is ``-`` or
omitted; everything else needs ``-o``. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from redactview.cli.output import StderrProgress, print_json
from redactview.errors import ExitCode
from redactview.export.rows import build_report
from redactview.export.service import ExportFormat, choose_release, export_case, render_text
from redactview.export.xfdf_import import import_xfdf
from redactview.pdf.document import remember_password
from redactview.store.case import Case

_STDOUT_FORMATS = (ExportFormat.CSV, ExportFormat.VAUGHN, ExportFormat.JSON)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "report",
        help="export a case: report PDF, annotated PDF, CSV, Vaughn index, JSON, XFDF, HTML",
    )
    parser.add_argument("case", metavar="CASE", help="case file (.rvcase)")
    parser.add_argument(
        "--format",
        "-f",
        choices=[f.value for f in ExportFormat],
        default="pdf",
        help="what to write (default: pdf)",
    )
    parser.add_argument("-o", "--output", metavar="OUT", help="file to write ('-' = stdout)")
    parser.add_argument("--release", help="release id or label (annotated-pdf, xfdf, import)")
    parser.add_argument(
        "--flatten",
        action="store_true",
        help="annotated-pdf: draw numbered callouts into the pages instead of annotations",
    )
    parser.add_argument(
        "--include-false-positives",
        action="store_true",
        help="also export boxes marked as not being redactions",
    )
    parser.add_argument(
        "--import-xfdf",
        metavar="XFDF",
        help="instead of exporting, read an XFDF file's squares onto a release of the case",
    )
    parser.add_argument("--password", help="password of encrypted releases (kept in memory only)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.password:
        remember_password(args.password)
    if args.import_xfdf:
        return run_import(args)
    fmt = ExportFormat(args.format)
    to_stdout = args.output in (None, "-")
    if to_stdout and fmt not in _STDOUT_FORMATS:
        print(f"redactview: error: --format {fmt.value} needs -o OUT", file=sys.stderr)
        return int(ExitCode.USAGE)
    with Case.open(args.case, readonly=True) as case:
        if to_stdout:
            data = build_report(case, include_false_positives=args.include_false_positives)
            sys.stdout.write(render_text(data, fmt))
            return 0
        result = export_case(
            case,
            fmt,
            Path(args.output),
            release=args.release,
            flatten=args.flatten,
            include_false_positives=args.include_false_positives,
            progress=StderrProgress(fmt.value, quiet=args.quiet, unit="redactions"),
        )
    if not args.quiet:
        pages = f", {result.pages} pages" if result.pages else ""
        print(f"wrote {result.path} ({result.items} redactions{pages})", file=sys.stderr)
    return 0


def run_import(args: argparse.Namespace) -> int:
    with Case.open(args.case) as case:
        release = choose_release(case, args.release)
        summary = import_xfdf(case, release.id, args.import_xfdf)
    print_json(
        {
            "schema": "redactview.xfdf-import/1",
            "release": release.label,
            "read": summary.read,
            "matched": summary.matched,
            "created": summary.created,
        }
    )
    return 0
