"""``redactview scan FILE_OR_FOLDER...``: find every redaction and print the catalog.

stdout is the catalog (JSON "redactview.catalog/1" or CSV); progress, notes and
warnings go to stderr. With ``--case`` the releases and redactions are stored
in the case as well (resumable: finished pages are skipped unless --rescan).

Folders are scanned for ``*.pdf`` files (``--recursive`` descends), sorted so
that every run sees them in the same order. A file that cannot be scanned is
reported and the others go on; the exit code is then that of the first failed
file (3 missing, 4 not a PDF, 5 damaged, 6 encrypted, 11 over a limit), and
stdout still holds the catalog of the files that were scanned.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from redactview.cli.output import StderrProgress, print_json
from redactview.core.catalog import catalog_to_csv, catalog_to_json, compute_stats
from redactview.core.exemptions import DEFAULT_JURISDICTIONS, JURISDICTIONS
from redactview.core.progress import CancelToken
from redactview.errors import ExitCode
from redactview.jobs.executor import make_executor
from redactview.jobs.scan import BatchReport, ScanFailure, ScanOptions, ScanReport, scan_documents
from redactview.store.case import Case


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "scan", help="detect redactions and exemption codes; print the catalog"
    )
    parser.add_argument(
        "files", nargs="+", metavar="PATH", help="PDF files (releases) or folders holding them"
    )
    parser.add_argument("--recursive", "-r", action="store_true", help="descend into subfolders")
    parser.add_argument("--case", metavar="X.rvcase", help="store results in this case file")
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    parser.add_argument("--stats", action="store_true", help="add counts per exemption/kind")
    parser.add_argument("--dpi", type=float, default=150.0, help="detection render DPI")
    parser.add_argument(
        "--jobs", type=positive_int, default=None, help="worker processes (1 = serial)"
    )
    parser.add_argument(
        "--dask",
        metavar="tcp://HOST:8786",
        help="run pages on this Dask scheduler (workers need the same file paths)",
    )
    add_jurisdiction_option(parser)
    parser.add_argument("--no-ocr", action="store_true", help="do not OCR labels on scans")
    parser.add_argument("--rescan", action="store_true", help="redo pages already detected")
    parser.add_argument("--password", help="password for encrypted PDFs")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.set_defaults(func=run)


def add_jurisdiction_option(parser: argparse.ArgumentParser) -> None:
    """``--jurisdiction TABLE`` (repeatable): the exemption tables releases cite."""
    parser.add_argument(
        "--jurisdiction",
        action="append",
        choices=JURISDICTIONS,
        metavar="TABLE",
        help=(
            "exemption tables the release cites, repeatable: "
            f"{', '.join(JURISDICTIONS)} (default: {' and '.join(DEFAULT_JURISDICTIONS)})"
        ),
    )


def chosen_tables(args: argparse.Namespace) -> tuple[str, ...]:
    return tuple(dict.fromkeys(args.jurisdiction or DEFAULT_JURISDICTIONS))


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


@dataclass(frozen=True, slots=True)
class Inputs:
    files: tuple[Path, ...]
    notes: tuple[str, ...]  # what was left out of the folders, and why


def collect_inputs(paths: list[str], recursive: bool) -> Inputs:
    """Files named on the command line as they are; folders expanded to their PDFs.

    A named file is always scanned (if it is not a PDF, the user hears why); in
    folders only ``*.pdf`` counts, and hidden entries (``.DS_Store``, macOS
    ``._x.pdf`` forks) are left out. Duplicates are dropped, first one kept.
    """
    files: list[Path] = []
    notes: list[str] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found, skipped = find_pdfs(path, recursive)
            files += found
            notes += skipped
        else:
            files.append(path)
    unique = {os.path.realpath(f): f for f in reversed(files)}
    return Inputs(tuple(f for f in files if unique[os.path.realpath(f)] is f), tuple(notes))


def find_pdfs(folder: Path, recursive: bool) -> tuple[list[Path], list[str]]:
    """The PDFs in a folder, sorted; notes for the files and folders left out."""
    found: list[Path] = []
    notes: list[str] = []
    # os.walk does not follow symlinked folders, so a link loop cannot trap us.
    for root, dirs, names in os.walk(folder):
        hidden = sorted(d for d in dirs if d.startswith("."))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        if not recursive:
            if dirs:
                notes.append(f"{root}: {len(dirs)} subfolder(s) not searched (use --recursive)")
            dirs.clear()
        else:
            notes += [f"{Path(root, d)}: hidden folder skipped" for d in hidden]
        for name in sorted(names):
            path = Path(root, name)
            if name.startswith("."):
                notes.append(f"{path}: hidden file skipped")
            elif name.lower().endswith(".pdf"):
                found.append(path)
            else:
                notes.append(f"{path}: not a PDF file name, skipped")
    # One order for the whole tree (by path components), as a sorted listing shows it.
    return sorted(found), notes


def run(args: argparse.Namespace) -> int:
    inputs = collect_inputs(args.files, args.recursive)
    for note in inputs.notes:
        print(f"redactview: note: {note}", file=sys.stderr)
    if args.dask and args.jobs:
        print("redactview: note: --jobs is ignored with --dask", file=sys.stderr)
    options = ScanOptions(
        args.dpi, args.password, not args.no_ocr, args.rescan, chosen_tables(args)
    )
    case = Case.open(args.case, create=True) if args.case else None
    try:
        batch = scan_documents(
            inputs.files,
            options=options,
            case=case,
            executor=make_executor(args.jobs, args.dask),
            progress=StderrProgress("scan", quiet=args.quiet),
            cancel=CancelToken(),
        )
    finally:
        if case is not None:
            case.close()
    if batch.reports:
        write_catalog(list(batch.reports), args.format, args.stats)
    report_problems(batch, len(inputs.files))
    return int(batch.failures[0].error.exit_code) if batch.failures else int(ExitCode.OK)


def report_problems(batch: BatchReport, file_count: int) -> None:
    for note in batch.notes:
        print(f"redactview: note: {note}", file=sys.stderr)
    for warning in dict.fromkeys(w for r in batch.reports for w in r.warnings):
        print(f"redactview: warning: {warning}", file=sys.stderr)
    for failure in batch.failures:
        print(f"redactview: error: {failure_message(failure)}", file=sys.stderr)
    if batch.failures and file_count > 1:
        print(
            f"redactview: {len(batch.failures)} of {file_count} files could not be scanned",
            file=sys.stderr,
        )


def failure_message(failure: ScanFailure) -> str:
    """The error's one line, naming the file if the message does not already."""
    message = failure.error.message
    return message if Path(failure.path).name in message else f"{failure.path}: {message}"


def write_catalog(reports: list[ScanReport], fmt: str, stats: bool) -> None:
    docs = [r.document for r in reports]
    if fmt == "csv":
        sys.stdout.write(catalog_to_csv(docs))
        if stats:
            summary = compute_stats(docs)
            print(f"redactions: {summary['redactions']}", file=sys.stderr)
        return
    data = catalog_to_json(docs, stats=stats)
    # Pages that could not be analysed (over a size limit, damaged): named per
    # document, as the warnings on stderr name them; a resumed run retries them.
    for entry, report in zip(data["documents"], reports, strict=True):
        entry["skipped_pages"] = [{"page": n, "reason": why} for n, why in report.unread_pages]
    print_json(data)
