"""``redactview leaks FILE.pdf...``: redactions that do not redact, and what they hide.

stdout is the result (a table, or JSON with ``--format json``); progress goes to
stderr. With ``--case`` the findings are stored with the release and the
recovered text fills the catalog's ``text_under`` of the redactions above it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from redactview.analysis.leaks import (
    DocumentLeaks,
    attach_text_under,
    check_document,
    link_findings,
)
from redactview.cli.output import StderrProgress, print_json
from redactview.core.model import LeakFinding
from redactview.errors import OutputError
from redactview.export.atomic import write_bytes_atomically
from redactview.pdf.info import inspect_document
from redactview.store.case import Case

SCHEMA = "redactview.leaks/1"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "leaks", help="find redactions that do not redact and show the hidden text"
    )
    parser.add_argument("files", nargs="+", metavar="FILE.pdf", help="PDF files")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--min-confidence",
        type=float,
        default=0.5,
        help="hide findings below this confidence (default 0.5; 0 shows everything)",
    )
    parser.add_argument("--no-ocr", action="store_true", help="do not OCR pictures under boxes")
    parser.add_argument("--crops", metavar="DIR", help="save pictures found under boxes as PNG")
    parser.add_argument(
        "--case", metavar="X.rvcase", help="store findings and text_under in a case"
    )
    parser.add_argument("--password", help="password for encrypted PDFs")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    results = []
    for path in args.files:
        progress = StderrProgress(Path(path).name, quiet=args.quiet)
        result = check_document(
            path, password=args.password, ocr=not args.no_ocr, progress=progress
        )
        if args.case:
            store_in_case(Path(args.case), result, args.password)
        results.append(result)
    for warning in (w for r in results for w in r.warnings):
        print(f"redactview: warning: {warning}", file=sys.stderr)
    crops = save_crops(results, Path(args.crops)) if args.crops else {}
    shown = [[f for f in r.findings if f.confidence >= args.min_confidence] for r in results]
    if args.format == "json":
        documents = [to_json(r, fs, crops) for r, fs in zip(results, shown, strict=True)]
        print_json({"schema": SCHEMA, "documents": documents})
    else:
        print("\n\n".join(format_text(r, fs, crops) for r, fs in zip(results, shown, strict=True)))
    return 0


def store_in_case(path: Path, result: DocumentLeaks, password: str | None) -> None:
    """Findings replace the release's previous ones; redactions get their text_under."""
    with Case.open(path, create=True) as case:
        release = case.release_by_sha256(result.sha256)
        if release is None:
            release = case.add_release(inspect_document(result.path, password))
        redactions = case.redactions.list(release.id)
        case.findings.replace(release.id, link_findings(result.findings, redactions))
        for before, after in zip(
            redactions, attach_text_under(redactions, result.findings), strict=True
        ):
            if after.text_under != before.text_under:
                case.redactions.save(release.id, after)


def crop_name(result: DocumentLeaks, index: int, finding: LeakFinding) -> str:
    return f"{result.sha256[:12]}-p{finding.page}-{index}.png"


def save_crops(results: list[DocumentLeaks], folder: Path) -> dict[tuple[str, int], str]:
    """Write each picture crop; return (sha256, finding index) -> file path."""
    written: dict[tuple[str, int], str] = {}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for result in results:
            for index, finding in enumerate(result.findings):
                if finding.image_png:
                    target = folder / crop_name(result, index, finding)
                    write_bytes_atomically(target, finding.image_png)
                    written[(result.sha256, index)] = str(target)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot write crops ({exc.strerror})") from exc
    return written


def finding_json(finding: LeakFinding, image: str | None) -> dict[str, Any]:
    return {
        "page": finding.page,
        "bbox": list(finding.box.as_tuple()) if finding.box else None,
        "mechanism": finding.mechanism,
        "text": finding.text,
        "confidence": round(finding.confidence, 3),
        "has_image": finding.image_png is not None,
        "image": image,
    }


def to_json(
    result: DocumentLeaks, shown: list[LeakFinding], crops: dict[tuple[str, int], str]
) -> dict[str, Any]:
    index_of = {id(f): i for i, f in enumerate(result.findings)}
    return {
        "path": result.path,
        "sha256": result.sha256,
        "findings": [finding_json(f, crops.get((result.sha256, index_of[id(f)]))) for f in shown],
    }


def format_text(
    result: DocumentLeaks, shown: list[LeakFinding], crops: dict[tuple[str, int], str]
) -> str:
    hidden = len(result.findings) - len(shown)
    lines = [
        result.path,
        f"  {len(shown)} finding(s)" + (f", {hidden} below the threshold" if hidden else ""),
    ]
    index_of = {id(f): i for i, f in enumerate(result.findings)}
    for f in shown:
        where = "document" if f.page == 0 else f"p.{f.page}"
        box = " ".join(f"{v:.0f}" for v in f.box.as_tuple()) if f.box else "-"
        text = f.text or ("(picture under the box)" if f.image_png else "")
        crop = crops.get((result.sha256, index_of[id(f)]))
        lines.append(f"  {where:<9} {f.mechanism:<28} {f.confidence:.2f}  [{box}]  {text}")
        if crop:
            lines.append(f"  {'':<9} crop: {crop}")
    return "\n".join(lines)
