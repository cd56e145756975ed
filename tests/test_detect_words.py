"""Boxes labelled with a word instead of a code, on scans: NON-RESPONSIVE, REDACTED,
WITHHELD printed inside. The box is a redaction, the word its label; no
exemption code is made up for it. Bars with other words in them are not."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from test_detect_fixtures import black, scanned_pdf

from redactview.analysis.pipeline import PageTask, analyze_page
from redactview.core.exemptions import find_marker_words
from redactview.core.geometry import Box
from redactview.core.model import Fill, Redaction

pytestmark = [pytest.mark.tesseract, pytest.mark.slow]


def word_boxes(p: pymupdf.Page) -> None:
    p.insert_text((72, 100), "The vendor list follows.", fontsize=11)
    # White on black, as redaction tools burn it in.
    black(p, (72, 120, 300, 136))
    p.insert_text((140, 131.5), "NON-RESPONSIVE", fontsize=9, color=(1, 1, 1), fontname="hebo")
    # Black on light grey (electronic redaction tools).
    black(p, (72, 200, 260, 216), grey=0.75)
    p.insert_text((135, 211.5), "WITHHELD", fontsize=9, fontname="hebo")
    # A white box with a thin border and the word inside (the DOJ style).
    p.draw_rect((320, 200, 470, 216), color=(0, 0, 0), fill=(1, 1, 1), width=0.8)
    p.insert_text((340, 211.5), "Non-Responsive", fontsize=9, fontname="hebo")
    # A black box with REDACTED, and text on its line.
    p.insert_text((72, 300), "Approved by", fontsize=11)
    black(p, (140, 290, 260, 304))
    p.insert_text((170, 300.5), "REDACTED", fontsize=8, color=(1, 1, 1), fontname="hebo")
    p.insert_text((264, 300), "on Friday.", fontsize=11)


def look_alikes(p: pymupdf.Page) -> None:
    p.insert_text((72, 100), "Index of records", fontsize=11)
    # A table header bar whose title holds a marker word among others.
    black(p, (72, 120, 540, 138))
    p.insert_text(
        (80, 133),
        "RESPONSIVE RECORDS WITHHELD BY OTHER AGENCIES",
        fontsize=10,
        color=(1, 1, 1),
        fontname="hebo",
    )
    # A form field outlined, with a caption that is not a label.
    p.draw_rect((72, 200, 260, 216), color=(0, 0, 0), fill=(1, 1, 1), width=0.8)
    p.insert_text((80, 211.5), "Responsive date", fontsize=9, fontname="helv")


def found_on(draw, tmp_path: Path) -> list[Redaction]:  # type: ignore[no-untyped-def]
    pdf = scanned_pdf(draw, tmp_path / "scan.pdf")
    reds = analyze_page(PageTask(str(pdf), 1, "0" * 64)).redactions
    return sorted(reds, key=lambda r: (round(r.box.y0 / 20), r.box.x0))


def test_word_labelled_boxes_are_redactions_with_the_word_as_label(tmp_path: Path) -> None:
    reds = found_on(word_boxes, tmp_path)
    expected = [
        (Box(72, 120, 300, 136), "NON-RESPONSIVE", Fill.BLACK),
        (Box(72, 200, 260, 216), "WITHHELD", Fill.GREY),
        (Box(320, 200, 470, 216), "NON-RESPONSIVE", Fill.WHITE),
        (Box(140, 290, 260, 304), "REDACTED", Fill.BLACK),
    ]
    assert len(reds) == len(expected), reds
    for red, (box, word, fill) in zip(reds, expected, strict=True):
        assert red.box.iou(box) > 0.7, (red, box)
        assert find_marker_words(red.label) == (word,), red.label
        assert red.exemptions == () and red.fill == fill
    # The word is the box's label, not the text around it.
    assert reds[3].context_before == "Approved by" and reds[3].context_after == "on Friday."


def test_bars_and_fields_with_other_words_are_not_redactions(tmp_path: Path) -> None:
    assert found_on(look_alikes, tmp_path) == []
