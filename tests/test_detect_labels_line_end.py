"""A code list ending a box's line in the right margin (``labels.read_line_end``):
"███ exceeded the estimate.        (b)(4)". Prose that ends its line citing an
exemption is not one."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from test_detect_fixtures import black, scanned_pdf

from redactview.analysis.labels import ViewWord, read_line_end
from redactview.analysis.pipeline import PageTask, analyze_page
from redactview.core.geometry import Box
from redactview.ocr.tesseract import find_tesseract

BOX = Box(150, 100, 260, 120)  # 20 px high


def word(x0: float, x1: float, text: str, y0: float = 101) -> ViewWord:
    return ViewWord(Box(x0, y0, x1, y0 + 18), text)


PROSE = [word(266, 330, "exceeded"), word(336, 370, "the"), word(376, 440, "estimate.")]


def test_a_code_set_apart_at_the_end_of_the_line_is_the_box_s() -> None:
    label = read_line_end(BOX, [*PROSE, word(600, 650, "(b)(4)")])
    assert label.where == "right" and label.exemptions == ("(b)(4)",)
    assert [w.text for w in label.words] == ["(b)(4)"]
    speck = word(760, 762, ".")  # a speck of the scan past the code
    assert read_line_end(BOX, [*PROSE, word(600, 650, "(b)(4)"), speck]).exemptions == ("(b)(4)",)


def test_a_code_list_in_two_words_is_read_whole() -> None:
    label = read_line_end(BOX, [*PROSE, word(600, 640, "(b)(6),"), word(646, 700, "(b)(7)(C)")])
    assert label.exemptions == ("(b)(6)", "(b)(7)(C)")


def test_a_margin_code_after_prose_ending_in_a_b_word_is_read() -> None:
    words = [word(266, 330, "requested"), word(336, 356, "by"), word(600, 650, "(b)(4)")]
    assert read_line_end(BOX, words).exemptions == ("(b)(4)",)
    listed = [*PROSE, word(600, 640, "(b)(6)"), word(642, 646, ","), word(650, 700, "b7C")]
    assert read_line_end(BOX, listed).exemptions == ("(b)(6)", "(b)(7)(C)")


def test_prose_ending_its_line_with_a_code_is_no_label() -> None:
    words = [word(266, 330, "withheld"), word(336, 380, "under"), word(386, 430, "(b)(5)")]
    assert not read_line_end(BOX, words).found


def test_a_code_with_print_after_it_or_on_another_line_is_no_label() -> None:
    assert not read_line_end(BOX, [*PROSE, word(600, 650, "(b)(4)"), word(656, 700, "per")]).found
    assert not read_line_end(BOX, [*PROSE, word(600, 650, "(b)(4)", y0=130)]).found
    assert not read_line_end(BOX, PROSE).found


def test_a_code_left_of_the_box_is_not_read_here() -> None:
    assert not read_line_end(BOX, [word(60, 110, "(b)(4)")]).found


@pytest.mark.slow
@pytest.mark.skipif(find_tesseract() is None, reason="Tesseract not installed")
def test_a_scanned_margin_code_labels_the_box_on_its_line(tmp_path: Path) -> None:
    def draw(page: pymupdf.Page) -> None:
        for k, code in enumerate(["(b)(4)", "(b)(6)"]):
            y = 150 + 40 * k
            page.insert_text((72, y), "The vendor's bid of", fontsize=11, fontname="helv")
            black(page, (175, y - 9, 245, y + 3))
            page.insert_text((250, y), "exceeded the estimate.", fontsize=11, fontname="helv")
            page.insert_text((500, y), code, fontsize=9, fontname="helv")
        page.insert_text((72, 260), "It was withheld under (b)(5)", fontsize=11, fontname="helv")
        black(page, (250, 281, 330, 293))  # prose before and after, no code
        page.insert_text((72, 290), "The award went to", fontsize=11, fontname="helv")
        page.insert_text((335, 290), "after the review.", fontsize=11, fontname="helv")

    path = scanned_pdf(draw, tmp_path / "margin.pdf")
    result = analyze_page(PageTask(str(path), 1, "0" * 64, 150.0, ocr=True))
    found = sorted(result.redactions, key=lambda r: r.box.y0)
    assert [r.exemptions for r in found] == [("(b)(4)",), ("(b)(6)",), ()]
    assert [r.label_position for r in found[:2]] == ["right", "right"]
