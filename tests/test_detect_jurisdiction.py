"""Releases that cite another country's act: Canada's ATIP offices print "s.19(1)"
beside or inside a box, the UK "s.40(2)". ``scan --jurisdiction`` reads their labels
against that act's table; by default (US FOIA and the Privacy Act) "section 40" is
prose and no code. The window's scans use the tables chosen in Preferences."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pymupdf
import pytest
from test_detect_fixtures import black, scanned_pdf
from ui_fixtures import open_and_wait, window_fixture  # noqa: F401

from redactview.analysis.pipeline import PageTask, analyze_page
from redactview.cli.main import run
from redactview.core.exemptions import (
    CA_ATIA,
    DEFAULT_JURISDICTIONS,
    UK_FOI,
    citing,
    parse_exemptions,
)
from redactview.jobs.executor import SerialExecutor
from redactview.ocr.tesseract import find_tesseract
from redactview.store.case import Case
from redactview.ui.main_window import MainWindow
from redactview.ui.preferences import PreferencesDialog


def draw_atip_page(page: pymupdf.Page) -> None:
    """A Canadian release: a code beside a box, and one in white inside a box."""
    page.insert_text((72, 100), "The complaint was made by", fontsize=11)
    black(page, (210, 91, 320, 103))
    page.insert_text((326, 100), "s.19(1)", fontsize=9, fontname="hebo")
    page.insert_text((72, 140), "The department's advice was", fontsize=11)
    black(page, (225, 131, 400, 143))
    page.insert_text((290, 140), "s.21(1)(a)", fontsize=8, fontname="hebo", color=(1, 1, 1))


def atip_pdf(path: Path) -> Path:
    doc = pymupdf.open()
    draw_atip_page(doc.new_page(width=612, height=792))
    doc.save(path)
    return path


def codes(pdf: Path, tables: tuple[str, ...], ocr: bool = False) -> list[tuple[str, ...]]:
    result = analyze_page(PageTask(str(pdf), 1, "0" * 64, 150.0, ocr=ocr, jurisdictions=tables))
    return [r.exemptions for r in sorted(result.redactions, key=lambda r: r.box.y0)]


def test_citing_sets_the_tables_labels_are_read_against() -> None:
    assert parse_exemptions("s.19(1)") == ()
    with citing((CA_ATIA,)):
        assert parse_exemptions("s.19(1)") == ("s.19(1)",)
        with citing((UK_FOI,)):
            assert parse_exemptions("Section 40(2)") == ("s.40",)
        assert parse_exemptions("Section 40(2)") == ()
    assert parse_exemptions("s.19(1)") == ()
    with pytest.raises(ValueError, match="unknown"), citing(("narnia",)):
        pass


def test_a_canadian_release_s_codes_are_read_with_its_table(tmp_path: Path) -> None:
    pdf = atip_pdf(tmp_path / "atip.pdf")
    assert codes(pdf, (CA_ATIA,)) == [("s.19(1)",), ("s.21(1)",)]
    assert codes(pdf, DEFAULT_JURISDICTIONS) == [(), ()]  # boxes, no codes


def test_scan_takes_the_tables_on_its_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = atip_pdf(tmp_path / "atip.pdf")
    assert run(["scan", str(pdf), "--jobs", "1", "--quiet", "--jurisdiction", "ca_atia"]) == 0
    (doc,) = json.loads(capsys.readouterr().out)["documents"]
    assert [r["exemptions"] for r in doc["redactions"]] == [["s.19(1)"], ["s.21(1)"]]
    with pytest.raises(SystemExit):  # argparse: not a table
        run(["scan", str(pdf), "--quiet", "--jurisdiction", "narnia"])
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.skipif(find_tesseract() is None, reason="Tesseract not installed")
def test_a_scanned_canadian_release_s_codes_are_read_with_its_table(tmp_path: Path) -> None:
    pdf = scanned_pdf(draw_atip_page, tmp_path / "atip_scan.pdf")
    assert codes(pdf, (CA_ATIA,), ocr=True) == [("s.19(1)",), ("s.21(1)",)]


def test_the_window_scans_with_the_tables_in_preferences(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    dialog = PreferencesDialog(window.prefs)
    dialog.tables.setCurrentIndex(dialog.tables.findText("Canada: Access to Information Act"))
    window.prefs = dialog.result_preferences()
    assert window.prefs.jurisdictions == (CA_ATIA,)
    again = PreferencesDialog(window.prefs)  # shows the choice, adds no item of its own
    assert again.tables.currentText() == "Canada: Access to Information Act"
    assert again.tables.count() == 3
    open_and_wait(qtbot, window, atip_pdf(tmp_path / "atip.pdf"))
    with qtbot.waitSignal(window.tasks.finished, timeout=60000):
        window.run_scan_job(executor=SerialExecutor(), ocr=False)
    assert window.session is not None and window.release_id is not None
    found = window.session.redactions(window.release_id)
    assert sorted(r.exemptions for r in found) == [("s.19(1)",), ("s.21(1)",)]
    window.prefs = dataclasses.replace(window.prefs, jurisdictions=DEFAULT_JURISDICTIONS)
    with qtbot.waitSignal(window.tasks.finished, timeout=60000):
        window.run_scan_job(executor=SerialExecutor(), ocr=False, rescan=True)
    assert [r.exemptions for r in window.session.redactions(window.release_id)] == [(), ()]


def test_compare_scans_both_releases_with_the_tables_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = atip_pdf(tmp_path / "a.pdf"), atip_pdf(tmp_path / "b.pdf")
    case = tmp_path / "c.rvcase"
    argv = ["compare", str(a), str(b), "--case", str(case), "--no-ocr", "--jobs", "1"]
    assert run([*argv, "--quiet", "--jurisdiction", "ca_atia"]) == 0
    capsys.readouterr()
    with Case.open(case) as opened:
        stored = [
            sorted(r.exemptions for r in opened.redactions.list(release.id))
            for release in opened.releases()
        ]
    assert stored == [[("s.19(1)",), ("s.21(1)",)]] * 2
