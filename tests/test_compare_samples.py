"""The linker on the sample releases, fed with the ground truth's words and boxes.

This measures the linking logic alone (words and redactions as a perfect
detector + OCR would give them), not detection or OCR: every reveal listed in
release_b.truth.json must be found with its text, and the links listed there
must come out with the right status and counterpart.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from redactview.analysis.compare import PageContent, link_releases
from redactview.core.geometry import Box
from redactview.core.model import Fill, LinkStatus, Redaction, RedactionKind, Word

SAMPLES = Path(__file__).resolve().parent.parent / "sample_docs"


def load_truth(name: str) -> dict[str, Any]:
    path = SAMPLES / f"{name}.truth.json"
    if not path.exists():
        pytest.skip(f"{path.name} not generated yet")
    return json.loads(path.read_text("utf-8"))


def truth_pages(truth: dict[str, Any]) -> list[PageContent]:
    """Page contents from the truth: visible words, boxes with their ids and codes."""
    reds: dict[int, list[Redaction]] = {}
    for r in truth["redactions"]:
        box = Box.from_seq(r["bbox"])
        red = Redaction(r["id"], r["page"], box, RedactionKind(r["kind"]), Fill.BLACK,
                        tuple(r["exemptions"]))  # fmt: skip
        reds.setdefault(r["page"], []).append(red)
    pages = []
    for p in truth["pages"]:
        words = tuple(Word(p["page"], Box.from_seq(w["bbox"]), w["text"]) for w in p["words"])
        pages.append(PageContent(p["page"], words, tuple(reds.get(p["page"], ()))))
    return pages


def squash(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


@pytest.fixture(scope="module")
def sample_result() -> Any:
    truth_a, truth_b = load_truth("release_a"), load_truth("release_b")
    return truth_b, link_releases(truth_pages(truth_a), truth_pages(truth_b))


def test_every_reveal_is_found_with_its_text(sample_result: Any) -> None:
    truth_b, result = sample_result
    by_a = {link.a.redaction_id: link for link in result.links if link.a is not None}
    misses = []
    for reveal in truth_b["reveals"]:
        link = by_a.get(reveal["a_id"])
        ok = (
            link is not None
            and link.status is LinkStatus.REVEALED
            and link.b is not None
            and link.b.page == reveal["b_page"]
            and squash(link.revealed_text) == squash(reveal["text"])
        )
        if not ok:
            misses.append((reveal["a_id"], reveal["text"], link))
    assert not misses, misses


def test_links_have_the_right_counterpart(sample_result: Any) -> None:
    """At least 93% of the truth's links, and every named exception is a known weak spot.

    Known misses (see docs/compare.md): a letterhead box at the very top of a
    page whose only context is "From:" on the next line can pair with the
    neighbouring box; boxes in B on the page A withheld in full are "both"
    here (linked to A's page-sized box) where the truth calls them "new".
    """
    truth_b, result = sample_result
    found = {
        (link.a.redaction_id if link.a else None, link.b.redaction_id if link.b else None,
         link.status.value)
        for link in result.links
    }  # fmt: skip
    expected = [(t["a_id"], t["b_id"], t["status"]) for t in truth_b["links"]]
    missing = [e for e in expected if e not in found]
    share = 1 - len(missing) / len(expected)
    assert share >= 0.93, (share, missing)


def test_page_pairs_follow_the_page_map(sample_result: Any) -> None:
    truth_b, result = sample_result
    assert set(map(tuple, truth_b["page_map"])) <= set(result.page_pairs)
