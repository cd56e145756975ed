"""Tiny purpose-made PDFs for the leak check: each leak with a clean twin.

Built with PyMuPDF at test time, like x-ray's fixtures, so every case is small
and says what it is. Each builder returns PDF bytes. ``LEAKY`` maps a case
name to (builder, the mechanism it must produce, text that must be recovered);
``CLEAN`` maps a twin's name to its builder, which must produce no finding.
Used by tests/test_leaks_*.py and by bench/leaks_bench.py.
"""

from __future__ import annotations

from collections.abc import Callable

import pymupdf

SECRET = "Johnathan Q. Informant"
Builder = Callable[[], bytes]


def _doc_with_text(text: str = SECRET, **kwargs: object) -> tuple[pymupdf.Document, pymupdf.Page]:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "The interview was held with the person named below.", fontsize=11)
    page.insert_text((72, 100), text, fontsize=11, **kwargs)  # type: ignore[arg-type]
    page.insert_text((72, 130), "Nothing else of note was said at the meeting.", fontsize=11)
    return doc, page


def _secret_rect(page: pymupdf.Page) -> pymupdf.Rect:
    hits = page.search_for(SECRET)
    return hits[0] + (-2, -2, 2, 2)


def _bytes(doc: pymupdf.Document) -> bytes:
    data = doc.tobytes(garbage=0)
    doc.close()
    return data


def _gray_image(width: int, height: int, value: int) -> pymupdf.Pixmap:
    pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, width, height), False)
    pix.set_rect(pix.irect, (value,))
    return pix


def _text_image(text: str, width: int = 600, height: int = 60) -> pymupdf.Pixmap:
    """A scan-like picture of printed words (rendered from a scratch page)."""
    scratch = pymupdf.open()
    page = scratch.new_page(width=width / 2, height=height / 2)
    page.insert_text((4, height / 2 - 10), text, fontsize=14)
    pix = page.get_pixmap(matrix=pymupdf.Matrix(2, 2), colorspace=pymupdf.csGRAY)
    scratch.close()
    return pix


# -- leaky cases --------------------------------------------------------------------------
def vector_box_over_text() -> bytes:
    doc, page = _doc_with_text()
    page.draw_rect(_secret_rect(page), color=None, fill=(0, 0, 0))
    return _bytes(doc)


def same_colour_text() -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "Visible words before the box.", fontsize=11)
    page.draw_rect(pymupdf.Rect(70, 88, 260, 104), color=None, fill=(0, 0, 0))
    page.insert_text((72, 100), SECRET, fontsize=11, color=(0, 0, 0))  # black on black, on top
    return _bytes(doc)


def white_on_white_text() -> bytes:
    doc, _page = _doc_with_text(color=(1, 1, 1))
    return _bytes(doc)


def invisible_text_under_box() -> bytes:
    doc, page = _doc_with_text(render_mode=3)
    page.draw_rect(_secret_rect(page), color=None, fill=(0, 0, 0))
    return _bytes(doc)


def tiny_text() -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "A normal paragraph of visible words.", fontsize=11)
    page.insert_text((300, 90), SECRET, fontsize=0.8)
    return _bytes(doc)


def clipped_text() -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "A normal paragraph of visible words.", fontsize=11)
    # The secret is drawn inside a clip that shows none of it.
    page.insert_textbox(pymupdf.Rect(72, 90, 400, 110), SECRET, fontsize=11)
    xref = page.get_contents()[-1]
    stream = doc.xref_stream(xref)
    doc.update_stream(xref, b"q 0 0 1 1 re W n\n" + stream + b"\nQ")
    return _bytes(doc)


def scan_with_ocr_layer_under_burned_box() -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    pix = _text_image(f"Source: {SECRET}")
    pix.set_rect(pymupdf.IRect(120, 0, 600, 60), (0,))  # burned-in box over the name
    page.insert_image(pymupdf.Rect(72, 90, 372, 120), pixmap=pix)
    page.insert_text((74, 110), "Source:", fontsize=14, render_mode=3)
    page.insert_text((134, 110), SECRET, fontsize=14, render_mode=3)
    return _bytes(doc)


def unapplied_redact_annotation() -> bytes:
    doc, page = _doc_with_text()
    page.add_redact_annot(_secret_rect(page), fill=(0, 0, 0))
    return _bytes(doc)


def square_annotation_over_text() -> bytes:
    doc, page = _doc_with_text()
    annot = page.add_rect_annot(_secret_rect(page))
    annot.set_colors(stroke=(0, 0, 0), fill=(0, 0, 0))
    annot.update()
    return _bytes(doc)


def freetext_annotation_over_text() -> bytes:
    doc, page = _doc_with_text()
    page.add_freetext_annot(
        _secret_rect(page), "WITHHELD", fontsize=9, text_color=(1, 1, 1), fill_color=(0, 0, 0)
    )
    return _bytes(doc)


def dark_highlight_annotation() -> bytes:
    doc, page = _doc_with_text()
    annot = page.add_highlight_annot(_secret_rect(page))
    annot.set_colors(stroke=(0, 0, 0))
    annot.update()
    return _bytes(doc)


def solid_image_over_text() -> bytes:
    doc, page = _doc_with_text()
    page.insert_image(_secret_rect(page), pixmap=_gray_image(40, 10, 0), keep_proportion=False)
    return _bytes(doc)


def image_under_vector_box() -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_image(pymupdf.Rect(72, 90, 372, 120), pixmap=_text_image(f"Source: {SECRET}"))
    page.draw_rect(pymupdf.Rect(132, 90, 372, 120), color=None, fill=(0, 0, 0))
    return _bytes(doc)


def cross_hatched_box_over_text() -> bytes:
    doc, page = _doc_with_text()
    rect = _secret_rect(page)
    page.draw_rect(rect, color=None, fill=(0.1, 0.1, 0.1))
    x = rect.x0
    while x < rect.x1:  # x-ray's "X-hatch" pattern over a dark box
        page.draw_line((x, rect.y0), (x + 10, rect.y1), color=(0.3, 0.3, 0.3))
        page.draw_line((x, rect.y1), (x + 10, rect.y0), color=(0.3, 0.3, 0.3))
        x += 10
    return _bytes(doc)


# -- clean twins ---------------------------------------------------------------------------
def applied_redaction() -> bytes:
    doc, page = _doc_with_text()
    page.add_redact_annot(_secret_rect(page), fill=(0, 0, 0))
    page.apply_redactions()
    return _bytes(doc)


def code_on_top_of_box() -> bytes:
    doc, page = _doc_with_text("")
    page.draw_rect(pymupdf.Rect(70, 88, 260, 104), color=None, fill=(0, 0, 0))
    page.insert_text((74, 100), "(b)(6); (b)(7)(C)", fontsize=10, color=(1, 1, 1))
    return _bytes(doc)


def black_table_header() -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    for row, y in enumerate(range(100, 300, 20)):
        fill = (0, 0, 0) if row == 0 else (1, 1, 1)
        page.draw_rect(pymupdf.Rect(72, y, 500, y + 20), color=(0, 0, 0), fill=fill)
        colour = (1, 1, 1) if row == 0 else (0, 0, 0)
        label = "Name  Office  Phone Number" if row == 0 else f"Entry {row}  Room {100 + row}"
        page.insert_text((76, y + 14), label, fontsize=11, color=colour)
    return _bytes(doc)


def white_box_with_code() -> bytes:
    doc, page = _doc_with_text("")
    page.draw_rect(pymupdf.Rect(70, 88, 260, 104), color=(0, 0, 0), fill=(1, 1, 1))
    page.insert_text((130, 100), "(b)(6)", fontsize=10)
    return _bytes(doc)


def dark_image_without_text() -> bytes:
    doc, page = _doc_with_text("A caption under the photograph.")
    page.insert_image(pymupdf.Rect(72, 200, 300, 350), pixmap=_gray_image(80, 50, 20))
    return _bytes(doc)


def visible_ocr_layer_over_scan() -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_image(pymupdf.Rect(72, 90, 372, 120), pixmap=_text_image(f"Source: {SECRET}"))
    page.insert_text((74, 110), f"Source: {SECRET}", fontsize=14, render_mode=3)
    return _bytes(doc)


def burned_box_under_vector_box() -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    pix = _text_image(f"Source: {SECRET}")
    pix.set_rect(pymupdf.IRect(120, 0, 600, 60), (0,))
    page.insert_image(pymupdf.Rect(72, 90, 372, 120), pixmap=pix)
    page.draw_rect(pymupdf.Rect(132, 90, 372, 120), color=None, fill=(0, 0, 0))
    return _bytes(doc)


def outline_square_and_yellow_highlight() -> bytes:
    doc, page = _doc_with_text()
    page.add_rect_annot(_secret_rect(page))  # an outline only: the words show through
    page.add_highlight_annot(page.search_for("Nothing else")[0])
    return _bytes(doc)


def small_footnote_text() -> bytes:
    doc, page = _doc_with_text()
    page.insert_text((72, 760), "1. A footnote in small print, still readable.", fontsize=6)
    return _bytes(doc)


LEAKY: dict[str, tuple[Builder, str, str]] = {
    "vector_box_over_text": (vector_box_over_text, "text_under_box", SECRET),
    "same_colour_text": (same_colour_text, "same_colour_text", SECRET),
    "white_on_white_text": (white_on_white_text, "same_colour_text", SECRET),
    "invisible_text_under_box": (invisible_text_under_box, "invisible_text", SECRET),
    "tiny_text": (tiny_text, "tiny_text", SECRET),
    "clipped_text": (clipped_text, "clipped_text", SECRET),
    "ocr_layer_under_burned_box": (
        scan_with_ocr_layer_under_burned_box,
        "ocr_layer_under_box",
        SECRET,
    ),
    "unapplied_redact_annotation": (
        unapplied_redact_annotation,
        "unapplied_redact_annotation",
        SECRET,
    ),
    "square_annotation_over_text": (
        square_annotation_over_text,
        "annotation_over_text",
        SECRET,
    ),
    "freetext_annotation_over_text": (
        freetext_annotation_over_text,
        "annotation_over_text",
        SECRET,
    ),
    "dark_highlight_annotation": (dark_highlight_annotation, "annotation_over_text", SECRET),
    "solid_image_over_text": (solid_image_over_text, "image_over_text", SECRET),
    "image_under_vector_box": (image_under_vector_box, "image_under_box", ""),
    "cross_hatched_box_over_text": (cross_hatched_box_over_text, "text_under_box", SECRET),
}

CLEAN: dict[str, Builder] = {
    "applied_redaction": applied_redaction,
    "code_on_top_of_box": code_on_top_of_box,
    "black_table_header": black_table_header,
    "white_box_with_code": white_box_with_code,
    "dark_image_without_text": dark_image_without_text,
    "visible_ocr_layer_over_scan": visible_ocr_layer_over_scan,
    "burned_box_under_vector_box": burned_box_under_vector_box,
    "outline_square_and_yellow_highlight": outline_square_and_yellow_highlight,
    "small_footnote_text": small_footnote_text,
}


# -- leaks outside the page content (x-ray does not look here) ------------------------------
def earlier_revision_holds_redacted_text() -> bytes:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "incremental.pdf"
        doc, _page = _doc_with_text()
        doc.save(path)
        doc.close()
        doc = pymupdf.open(path)
        doc[0].add_redact_annot(_secret_rect(doc[0]), fill=(0, 0, 0))
        doc[0].apply_redactions()
        doc.save(path, incremental=True, encryption=pymupdf.PDF_ENCRYPT_KEEP)  # type: ignore[attr-defined]
        doc.close()
        return path.read_bytes()


def embedded_file_holds_text() -> bytes:
    doc, page = _doc_with_text()
    page.add_redact_annot(_secret_rect(page), fill=(0, 0, 0))
    page.apply_redactions()
    doc.embfile_add("draft.txt", f"Draft before redaction: {SECRET}".encode())
    return _bytes(doc)


def redact_annotation_note_holds_text() -> bytes:
    doc, page = _doc_with_text()
    page.add_redact_annot(_secret_rect(page), fill=(0, 0, 0))
    page.apply_redactions()
    page.add_text_annot((400, 100), f"removed: {SECRET}")
    return _bytes(doc)


DOCUMENT_LEAKY: dict[str, tuple[Builder, str, str]] = {
    "earlier_revision": (earlier_revision_holds_redacted_text, "earlier_revision", SECRET),
    "embedded_file": (embedded_file_holds_text, "embedded_file", SECRET),
    "annotation_note": (redact_annotation_note_holds_text, "annotation_contents:Text", SECRET),
}
