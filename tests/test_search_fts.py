"""Full-text search over a case: FTS5 queries, hit positions, re-indexing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from redactview.core.geometry import Box
from redactview.core.model import DocumentInfo, PageInfo, TextStatus, Word
from redactview.store.case import Case
from redactview.store.search import find_marked_runs, to_fts_query


def words(page: int, text: str, y: float = 100.0) -> list[Word]:
    found, x = [], 72.0
    for token in text.split():
        width = 6.0 * len(token)
        found.append(Word(page, Box(x, y, x + width, y + 12), token, source="ocr"))
        x += width + 4
    return found


@pytest.fixture
def case(tmp_path: Path) -> Iterator[Case]:
    opened = Case.open(tmp_path / "s.rvcase", create=True)
    for name in ("a", "b"):
        pages = tuple(PageInfo(n, 612, 792, 0, TextStatus.NEEDS_OCR) for n in (1, 2))
        opened.add_release(DocumentInfo(str(tmp_path / f"{name}.pdf"), name * 64, 2, pages))
    yield opened
    opened.close()


def test_hits_carry_page_and_word_boxes(case: Case) -> None:
    case.search.index_page(1, 2, "ocr", words(2, "The agent met the informant in Portland"))
    [hit] = case.search.search("informant")
    assert (hit.release_id, hit.page, hit.text, hit.source) == (1, 2, "informant", "ocr")
    assert hit.box == words(2, "The agent met the informant in Portland")[4].box
    assert "[informant]" in hit.snippet


def test_phrase_prefix_and_and_queries(case: Case) -> None:
    line = "Payments to Lauren Mitchell were approved by the field office"
    case.search.index_page(1, 1, "ocr", words(1, line))
    case.search.index_page(2, 1, "text", words(1, "Mitchell approved nothing"))
    [phrase] = case.search.search('"lauren mitchell"')
    assert phrase.text == "Lauren Mitchell" and len(phrase.word_boxes) == 2
    assert phrase.box == Box(phrase.word_boxes[0].x0, 100, phrase.word_boxes[1].x1, 112)
    assert {h.release_id for h in case.search.search("mitchell approved")} == {1, 2}
    assert [h.text for h in case.search.search("approv*")] != []
    assert case.search.search("mitchell", release_id=2)[0].release_id == 2
    assert case.search.search("nowhere") == []


def test_exemption_codes_and_quotes_are_not_fts_syntax(case: Case) -> None:
    case.search.index_page(1, 1, "ocr", words(1, "withheld under (b)(6) and (b)(7)(C)"))
    assert case.search.search("(b)(6)")[0].page == 1
    assert case.search.search('O"Neil AND OR NEAR(') == []
    assert to_fts_query('say "two words" pre*') == '"say" "two words" "pre"*'


def test_reindexing_a_page_replaces_it(case: Case) -> None:
    case.search.index_page(1, 1, "ocr", words(1, "first reading"))
    case.search.index_page(1, 1, "ocr", words(1, "second reading"))
    assert case.search.search("first") == []
    assert len(case.search.search("reading")) == 1
    case.search.index_page(1, 1, "ocr", [])
    assert case.search.indexed_pages(1) == set()


def test_marked_runs_span_words_and_skip_gaps() -> None:
    assert find_marked_runs("a \x02b c\x03 d \x02e\x03") == [(1, 2), (4, 4)]
    assert find_marked_runs("\x02x\x03 \x02y\x03") == [(0, 1)]
