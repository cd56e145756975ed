"""``redactview search CASE "query"``: full-text search over every page of a case.

Searches text layers and OCR words alike (run ``redactview ocr --case`` first
for scans). Words are ANDed; "double quotes" make a phrase; word* a prefix.
"""

from __future__ import annotations

import argparse
from typing import Any

from redactview.cli.output import print_json
from redactview.store.case import Case
from redactview.store.search import SearchHit


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("search", help="full-text search in a case's pages")
    parser.add_argument("case", metavar="CASE", help="the .rvcase file")
    parser.add_argument("query", help='words to find; "a phrase" in quotes; prefix*')
    parser.add_argument("--release", type=int, help="only this release id")
    parser.add_argument("--limit", type=int, default=200, help="at most this many hits")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with Case.open(args.case, readonly=True) as case:
        labels = {r.id: r.label for r in case.releases()}
        hits = case.search.search(args.query, release_id=args.release, limit=args.limit)
    if args.format == "json":
        print_json(
            {
                "schema": "redactview.search/1",
                "query": args.query,
                "hits": [hit_json(h, labels) for h in hits],
            }
        )
    else:
        for hit in hits:
            box = ", ".join(f"{v:.0f}" for v in hit.box.as_tuple())
            print(
                f"{labels.get(hit.release_id, hit.release_id)}  p.{hit.page}  [{box}]  "
                f"{hit.snippet}"
            )
    return 0


def hit_json(hit: SearchHit, labels: dict[int, str]) -> dict[str, Any]:
    return {
        "release_id": hit.release_id,
        "release": labels.get(hit.release_id, ""),
        "page": hit.page,
        "bbox": [round(v, 2) for v in hit.box.as_tuple()],
        "word_bboxes": [[round(v, 2) for v in b.as_tuple()] for b in hit.word_boxes],
        "text": hit.text,
        "snippet": hit.snippet,
        "source": hit.source,
    }
