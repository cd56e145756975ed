"""The linker, the link store and the CLI on generated born-digital release pairs.

The pairs come from bench/compare_bench.py: release B is re-laid out (other
line and page breaks), reordered, has a cover letter and other Bates numbers.
"""

from __future__ import annotations

import importlib.util
import io
import json
import sys
from contextlib import redirect_stdout
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from redactview.analysis.compare import PageContent, link_releases
from redactview.cli.main import run as cli_run
from redactview.core.geometry import Box
from redactview.core.model import LinkRef, LinkStatus, RedactionLink, Word
from redactview.store.case import Case


def load_bench() -> ModuleType:
    path = Path(__file__).resolve().parent.parent / "bench" / "compare_bench.py"
    spec = importlib.util.spec_from_file_location("compare_bench", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["compare_bench"] = module
    spec.loader.exec_module(module)
    return module


bench = load_bench()


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return bench.make_release_pair(tmp_path_factory.mktemp("pair"), pages=8, seed=3)


def test_generated_pair_links_with_high_precision_and_recall(pair: Any) -> None:
    result = link_releases(bench.read_release(pair.path_a), bench.read_release(pair.path_b))
    score = bench.score_links(pair, result)
    assert score.expected > 50
    assert score.precision >= 0.95 and score.recall >= 0.95, score
    statuses = {link.status for link in result.links}
    assert {LinkStatus.BOTH, LinkStatus.REVEALED, LinkStatus.NEW} <= statuses


def test_reveal_read_from_b_words_without_a_box() -> None:
    """B prints the name where A had a box: the link carries B's words as the text."""
    line = [
        "the",
        "contract",
        "was",
        "signed",
        "by",
        "{}",
        "on",
        "behalf",
        "of",
        "the",
        "agency",
        "in",
        "March",
    ]
    a_words = [w for w in line if w != "{}"]
    b_words = [w if w != "{}" else "Derek Ashworth" for w in line]
    page_a = make_page(a_words, box_after=4)
    page_b = make_page(" ".join(b_words).split(), box_after=None)
    result = link_releases([page_a], [page_b])
    (link,) = result.links
    assert link.status is LinkStatus.REVEALED
    assert link.revealed_text == "Derek Ashworth"
    assert link.b is not None and link.b.page == 1


def make_page(words: list[str], box_after: int | None) -> PageContent:
    from redactview.core.model import Fill, Redaction, RedactionKind

    placed, x = [], 72.0
    reds = []
    for i, text in enumerate(words):
        placed.append(Word(1, Box(x, 100, x + 6 * len(text), 112), text))
        x += 6 * len(text) + 4
        if box_after is not None and i == box_after:
            reds.append(Redaction("r1", 1, Box(x, 99, x + 80, 113), RedactionKind.VECTOR,
                                  Fill.BLACK, ("(b)(6)",)))  # fmt: skip
            x += 84
    return PageContent(1, tuple(placed), tuple(reds))


def test_link_store_keeps_user_links_on_relink(tmp_path: Path) -> None:
    with Case.open(tmp_path / "x.rvcase", create=True) as case:
        a_id, b_id = add_release(case, tmp_path, "a"), add_release(case, tmp_path, "b")
        ref_a = LinkRef(2, Box(10, 10, 50, 20), "ra")
        ref_b = LinkRef(3, Box(12, 11, 52, 21), "rb")
        computed = RedactionLink(LinkStatus.BOTH, ref_a, ref_b, None, ("(b)(6)",), ("(b)(6)",))
        case.links.replace_computed(a_id, b_id, [computed])
        (broken_a, _) = case.links.break_link(a_id, b_id, computed)
        assert broken_a.status is LinkStatus.UNMATCHED and broken_a.user_set
        stored = case.links.replace_computed(a_id, b_id, [computed])  # a re-link
        assert computed not in stored
        assert {link.user_set for link in stored} == {True} and len(stored) == 2
        added = case.links.add(a_id, b_id, computed)
        assert case.links.between(a_id, b_id) == [added]


def test_link_store_restores_a_pair_snapshot_exactly(tmp_path: Path) -> None:
    # Undo of a link decision: the pair's rows go back to the snapshot, whether
    # the decision added rows (break, hand link) or only set user_set (confirm).
    path = tmp_path / "x.rvcase"
    with Case.open(path, create=True) as case:
        a_id, b_id = add_release(case, tmp_path, "a"), add_release(case, tmp_path, "b")
        ref_a = LinkRef(2, Box(10, 10, 50, 20), "ra")
        ref_b = LinkRef(3, Box(12, 11, 52, 21), "rb")
        other = LinkRef(4, Box(10, 30, 40, 40), "rc")
        computed = [
            RedactionLink(LinkStatus.BOTH, ref_a, ref_b, None, ("(b)(6)",), ("(b)(6)",)),
            RedactionLink(LinkStatus.REVEALED, other, None, "Jane Roe", ("(b)(6)",), ()),
        ]
        before = case.links.replace_computed(a_id, b_id, computed)
        case.links.break_link(a_id, b_id, before[0])
        case.links.confirm(a_id, b_id, before[1])
        after = case.links.between(a_id, b_id)
        assert after != before
        case.links.restore_pair(a_id, b_id, before)
    with Case.open(path) as case:
        assert case.links.between(a_id, b_id) == before
        case.links.restore_pair(a_id, b_id, after)
        assert case.links.between(a_id, b_id) == after


def add_release(case: Case, folder: Path, name: str) -> int:
    from redactview.core.model import DocumentInfo

    info = DocumentInfo(str(folder / f"{name}.pdf"), name * 64, 3, ())
    return case.add_release(info).id


@pytest.mark.slow
def test_cli_compare_prints_versioned_json(pair: Any, tmp_path: Path) -> None:
    out = io.StringIO()
    case = tmp_path / "c.rvcase"
    with redirect_stdout(out):
        code = cli_run(["compare", str(pair.path_a), str(pair.path_b), "--jobs", "1",
                        "--no-ocr", "--quiet", "--case", str(case)])  # fmt: skip
    assert code == 0
    data = json.loads(out.getvalue())
    assert data["schema"] == "redactview.compare/1"
    assert set(data["a"]) == {"path", "sha256"}
    revealed = [link for link in data["links"] if link["status"] == "revealed"]
    assert revealed and all(link["revealed_text"] and link["b"] for link in revealed)
    assert all(isinstance(p, list) and len(p) == 2 for p in data["page_pairs"])
    with Case.open(case) as opened:
        a, b = opened.releases()
        assert len(opened.links.between(a.id, b.id)) == len(data["links"])
