"""Exemptions cited by number, as EPA's releases label their boxes ("Ex. 6 Personal
Privacy (PP)" in white inside a black box, "Ex. 5 Deliberative Process (DP)" in a
white bordered box, "Ex. 6" beside one). Such a label in a box used to read as no
code, and a black bar with words in it was dropped as a section header: the
redaction was missing from the catalog."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from test_detect_fixtures import black, scanned_pdf

from redactview.analysis.labels import ViewWord, read_beside, read_left
from redactview.analysis.pipeline import PageTask, analyze_page
from redactview.core.geometry import Box
from redactview.core.model import Redaction
from redactview.ocr.tesseract import find_tesseract

BOX = Box(150, 100, 260, 120)  # 20 px high


def word(x0: float, x1: float, text: str) -> ViewWord:
    return ViewWord(Box(x0, 101, x1, 119), text)


def test_ex_and_its_number_beside_a_box_are_its_label() -> None:
    label = read_beside(BOX, [word(266, 290, "Ex."), word(294, 304, "6"), word(340, 380, "Home")])
    assert label.exemptions == ("(b)(6)",) and label.text == "Ex. 6"
    assert read_beside(BOX, [word(266, 290, "Exemption"), word(294, 320, "7(C)")]).exemptions == (
        "(b)(7)(C)",
    )
    assert read_left(BOX, [word(100, 124, "Ex."), word(128, 138, "5")]).exemptions == ("(b)(5)",)


def test_ex_before_a_word_or_a_number_far_off_is_no_label() -> None:
    assert not read_beside(BOX, [word(266, 290, "Ex"), word(294, 330, "parte")]).found
    assert not read_beside(BOX, [word(266, 290, "Ex."), word(330, 340, "6")]).found  # 40 px on


LABEL_PP = "Ex. 6 Personal Privacy (PP)"
LABEL_DP = "Ex. 5 Deliberative Process (DP)"


def label_inside(page: pymupdf.Page, rect: tuple[float, float, float, float], text: str) -> None:
    """A black box with its label centred inside in small white bold type."""
    black(page, rect)
    width = pymupdf.get_text_length(text, "hebo", 7.5)
    x = rect[0] + (rect[2] - rect[0] - width) / 2
    page.insert_text((x, rect[3] - 3.5), text, fontsize=7.5, fontname="hebo", color=(1, 1, 1))


def draw_epa_page(page: pymupdf.Page) -> None:
    page.insert_text((72, 100), "From:   Jones, Karen", fontsize=11)
    label_inside(page, (190, 91, 340, 103), LABEL_PP)
    page.insert_text((72, 140), "My comments are below:", fontsize=11)
    label_inside(page, (72, 150, 540, 162), LABEL_DP)
    page.insert_text((72, 190), "The region's position remains that", fontsize=11)
    page.draw_rect((250, 181, 420, 193), color=(0, 0, 0), fill=(1, 1, 1), width=0.8)
    page.insert_text((268, 189.5), LABEL_DP, fontsize=7.5, fontname="helv")
    page.insert_text((72, 220), "Home:", fontsize=11)
    black(page, (110, 211, 200, 223))
    page.insert_text((206, 220), "Ex. 6", fontsize=9, fontname="hebo")


WANT = {  # the box's left edge (pt) -> its codes
    190: ("(b)(6)",),
    72: ("(b)(5)",),
    250: ("(b)(5)",),
    110: ("(b)(6)",),
}


def codes_by_left_edge(found: tuple[Redaction, ...]) -> dict[int, tuple[str, ...]]:
    return {next(x for x in WANT if abs(r.box.x0 - x) < 4): r.exemptions for r in found}


def test_born_digital_labels_by_number_keep_their_boxes(tmp_path: Path) -> None:
    doc = pymupdf.open()
    draw_epa_page(doc.new_page(width=612, height=792))
    pdf = tmp_path / "epa.pdf"
    doc.save(pdf)
    result = analyze_page(PageTask(str(pdf), 1, "0" * 64, 150.0, ocr=False))
    assert codes_by_left_edge(result.redactions) == WANT


@pytest.mark.slow
@pytest.mark.skipif(find_tesseract() is None, reason="Tesseract not installed")
def test_scanned_labels_by_number_keep_their_boxes(tmp_path: Path) -> None:
    pdf = scanned_pdf(draw_epa_page, tmp_path / "epa_scan.pdf", skew=0.5)
    result = analyze_page(PageTask(str(pdf), 1, "0" * 64, 150.0, ocr=True))
    assert codes_by_left_edge(result.redactions) == WANT
