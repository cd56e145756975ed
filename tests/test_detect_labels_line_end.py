"""A code list ending a box's line in the right margin (``labels_margin.read_line_end``):
"███ exceeded the estimate.        (b)(4)". Prose that ends its line citing an
exemption is not one."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pymupdf
import pytest
from test_detect_fixtures import black, scanned_pdf

from redactview.analysis.labels import ViewWord
from redactview.analysis.labels_margin import read_line_end
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


def margin_row(y0: float, *texts: str) -> list[ViewWord]:
    """A row of small codes in the right margin (glyphs 12 px high)."""
    return [ViewWord(Box(600 + 40 * k, y0, 630 + 40 * k, y0 + 12), t) for k, t in enumerate(texts)]


def test_the_fbi_s_codes_stacked_in_the_margin_are_read_as_one_label() -> None:
    # "b6 -1" on the box's line, "b7C -1" under it at the codes' own leading
    # (a blank of 7 px: 0.6 of the glyphs' height).
    stack = margin_row(103, "b6", "-1") + margin_row(122, "b7C", "-1")
    label = read_line_end(BOX, [*PROSE, *stack])
    assert label.exemptions == ("(b)(6)", "(b)(7)(C)")
    assert label.text == "b6 -1 b7C -1" and label.where == "right"


def test_a_box_on_the_second_line_of_a_stack_takes_the_whole_stack() -> None:
    under = Box(60, 118, 140, 138)  # the next line's box, beside the stack's second row
    stack = margin_row(103, "b6", "-1") + margin_row(122, "b7C", "-1")
    assert read_line_end(under, stack).exemptions == ("(b)(6)", "(b)(7)(C)")


def test_the_next_passage_s_codes_a_line_of_print_down_are_not_joined() -> None:
    # A blank of 16 px (1.3 glyph heights): the text's leading, not the codes'.
    rows = margin_row(103, "b6", "-1") + margin_row(131, "b7E", "-3")
    assert read_line_end(BOX, [*PROSE, *rows]).exemptions == ("(b)(6)",)


def test_ocr_boxes_too_high_do_not_hide_a_stack_s_spacing() -> None:
    # OCR boxes a lone "-1" (or a code) up to twice its glyphs' height: the
    # least height in a row is its glyphs'.
    tall = [ViewWord(Box(600, 103, 630, 115), "b6"), ViewWord(Box(640, 99, 660, 127), "-1")]
    label = read_line_end(BOX, [*PROSE, *tall, *margin_row(122, "b7C", "-1")])
    assert label.exemptions == ("(b)(6)", "(b)(7)(C)")


def test_rows_are_placed_by_the_page_s_pixels_where_ocr_boxes_them_loosely() -> None:
    # Two rows of 13 px glyphs, a blank of 17 px between (1.3 glyph heights:
    # the next passage's codes). OCR boxed both rows 27 px high and the second
    # 10 px high up, which by the boxes alone reads as a stack.
    view = np.full((200, 800), 235, np.uint8)
    view[103:116, 600:660] = 20
    view[133:146, 600:670] = 20
    loose = [
        ViewWord(Box(600, 101, 630, 128), "b7C"),
        ViewWord(Box(640, 101, 660, 128), "-1"),
        ViewWord(Box(600, 123, 630, 150), "b7E"),
        ViewWord(Box(640, 123, 670, 150), "-2"),
    ]
    assert read_line_end(BOX, [*PROSE, *loose]).exemptions == ("(b)(7)(C)", "(b)(7)(E)")
    assert read_line_end(BOX, [*PROSE, *loose], view).exemptions == ("(b)(7)(C)",)
    view[133:146] = 235  # the second row a stack's leading down: joined
    view[123:136, 600:670] = 20
    assert read_line_end(BOX, [*PROSE, *loose], view).exemptions == ("(b)(7)(C)", "(b)(7)(E)")


def test_a_row_of_prose_or_junk_under_margin_codes_is_not_joined() -> None:
    rows = margin_row(103, "b6", "-1") + margin_row(122, "Page", "2")
    assert read_line_end(BOX, [*PROSE, *rows]).text == "b6 -1"
    junk = margin_row(103, "b6", "-1") + margin_row(122, "-1")  # no code in it
    assert read_line_end(BOX, [*PROSE, *junk]).text == "b6 -1"


def test_a_junk_row_in_the_codes_column_on_a_tall_box_s_line_is_passed_over() -> None:
    # A box 34 px high: its line holds two rows of the stack. The first, "b6",
    # read as junk ("reg]"), lies right over "b7C": it is no print before the
    # codes, and the rest of the stack still labels the box.
    tall = Box(150, 100, 260, 134)
    stack = [*margin_row(101, "reg]"), *margin_row(122, "b7C"), *margin_row(141, "b7D")]
    label = read_line_end(tall, [*PROSE, *stack])
    assert label.exemptions == ("(b)(7)(C)", "(b)(7)(D)") and label.text == "b7C b7D"
    # Print before the codes, not over or under them, still ends the list there.
    before = [*margin_row(122, "b7C"), ViewWord(Box(560, 122, 596, 134), "reg]")]
    assert not read_line_end(tall, [*PROSE, *before]).found


def test_prose_in_brackets_or_a_date_before_margin_codes_is_not_part_of_them() -> None:
    # "(In Person)" and "03/13/2019" hold brackets and a slash, like code pieces.
    person = [word(266, 330, "States"), word(336, 360, "(In"), word(366, 420, "Person)")]
    assert read_line_end(BOX, [*person, *margin_row(103, "b6", "-1")]).exemptions == ("(b)(6)",)
    dated = [word(266, 330, "drafted"), word(336, 440, "03/13/2019")]
    assert read_line_end(BOX, [*dated, *margin_row(103, "b7E", "-1")]).exemptions == ("(b)(7)(E)",)


def test_a_line_running_up_to_the_page_s_column_of_codes_keeps_its_code() -> None:
    # "... (In Person)" ends 10 px before "b6 -1": close enough to be prose
    # citing a code, but two other rows of codes start at the same x: the
    # FBI's margin column.
    person = [word(266, 330, "States"), word(336, 360, "(In"), word(366, 590, "Person)")]
    column = margin_row(200, "b7E", "-1") + margin_row(260, "b6", "-1")
    label = read_line_end(BOX, [*person, *margin_row(103, "b6", "-1"), *column])
    assert label.exemptions == ("(b)(6)",)
    cited = [word(266, 330, "withheld"), word(336, 380, "under"), word(386, 430, "(b)(5)")]
    elsewhere = [word(500, 550, "(b)(6)", y0=200), word(520, 570, "(b)(5)", y0=260)]
    assert not read_line_end(BOX, [*cited, *elsewhere]).found  # prose, codes not in a column


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


def fd302(page: pymupdf.Page) -> None:
    """An FBI interview report: Courier lines, bars over names, the codes stacked
    in the right margin beside the lines they withhold; a header line whose
    stack the line band reads as junk."""

    def line(y: float, before: str, width: float, after: str = "") -> None:
        page.insert_text((72, y), before, fontsize=11, fontname="cour")
        x = 72 + pymupdf.get_text_length(before, "cour", 11)
        black(page, (x, y - 8.6, x + width, y + 2.8))
        page.insert_text((x + width, y), after, fontsize=11, fontname="cour")

    def stack(y: float, *codes: str) -> None:
        for k, code in enumerate(codes):
            page.insert_text((528, y + 10 * k), code, fontsize=8.5, fontname="helv")

    line(112, "     ", 120, ", date of birth")
    line(126, "", 80, ", was interviewed at her residence.")
    stack(112, "b6 -1", "b7C -1")
    said = "She provided the following information:"
    page.insert_text((72, 140), said, fontsize=11, fontname="cour")
    line(170, "     She has known ", 110, " since 2012.")
    stack(170, "b6 -1", "b7C -1")
    line(198, "He asked her to open an account at ", 95)
    stack(198, "b7E -3")


@pytest.mark.slow
@pytest.mark.skipif(find_tesseract() is None, reason="Tesseract not installed")
@pytest.mark.parametrize("dpi", [150.0, 200.0])
def test_an_fd302_s_margin_stacks_label_the_boxes_beside_them(tmp_path: Path, dpi: float) -> None:
    path = scanned_pdf(fd302, tmp_path / "fd302.pdf")
    result = analyze_page(PageTask(str(path), 1, "0" * 64, dpi, ocr=True))
    found = sorted(result.redactions, key=lambda r: r.box.y0)
    assert [r.exemptions for r in found] == [
        ("(b)(6)", "(b)(7)(C)"),
        ("(b)(6)", "(b)(7)(C)"),  # the stack's second row is beside its line
        ("(b)(6)", "(b)(7)(C)"),
        ("(b)(7)(E)",),  # the next passage's codes, not the stack above
    ]
    assert all(r.label_position == "right" for r in found)
