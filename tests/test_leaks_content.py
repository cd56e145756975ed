"""Page-content leaks: every mechanism on a tiny PDF, each with a clean twin."""

from __future__ import annotations

import io

import numpy as np
import pymupdf
import pytest
from leaks_cases import CLEAN, LEAKY, SECRET
from PIL import Image

from redactview.core.model import LeakFinding
from redactview.pdf.leaks_content import find_content_leaks


def leaks_of(data: bytes, number: int = 1) -> list[LeakFinding]:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return find_content_leaks(doc[number - 1], number)


@pytest.mark.parametrize("name", sorted(LEAKY))
def test_each_mechanism_is_found_with_the_hidden_text(name: str) -> None:
    build, mechanism, text = LEAKY[name]
    findings = leaks_of(build())
    assert [f.mechanism for f in findings] == [mechanism], findings
    finding = findings[0]
    assert finding.page == 1
    assert finding.text == text
    assert finding.box is not None and finding.confidence >= 0.5


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_clean_twin_is_not_flagged(name: str) -> None:
    assert leaks_of(CLEAN[name]()) == []


def test_box_of_text_under_box_is_where_the_words_are() -> None:
    data = LEAKY["vector_box_over_text"][0]()
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        words = doc[0].search_for(SECRET)[0]
    (finding,) = leaks_of(data)
    assert finding.box is not None
    assert abs(finding.box.x0 - words.x0) < 2 and abs(finding.box.x1 - words.x1) < 2


def test_picture_under_a_vector_box_comes_back_as_a_png_crop_with_ink() -> None:
    (finding,) = leaks_of(LEAKY["image_under_vector_box"][0]())
    assert finding.image_png is not None
    crop = np.asarray(Image.open(io.BytesIO(finding.image_png)).convert("L"))
    # The crop shows printed strokes on paper, not a flat fill.
    assert (crop < 100).mean() > 0.03 and (crop > 200).mean() > 0.3


def test_only_words_under_the_box_are_reported_not_their_neighbours() -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Visible before SECRETNAME visible after", fontsize=11)
    hit = page.search_for("SECRETNAME")[0]
    page.draw_rect(hit, color=None, fill=(0, 0, 0))
    (finding,) = leaks_of(doc.tobytes())
    assert finding.text == "SECRETNAME"


def test_box_over_text_on_a_rotated_page_is_found() -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), SECRET, fontsize=11)
    page.draw_rect(page.search_for(SECRET)[0], color=None, fill=(0, 0, 0))
    page.set_rotation(90)
    (finding,) = leaks_of(doc.tobytes())
    assert (finding.mechanism, finding.text) == ("text_under_box", SECRET)


def test_two_boxes_give_two_findings_each_with_its_own_words() -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "First Person", fontsize=11)
    page.insert_text((72, 200), "Second Person", fontsize=11)
    for text in ("First Person", "Second Person"):
        page.draw_rect(page.search_for(text)[0], color=None, fill=(0, 0, 0))
    assert sorted(f.text for f in leaks_of(doc.tobytes())) == ["First Person", "Second Person"]


def test_placeholder_xs_under_a_box_are_not_a_leak() -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "XXXXXXXXXX", fontsize=11)
    page.draw_rect(page.search_for("XXXXXXXXXX")[0], color=None, fill=(0, 0, 0))
    assert leaks_of(doc.tobytes()) == []
