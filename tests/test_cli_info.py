"""`redactview info` and the CLI's error handling, in-process and as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pymupdf
import pytest

from redactview import __version__
from redactview.cli.main import run
from redactview.errors import ExitCode


def make_scan_like(path: Path) -> Path:
    """A page that is only an image: needs OCR."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 200, 260), False)
    pix.set_rect(pix.irect, (230,))
    page.insert_image(page.rect, pixmap=pix)
    doc.save(path)
    return path


def test_info_text_and_json(
    tmp_path: Path, make_pdf: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    born = make_pdf(pages=("A born-digital page with a good amount of real text. " * 4,))
    scan = make_scan_like(tmp_path / "scan.pdf")
    assert run(["info", str(born), str(scan)]) == 0
    out = capsys.readouterr().out
    assert "pages:            1" in out
    assert "needs OCR:        1" in out  # the scan
    assert run(["info", "--json", str(born), str(scan)]) == 0
    data = json.loads(capsys.readouterr().out)  # stdout is pure JSON
    born_info, scan_info = data["documents"]
    assert data["schema"] == "redactview.info/1"
    assert born_info["text_layer_pages"] == [1] and born_info["ocr_pages"] == []
    assert scan_info["ocr_pages"] == [1] and scan_info["text_layer_pages"] == []
    assert len(born_info["sha256"]) == 64


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (b"hello, this is plain text\n", ExitCode.NOT_A_PDF, "not a PDF"),
        (b"", ExitCode.NOT_A_PDF, "empty"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF", ExitCode.CORRUPT_PDF, "PDF"),
    ],
)
def test_bad_files_give_one_line_and_their_exit_code(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes,
    code: ExitCode,
    message: str,
) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(content)
    assert run(["info", str(bad)]) == code
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_encrypted_pdf_needs_the_password(
    tmp_path: Path, make_pdf: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    plain = pymupdf.open(make_pdf())
    locked = tmp_path / "locked.pdf"
    plain.save(locked, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="s3cret", owner_pw="o")
    assert run(["info", str(locked)]) == ExitCode.ENCRYPTED_PDF
    assert "password" in capsys.readouterr().err
    assert run(["info", "--password", "wrong", str(locked)]) == ExitCode.ENCRYPTED_PDF
    assert "wrong password" in capsys.readouterr().err
    assert run(["info", "--password", "s3cret", str(locked)]) == 0


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run(["info", str(tmp_path / "nope.pdf")]) == ExitCode.INPUT_MISSING
    assert "no such file" in capsys.readouterr().err


def test_info_on_every_sample(samples_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdfs = sorted(samples_dir.glob("*.pdf"))
    assert len(pdfs) >= 3
    assert run(["info", "--json", *map(str, pdfs)]) == 0
    docs = {Path(d["path"]).name: d for d in json.loads(capsys.readouterr().out)["documents"]}
    for name, doc in docs.items():
        truth = json.loads((samples_dir / name.replace(".pdf", ".truth.json")).read_text())
        assert doc["page_count"] == truth["page_count"], name
    # Scanned releases have no text layer; the memo's born-digital pages do.
    assert docs["release_a.pdf"]["text_layer_pages"] == []
    assert docs["memo_born_digital.pdf"]["text_layer_pages"]


def test_real_subprocess(tmp_path: Path, make_pdf: Callable[..., Path]) -> None:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    version = subprocess.run(
        [sys.executable, "-m", "redactview", "--version"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert version.stdout.strip() == f"redactview {__version__}"
    bad = tmp_path / "bad.pdf"
    bad.write_text("not a pdf")
    proc = subprocess.run(
        [sys.executable, "-m", "redactview", "info", "--json", str(make_pdf()), str(bad)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == ExitCode.NOT_A_PDF
    assert proc.stderr.strip() == f"redactview: error: {bad}: not a PDF file"
