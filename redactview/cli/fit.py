"""``redactview fit FILE.pdf --redaction ID --candidates names.txt``: who fits under a box.

The box comes from ``--page N --bbox x0,y0,x1,y1`` (PDF points, unrotated page,
origin top-left), or from ``--redaction ID`` looked up in ``--case`` or, with
no case, found by running detection on the file page by page. Candidates come
from ``--candidates FILE`` (one per line; ``-`` reads stdin), ``--candidate``
(repeatable) and, unless ``--no-auto``, the names the release shows in clear.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from redactview.analysis.fit import Candidate, rank_label
from redactview.analysis.names import release_names
from redactview.analysis.width_page import NotOnTextLineError, estimate_span_width
from redactview.analysis.width_span import SpanFit, fit_span_candidates, group_boxes
from redactview.cli.output import print_json
from redactview.core.geometry import Box, union_all
from redactview.core.hashing import sha256_file
from redactview.core.model import Word
from redactview.errors import ExitCode, InputMissingError, RedactviewError
from redactview.store.case import Case


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "fit", help="estimate hidden characters under a redaction and rank candidate names"
    )
    parser.add_argument("file", metavar="FILE", help="the release PDF")
    parser.add_argument("--redaction", metavar="ID", help="redaction id (as in the scan catalog)")
    parser.add_argument("--case", help="case file holding the redaction (and cached OCR words)")
    parser.add_argument("--page", type=int, help="1-based page (with --bbox)")
    parser.add_argument(
        "--bbox",
        action="append",
        help="x0,y0,x1,y1 in PDF points, origin top-left; repeat for the line boxes of one "
        "redaction broken over lines",
    )
    parser.add_argument("--candidates", metavar="FILE", help="names, one per line ('-': stdin)")
    parser.add_argument("--candidate", action="append", default=[], help="one name (repeatable)")
    parser.add_argument("--no-auto", action="store_true", help="do not add the release's names")
    parser.add_argument("--top", type=int, default=0, help="show only the best N (0: all)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(func=run)


def parse_bbox(text: str) -> Box:
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        values = []
    if len(values) != 4:
        raise UsageError("--bbox needs four numbers: x0,y0,x1,y1")
    return Box.from_seq(values)


class UsageError(RedactviewError):
    exit_code = ExitCode.USAGE


def locate_box(args: argparse.Namespace) -> tuple[int, list[Box], list[Word] | None]:
    """The page and boxes to fit (a grouped redaction's line boxes, top to bottom),
    and cached OCR words from the case if any."""
    if args.page is not None and args.bbox:
        boxes = sorted((parse_bbox(b) for b in args.bbox), key=lambda b: b.y0)
        return args.page, boxes, case_words(args, args.page)
    if not args.redaction:
        raise UsageError("give --redaction ID, or --page N with --bbox x0,y0,x1,y1")
    if args.case:
        with Case.open(args.case, readonly=True) as case:
            found = case.redactions.get(args.redaction)
            release = case.redactions.release_of(args.redaction) if found else None
            page = case.redactions.list(release, found.page) if found and release else []
        if found is None:
            raise InputMissingError(f"{args.case}: no redaction {args.redaction}")
        return found.page, group_boxes(found, page), case_words(args, found.page)
    return (*detect_redaction(args.file, args.redaction), None)


def detect_redaction(path: str, redaction_id: str) -> tuple[int, list[Box]]:
    """Run detection page by page until the redaction with this id turns up."""
    from redactview.analysis.pipeline import PageTask, analyze_page
    from redactview.pdf.info import inspect_document

    info = inspect_document(path)
    sha = sha256_file(path)
    for number in range(1, info.page_count + 1):
        print(f"fit: looking for {redaction_id} on page {number}", file=sys.stderr)
        found = analyze_page(PageTask(str(path), number, sha)).redactions
        for red in found:
            if red.id == redaction_id:
                return red.page, group_boxes(red, found)
    raise InputMissingError(f"{path}: no redaction {redaction_id} found by detection")


def case_words(args: argparse.Namespace, page: int) -> list[Word] | None:
    """OCR words the case already holds for this page of this file (None: read afresh)."""
    if not args.case:
        return None
    with Case.open(args.case, readonly=True) as case:
        release = case.release_by_sha256(sha256_file(args.file))
        words = case.words.page(release.id, page) if release else []
    return [w for w in words if w.source == "ocr"] or None


def read_candidates(args: argparse.Namespace) -> list[str]:
    lines: list[str] = list(args.candidate)
    if args.candidates == "-":
        lines += sys.stdin.read().splitlines()
    elif args.candidates:
        path = Path(args.candidates)
        if not path.is_file():
            raise InputMissingError(f"{path}: no such candidates file")
        lines += path.read_text(encoding="utf-8", errors="replace").splitlines()
    if not args.no_auto:
        lines += release_names(args.file)
    return lines


def run(args: argparse.Namespace) -> int:
    page, boxes, words = locate_box(args)
    span = estimate_span_width(args.file, page, boxes, words)
    if span is None:
        raise NotOnTextLineError(f"page {page}: the box is not on a line of visible text")
    ranked = fit_span_candidates(span, read_candidates(args))
    if args.top > 0:
        ranked = ranked[: args.top]
    data = to_json(span, ranked, page, boxes, args.redaction)
    if args.format == "json":
        print_json(data)
    else:
        print(format_text(data))
    return 0


def to_json(
    span: SpanFit, ranked: list[Candidate], page: int, boxes: list[Box], rid: str | None
) -> dict[str, Any]:
    est = span.estimate
    data = {
        "schema": "redactview.fit/1",
        "redaction": rid,
        "page": page,
        "bbox": list(union_all(boxes).rounded(2).as_tuple()),
        "est_chars": [est.lo, est.hi],
        "box_width": est.box_width,
        "hidden_width": est.hidden_width,
        "tolerance": est.tolerance,
        "advance": est.advance,
        "space": est.space,
        "font": est.font,
        "size": est.size,
        "basis": est.basis,
        "bounded": est.bounded,
        "case": est.case,
        "resolution": span.resolution,
        "candidates": [
            {
                "text": c.text,
                "width": c.width,
                "residual": c.residual,
                "score": c.score,
                "fits": c.fits,
                "rank": c.rank,
                "tied_with": c.tied_with,
            }
            for c in ranked
        ],
    }
    if len(span.segments) > 1:
        data["segments"] = [
            {"est_chars": [s.estimate.lo, s.estimate.hi], "hidden_width": s.estimate.hidden_width,
             "bounded": s.estimate.bounded}
            for s in span.segments
        ]  # fmt: skip
    return data


def format_text(data: dict[str, Any]) -> str:
    lo, hi = data["est_chars"]
    lines = [
        f"page {data['page']}  box {data['box_width']:.1f} pt  font {data['font']} "
        f"{data['size']:g} pt ({data['basis']})",
        f"hidden text ≈ {data['hidden_width']:.1f} ± {data['tolerance']:.1f} pt  →  "
        f"{lo}–{hi} characters",
        "",
        f"{'rank':<12} {'score':>6} {'residual':>9} {'width':>7}  fits  candidate",
    ]
    for c in data["candidates"]:
        mark = "yes" if c["fits"] else "NO "
        lines.append(
            f"{rank_label(c['rank'], c['tied_with']):<12} {c['score']:6.3f} "
            f"{c['residual']:+8.2f}p {c['width']:7.2f}  {mark}   {c['text']}"
        )
    return "\n".join(lines)
