"""Codes in the left margin, set apart from the line they label
(``labels_margin.read_line_start``): the CIA and the NSA stack "(b)(1)" over "(b)(3)"
there, beside lines whose box starts the line or lies mid-line."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from test_detect_fixtures import black, scanned_pdf

from redactview.analysis.labels import ViewWord
from redactview.analysis.labels_margin import read_line_start
from redactview.analysis.pipeline import PageTask, analyze_page
from redactview.core.geometry import Box
from redactview.ocr.tesseract import find_tesseract

MID = Box(400, 100, 520, 120)  # a box mid-line, 20 px high
PROSE = [ViewWord(Box(200, 101, 260, 119), "2."), ViewWord(Box(266, 101, 390, 119), "The source")]


def margin_row(y0: float, *texts: str) -> list[ViewWord]:
    """A row of small codes in the left margin (glyphs 12 px high)."""
    return [ViewWord(Box(40 + 60 * k, y0, 90 + 60 * k, y0 + 12), t) for k, t in enumerate(texts)]


def test_a_stack_in_the_left_margin_labels_a_box_mid_line() -> None:
    stack = margin_row(103, "(b)(1)") + margin_row(122, "(b)(3)")
    label = read_line_start(MID, [*stack, *PROSE])
    assert label.where == "left" and label.exemptions == ("(b)(1)", "(b)(3)")


def test_the_next_line_s_codes_and_prose_are_not_joined() -> None:
    rows = margin_row(103, "(b)(1)") + margin_row(131, "(b)(3)")  # a text line down
    assert read_line_start(MID, [*rows, *PROSE]).exemptions == ("(b)(1)",)
    under = [ViewWord(Box(40, 122, 90, 134), "Source:"), ViewWord(Box(96, 122, 130, 134), "(1)")]
    assert read_line_start(MID, [*margin_row(103, "(b)(1)"), *under, *PROSE]).text == "(b)(1)"


def test_a_code_starting_prose_is_no_margin_label() -> None:
    # "(b)(5) material was withheld ███": the code is the sentence's, close to its print.
    said = [
        ViewWord(Box(200, 101, 250, 119), "(b)(5)"),
        ViewWord(Box(256, 101, 390, 119), "material"),
    ]
    assert not read_line_start(MID, said).found


@pytest.mark.slow
@pytest.mark.skipif(find_tesseract() is None, reason="Tesseract not installed")
def test_a_cable_s_left_margin_stacks_label_the_boxes_beside_them(tmp_path: Path) -> None:
    def draw(page: pymupdf.Page) -> None:
        def text(x: float, y: float, s: str, size: float = 11, font: str = "cour") -> float:
            page.insert_text((x, y), s, fontsize=size, fontname=font)
            return x + pymupdf.get_text_length(s, font, size)

        def stack(y: float, *codes: str) -> None:
            for k, code in enumerate(codes):
                text(30, y + 10 * k, code, 8.5, "helv")

        black(page, (108, 121.4, 258, 132.8))
        text(262, 130, "reported that the group met on")
        stack(130, "(b)(1)", "(b)(3)")
        text(108, 144, "12 March in the capital to discuss the shipment.")
        x = text(108, 172, "2. The source said that ")
        black(page, (x, 163.4, x + 120, 174.8))
        stack(172, "(b)(1)", "(b)(3)")
        text(108, 186, "would travel to the border the following week.")
        x = text(108, 214, "3. Station will report further on ")
        black(page, (x, 205.4, x + 110, 216.8))
        stack(214, "(b)(1)")

    path = scanned_pdf(draw, tmp_path / "cable.pdf")
    result = analyze_page(PageTask(str(path), 1, "0" * 64, 150.0, ocr=True))
    found = sorted(result.redactions, key=lambda r: r.box.y0)
    assert [r.exemptions for r in found] == [
        ("(b)(1)", "(b)(3)"),
        ("(b)(1)", "(b)(3)"),
        ("(b)(1)",),
    ]
    assert all(r.label_position == "left" for r in found)
