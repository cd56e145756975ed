"""PDFs for the OCR, text-layer and search tests, made with PyMuPDF (no tests here)."""

from __future__ import annotations

import io
from pathlib import Path

import pymupdf
from PIL import Image

LINES = (
    "MEMORANDUM FOR THE RECORD",
    "Subject: Interview of the witness regarding payments",
    "The agent met the informant at the Portland field office",
    "on Tuesday morning and discussed the shipment invoices.",
    "Payments totalled 4,250 dollars across three accounts.",
    "Release of this record was reviewed under exemption (b)(6).",
)


def text_page_image(lines: tuple[str, ...] = LINES, dpi: int = 150) -> Image.Image:
    """A page of printed text, as a grey image (what a scanner would give)."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    for i, line in enumerate(lines):
        page.insert_text((72, 110 + 26 * i), line, fontsize=13, fontname="helv")
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    doc.close()
    return Image.frombytes("L", (pix.width, pix.height), pix.samples)


def word_boxes_of(lines: tuple[str, ...] = LINES) -> dict[str, pymupdf.Rect]:
    """Where each word of ``lines`` is printed, in points (the truth for box tests)."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    for i, line in enumerate(lines):
        page.insert_text((72, 110 + 26 * i), line, fontsize=13, fontname="helv")
    boxes = {w[4]: pymupdf.Rect(w[:4]) for w in page.get_text("words")}
    doc.close()
    return boxes


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def add_scanned_page(doc: pymupdf.Document, image: Image.Image, *, rotate: int = 0) -> pymupdf.Page:
    """A page that is only an image (no text layer), letter size or its sideways twin."""
    width, height = (612, 792) if image.height >= image.width else (792, 612)
    page = doc.new_page(width=width, height=height)
    page.insert_image(page.rect, stream=png_bytes(image))
    if rotate:
        page.set_rotation(rotate)
    return page


def make_scanned_pdf(path: Path, pages: int = 1, *, dark_page: int | None = None) -> Path:
    """A scan-only PDF of ``pages`` text pages; ``dark_page`` is mostly black."""
    doc = pymupdf.open()
    image = text_page_image()
    for number in range(1, pages + 1):
        if number == dark_page:
            dark = Image.new("L", image.size, 20)
            add_scanned_page(doc, dark)
        else:
            add_scanned_page(doc, image)
    doc.save(path)
    doc.close()
    return path


def make_born_digital_pdf(path: Path, lines: tuple[str, ...] = LINES) -> Path:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    for i, line in enumerate(lines):
        page.insert_text((72, 110 + 26 * i), line, fontsize=13, fontname="helv")
    doc.save(path)
    doc.close()
    return path
