"""`redactview scan FOLDER`: PDFs found in a stable order, others noted, bad files reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_scale_fixtures import make_release

from redactview.cli.main import run
from redactview.errors import ExitCode

FAST = ["--no-ocr", "--jobs", "1", "--quiet"]


def make_dump(root: Path) -> Path:
    """b.pdf, a.PDF, notes.txt, bad.pdf (text), .hidden.pdf, sub/c.pdf, .git/x.pdf."""
    (root / "sub").mkdir(parents=True)
    (root / ".git").mkdir()
    make_release(root / "b.pdf", 1, 0)
    make_release(root / "a.PDF", 2, 0)
    make_release(root / "sub" / "c.pdf", 1, 0)
    (root / "notes.txt").write_text("index of the production")
    (root / "bad.pdf").write_text("<html>not a pdf</html>")
    (root / ".hidden.pdf").write_text("macOS resource fork")
    (root / ".git" / "x.pdf").write_text("not looked at")
    return root


def scan(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = run(argv)
    out, err = capsys.readouterr()
    return code, out, err


def names(out: str) -> list[str]:
    return [Path(d["path"]).name for d in json.loads(out)["documents"]]


def test_folder_scan_goes_on_past_a_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = make_dump(tmp_path / "dump")
    code, out, err = scan(["scan", str(dump), *FAST], capsys)
    assert code == ExitCode.NOT_A_PDF  # the first (only) failed file's code
    assert names(out) == ["a.PDF", "b.pdf"]  # bad.pdf failed; sorted, case kept
    assert "notes.txt: not a PDF file name, skipped" in err
    assert "1 subfolder(s) not searched (use --recursive)" in err
    assert f"redactview: error: {dump / 'bad.pdf'}" in err and "not a PDF" in err
    assert "1 of 3 files could not be scanned" in err
    assert ".hidden.pdf: hidden file skipped" in err and ".hidden.pdf" not in out
    assert "x.pdf" not in err  # a hidden folder is not even listed


def test_recursive_scan_descends_but_skips_hidden_folders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = make_dump(tmp_path / "dump")
    (dump / "bad.pdf").unlink()
    code, out, err = scan(["scan", str(dump), "--recursive", *FAST], capsys)
    assert code == 0, err
    assert names(out) == ["a.PDF", "b.pdf", "c.pdf"]
    assert f"{dump / '.git'}: hidden folder skipped" in err
    docs = json.loads(out)["documents"]
    assert [len(d["redactions"]) for d in docs] == [6, 3, 3]  # every page found its boxes


def test_same_file_twice_is_scanned_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = make_release(tmp_path / "r.pdf", 1, 0)
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(pdf.read_bytes())
    code, out, err = scan(["scan", str(pdf), str(tmp_path), str(copy), *FAST], capsys)
    assert code == 0
    assert names(out) == ["r.pdf"]  # r.pdf named twice (dropped); copy.pdf has its content
    assert "copy.pdf: same content as" in err


def test_only_bad_files_print_no_catalog(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = scan(["scan", str(tmp_path / "missing.pdf"), *FAST], capsys)
    assert code == ExitCode.INPUT_MISSING and out == ""
    assert err.startswith("redactview: error: ") and len(err.splitlines()) == 1


def test_jobs_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(["scan", str(tmp_path), "--jobs", "0"])
    assert exit_info.value.code == ExitCode.USAGE
