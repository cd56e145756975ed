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


def withheld_pages(truth_a: dict[str, Any]) -> dict[int, str]:
    """A's pages withheld in full, with the id of the page-sized box."""
    kinds = {p["page"]: p["kind"] for p in truth_a["pages"]}
    return {r["page"]: r["id"] for r in truth_a["redactions"] if kinds[r["page"]] == "withheld"}


def documented_links(truth_a: dict[str, Any], truth_b: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The truth's links, with docs/compare.md's reading of a page A withheld in full.

    The truth calls the boxes B keeps on that page "new" (readable in A,
    redacted in B) with no A box. A printed nothing there — the whole page was
    withheld — so those words are hidden in both releases: "both", linked to
    A's page-sized box.
    """
    withheld = withheld_pages(truth_a)
    b_to_a = {b: a for a, b in truth_b["page_map"]}
    page_of_b = {r["id"]: r["page"] for r in truth_b["redactions"]}
    links = []
    for t in truth_b["links"]:
        a_page = b_to_a.get(page_of_b.get(t["b_id"], -1))
        if t["status"] == "new" and t["a_id"] is None and a_page in withheld:
            links.append((withheld[a_page], t["b_id"], "both"))
        else:
            links.append((t["a_id"], t["b_id"], t["status"]))
    return links


def test_links_have_the_right_counterpart(sample_result: Any) -> None:
    """At least 98% of the truth's links, read as documented (all 96 at the time of writing)."""
    truth_b, result = sample_result
    found = {
        (link.a.redaction_id if link.a else None, link.b.redaction_id if link.b else None,
         link.status.value)
        for link in result.links
    }  # fmt: skip
    expected = documented_links(load_truth("release_a"), truth_b)
    missing = [e for e in expected if e not in found]
    share = 1 - len(missing) / len(expected)
    assert share >= 0.98, (share, missing)


def test_page_withheld_in_a_reveals_what_b_prints_and_b_boxes_are_both(
    sample_result: Any,
) -> None:
    truth_b, result = sample_result
    withheld = withheld_pages(load_truth("release_a"))
    assert withheld, "release_a has no page withheld in full"
    pairs = dict(result.page_pairs)
    for a_page, box_id in withheld.items():
        b_page = pairs[a_page]
        mine = [k for k in result.links if k.a is not None and k.a.redaction_id == box_id]
        revealed = [k for k in mine if k.status is LinkStatus.REVEALED]
        assert len(revealed) == 1 and revealed[0].b is not None
        assert revealed[0].b.page == b_page and len(squash(revealed[0].revealed_text)) > 100
        b_boxes = {r["id"] for r in truth_b["redactions"] if r["page"] == b_page}
        on_b = [k for k in result.links if k.b is not None and k.b.redaction_id in b_boxes]
        assert on_b and all(k.status is not LinkStatus.NEW for k in on_b)
        linked_to_page = {k.b.redaction_id for k in mine if k.status is LinkStatus.BOTH and k.b}
        assert linked_to_page == b_boxes


def test_page_pairs_follow_the_page_map(sample_result: Any) -> None:
    truth_b, result = sample_result
    assert set(map(tuple, truth_b["page_map"])) <= set(result.page_pairs)
