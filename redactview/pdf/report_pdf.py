"""Drawing report pages with PyMuPDF: a small flowing layout, tables, bars and crops.

The export package decides *what* a report says; this module only knows how
to put text, tables, bar charts and page crops on Letter pages, then add a
table of contents, bookmarks and page numbers. Only the Base-14 Helvetica
fonts are used, so the file needs no embedded font and renders anywhere;
characters outside Latin-1 print as "?" (see ``printable``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pymupdf

from redactview.pdf.report_crops import Crop, grow

PAGE_W, PAGE_H = 612.0, 792.0  # US Letter: what US courts and FOIA offices use
MARGIN = 54.0
FONT, BOLD = "helv", "hebo"
INK = (0.1, 0.1, 0.1)
MUTED = (0.4, 0.4, 0.4)
ACCENT = (0.75, 0.1, 0.1)
BAR = (0.2, 0.35, 0.6)
_LEADING = 1.3
_TOC_PER_PAGE = 40


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    width: float


@functools.cache
def _char_width(font: str, char: str) -> float:
    return float(pymupdf.get_text_length(char, fontname=font, fontsize=1.0))


def text_width(text: str, font: str, size: float) -> float:
    """Width of ``text`` in points. Base-14 text is not kerned, so per-character
    widths add up exactly, and caching them is far faster than asking MuPDF."""
    return size * sum(_char_width(font, c) for c in text)


_ASCII_FOR = str.maketrans(
    {
        "\u2014": "-",
        "\u2013": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2022": "-",
        "\u2026": "...",
        "\u2212": "-",
        "\u00a0": " ",
    }
)


def printable(text: str) -> str:
    """Text the Base-14 fonts can show: typographic punctuation made plain, anything
    outside Latin-1 as "?" (rather than a silently wrong glyph)."""
    plain = text.translate(_ASCII_FOR)
    return plain.encode("latin-1", "replace").decode("latin-1")


class Canvas:
    """A page plus one Shape collecting its drawing: a report page gets hundreds
    of strings, and committing each one separately (as ``page.insert_text``
    does) rewrites the content stream every time."""

    def __init__(self, page: pymupdf.Page) -> None:
        self.page = page
        self.number: int = page.number
        self.shape = page.new_shape()

    def insert_text(
        self,
        point: tuple[float, float],
        text: str,
        *,
        fontname: str = FONT,
        fontsize: float = 10,
        color: Sequence[float] = INK,
    ) -> None:
        self.shape.insert_text(
            point, printable(text), fontname=fontname, fontsize=fontsize, color=color
        )

    def draw_rect(
        self,
        rect: pymupdf.Rect,
        *,
        color: Sequence[float] | None = None,
        fill: Sequence[float] | None = None,
        width: float = 1.0,
    ) -> None:
        self.shape.draw_rect(rect)
        self.shape.finish(color=color, fill=fill, width=width)

    def draw_line(
        self,
        p1: tuple[float, float],
        p2: tuple[float, float],
        *,
        color: Sequence[float],
        width: float = 1.0,
    ) -> None:
        self.shape.draw_line(p1, p2)
        self.shape.finish(color=color, width=width)

    def insert_image(self, rect: pymupdf.Rect, stream: bytes) -> None:
        # Goes into the content at once; the shape (outlines) is committed later, on top.
        self.page.insert_image(rect, stream=stream)

    def commit(self) -> None:
        self.shape.commit()


def wrap(text: str, width: float, size: float, font: str = FONT) -> list[str]:
    """Greedy word wrap; words longer than a line are cut; newlines are kept."""
    lines: list[str] = []
    for para in printable(text).split("\n"):
        line = ""
        for word in para.split(" "):
            while text_width(word, font, size) > width:
                cut = _fit(word, width, size, font)
                if line:
                    lines.append(line)
                    line = ""
                lines.append(word[:cut])
                word = word[cut:]
            trial = f"{line} {word}" if line else word
            if text_width(trial, font, size) <= width:
                line = trial
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def _fit(word: str, width: float, size: float, font: str) -> int:
    cut = len(word)
    while cut > 1 and text_width(word[:cut], font, size) > width:
        cut -= 1
    return cut


class ReportWriter:
    """A cursor that flows content down Letter pages, adding pages as needed."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.doc = pymupdf.open()
        self.toc: list[tuple[int, str, int]] = []  # (level, text, 0-based page index)
        self.page = Canvas(self.doc.new_page(width=PAGE_W, height=PAGE_H))
        self.y = MARGIN
        self.width = PAGE_W - 2 * MARGIN

    # -- flow -----------------------------------------------------------------
    def new_page(self) -> None:
        self.page.commit()
        self.page = Canvas(self.doc.new_page(width=PAGE_W, height=PAGE_H))
        self.y = MARGIN

    def ensure(self, height: float) -> None:
        if self.y + height > PAGE_H - MARGIN:
            self.new_page()

    def space(self, points: float) -> None:
        self.y += points

    def text_line(
        self, x: float, text: str, size: float, font: str, color: Sequence[float]
    ) -> None:
        self.page.insert_text((x, self.y + size), text, fontname=font, fontsize=size, color=color)
        self.y += size * _LEADING

    def paragraph(
        self,
        text: str,
        size: float = 10,
        *,
        font: str = FONT,
        color: Sequence[float] = INK,
        indent: float = 0.0,
    ) -> None:
        for line in wrap(text, self.width - indent, size, font):
            self.ensure(size * _LEADING)
            self.text_line(MARGIN + indent, line, size, font, color)

    def heading(self, text: str, level: int = 1, *, new_page: bool = False) -> None:
        """A heading that also becomes a table-of-contents entry and a bookmark."""
        size = {1: 18.0, 2: 13.0}.get(level, 11.0)
        if new_page and self.y > MARGIN:
            self.new_page()
        self.ensure(size * 3)
        self.space(size * 0.4)
        self.toc.append((level, text, self.page.number))
        self.paragraph(text, size, font=BOLD)
        self.space(size * 0.3)

    # -- tables ---------------------------------------------------------------
    def table(
        self, columns: Sequence[Column], rows: Sequence[Sequence[str]], size: float = 8
    ) -> None:
        """Rows wrap inside their cells; the header repeats on every page."""
        self._table_header(columns, size)
        for row in rows:
            cells = [
                wrap(text, col.width - 4, size) for text, col in zip(row, columns, strict=True)
            ]
            height = max(len(c) for c in cells) * size * _LEADING + 4
            if self.y + height > PAGE_H - MARGIN:
                self.new_page()
                self._table_header(columns, size)
            self._table_row(columns, cells, size, height)

    def _table_header(self, columns: Sequence[Column], size: float) -> None:
        height = size * _LEADING + 6
        self.ensure(height * 2)
        rect = pymupdf.Rect(MARGIN, self.y, MARGIN + sum(c.width for c in columns), self.y + height)
        self.page.draw_rect(rect, color=None, fill=(0.88, 0.9, 0.94))
        x = MARGIN
        for col in columns:
            self.page.insert_text(
                (x + 2, self.y + size + 2), col.header, fontname=BOLD, fontsize=size
            )
            x += col.width
        self.y += height

    def _table_row(
        self, columns: Sequence[Column], cells: list[list[str]], size: float, height: float
    ) -> None:
        x = MARGIN
        for col, lines in zip(columns, cells, strict=True):
            for i, line in enumerate(lines):
                base = self.y + 2 + size + i * size * _LEADING
                self.page.insert_text((x + 2, base), line, fontname=FONT, fontsize=size, color=INK)
            x += col.width
        self.y += height
        self.page.draw_line((MARGIN, self.y), (x, self.y), color=(0.8, 0.8, 0.8), width=0.5)

    # -- charts ---------------------------------------------------------------
    def bar_chart(self, title: str, items: Sequence[tuple[str, float]], *, unit: str = "") -> None:
        """Horizontal bars, one per labelled value (labels on the left)."""
        size, bar_h = 8.0, 11.0
        self.ensure(size * 3 + bar_h * min(len(items), 5))
        self.paragraph(title, 10, font=BOLD)
        top = max((v for _, v in items), default=0.0) or 1.0
        label_w = 110.0
        span = self.width - label_w - 50
        for label, value in items:
            self.ensure(bar_h + 2)
            self.page.insert_text((MARGIN, self.y + size), label[:28], fontname=FONT, fontsize=size)
            length = max(0.5, span * value / top) if value else 0.0
            rect = pymupdf.Rect(
                MARGIN + label_w, self.y, MARGIN + label_w + length, self.y + bar_h - 2
            )
            if length:
                self.page.draw_rect(rect, color=None, fill=BAR)
            shown = f"{value:g}{unit}"
            self.page.insert_text((rect.x1 + 4, self.y + size), shown, fontname=FONT, fontsize=size)
            self.y += bar_h
        self.space(8)

    def column_chart(self, title: str, values: Sequence[float], *, unit: str = "") -> None:
        """Vertical bars along the pages of a release (x: page 1..n)."""
        chart_h, size = 90.0, 7.0
        self.ensure(chart_h + 40)
        self.paragraph(title, 10, font=BOLD)
        top = max(values, default=0.0) or 1.0
        left, base = MARGIN + 30, self.y + chart_h
        step = (self.width - 30) / max(1, len(values))
        self.page.draw_line((left, base), (left + step * len(values), base), color=MUTED, width=0.5)
        self.page.insert_text(
            (MARGIN, self.y + size), f"{top:g}{unit}", fontname=FONT, fontsize=size
        )
        self.page.insert_text((MARGIN, base), f"0{unit}", fontname=FONT, fontsize=size)
        for i, value in enumerate(values):
            h = chart_h * value / top
            if h > 0:
                x0 = left + i * step + step * 0.15
                self.page.draw_rect(
                    pymupdf.Rect(x0, base - h, x0 + step * 0.7, base), color=None, fill=BAR
                )
        label_every = max(1, math.ceil(len(values) / 20))
        for i in range(0, len(values), label_every):
            self.page.insert_text(
                (left + i * step, base + size + 2), str(i + 1), fontname=FONT, fontsize=size
            )
        self.y = base + size * 3
        self.space(6)

    # -- crops ----------------------------------------------------------------
    def crop_block(
        self, crop: Crop | None, lines: Sequence[tuple[str, str]], number: int, prefix: str = "#"
    ) -> None:
        """A page crop on the left (redaction outlined), labelled lines on the right."""
        img_w, img_h, size = 200.0, 120.0, 8.0
        text_x = MARGIN + img_w + 12
        text_w = self.width - img_w - 12
        wrapped = [(k, wrap(v, text_w - 70, size)) for k, v in lines]
        text_h = sum(len(w) for _, w in wrapped) * size * _LEADING + 14
        self.ensure(max(img_h, text_h) + 8)
        top = self.y
        self.page.insert_text(
            (MARGIN, top + 10), f"{prefix}{number}", fontname=BOLD, fontsize=10, color=ACCENT
        )
        if crop is not None:
            self._place_crop(crop, pymupdf.Rect(MARGIN, top + 14, MARGIN + img_w, top + img_h))
        y = top
        for key, value_lines in wrapped:
            self.page.insert_text(
                (text_x, y + size), key, fontname=BOLD, fontsize=size, color=MUTED
            )
            for line in value_lines:
                self.page.insert_text((text_x + 70, y + size), line, fontname=FONT, fontsize=size)
                y += size * _LEADING
        self.y = max(top + img_h, y) + 6
        self.page.draw_line(
            (MARGIN, self.y), (PAGE_W - MARGIN, self.y), color=(0.85, 0.85, 0.85), width=0.5
        )
        self.y += 6

    def _place_crop(self, crop: Crop, frame: pymupdf.Rect) -> None:
        scale = min(frame.width / crop.width, frame.height / crop.height)
        rect = pymupdf.Rect(
            frame.x0, frame.y0, frame.x0 + crop.width * scale, frame.y0 + crop.height * scale
        )
        self.page.insert_image(rect, crop.image)
        self.page.draw_rect(rect, color=(0.7, 0.7, 0.7), width=0.5)
        if crop.target is None:
            return
        t = crop.target.scaled(scale)
        outline = pymupdf.Rect(rect.x0 + t.x0, rect.y0 + t.y0, rect.x0 + t.x1, rect.y0 + t.y1)
        self.page.draw_rect(grow(outline, 2, 2), color=ACCENT, width=1.2)

    # -- finishing --------------------------------------------------------------
    def finish(self, out: str | Path, toc_title: str = "Contents") -> int:
        """Insert the contents pages after the cover, number pages, save. Returns page count."""
        self.page.commit()
        toc_pages = max(1, math.ceil(len(self.toc) / _TOC_PER_PAGE))
        entries = [(lvl, text, page + toc_pages) for lvl, text, page in self.toc]
        self._write_contents(entries, toc_pages, toc_title)
        self.doc.set_toc([[lvl, text, page + 1] for lvl, text, page in entries])
        self._number_pages()
        self.doc.set_metadata(
            {"title": self.title, "creator": "redactview", "producer": "redactview"}
        )
        self.doc.save(str(out), garbage=3, deflate=True)
        count = self.doc.page_count
        self.doc.close()
        return count

    def _write_contents(self, entries: list[tuple[int, str, int]], pages: int, title: str) -> None:
        for k in range(pages):
            page = Canvas(self.doc.new_page(pno=1 + k, width=PAGE_W, height=PAGE_H))
            y = MARGIN
            if k == 0:
                page.insert_text((MARGIN, y + 18), title, fontname=BOLD, fontsize=18)
                y += 36
            for lvl, text, target in entries[k * _TOC_PER_PAGE : (k + 1) * _TOC_PER_PAGE]:
                indent = 14.0 * (lvl - 1)
                label = wrap(text, self.width - indent - 40, 10)[0]
                page.insert_text((MARGIN + indent, y + 10), label, fontname=FONT, fontsize=10)
                number = str(target + 1)
                nw = text_width(number, FONT, 10)
                page.insert_text((PAGE_W - MARGIN - nw, y + 10), number, fontname=FONT, fontsize=10)
                link = pymupdf.Rect(MARGIN, y, PAGE_W - MARGIN, y + 13)
                page.page.insert_link({"kind": pymupdf.LINK_GOTO, "page": target, "from": link})
                y += 15
            page.commit()

    def _number_pages(self) -> None:
        total = self.doc.page_count
        for number in range(total):
            page = self.doc[number]
            text = printable(f"{self.title} - page {page.number + 1} of {total}")
            tw = text_width(text, FONT, 8)
            page.insert_text(
                ((PAGE_W - tw) / 2, PAGE_H - 28), text, fontname=FONT, fontsize=8, color=MUTED
            )
