"""A copy of a PDF with an invisible text layer over its scans (like OCRmyPDF's output).

Each OCR word is written in text render mode 3 (invisible), sized and
stretched so that the box a PDF reader computes for it is the word's box on
the page image: search hits highlight the right word, and selecting text
selects what the user sees. Pages that already have a usable text layer are
copied as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pymupdf

from redactview.core.geometry import Box
from redactview.core.model import Word
from redactview.errors import OutputError
from redactview.pdf.annotate import strip_active_content
from redactview.pdf.document import load_page, opened_pdf

_FONT_NAME = "helv"
_INVISIBLE = 3


def write_searchable(
    source: str | Path,
    target: str | Path,
    words_by_page: Mapping[int, Sequence[Word]],
    *,
    text_rotation: Mapping[int, int] | None = None,
    password: str | None = None,
) -> Path:
    """Write ``target``: ``source`` plus invisible words on the pages given.

    ``text_rotation`` is, per page, how far (degrees, counter-clockwise in
    unrotated page space) the page's text runs from left-to-right: 0 for an
    ordinary page, 90 for a scan placed sideways. See ``text_direction``.
    """
    target = Path(target)
    font = pymupdf.Font(_FONT_NAME)
    with opened_pdf(source, password) as doc:
        for number, words in words_by_page.items():
            page = load_page(doc, number)
            angle = (text_rotation or {}).get(number, 0)
            for word in words:
                write_word(page, font, word, angle)
        strip_active_content(doc)  # a copy we hand on runs nothing of the release's
        try:
            doc.save(target, garbage=3, deflate=True)
        except (RuntimeError, OSError, ValueError) as exc:
            raise OutputError(f"{target}: cannot write the searchable PDF ({exc})") from exc
    return target


def text_direction(ocr_rotation: int, page_rotation: int) -> int:
    """Direction of a page's text in unrotated space, from the two turns applied.

    OCR turned the displayed page ``ocr_rotation`` degrees clockwise to read
    it; the page is displayed turned ``page_rotation`` (/Rotate) clockwise.
    Undoing both, text runs that many degrees counter-clockwise.
    """
    return (ocr_rotation + page_rotation) % 360


def write_word(page: pymupdf.Page, font: pymupdf.Font, word: Word, angle: int) -> None:
    """One invisible word whose extracted box is ``word.box``."""
    text = word.text.strip()
    box = word.box
    if not text or box.is_empty:
        return
    along, across = (box.width, box.height) if angle in (0, 180) else (box.height, box.width)
    fontsize = across / (font.ascender - font.descender)
    natural = font.text_length(text, fontsize=fontsize)
    if fontsize <= 0 or natural <= 0:
        return
    stretch = along / natural
    ascent = font.ascender * fontsize
    origin, matrix = _placement(box, angle, ascent, stretch)
    page.insert_text(
        origin,
        text,
        fontsize=fontsize,
        fontname=_FONT_NAME,
        render_mode=_INVISIBLE,
        rotate=angle,
        morph=(origin, matrix),
    )


def _placement(
    box: Box, angle: int, ascent: float, stretch: float
) -> tuple[pymupdf.Point, pymupdf.Matrix]:
    """Baseline start and the stretch along the text direction, for each angle."""
    if angle == 90:  # text runs upwards; glyph tops point left
        return pymupdf.Point(box.x0 + ascent, box.y1), pymupdf.Matrix(1, stretch)
    if angle == 180:
        return pymupdf.Point(box.x1, box.y1 - ascent), pymupdf.Matrix(stretch, 1)
    if angle == 270:  # text runs downwards; glyph tops point right
        return pymupdf.Point(box.x1 - ascent, box.y0), pymupdf.Matrix(1, stretch)
    return pymupdf.Point(box.x0, box.y0 + ascent), pymupdf.Matrix(stretch, 1)
