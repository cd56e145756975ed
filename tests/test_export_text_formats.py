"""CSV, Vaughn CSV, JSON and HTML: content, escaping, and the CLI around them."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from redactview.cli.main import run
from redactview.core.model import Annotation
from redactview.errors import ExitCode
from redactview.export.service import ExportFormat, export_case
from redactview.store.case import Case

try:
    from tests.test_export_support import HOSTILE_NOTE, BuiltCase, build_case
except ImportError:
    from test_export_support import HOSTILE_NOTE, BuiltCase, build_case


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuiltCase:
    return build_case(tmp_path_factory.mktemp("case"))


def test_csv_has_one_row_per_redaction_and_defuses_formulas(
    built: BuiltCase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "c.rvcase"
    shutil.copy(built.case_path, copy)
    with Case.open(copy) as case:
        case.annotations.save(Annotation(built.ids[3], note='=HYPERLINK("http://x")'))
    assert run(["report", str(copy), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["redaction_id"] for r in rows] == [i for i in built.ids if i != built.false_positive]
    assert rows[0]["exemptions"] == "(b)(6)" and rows[0]["bates"] == "ABC-2019-000121"
    assert rows[1]["note"] == HOSTILE_NOTE
    assert rows[2]["note"].startswith("'=")  # a spreadsheet shows it, never runs it
    assert rows[2]["revealed"] == "Release A p.2: Jane Roe"


def test_vaughn_csv_columns(built: BuiltCase, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["report", str(built.case_path), "-f", "vaughn-csv", "-o", "-"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][:5] == ["item", "document", "bates", "page", "exemptions"]
    assert rows[1] == [
        "1",
        "Release A",
        "ABC-2019-000121",
        "1",
        "(b)(6)",
        "Name of the agent",
        "Already public in the 2019 press release",
        "confirmed; leaks: text_under_box: John Q. Agent",
    ]
    assert len(rows) == 5


def test_json_on_stdout_is_pure_and_complete(
    built: BuiltCase, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["report", str(built.case_path), "-f", "json", "--include-false-positives"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == "redactview.report/1"
    assert len(data["redactions"]) == 5
    first = data["redactions"][0]
    assert first["exemptions"][0]["code"] == "(b)(6)"
    assert "privacy" in first["exemptions"][0]["meaning"]
    assert first["annotation"]["tags"] == ["names"] and first["est_chars"] == [10, 14]
    assert data["findings"][0]["text"] == "John Q. Agent"
    assert data["reveals"][0]["text"] == "Jane Roe"


def test_html_is_self_contained_and_escapes_user_text(built: BuiltCase, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    with Case.open(built.case_path, readonly=True) as case:
        export_case(case, ExportFormat.HTML, out)
    page = out.read_text("utf-8")
    assert "<script" not in page  # neither ours nor the user's
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "&lt;tag&gt;" in page and "a&amp;b" in page
    assert page.count("src='data:image/jpeg;base64,") == 4  # page crops
    assert page.count("src='data:image/png;base64,") == 1  # the leak check's picture
    assert "http://" not in page and "https://" not in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "Jane Roe" in page and "John Q. Agent" in page


def test_cli_usage_and_output_errors(built: BuiltCase, tmp_path: Path) -> None:
    assert run(["report", str(built.case_path), "-f", "pdf"]) == ExitCode.USAGE  # needs -o
    missing_dir = tmp_path / "no" / "such" / "dir" / "r.pdf"
    assert run(["report", str(built.case_path), "-f", "pdf", "-o", str(missing_dir)]) == (
        ExitCode.OUTPUT
    )
    assert run(["report", str(tmp_path / "none.rvcase"), "-f", "csv"]) == ExitCode.INPUT_MISSING


def test_per_release_format_needs_a_release_when_there_are_several(
    built: BuiltCase, tmp_path: Path
) -> None:
    from redactview.pdf.info import inspect_document

    copy = tmp_path / "two.rvcase"
    shutil.copy(built.case_path, copy)
    other = tmp_path / "other.pdf"
    shutil.copy(built.pdf_path, other)
    with open(other, "ab") as handle:
        handle.write(b"\n% a different file\n")
    with Case.open(copy) as case:
        case.add_release(inspect_document(other), label="Release B")
    out = tmp_path / "a.pdf"
    assert run(["report", str(copy), "-f", "annotated-pdf", "-o", str(out)]) == ExitCode.USAGE
    assert not out.exists()
    assert (
        run(["report", str(copy), "-f", "annotated-pdf", "--release", "Release A", "-o", str(out)])
        == 0
    )
    assert out.exists()
    assert not list(tmp_path.glob("*.part"))  # atomic writes leave no temp file


@pytest.mark.parametrize("fmt", [f for f in ExportFormat if f is not ExportFormat.PDF])
def test_every_format_writes_through_the_cli(
    fmt: ExportFormat, built: BuiltCase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"out{fmt.suffix}"
    assert run(["report", str(built.case_path), "-f", fmt.value, "-o", str(out), "-q"]) == 0
    assert capsys.readouterr().out == "" and out.stat().st_size > 200


@pytest.mark.slow
def test_real_subprocess_writes_the_report_pdf(built: BuiltCase, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "redactview",
            "report",
            str(built.case_path),
            "-f",
            "pdf",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""  # progress and the summary go to stderr
    assert "wrote" in proc.stderr and out.read_bytes().startswith(b"%PDF-")


def test_cli_xfdf_import_prints_pure_json(
    built: BuiltCase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xfdf = tmp_path / "c.xfdf"
    assert run(["report", str(built.case_path), "-f", "xfdf", "-o", str(xfdf), "-q"]) == 0
    copy = tmp_path / "c.rvcase"
    shutil.copy(built.case_path, copy)
    capsys.readouterr()
    assert run(["report", str(copy), "--import-xfdf", str(xfdf)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary == {
        "schema": "redactview.xfdf-import/1",
        "release": "Release A",
        "read": 4,
        "matched": 4,
        "created": 0,
    }
    bomb = tmp_path / "bomb.xfdf"
    bomb.write_text('<!DOCTYPE x [<!ENTITY a "a">]><xfdf>&a;</xfdf>', "utf-8")
    assert run(["report", str(copy), "--import-xfdf", str(bomb)]) == ExitCode.INPUT_MISSING


def test_exports_get_ordinary_file_permissions(built: BuiltCase, tmp_path: Path) -> None:
    """The temp file behind an atomic write is private; the finished export is not."""
    out = tmp_path / "catalog.csv"
    assert run(["report", str(built.case_path), "-f", "csv", "-o", str(out), "-q"]) == 0
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
