"""Which pages need OCR: text-layer classification on PDFs made here."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pymupdf
import pytest
from test_ocr_support import LINES, add_scanned_page, png_bytes, text_page_image

from redactview.core.model import TextStatus
from redactview.pdf.info import inspect_document
from redactview.pdf.textlayer import classify_text_layer, is_wordlike, measure_text_layer


def status_of(path: Path, page: int = 1) -> TextStatus:
    return inspect_document(path).pages[page - 1].text_status


def write_lines(page: pymupdf.Page, lines: tuple[str, ...], **kwargs: object) -> None:
    for i, line in enumerate(lines):
        page.insert_text((72, 110 + 26 * i), line, fontsize=13, **kwargs)  # type: ignore[arg-type]


def save(doc: pymupdf.Document, path: Path) -> Path:
    doc.save(path)
    doc.close()
    return path


def test_born_digital_page_is_text(tmp_path: Path) -> None:
    doc = pymupdf.open()
    write_lines(doc.new_page(width=612, height=792), LINES)
    assert status_of(save(doc, tmp_path / "digital.pdf")) is TextStatus.TEXT


def test_scan_without_text_needs_ocr_and_blank_page_is_empty(tmp_path: Path) -> None:
    doc = pymupdf.open()
    add_scanned_page(doc, text_page_image(dpi=72))
    doc.new_page()
    path = save(doc, tmp_path / "scan.pdf")
    assert [p.text_status for p in inspect_document(path).pages] == [
        TextStatus.NEEDS_OCR,
        TextStatus.EMPTY,
    ]


def test_good_invisible_layer_over_scan_is_trusted(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = add_scanned_page(doc, text_page_image(dpi=72))
    write_lines(page, LINES * 3, render_mode=3)
    path = save(doc, tmp_path / "ocr_layer.pdf")
    stats = measure_text_layer(pymupdf.open(path)[0])
    assert stats.invisible_chars == stats.chars > 200
    assert status_of(path) is TextStatus.TEXT


def test_junk_invisible_layer_needs_ocr(tmp_path: Path) -> None:
    junk = tuple("tl1e W!th ~~ ,.,' rn0re lI1l qz%% ^^" for _ in range(12))
    doc = pymupdf.open()
    write_lines(add_scanned_page(doc, text_page_image(dpi=72)), junk, render_mode=3)
    assert status_of(save(doc, tmp_path / "junk.pdf")) is TextStatus.NEEDS_OCR


def test_bates_stamp_over_full_page_scan_needs_ocr(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = add_scanned_page(doc, text_page_image(dpi=72))
    page.insert_text((400, 770), "ABC-2019-000123  RELEASED IN PART", fontsize=9)
    assert status_of(save(doc, tmp_path / "bates.pdf")) is TextStatus.NEEDS_OCR


def test_replacement_character_text_needs_ocr(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    writer = pymupdf.TextWriter(page.rect)
    for i in range(10):
        # Courier has no glyph for U+FFFD: PyMuPDF falls back to a font that
        # keeps it, which is what a PDF without a ToUnicode map extracts to.
        writer.append((72, 100 + 20 * i), "\ufffd" * 30, font=pymupdf.Font("cour"))
    writer.write_text(page)
    path = save(doc, tmp_path / "fffd.pdf")
    assert measure_text_layer(pymupdf.open(path)[0]).replacement_chars >= 100
    assert status_of(path) is TextStatus.NEEDS_OCR


def test_text_beside_a_large_image_is_mixed(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    write_lines(page, LINES[:3])
    attachment = text_page_image(dpi=72)
    page.insert_image(pymupdf.Rect(36, 300, 576, 760), stream=png_bytes(attachment))
    assert status_of(save(doc, tmp_path / "mixed.pdf")) is TextStatus.MIXED


@pytest.mark.tesseract
def test_glyphless_font_layer_from_tesseract_needs_ocr(tmp_path: Path) -> None:
    image_path = tmp_path / "page.png"
    text_page_image(dpi=100).save(image_path)
    binary = shutil.which("tesseract") or "tesseract"
    subprocess.run(
        [binary, str(image_path), str(tmp_path / "glyphless"), "pdf"],
        check=True,
        capture_output=True,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    path = tmp_path / "glyphless.pdf"
    stats = measure_text_layer(pymupdf.open(path)[0])
    assert stats.chars > 100 and stats.glyphless_chars == stats.chars
    assert classify_text_layer(stats) is TextStatus.NEEDS_OCR


@pytest.mark.parametrize(
    ("token", "expected"),
    [("MEMORANDUM", True), ("Payments,", True), ("4,250", True), ("tl1e", False), ("~~", False)],
)
def test_wordlike_tokens(token: str, expected: bool) -> None:
    assert is_wordlike(token) is expected
