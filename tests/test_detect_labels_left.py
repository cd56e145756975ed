"""A code printed left of a box, first on its line (``labels.read_left``): in the margin
beside a box that starts its line. Print or another box before it on the line makes
it someone else's."""

from __future__ import annotations

from redactview.analysis.labels import ViewWord, read_left
from redactview.core.geometry import Box

BOX = Box(150, 100, 260, 120)  # a box starting its line, 20 px high


def word(x0: float, x1: float, text: str, y0: float = 101) -> ViewWord:
    return ViewWord(Box(x0, y0, x1, y0 + 18), text)


def test_a_code_in_the_margin_beside_the_box_is_its_label() -> None:
    label = read_left(BOX, [word(90, 140, "(b)(7)(C)"), word(270, 320, "who")])
    assert label.where == "left"
    assert label.exemptions == ("(b)(7)(C)",)
    assert [w.text for w in label.words] == ["(b)(7)(C)"]


def test_a_code_list_in_two_words_is_read_left_to_right() -> None:
    label = read_left(BOX, [word(105, 136, "(b)(6),"), word(50, 98, "(b)(7)(C)")])
    assert label.text == "(b)(7)(C) (b)(6),"
    assert label.exemptions == ("(b)(7)(C)", "(b)(6)")


def test_prose_citing_an_exemption_before_the_box_is_no_label() -> None:
    words = [word(20, 80, "under"), word(86, 140, "(b)(6)")]
    assert not read_left(BOX, words).found


def test_the_code_after_the_box_before_is_that_boxs() -> None:
    before = Box(20, 100, 80, 120)  # "███ (b)(6) ███"
    assert not read_left(BOX, [word(86, 140, "(b)(6)")], [before]).found
    assert read_left(BOX, [word(86, 140, "(b)(6)")], [Box(20, 140, 80, 160)]).found


def test_a_code_far_left_of_the_box_or_on_another_line_is_no_label() -> None:
    assert not read_left(BOX, [word(20, 100, "(b)(6)")]).found  # 50 px: over 1.6 lines
    assert not read_left(BOX, [word(86, 140, "(b)(6)", y0=125)]).found
