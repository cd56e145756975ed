"""Linking on scan-like input: OCR'd codes, box-edge debris, skewed lines, OCR slips.

Pages are built as page contents (words with boxes, confidences, redactions)
the way detection + whole-page OCR hand them to the linker; the re-read test
renders a real scanned page and runs Tesseract on it.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from redactview.analysis.compare import CompareResult, PageContent, link_releases
from redactview.analysis.compare.reread import reread_reveals
from redactview.analysis.compare.stream import is_label_token, visible_words
from redactview.core.geometry import Box
from redactview.core.model import (
    Fill,
    LinkRef,
    LinkStatus,
    Redaction,
    RedactionKind,
    RedactionLink,
    Word,
)
from redactview.ocr.tesseract import find_tesseract

FILLER = [
    "northwind",
    "federal",
    "pilot",
    "retention",
    "schedule",
    "probe",
    "images",
    "vendor",
    "audit",
    "logs",
    "kept",
    "records",
    "addendum",
    "privacy",
    "impact",
    "assessment",
    "clause",
    "marketing",
    "statistics",
    "accuracy",
    "benchmark",
    "agency",
]


def red(rid: str, page: int, box: Box) -> Redaction:
    return Redaction(rid, page, box, RedactionKind.RASTER, Fill.BLACK, ("(b)(6)",))


def lay_out(
    page: int, lines: list[list[str]], *, top: float = 100.0, slope: float = 0.0,
    hidden: frozenset[tuple[int, int]] | set[tuple[int, int]] = frozenset(), conf: float = 95.0,
) -> tuple[list[Word], dict[int, Box]]:  # fmt: skip
    """Words on lines 14 pt apart, each line rising ``slope`` pt per pt (a skewed scan).

    Words at (line, index) in ``hidden`` are left out; the box over each line's
    hidden words is returned by line.
    """
    words: list[Word] = []
    boxes: dict[int, Box] = {}
    for n, line in enumerate(lines):
        x = 72.0
        for i, text in enumerate(line):
            w = 5.5 * len(text)
            y = top + 14.0 * n + slope * (x - 72.0)
            box = Box(x, y, x + w, y + 10.0)
            if (n, i) in hidden:
                boxes[n] = box if n not in boxes else boxes[n].union(box)
            else:
                words.append(Word(page, box, text, conf, 1, n, "ocr"))
            x += w + 4.0
    return words, boxes


def page_of(number: int, words: list[Word], reds: list[Redaction]) -> PageContent:
    return PageContent(number, tuple(words), tuple(reds))


# -- tokens that are not content ----------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "is_code"),
    [("()(6);(0)(71C)", True), ("(by(6);", True), ("(b\\(7(C)", True), ("(5)(6);(b)(7)(C)", True),
     ("(555)", False), ("(2019)", False), ("(a)", False), ("Raman", False)],
)  # fmt: skip
def test_codes_as_ocr_garbles_them_are_labels(text: str, is_code: bool) -> None:
    assert is_label_token(text) is is_code


def test_low_confidence_junk_beside_a_box_is_debris_but_text_above_it_is_not() -> None:
    box = Box(100, 100, 200, 112)
    junk = Word(1, Box(203, 101, 220, 111), "ann", 23.0, source="ocr")  # right of the box
    above = Word(1, Box(100, 86, 140, 97), "Derek", 3.0, source="ocr")  # line above
    sure = Word(1, Box(203, 101, 220, 111), "and", 96.0, source="ocr")
    page = page_of(1, [junk, above, sure], [red("r", 1, box)])
    assert [w.text for w in visible_words(page)] == ["Derek", "and"]


# -- paragraphs withheld line by line on skewed scans ---------------------------------------
def paragraph() -> list[list[str]]:
    intro = ["team", "sent", "comments", "below", "the", "redline", "is", "attached"]
    body = [[f"{w}{n}" for w in FILLER[n * 5 : n * 5 + 5]] for n in range(3)]
    outro = ["on", "accuracy", "the", "agency", "should", "require", "published", "numbers"]
    return [intro, *body, outro]


def test_skewed_paragraph_reveal_is_split_by_bs_lines() -> None:
    """B's lines fall 12 pt along a line (a 2.9° scan); each A box gets its line."""
    lines = paragraph()
    hidden = {(n, i) for n in (1, 2, 3) for i in range(5)}
    words_a, boxes = lay_out(1, lines, hidden=hidden)
    reds_a = [red(f"a{n}", 1, boxes[n].expanded(1.0)) for n in (1, 2, 3)]
    words_b, _ = lay_out(1, lines, slope=0.05, top=100.0)
    result = link_releases([page_of(1, words_a, reds_a)], [page_of(1, words_b, [])])
    texts = {k.a.redaction_id: k.revealed_text for k in result.links if k.a is not None}
    assert texts == {f"a{n}": " ".join(lines[n]) for n in (1, 2, 3)}


# -- a context word lost to OCR ------------------------------------------------------------
def test_reveal_keeps_only_the_words_where_the_box_lands() -> None:
    """A's "by" was fused with the box by OCR and lost: the context then brackets
    "by Priya Raman" in B. The pages share a layout, so the box carried across
    says "Priya Raman"."""
    lines = [["Prepared", "by", "Priya", "Raman", "for", "the", "agency"],
             *[[f"{w}{n}" for w in FILLER[n * 4 : n * 4 + 4]] for n in range(4)]]  # fmt: skip
    words_a, boxes = lay_out(1, lines, hidden={(0, 2), (0, 3)})
    words_a = [w for w in words_a if w.text != "by"]
    a_box = boxes[0].expanded(1.0)
    words_b, _ = lay_out(1, lines, top=103.0)
    result = link_releases([page_of(1, words_a, [red("a", 1, a_box)])], [page_of(1, words_b, [])])
    (link,) = [k for k in result.links if k.a is not None]
    assert link.status is LinkStatus.REVEALED
    assert link.revealed_text == "Priya Raman"


# -- a name fused with the box by whole-page OCR -------------------------------------------
def scanned_header(path: Path) -> tuple[Box, Box]:
    """An image-only page: "From: Derek Ashworth" and a black box right after it."""
    src = pymupdf.open()
    page = src.new_page(width=612, height=792)
    page.insert_text((72, 100), "From:", fontname="helv", fontsize=11)
    page.insert_text((150, 100), "Derek Ashworth", fontname="helv", fontsize=11)
    end = 150 + pymupdf.get_text_length("Derek Ashworth", "helv", 11)
    box = Box(end + 3, 89, end + 190, 103)
    page.draw_rect(pymupdf.Rect(box.as_tuple()), color=(0, 0, 0), fill=(0, 0, 0))
    for n in range(6):
        page.insert_text((72, 140 + 14 * n), " ".join(FILLER[n * 3 : n * 3 + 6]), fontsize=11)
    pix = page.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)
    out = pymupdf.open()
    scan = out.new_page(width=612, height=792)
    scan.insert_image(scan.rect, pixmap=pix)
    out.save(path)
    return box, Box(150, 90, end, 102)


@pytest.mark.skipif(find_tesseract() is None, reason="Tesseract is not installed")
def test_reveal_fused_with_a_box_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "b.pdf"
    b_box, name = scanned_header(path)
    derek = Box(name.x0, name.y0, name.x0 + 30, name.y1)
    fused = Box(derek.x1 + 3, 80, b_box.x1, 108)  # "Ashworth" and the box as one junk word
    words = [Word(1, derek, "Derek", 96.0, source="ocr"),
             Word(1, fused, "TT", 16.0, source="ocr")]  # fmt: skip
    page_b = page_of(1, words, [red("b", 1, b_box)])
    # What the linker made of it: A's box over the name, "Derek" revealed in B.
    link = RedactionLink(LinkStatus.REVEALED, LinkRef(1, name.expanded(1.0), "a"),
                         LinkRef(1, derek), "Derek", ("(b)(6)",), (), 0.9)  # fmt: skip
    result = CompareResult(((1, 1),), (link,))
    reread = reread_reveals(path, None, result, [page_b])
    (after,) = reread.links
    assert after.revealed_text == "Derek Ashworth"
    assert after.b is not None and after.b.box.x1 > derek.x1 + 20  # the box grew over Ashworth


def test_lines_of_a_skewed_scan_are_told_apart_by_the_wrap() -> None:
    from redactview.analysis.compare.link import split_lines
    from redactview.analysis.compare.stream import build_stream

    words, _ = lay_out(1, paragraph(), slope=0.05)
    stream = build_stream([page_of(1, words, [])])
    lines = split_lines(stream, list(range(len(stream))))
    assert [len(line) for line in lines] == [len(line) for line in paragraph()]
