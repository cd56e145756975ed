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


SHORT_LINES = LINES[:4]
SMALL_PAGE = (612.0, 260.0)  # a strip of a letter page: real text, quick to read


def strip_image(dpi: int, skew_deg: float = 0.0) -> Image.Image:
    """SHORT_LINES printed on a 612x260 pt strip, optionally skewed like a bad scan."""
    doc = pymupdf.open()
    page = doc.new_page(width=SMALL_PAGE[0], height=SMALL_PAGE[1])
    for i, line in enumerate(SHORT_LINES):
        page.insert_text((72, 110 + 26 * i), line, fontsize=13, fontname="helv")
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    doc.close()
    image = Image.frombytes("L", (pix.width, pix.height), pix.samples)
    if skew_deg:
        # PIL turns counter-clockwise about the centre, keeping the size.
        image = image.rotate(skew_deg, resample=Image.Resampling.BICUBIC, fillcolor=255)
    return image


def strip_truth() -> dict[str, pymupdf.Rect]:
    doc = pymupdf.open()
    page = doc.new_page(width=SMALL_PAGE[0], height=SMALL_PAGE[1])
    for i, line in enumerate(SHORT_LINES):
        page.insert_text((72, 110 + 26 * i), line, fontsize=13, fontname="helv")
    truth = {w[4]: pymupdf.Rect(w[:4]) for w in page.get_text("words")}
    doc.close()
    return truth


def make_strip_pdf(
    path: Path, *, dpi: int = 150, skew_deg: float = 0.0, turn: int = 0, page_rotate: int = 0
) -> Path:
    """One scanned strip. ``turn``: the image is placed turned that far clockwise
    (a sideways scan); ``page_rotate``: /Rotate set on the page as well."""
    image = strip_image(dpi, skew_deg)
    if turn:
        image = image.rotate(-turn, expand=True)
    doc = pymupdf.open()
    width, height = image.width * 72 / dpi, image.height * 72 / dpi
    page = doc.new_page(width=width, height=height)
    page.insert_image(page.rect, stream=png_bytes(image))
    if page_rotate:
        page.set_rotation(page_rotate)
    doc.save(path)
    doc.close()
    return path
