"""``redactview ocr FILE.pdf``: read scanned pages with Tesseract, in parallel, cached.

stdout carries the result (a summary, or every word with ``--format json``);
progress and per-page failures go to stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from redactview.cli.output import StderrProgress, print_json
from redactview.core.model import Release, TextStatus, Word
from redactview.core.progress import CancelToken
from redactview.errors import ExitCode
from redactview.export.atomic import write_atomically
from redactview.jobs.executor import Executor, make_executor
from redactview.jobs.ocr_run import ExecutorFactory, OcrOptions, OcrRunReport, ocr_key, run_ocr
from redactview.jobs.page_index import merge_words, read_text_layer
from redactview.jobs.words import index_text_pages, release_words
from redactview.ocr.engine import TesseractEngine, list_languages
from redactview.pdf.info import inspect_pages
from redactview.pdf.searchable import text_direction, write_searchable
from redactview.store.case import Case, open_or_scratch_case


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "ocr", help="OCR the scanned pages of a PDF (parallel, cached in a case)"
    )
    parser.add_argument("file", nargs="?", metavar="FILE.pdf", help="the PDF to read")
    parser.add_argument("--case", metavar="X.rvcase", help="case file to cache words in")
    parser.add_argument("--lang", default="eng", help="Tesseract languages, e.g. eng+spa")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: cores)")
    parser.add_argument(
        "--dask",
        metavar="tcp://HOST:8786",
        help="read pages on this Dask scheduler (workers need the same file paths and Tesseract)",
    )
    parser.add_argument("--force", action="store_true", help="OCR every page, ignoring the cache")
    parser.add_argument("--dpi", type=int, default=300, help="render resolution (default 300)")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per page")
    parser.add_argument("--searchable", metavar="OUT.pdf", help="write a searchable copy")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--password", help="password for an encrypted PDF")
    parser.add_argument("--list-langs", action="store_true", help="list installed languages")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.list_langs:
        print("\n".join(list_languages()))
        return 0
    if not args.file:
        print("redactview ocr: error: FILE.pdf is required", file=sys.stderr)
        return int(ExitCode.USAGE)
    if args.jobs is not None and args.jobs < 1:
        print("redactview ocr: error: --jobs must be at least 1", file=sys.stderr)
        return int(ExitCode.USAGE)
    if args.dask and args.jobs:
        print("redactview ocr: note: --jobs is ignored with --dask", file=sys.stderr)
    options = OcrOptions(
        args.lang, args.dpi, args.jobs, args.force, args.timeout, TesseractEngine(), args.password
    )
    with open_or_scratch_case(args.case, "ocr") as case:
        inspection = inspect_pages(args.file, args.password)
        for _, reason in inspection.skipped:  # over a size limit: never rendered nor read
            print(f"redactview: warning: {reason} (page not read)", file=sys.stderr)
        release = case.add_release(inspection.info)
        report = run_ocr(
            case,
            release,
            options,
            progress=StderrProgress("ocr", quiet=args.quiet),
            cancel=CancelToken(),
            executor_factory=executor_factory(args.dask),
        )
        index_text_pages(case, release, args.password)
        words = release_words(case, release, options)
        if args.searchable:
            write_searchable_copy(case, release, options, report, args.searchable)
        report_failures(report)
        if args.format == "json":
            print_json(to_json(release, options, report, words))
        else:
            print(format_text(release, report, words))
    return int(ExitCode.CANCELLED) if report.cancelled else 0


def executor_factory(dask_address: str | None) -> ExecutorFactory:
    """Each OCR round's executor: a pool of ``jobs`` processes, or the Dask cluster."""

    def make(jobs: int) -> Executor:
        return make_executor(jobs, dask_address)

    return make


def write_searchable_copy(
    case: Case, release: Release, options: OcrOptions, report: OcrRunReport, target: str
) -> None:
    """Invisible words on the OCR'd pages only; text-layer pages are searchable already.

    On mixed (and forced born-digital) pages only the OCR words the text layer
    lacks are added, so a search does not find every typed word twice.
    """
    pages = [*report.done, *report.cached]
    cached = case.ocr_cache.get_many(ocr_key(release, options), pages) if pages else {}
    infos = case.pages(release.id)
    rotation = {p.number: p.rotation for p in infos}
    typed = [
        p.number for p in infos if p.number in cached and p.text_status != TextStatus.NEEDS_OCR
    ]
    text = read_text_layer(case.locate_release(release), typed, options.password)
    words = {
        page: merge_words(text[page], entry.words)[len(text[page]) :]
        if page in text
        else entry.words
        for page, entry in cached.items()
    }

    def produce(tmp: Path) -> None:
        write_searchable(
            case.locate_release(release),
            tmp,
            words,
            text_rotation={
                page: text_direction(entry.rotation, rotation.get(page, 0))
                for page, entry in cached.items()
            },
            password=options.password,
        )

    # Atomic like every export: a crash never leaves half a PDF, and the copy
    # may even replace the file it was made from.
    write_atomically(Path(target), produce)


def report_failures(report: OcrRunReport) -> None:
    for failure in report.failures:
        print(
            f"redactview ocr: page {failure.page} failed after {failure.attempts} attempts: "
            f"{failure.error}",
            file=sys.stderr,
        )
    if report.cancelled:
        print(
            f"redactview ocr: cancelled; {len(report.done)} pages read and kept, "
            f"{len(report.missing)} not read",
            file=sys.stderr,
        )


def word_json(word: Word) -> dict[str, Any]:
    return {
        "text": word.text,
        "bbox": [round(v, 2) for v in word.box.as_tuple()],
        "conf": round(word.conf, 1),
        "block": word.block,
        "line": word.line,
        "source": word.source,
    }


def to_json(
    release: Release, options: OcrOptions, report: OcrRunReport, words: dict[int, list[Word]]
) -> dict[str, Any]:
    return {
        "schema": "redactview.ocr/1",
        "file": release.path,
        "sha256": release.sha256,
        "engine": report.engine_version,
        "languages": options.lang,
        "dpi": options.dpi,
        "ocr_pages": list(report.wanted),
        "ocr_done": list(report.done),
        "ocr_cached": list(report.cached),
        "failures": [
            {"page": f.page, "error": f.error, "attempts": f.attempts} for f in report.failures
        ],
        "cancelled": report.cancelled,
        "pages": [
            {"page": page, "words": [word_json(w) for w in page_words]}
            for page, page_words in sorted(words.items())
        ],
    }


def format_text(release: Release, report: OcrRunReport, words: dict[int, list[Word]]) -> str:
    lines = [
        release.path,
        f"  pages needing OCR: {len(report.wanted)} (read now {len(report.done)}, "
        f"from cache {len(report.cached)}, failed {len(report.failures)})",
        f"  engine:            {report.engine_version or 'not needed'}",
        f"  time:              {report.seconds:.1f}s",
    ]
    for page, page_words in sorted(words.items()):
        sources = sorted({w.source for w in page_words}) or ["none"]
        lines.append(f"  page {page:>4}: {len(page_words):>5} words ({'+'.join(sources)})")
    return "\n".join(lines)
