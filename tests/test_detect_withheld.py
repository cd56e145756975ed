"""Pages withheld in full: the slip sheet an agency puts in a page's place is one
page-sized redaction with the sheet's codes, on grainy scans too; and what counts
as print before a crop is read (``has_print``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import pymupdf
import pytest
from test_detect_fixtures import scanned_pdf

from redactview.analysis.labels_image import despeckle, has_print
from redactview.analysis.pipeline import PageTask, analyze_page
from redactview.core.model import Fill
from redactview.ocr.tesseract import find_tesseract

needs_tesseract = pytest.mark.skipif(find_tesseract() is None, reason="Tesseract not installed")


def slip_sheet(page: pymupdf.Page) -> None:
    page.insert_text((200, 360), "PAGE WITHHELD IN FULL", fontsize=16, fontname="hebo")
    page.insert_text((190, 390), "Exemptions: (b)(5), (b)(7)(E)", fontsize=13, fontname="helv")


def grainy_page(seed: int = 2) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.clip(rng.normal(228, 5, (1650, 1275)), 0, 255).astype(np.uint8)


def test_a_few_lines_on_a_whole_grainy_page_are_print() -> None:
    # 0.3% of the page is print: under the 0.5% share once looked at, so the page
    # was blanked before Tesseract saw it.
    page = grainy_page()
    for top, bottom, left, right in ((700, 720, 400, 800), (760, 775, 380, 760)):
        for x in range(left, right, 5):  # a line of print: 2 px stems
            page[top:bottom, x : x + 2] = 40
    assert (page < 128).mean() < 0.005
    assert has_print(despeckle(page, 1.0))


def test_thin_dark_type_on_a_grey_box_is_print() -> None:
    # Courier 8 pt on a 60% grey box, scanned at 150 dpi: strokes ~50 levels
    # under the fill, which 60 (the level once asked) called blank.
    rng = np.random.default_rng(5)
    crop = np.clip(rng.normal(148, 4, (75, 320)), 0, 255).astype(np.uint8)
    for x in range(40, 200, 9):
        crop[25:50, x : x + 3] = 98
    assert has_print(despeckle(crop, 3.0))


def test_grainy_paper_alone_is_not_print() -> None:
    assert not has_print(despeckle(grainy_page(), 1.0))
    assert not has_print(despeckle(grainy_page()[:40, :300], 3.0))


@needs_tesseract
@pytest.mark.slow
@pytest.mark.parametrize("noise", [3.0, 6.0])
def test_a_scanned_slip_sheet_is_a_page_withheld_in_full(tmp_path: Path, noise: float) -> None:
    path = scanned_pdf(slip_sheet, tmp_path / "slip.pdf", noise=noise)
    result = analyze_page(PageTask(str(path), 1, "0" * 64, 150.0, ocr=True))
    assert len(result.redactions) == 1
    withheld = result.redactions[0]
    assert withheld.fill == Fill.WHITE
    assert withheld.box.width > 600 and withheld.box.height > 780
    assert withheld.exemptions == ("(b)(5)", "(b)(7)(E)")


FBI_SLIP = (
    "XXXXXXXXXXXXXXXXXXXXXXXX\nX Deleted Page(s)      X\nX No Duplication Fee   X\n"
    "X For this Page        X\nXXXXXXXXXXXXXXXXXXXXXXXX"
)
FBI_INDEX = (
    "FEDERAL BUREAU OF INVESTIGATION\nFOI/PA\nDELETED PAGE INFORMATION SHEET\n"
    "FOI/PA# 1234567-000\nTotal Deleted Page(s) = 4\nPage 3 ~ b6; b7C;\n"
    "Page 7 ~ b6; b7C; b7E;\nPage 8 ~ Duplicate;\nPage 9 ~ Duplicate;"
)


def fbi_slip(page: pymupdf.Page, codes: str = "b6\nb7C", y: float = 330) -> None:
    """The FBI's stand-in for a deleted page: a box of X's, codes in the margin."""
    page.insert_text((180, y), FBI_SLIP, fontsize=13, fontname="cour", lineheight=1.38)
    page.insert_text((480, y), codes, fontsize=11, fontname="helv")


def fbi_index(page: pymupdf.Page) -> None:
    """The list of deleted pages put in front of the file, the box of X's under
    it: an index, not a slip sheet."""
    page.insert_text((160, 200), FBI_INDEX, fontsize=12, fontname="helv", lineheight=1.83)
    fbi_slip(page, codes="", y=460)


def page_denied(page: pymupdf.Page) -> None:
    page.insert_text((230, 380), "PAGE DENIED", fontsize=20, fontname="hebo")


def born_digital(draw: Callable[[pymupdf.Page], None], path: Path) -> Path:
    doc = pymupdf.open()
    draw(doc.new_page(width=612, height=792))
    doc.save(path)
    return path


@pytest.mark.parametrize(
    ("draw", "codes"),
    [(fbi_slip, ("(b)(6)", "(b)(7)(C)")), (partial(fbi_slip, codes=""), ()), (page_denied, ())],
    ids=["fbi-slip", "fbi-slip-no-codes", "page-denied"],
)
def test_born_digital_slip_sheets_of_other_agencies_are_pages_withheld(
    tmp_path: Path, draw: Callable[[pymupdf.Page], None], codes: tuple[str, ...]
) -> None:
    result = analyze_page(PageTask(str(born_digital(draw, tmp_path / "s.pdf")), 1, "0" * 64))
    assert len(result.redactions) == 1
    withheld = result.redactions[0]
    assert withheld.box.width > 600 and withheld.box.height > 780
    assert withheld.exemptions == codes
    assert "DELETED PAGE(S)" in withheld.label.upper() or "PAGE DENIED" in withheld.label


def test_the_fbi_list_of_deleted_pages_is_not_a_page_withheld(tmp_path: Path) -> None:
    # It ends with the same box of X's as a slip sheet, and lists codes.
    result = analyze_page(PageTask(str(born_digital(fbi_index, tmp_path / "i.pdf")), 1, "0" * 64))
    assert result.redactions == ()


@needs_tesseract
@pytest.mark.slow
def test_a_scanned_fbi_slip_sheet_is_a_page_withheld_with_its_codes(tmp_path: Path) -> None:
    path = scanned_pdf(fbi_slip, tmp_path / "slip.pdf", noise=4.0)
    result = analyze_page(PageTask(str(path), 1, "0" * 64, 150.0, ocr=True))
    assert len(result.redactions) == 1
    assert result.redactions[0].exemptions == ("(b)(6)", "(b)(7)(C)")


@needs_tesseract
@pytest.mark.slow
def test_a_scanned_fbi_list_of_deleted_pages_is_not_a_page_withheld(tmp_path: Path) -> None:
    path = scanned_pdf(fbi_index, tmp_path / "index.pdf", noise=4.0)
    result = analyze_page(PageTask(str(path), 1, "0" * 64, 150.0, ocr=True))
    assert result.redactions == ()


LETTER = (
    "Dear Requester: This responds to your request under the Freedom of Information "
    "Act for records about the 2025 procurement review. We located 212 pages of "
    "responsive records. We are releasing 180 pages in full and 20 pages in part; "
    "12 pages are withheld in full under (b)(5) and (b)(6). You may appeal this "
    "decision within 90 days. Sincerely, the FOIA Officer."
)


def cover_letter(page: pymupdf.Page) -> None:
    page.insert_textbox(pymupdf.Rect(72, 90, 540, 400), LETTER, fontsize=11)


def test_a_born_digital_cover_letter_saying_pages_were_withheld_is_not_one(
    tmp_path: Path,
) -> None:
    path = tmp_path / "letter.pdf"
    doc = pymupdf.open()
    cover_letter(doc.new_page(width=612, height=792))
    doc.save(path)
    result = analyze_page(PageTask(str(path), 1, "0" * 64, 150.0, ocr=False))
    assert result.redactions == ()


@needs_tesseract
@pytest.mark.slow
def test_a_scanned_cover_letter_saying_pages_were_withheld_is_not_one(tmp_path: Path) -> None:
    path = scanned_pdf(cover_letter, tmp_path / "letter.pdf")
    result = analyze_page(PageTask(str(path), 1, "0" * 64, 150.0, ocr=True))
    assert result.redactions == ()
