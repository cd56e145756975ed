"""`redactview scan`, the batch runner, the catalog, and OCR'd labels on scans."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest
from test_detect_fixtures import black, scanned_pdf

from redactview.analysis.pipeline import PageTask, analyze_page
from redactview.cli.main import run
from redactview.core.catalog import CSV_COLUMNS, SCHEMA
from redactview.core.geometry import Box
from redactview.core.hashing import sha256_file
from redactview.core.model import Fill, Redaction, RedactionKind
from redactview.store.case import Case

ROOT = Path(__file__).resolve().parent.parent


def born_digital(path: Path) -> Path:
    doc = pymupdf.open()
    for n in range(2):
        page = doc.new_page()
        page.insert_text(
            (72, 100), f"Page {n + 1} was written by SECRETNAME on Monday.", fontsize=11
        )
        rect = page.search_for("SECRETNAME")[0]
        page.draw_rect(rect, color=None, fill=(0, 0, 0))
        page.insert_text((rect.x1 + 3, 100), "(b)(6)", fontsize=8)
    doc.save(path)
    return path


def test_scan_prints_pure_json_catalog(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = born_digital(tmp_path / "memo.pdf")
    assert run(["scan", str(pdf), "--jobs", "1", "--stats", "--quiet"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == SCHEMA
    (doc,) = data["documents"]
    assert doc["sha256"] == sha256_file(pdf) and doc["pages"] == 2
    assert [r["page"] for r in doc["redactions"]] == [1, 2]
    first = doc["redactions"][0]
    assert first["exemptions"] == ["(b)(6)"] and first["kind"] == "vector"
    assert first["context_before"].endswith("written by")
    # The width step fills est_chars: a [min, max] count of characters under the box.
    lo, hi = first["est_chars"]
    assert 0 < lo <= hi
    assert data["stats"]["by_exemption"] == {"(b)(6)": 2}


def test_scan_csv_has_one_row_per_redaction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = born_digital(tmp_path / "memo.pdf")
    assert run(["scan", str(pdf), "--jobs", "1", "--format", "csv", "--quiet"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 2
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0]["exemptions"] == "(b)(6)"
    assert 0 < int(rows[0]["est_chars_min"]) <= int(rows[0]["est_chars_max"])


def test_scan_into_a_case_keeps_ids_and_manual_boxes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = born_digital(tmp_path / "memo.pdf")
    case_path = tmp_path / "x.rvcase"
    assert run(["scan", str(pdf), "--case", str(case_path), "--jobs", "1", "--quiet"]) == 0
    first = json.loads(capsys.readouterr().out)["documents"][0]
    with Case.open(case_path) as case:
        (release,) = case.releases()
        stored = case.redactions.list(release.id)
        assert [r.id for r in stored] == [r["id"] for r in first["redactions"]]
        manual = Redaction(
            "rmanual00001", 2, Box(72, 400, 200, 412), RedactionKind.MANUAL, Fill.BLACK
        )
        case.redactions.save(release.id, manual)
    assert (
        run(["scan", str(pdf), "--case", str(case_path), "--jobs", "1", "--quiet", "--rescan"]) == 0
    )
    second = json.loads(capsys.readouterr().out)["documents"][0]
    ids = {r["id"] for r in second["redactions"]}
    assert {r["id"] for r in first["redactions"]} <= ids and "rmanual00001" in ids
    assert second["release_id"] == release.id


def test_scan_missing_file_exit_code(tmp_path: Path) -> None:
    assert run(["scan", str(tmp_path / "nope.pdf"), "--quiet"]) == 3


@pytest.mark.slow
def test_scan_subprocess_two_workers(tmp_path: Path) -> None:
    pdf = born_digital(tmp_path / "memo.pdf")
    proc = subprocess.run(
        [sys.executable, "-m", "redactview", "scan", str(pdf), "--jobs", "2", "--no-ocr"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert len(data["documents"][0]["redactions"]) == 2
    assert "pages" in proc.stderr  # progress went to stderr


def test_memo_sample_text_pages_match_truth(samples_dir: Path) -> None:
    path = samples_dir / "memo_born_digital.pdf"
    truth = json.loads((samples_dir / "memo_born_digital.truth.json").read_text())
    sha = sha256_file(path)
    for page in (1, 2, 3):
        found = analyze_page(PageTask(str(path), page, sha, ocr=False)).redactions
        expected = [t for t in truth["redactions"] if t["page"] == page]
        assert len(found) == len(expected), (page, found)
        for t in expected:
            match = max(found, key=lambda r: r.box.iou(Box(*t["bbox"])))
            assert match.box.iou(Box(*t["bbox"])) > 0.5
            assert set(match.exemptions) == set(t["exemptions"]), (t["id"], match.label)


@pytest.mark.slow
@pytest.mark.tesseract
def test_scanned_page_labels_context_and_rejections(tmp_path: Path) -> None:
    """One scanned page: a code beside a box, REDACTED and a DOJ box, a table header."""

    def draw(p: pymupdf.Page) -> None:
        p.insert_text((72, 100), "Meeting with", fontsize=11)
        black(p, (140, 90, 230, 103))
        p.insert_text((233, 100), "(b)(6)", fontsize=9, fontname="hebo")
        p.insert_text((270, 100), "about the pilot.", fontsize=11)
        black(p, (72, 200, 250, 216))
        p.insert_text((130, 211.5), "REDACTED", fontsize=9, color=(1, 1, 1), fontname="hebo")
        p.draw_rect((72, 300, 160, 314), color=(0, 0, 0), fill=(1, 1, 1), width=0.8)
        p.insert_text((96, 310.5), "(b)(4)", fontsize=9, fontname="hebo")
        black(p, (72, 400, 540, 418))
        p.insert_text((80, 413), "Name        Date        Amount", fontsize=11, color=(1, 1, 1))

    pdf = scanned_pdf(draw, tmp_path / "scan.pdf")
    reds = sorted(analyze_page(PageTask(str(pdf), 1, "0" * 64)).redactions, key=lambda r: r.box.y0)
    assert len(reds) == 3, reds  # the table header is not a redaction
    beside, word, doj = reds
    assert beside.box.iou(Box(140, 90, 230, 103)) > 0.7 and beside.exemptions == ("(b)(6)",)
    assert beside.context_before == "Meeting with"
    assert beside.context_after.startswith("about the")
    assert "REDACTED" in word.label and word.exemptions == ()
    assert doj.fill == Fill.WHITE and doj.exemptions == ("(b)(4)",)
