"""Assemble the three sample files and their ground truth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pymupdf

from .content import cover_letter, release_pages
from .memo_content import memo_pages
from .pages import (
    PageInfo,
    PageResult,
    make_scan_ocr_page,
    make_scan_page,
    make_text_page,
    rounded,
)

SEED_A, SEED_B, SEED_M = 20261122, 20261123, 20261124
SCHEMA = "redactview.truth/1"
REQUEST_NO = "2026-ICFO-01234"
DPI_A, DPI_B, DPI_M = 200, 150, 200
B_ORDER = [1, 2, 3, 5, 4, 6, 7, 8, 9, 10, 11, 12]  # e-mails 2 and 3 swapped


def page_rng(seed: int, page: int) -> np.random.Generator:
    # One stream per page, so editing one page does not reshuffle every other page.
    return np.random.default_rng([seed, page])


def save_pdf(doc: pymupdf.Document, path: Path, title: str, created: str) -> None:
    doc.set_metadata(
        {
            "title": title,
            "author": "Homeland Investigations Directorate FOIA Office",
            "subject": "",
            "keywords": "",
            "creator": "redactview sample generator",
            "producer": "redactview sample generator",
            "creationDate": created,
            "modDate": created,
        }
    )
    doc.save(path, garbage=4, deflate=True, no_new_id=True)


def write_truth(path: Path, truth: dict[str, Any]) -> None:
    path.write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def collect(results: list[PageResult], file: str, seed: int) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "file": file,
        "seed": seed,
        "page_count": len(results),
        "pages": [r.truth for r in results],
        "redactions": [red for r in results for red in r.redactions],
        "lookalikes": [la for r in results for la in r.lookalikes],
    }


def build_release_a(out: Path) -> tuple[dict[str, Any], list[PageResult]]:
    doc = pymupdf.open()
    results = []
    for n, spec in enumerate(release_pages(), start=1):
        info = PageInfo(n, "A", f"ICE-2026-FOIA-{100 + n:06d}")
        results.append(make_scan_page(doc, spec, info, DPI_A, page_rng(SEED_A, n)))
    save_pdf(
        doc, out / "release_a.pdf", f"FOIA {REQUEST_NO} interim release", "D:20260412101500-04'00'"
    )
    truth = collect(results, "release_a.pdf", SEED_A)
    write_truth(out / "release_a.truth.json", truth)
    return truth, results


def build_release_b(out: Path, a_results: list[PageResult]) -> dict[str, Any]:
    specs = release_pages()
    doc = pymupdf.open()
    cover = make_scan_page(
        doc, cover_letter(REQUEST_NO), PageInfo(1, "B", None), DPI_B, page_rng(SEED_B, 1)
    )
    results = [cover]
    for n, a_page in enumerate(B_ORDER, start=2):
        spec = specs[a_page - 1]
        info = PageInfo(
            n,
            "B",
            f"ICE-2026-SUPP-{n - 1:06d}",
            source_page=a_page,
            rotation=90 if spec.sideways else 0,
        )
        results.append(make_scan_page(doc, spec, info, DPI_B, page_rng(SEED_B, n)))
    save_pdf(
        doc,
        out / "release_b.pdf",
        f"FOIA {REQUEST_NO} supplemental release",
        "D:20260908143000-04'00'",
    )
    truth = collect(results, "release_b.pdf", SEED_B)
    truth["page_map"] = [[a, b] for b, a in enumerate(B_ORDER, start=2)]
    truth["reveals"] = find_reveals(a_results, results)
    truth["links"] = link_redactions(a_results, results)
    write_truth(out / "release_b.truth.json", truth)
    return truth


def find_reveals(a_results: list[PageResult], b_results: list[PageResult]) -> list[dict[str, Any]]:
    """A boxes whose text B prints, with where B prints it."""
    reveals = []
    for a_page, a_res in enumerate(a_results, start=1):
        b_page = B_ORDER.index(a_page) + 2
        b_res = b_results[b_page - 1]
        for red in a_res.redactions:
            key = key_of(a_res, red["id"])
            if key in b_res.revealed:
                reveals.append(
                    {
                        "a_id": red["id"],
                        "a_page": a_page,
                        "b_page": b_page,
                        "b_bbox": rounded(b_res.revealed[key]),
                        "text": red["hidden_text"],
                    }
                )
    return reveals


def key_of(result: PageResult, rid: str) -> str | None:
    return next((k for k, v in result.ids_by_key.items() if v == rid), None)


def link_redactions(
    a_results: list[PageResult], b_results: list[PageResult]
) -> list[dict[str, Any]]:
    a_ids = {k: v for r in a_results for k, v in r.ids_by_key.items()}
    links = []
    for res in b_results:
        for red in res.redactions:
            a_id = a_ids.get(key_of(res, red["id"]) or "")
            links.append({"a_id": a_id, "b_id": red["id"], "status": "both" if a_id else "new"})
    return links


def build_memo(out: Path) -> dict[str, Any]:
    specs = memo_pages()
    doc = pymupdf.open()
    results = []
    for n, spec in enumerate(specs, start=1):
        info = PageInfo(n, "M", f"ICE-2026-FOIA-{200 + n:06d}")
        if n < len(specs):
            results.append(make_text_page(doc, spec, info))
        else:
            results.append(make_scan_ocr_page(doc, spec, info, DPI_M, page_rng(SEED_M, n)))
    save_pdf(
        doc,
        out / "memo_born_digital.pdf",
        "Results of the Northwind FaceMatch Pilot",
        "D:20250418163000-04'00'",
    )
    truth = collect(results, "memo_born_digital.pdf", SEED_M)
    write_truth(out / "memo_born_digital.truth.json", truth)
    return truth


def build_all(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    _, a_results = build_release_a(out)
    build_release_b(out, a_results)
    build_memo(out)
