"""The page's summary of exemptions (a footer line, a margin list) labels the boxes
that have no code of their own, with less confidence; prose citing a code, Bates
numbers, or a summary on a page whose boxes are all labelled change nothing."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from test_detect_fixtures import black, scanned_pdf

from redactview.analysis.labels import ViewWord
from redactview.analysis.labels_summary import continues_labelled, find_summary_label
from redactview.analysis.pipeline import PageTask, analyze_page
from redactview.core.geometry import Box
from redactview.core.model import Redaction

SHAPE = (1650, 1275)  # a letter page at 150 dpi, rows x columns


def words_of(*items: tuple[str, float, float]) -> list[ViewWord]:
    """Words at (x, y) view pixels, 10 px tall, as wide as their text."""
    return [ViewWord(Box(x, y, x + 9 * len(t), y + 20), t) for t, x, y in items]


def test_a_footer_line_naming_the_exemptions_is_the_summary() -> None:
    words = words_of(
        ("Exemptions", 150, 1500),
        ("applied:", 260, 1500),
        ("(b)(6),", 350, 1500),
        ("(b)(7)(C)", 430, 1500),
        ("ABC-2019-000123", 1000, 1560),  # the Bates number below it is no code
    )
    label = find_summary_label(words, SHAPE)
    assert label.where == "summary" and label.exemptions == ("(b)(6)", "(b)(7)(C)")
    assert "ABC" not in label.text


def test_a_list_of_codes_in_the_margin_is_the_summary() -> None:
    words = words_of(("(b)(5)", 1150, 400), ("(b)(6)", 1150, 430))
    assert find_summary_label(words, SHAPE).exemptions == ("(b)(5)", "(b)(6)")


@pytest.mark.parametrize(
    "items",
    [
        # Prose in the body that cites a code.
        [("withheld", 150, 600), ("under", 250, 600), ("(b)(5)", 330, 600)],
        # A footer sentence that quotes a code without being a list of the page's.
        [("See", 150, 1500), ("our", 200, 1500), ("letter", 250, 1500), ("(b)(5)", 330, 1500)],
        # A margin note with words besides codes.
        [("see", 1150, 400), ("(b)(6)", 1190, 400), ("memo", 1250, 400)],
        # Only a Bates number.
        [("ABC-2019-000123", 1000, 1560)],
    ],
)
def test_prose_and_bates_numbers_are_no_summary(items: list[tuple[str, float, float]]) -> None:
    assert not find_summary_label(words_of(*items), SHAPE).found


def test_further_lines_of_a_labelled_paragraph_keep_to_the_paragraph() -> None:
    boxes = [Box(100, 100, 500, 120), Box(100, 124, 480, 144), Box(100, 300, 300, 320)]
    assert continues_labelled(boxes, [True, False, False]) == [False, True, False]


def page_with_footer(p: pymupdf.Page, footer: str, *, body_code: bool = False) -> None:
    p.insert_text((72, 100), "Call with", fontsize=11)
    black(p, (125, 90, 220, 103))
    p.insert_text((224, 100), "about the tenant.", fontsize=11)
    p.insert_text((72, 200), "The account is held by", fontsize=11)
    black(p, (196, 190, 300, 203))
    p.insert_text((72, 300), "Reviewed by", fontsize=11)
    black(p, (137, 290, 230, 303))
    p.insert_text((233, 300), "(b)(5)", fontsize=9, fontname="hebo")
    if body_code:
        p.insert_text((72, 400), "Parts are withheld under (b)(6) and (b)(7)(C).", fontsize=11)
    p.insert_text((72, 740), footer, fontsize=9, fontname="helv")
    p.insert_text((450, 760), "ABC-2019-000123", fontsize=9, fontname="helv")


def scan(tmp_path: Path, **kw: object) -> list[Redaction]:
    pdf = scanned_pdf(lambda p: page_with_footer(p, **kw), tmp_path / "scan.pdf")  # type: ignore[arg-type]
    reds = analyze_page(PageTask(str(pdf), 1, "0" * 64)).redactions
    return sorted(reds, key=lambda r: r.box.y0)


@pytest.mark.slow
@pytest.mark.tesseract
def test_boxes_without_codes_take_the_scans_footer_summary(tmp_path: Path) -> None:
    first, second, own = scan(tmp_path, footer="Exemptions applied on this page: (b)(6), (b)(7)(C)")
    for red in (first, second):
        assert red.exemptions == ("(b)(6)", "(b)(7)(C)"), red
        assert "Exemptions" in red.label
        assert red.confidence < own.confidence  # the page's codes, not this box's
    assert own.exemptions == ("(b)(5)",)  # a box's own code wins


@pytest.mark.slow
@pytest.mark.tesseract
def test_prose_citing_codes_gives_unlabelled_boxes_nothing(tmp_path: Path) -> None:
    first, second, own = scan(tmp_path, footer="Page 3 of 12", body_code=True)
    assert first.exemptions == () and second.exemptions == ()
    assert own.exemptions == ("(b)(5)",)


def test_born_digital_footer_summary(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page_with_footer(page, "Exemptions applied on this page: (b)(6), (b)(7)(C)")
    path = tmp_path / "memo.pdf"
    doc.save(path)
    reds = sorted(
        analyze_page(PageTask(str(path), 1, "0" * 64, ocr=False)).redactions,
        key=lambda r: r.box.y0,
    )
    assert [r.exemptions for r in reds] == [
        ("(b)(6)", "(b)(7)(C)"),
        ("(b)(6)", "(b)(7)(C)"),
        ("(b)(5)",),
    ]
