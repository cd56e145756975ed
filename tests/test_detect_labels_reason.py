"""A reason printed in a box instead of a code, as litigation productions and review
tools label redactions ("Redacted - Privileged", "PII", "Attorney-Client
Privilege"). Such a box used to be dropped as a section bar with its title; the
titles of real section bars ("PRIVACY ACT STATEMENT", "PRIVILEGE LOG") still are."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pymupdf
import pytest
from test_detect_fixtures import black, scanned_pdf

from redactview.analysis.pipeline import PageTask, analyze_page
from redactview.cli.main import run
from redactview.core.exemptions import names_a_reason
from redactview.export.vaughn import NONE_CITED
from redactview.ocr.tesseract import find_tesseract

REASONS = [
    "Redacted - Privileged",
    "REDACTED - PII",
    "Redacted for Privacy",
    "Withheld - Privacy Act",
    "Attorney-Client Privilege",
    "Attorney Work Product",
    "Pre-Decisional",
    "Deliberative Process",
    "Personal Privacy",
    "PII",
    "Privileged",
]
TITLES = [
    "SECTION 2 - INCIDENT DETAILS",
    "PRIVACY ACT STATEMENT",
    "PRIVILEGE LOG",
    "PERSONAL INFORMATION",
    "RECORDS WITHHELD BY OTHER AGENCIES",
    "CONFIDENTIAL",
    "Name",
]


@pytest.mark.parametrize("text", REASONS)
def test_reasons_name_a_withholding(text: str) -> None:
    assert names_a_reason(text)


@pytest.mark.parametrize("text", TITLES)
def test_titles_of_section_bars_do_not(text: str) -> None:
    assert not names_a_reason(text)


def test_ocr_s_misreadings_of_a_reason_still_name_one() -> None:
    assert names_a_reason("Pll") and names_a_reason("REDACTED - PlI")
    assert names_a_reason("Redected - Privileged")  # one letter misread
    assert not names_a_reason("Reduced - Privileged")  # two


ROWS = REASONS[:6]  # boxes, one a line, each with its reason inside
BARS = TITLES[:3]  # section bars, white title on black


def draw_production(page: pymupdf.Page) -> None:
    y = 80.0
    for title in BARS:
        black(page, (72, y - 11, 540, y + 4))
        page.insert_text((78, y), title, fontsize=10, fontname="hebo", color=(1, 1, 1))
        y += 30
    for reason in ROWS:
        page.insert_text((72, y), "Custodian:", fontsize=11)
        black(page, (140, y - 9, 300, y + 3))
        page.insert_text((146, y - 0.5), reason, fontsize=7.5, fontname="hebo", color=(1, 1, 1))
        y += 24


def kept_labels(pdf: Path, ocr: bool) -> list[str]:
    result = analyze_page(PageTask(str(pdf), 1, "0" * 64, 150.0, ocr=ocr))
    return [r.label for r in sorted(result.redactions, key=lambda r: r.box.y0)]


def test_born_digital_boxes_labelled_with_a_reason_are_kept(tmp_path: Path) -> None:
    doc = pymupdf.open()
    draw_production(doc.new_page(width=612, height=792))
    pdf = tmp_path / "production.pdf"
    doc.save(pdf)
    assert kept_labels(pdf, ocr=False) == ROWS  # and no section bar


@pytest.mark.slow
@pytest.mark.skipif(find_tesseract() is None, reason="Tesseract not installed")
def test_scanned_boxes_labelled_with_a_reason_are_kept(tmp_path: Path) -> None:
    pdf = scanned_pdf(draw_production, tmp_path / "production_scan.pdf", skew=-0.5)
    labels = kept_labels(pdf, ocr=True)
    assert len(labels) == len(ROWS)  # the section bars are not redactions
    assert all(names_a_reason(label) for label in labels)


def test_the_vaughn_index_says_no_exemption_was_cited_and_what_was_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = pymupdf.open()
    draw_production(doc.new_page(width=612, height=792))
    doc.save(tmp_path / "production.pdf")
    case = str(tmp_path / "c.rvcase")
    assert run(["scan", str(tmp_path / "production.pdf"), "--case", case, "--quiet"]) == 0
    capsys.readouterr()
    assert run(["report", case, "-f", "vaughn-csv", "-o", "-"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["exemptions"] for r in rows] == [f'{NONE_CITED} (printed: "{r}")' for r in ROWS]
