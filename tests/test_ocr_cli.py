"""``redactview ocr`` and ``redactview search`` from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest
from test_ocr_support import make_born_digital_pdf, make_strip_pdf, png_bytes, strip_image

from redactview.cli.main import run
from redactview.core.geometry import Box
from redactview.errors import ExitCode
from redactview.ocr import tesseract


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "redactview", *args],
        capture_output=True,
        text=True,
        env=env or os.environ.copy(),
        timeout=300,
    )


def test_born_digital_json_is_pure_and_search_finds_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = make_born_digital_pdf(tmp_path / "memo.pdf")
    case = str(tmp_path / "c.rvcase")
    assert run(["ocr", str(pdf), "--case", case, "--format", "json", "--quiet"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == "redactview.ocr/1" and data["ocr_pages"] == []
    first = data["pages"][0]["words"][0]
    assert first["text"] == "MEMORANDUM" and first["source"] == "text"
    assert run(["search", case, "portland field", "--format", "json"]) == 0
    [hit] = json.loads(capsys.readouterr().out)["hits"]
    assert hit["page"] == 1 and hit["text"] == "Portland field" and hit["source"] == "text"
    assert 270 < hit["bbox"][0] < 280


@pytest.fixture
def no_tesseract(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tesseract cannot be found anywhere (probe's per-process cache cleared around it)."""
    monkeypatch.setattr(tesseract, "find_tesseract", lambda configured=None: None)
    tesseract.probe.cache_clear()
    yield
    tesseract.probe.cache_clear()


def test_missing_tesseract_is_named_and_born_digital_still_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_tesseract: None
) -> None:
    scan = make_strip_pdf(tmp_path / "scan.pdf", dpi=72)
    assert run(["ocr", str(scan), "--quiet"]) == ExitCode.OCR_UNAVAILABLE
    failed = capsys.readouterr()
    assert "Tesseract OCR is not installed" in failed.err and "tesseract-ocr" in failed.err
    assert failed.out == ""
    assert run(["ocr", str(make_born_digital_pdf(tmp_path / "memo.pdf")), "--quiet"]) == 0
    assert "needing OCR: 0" in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.tesseract
def test_ocr_cache_searchable_copy_and_search(tmp_path: Path) -> None:
    scan = make_strip_pdf(tmp_path / "scan.pdf", dpi=150)
    case, out = tmp_path / "c.rvcase", tmp_path / "searchable.pdf"
    first = run_cli(
        "ocr", str(scan), "--case", str(case), "--dpi", "150", "--jobs", "1",
        "--format", "json", "--searchable", str(out),
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    assert data["ocr_done"] == [1] and data["engine"].startswith("tesseract 5")
    ocr_words = {w["text"]: Box(*w["bbox"]) for w in data["pages"][0]["words"]}
    assert {"MEMORANDUM", "Portland", "informant"} <= set(ocr_words)

    # Other tools see the invisible words, where the scan shows them.
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "informant at the Portland field office" in text
    with pymupdf.open(out) as doc:
        found = {w[4]: Box(*w[:4]) for w in doc[0].get_text("words")}
    assert found["Portland"].iou(ocr_words["Portland"]) > 0.9

    again = run_cli("ocr", str(scan), "--case", str(case), "--dpi", "150", "--format", "json")
    assert json.loads(again.stdout)["ocr_cached"] == [1]
    hits = run_cli("search", str(case), '"field office"', "--format", "json")
    [hit] = json.loads(hits.stdout)["hits"]
    assert hit["page"] == 1 and hit["text"] == "field office"


@pytest.mark.tesseract
def test_searchable_mixed_page_adds_only_what_the_text_layer_lacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 80), "Cover letter typed in Helvetica", fontsize=14)
    attachment = strip_image(dpi=150)  # a scanned attachment below the letter
    page.insert_image(pymupdf.Rect(0, 300, 612, 560), stream=png_bytes(attachment))
    doc.save(tmp_path / "mixed.pdf")
    doc.close()
    out = tmp_path / "out.pdf"
    args = ["ocr", str(tmp_path / "mixed.pdf"), "--dpi", "150", "--jobs", "1", "--quiet"]
    assert run([*args, "--searchable", str(out)]) == 0
    assert "(ocr+text)" in capsys.readouterr().out  # a mixed page: both kinds of words
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert text.count("Cover letter") == 1
    assert "informant at the Portland field office" in text
