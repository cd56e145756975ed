"""Which boxes stacked line under line are one redaction (the catalog's group)."""

from __future__ import annotations

from pathlib import Path

import pymupdf
from test_detect_fixtures import scanned_pdf

from redactview.analysis.pipeline import PageTask, analyze_page
from redactview.core.hashing import sha256_file
from redactview.core.model import Redaction

LINE = 14.0  # baseline to baseline; boxes are 12 pt tall


def black_box(page: pymupdf.Page, x0: float, baseline: float, x1: float) -> None:
    page.draw_rect(pymupdf.Rect(x0, baseline - 9.5, x1, baseline + 2.5), color=None, fill=(0, 0, 0))


def analyse(path: Path) -> list[Redaction]:
    result = analyze_page(PageTask(str(path), 1, sha256_file(path), 150.0, ocr=False))
    return sorted(result.redactions, key=lambda r: (r.box.y0, r.box.x0))


def test_a_paragraph_withheld_line_by_line_is_one_group(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "The following assessment was withheld in full:", fontsize=11)
    for i, right in enumerate((538, 531, 536, 260)):  # ragged right, a short last line
        black_box(page, 72, 100 + LINE * (i + 1), right)
    page.insert_text((72, 100 + LINE * 6), "The remainder of the memo is released.", fontsize=11)
    doc.save(tmp_path / "p.pdf")
    found = analyse(tmp_path / "p.pdf")
    assert len(found) == 4
    assert found[0].group is not None and {r.group for r in found} == {found[0].group}


def test_header_fields_at_one_left_edge_stay_apart(tmp_path: Path) -> None:
    """An email header's addresses, one under the other after "To:" and "Cc:"."""
    doc = pymupdf.open()
    page = doc.new_page()
    for i, field in enumerate(("From:", "To:", "Cc:", "Subject:")):
        page.insert_text((72, 100 + LINE * i), field, fontsize=11)
    page.insert_text((144, 100), "Records Office", fontsize=11)
    black_box(page, 144, 100 + LINE, 340)  # wide enough for a paragraph line
    black_box(page, 144, 100 + 2 * LINE, 340)
    page.insert_text((144, 100 + 3 * LINE), "Pilot schedule", fontsize=11)
    doc.save(tmp_path / "h.pdf")
    found = analyse(tmp_path / "h.pdf")
    assert len(found) == 2
    assert [r.group for r in found] == [None, None]


def test_a_column_of_short_boxes_is_cells_not_a_paragraph(tmp_path: Path) -> None:
    """A table's prices withheld cell by cell: short boxes at one left edge, and no
    words on their lines to tell (a scan read without OCR has none)."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 86), "Line item prices", fontsize=11)
    for i, right in enumerate((404, 409, 422, 422, 433)):
        black_box(page, 378, 100 + LINE * i, right)
    doc.save(tmp_path / "t.pdf")
    found = analyse(tmp_path / "t.pdf")
    assert len(found) == 5
    assert all(r.group is None for r in found)


def test_specks_in_the_margin_do_not_part_a_paragraph(tmp_path: Path) -> None:
    """On a photocopied scan OCR reads toner dust left of a line as a tiny "co": it is
    no field name, and the paragraph's lines stay one redaction."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "The following assessment was withheld in full:", fontsize=11)
    for i, right in enumerate((538, 531, 260)):
        black_box(page, 72, 100 + LINE * (i + 1), right)
        page.insert_text((30, 100 + LINE * (i + 1)), "co", fontsize=1.5)
    doc.save(tmp_path / "s.pdf")
    found = analyse(tmp_path / "s.pdf")
    assert len(found) == 3
    assert found[0].group is not None and {r.group for r in found} == {found[0].group}


def test_a_box_under_a_line_of_print_is_not_the_paragraphs_next_line(tmp_path: Path) -> None:
    """Scanned 3 degrees askew, a withheld line's upright bbox is two and a half lines
    tall, and a signature's name box two lines under it passes for its next line by the
    boxes alone; the line of print between them says it is not."""

    def draw(page: pymupdf.Page) -> None:
        page.insert_text((72, 100), "For internal planning, the pilot is scoped as follows:")
        black_box(page, 72, 100 + LINE, 420)
        page.insert_text(
            (72, 100 + 2 * LINE), "will be our pilot lead for the summer.", fontsize=11
        )
        black_box(page, 72, 100 + 4 * LINE, 142)
        page.insert_text((72, 100 + 5 * LINE), "Section Chief, Biometric Programs", fontsize=11)

    path = scanned_pdf(draw, tmp_path / "sig.pdf", skew=3.0)
    result = analyze_page(PageTask(str(path), 1, sha256_file(path), 150.0, ocr=True))
    found = result.redactions
    assert len(found) == 2
    assert [r.group for r in found] == [None, None]
