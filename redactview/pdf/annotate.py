"""Marking redactions in a copy of a release: real annotations, or flattened callouts.

Boxes arrive in our convention (unrotated page space, origin top-left), which
is also what PyMuPDF's annotation and drawing calls take, so no conversion is
needed here even on pages with /Rotate. XFDF and the PDF file itself count
from the *bottom*-left of the MediaBox; ``page_spaces`` gives each page's
matrix for that conversion.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pymupdf

from redactview.core.geometry import Box
from redactview.pdf.document import load_page, opened_pdf

Color = tuple[float, float, float]
_POPUP_SIZE = (220.0, 140.0)
_CALLOUT_FONT = 6.5
_SQUARE: int = getattr(pymupdf, "PDF_ANNOT_SQUARE", 4)


@dataclass(frozen=True, slots=True)
class Mark:
    """One redaction to mark: where, its number, and what its note says."""

    page: int  # 1-based
    box: Box
    number: int
    title: str  # the popup's title line (shown as the author in most viewers)
    subject: str
    contents: str
    name: str  # a unique annotation name: our redaction id, kept by XFDF round trips
    color: Color = (0.85, 0.1, 0.1)


@dataclass(frozen=True, slots=True)
class PageSpace:
    """How to go from our page coordinates to PDF user space (origin bottom-left)."""

    number: int
    to_pdf: tuple[float, float, float, float, float, float]
    mediabox: tuple[float, float, float, float]  # in PDF user space

    def box_to_pdf(self, box: Box) -> tuple[float, float, float, float]:
        rect = pymupdf.Rect(box.as_tuple()) * pymupdf.Matrix(*self.to_pdf)
        return (rect.x0, rect.y0, rect.x1, rect.y1)

    def box_from_pdf(self, rect: Sequence[float]) -> Box:
        back = pymupdf.Rect(*rect) * ~pymupdf.Matrix(*self.to_pdf)
        return Box.from_seq(back)


def page_spaces(path: str | Path) -> dict[int, PageSpace]:
    spaces = {}
    with opened_pdf(path) as doc:
        for number in range(1, doc.page_count + 1):
            page = load_page(doc, number)
            m = ~page.transformation_matrix
            mb = page.mediabox  # PyMuPDF reports it in PDF user space already
            spaces[number] = PageSpace(number, (m.a, m.b, m.c, m.d, m.e, m.f), tuple(mb))
    return spaces


def add_square(page: pymupdf.Page, mark: Mark) -> pymupdf.Annot:
    """A Square annotation with a popup note; viewers show it without our app."""
    rect = pymupdf.Rect(mark.box.as_tuple())
    annot = page.add_rect_annot(rect)
    annot.set_colors(stroke=mark.color)
    annot.set_border(width=1.5)
    annot.set_opacity(0.9)
    annot.set_info(title=mark.title, subject=mark.subject, content=mark.contents)
    annot.set_name(mark.name)
    annot.update()
    annot.set_popup(popup_rect(page, rect))
    annot.set_open(False)
    return annot


def popup_rect(page: pymupdf.Page, rect: pymupdf.Rect) -> pymupdf.Rect:
    """Place the popup beside the box, kept inside the (unrotated) page."""
    bounds = page.mediabox_size
    w, h = _POPUP_SIZE
    x0 = min(rect.x1 + 6, max(0.0, bounds.x - w))
    y0 = min(rect.y0, max(0.0, bounds.y - h))
    return pymupdf.Rect(x0, y0, x0 + w, y0 + h)


def draw_callout(page: pymupdf.Page, mark: Mark) -> None:
    """Flattened variant: an outline and a numbered tag drawn into the page content."""
    rect = pymupdf.Rect(mark.box.as_tuple())
    page.draw_rect(rect, color=mark.color, width=1.5, overlay=True)
    tag_rect = callout_rect(page, rect, str(mark.number))
    page.draw_rect(tag_rect, color=mark.color, fill=mark.color, width=0.3, overlay=True)
    written = page.insert_textbox(
        tag_rect,
        str(mark.number),
        fontname="helv",
        fontsize=_CALLOUT_FONT,
        lineheight=1.0,
        color=(1, 1, 1),
        align=pymupdf.TEXT_ALIGN_CENTER,
        rotate=page.rotation,
    )
    if written < 0:  # does not happen at the sizes above; never lose a number silently
        page.insert_text(tag_rect.tl, str(mark.number), fontname="helv", fontsize=_CALLOUT_FONT)


def callout_rect(page: pymupdf.Page, rect: pymupdf.Rect, tag: str) -> pymupdf.Rect:
    """Where the tag goes: on top of the box's top-left corner *as the page is shown*,
    overlapping the box a little so it covers as little of the line above as it can."""
    length = pymupdf.get_text_length(tag, fontname="helv", fontsize=_CALLOUT_FONT) + 3
    thick = _CALLOUT_FONT + 2.5
    shown = rect * page.rotation_matrix
    y0 = max(0.0, shown.y0 - thick + 2)
    x0 = min(max(0.0, shown.x0), page.rect.width - length)
    tag_shown = pymupdf.Rect(x0, y0, x0 + length, y0 + thick)
    return tag_shown * page.derotation_matrix


def write_marked_copy(
    src: str | Path, out: str | Path, marks: Iterable[Mark], *, flatten: bool = False
) -> int:
    """Copy ``src`` to ``out`` with every mark added; returns how many were added."""
    count = 0
    with opened_pdf(src) as doc:
        for mark in marks:
            page = load_page(doc, mark.page)
            if flatten:
                draw_callout(page, mark)
            else:
                add_square(page, mark)
            count += 1
        strip_active_content(doc)
        doc.save(str(out), garbage=1, deflate=True)
    return count


# Actions that run something in the reader: never passed on through an export.
_ACTIVE_ACTIONS = ("/JavaScript", "/Launch")


def strip_active_content(doc: pymupdf.Document) -> None:
    """Drop the release's JavaScript and launch actions from the marked copy.

    The copy goes to editors and courts, who open it in Acrobat: a hostile
    release must not run there through our export. Web links and attachments
    stay; they are part of the record and run nothing by themselves.
    """
    for xref in range(1, doc.xref_length()):
        if doc.xref_get_key(xref, "S")[1] in _ACTIVE_ACTIONS:
            doc.update_object(xref, "<<>>")  # an action object: now one that does nothing
            continue
        for key in ("A", "OpenAction"):  # an action written inline
            if doc.xref_get_key(xref, f"{key}/S")[1] in _ACTIVE_ACTIONS:
                doc.xref_set_key(xref, key, "null")
        if doc.xref_get_key(xref, "AA")[0] != "null":
            doc.xref_set_key(xref, "AA", "null")  # page/field triggers: open, close, keystroke
        if doc.xref_get_key(xref, "JavaScript")[0] != "null":
            doc.xref_set_key(xref, "JavaScript", "null")  # the /Names tree of document scripts


@dataclass(frozen=True, slots=True)
class FoundSquare:
    page: int
    box: Box
    name: str
    title: str
    subject: str
    contents: str


def read_squares(path: str | Path) -> list[FoundSquare]:
    """The Square annotations of a PDF (to check an annotated copy)."""
    found = []
    with opened_pdf(path) as doc:
        for number in range(1, doc.page_count + 1):
            page = load_page(doc, number)
            for annot in page.annots(types=[_SQUARE]):
                info = annot.info
                rect = annot.rect + inner_margins(doc, annot.xref)
                found.append(
                    FoundSquare(
                        number,
                        Box.from_seq(rect),
                        info.get("name", ""),
                        info.get("title", ""),
                        info.get("subject", ""),
                        info.get("content", ""),
                    )
                )
    return found


def inner_margins(doc: pymupdf.Document, xref: int) -> tuple[float, float, float, float]:
    """/RD: how far the drawn square sits inside /Rect (MuPDF pads /Rect for the border)."""
    kind, value = doc.xref_get_key(xref, "RD")
    if kind != "array":
        return (0.0, 0.0, 0.0, 0.0)
    left, top, right, bottom = (float(v) for v in value.strip("[]").split())
    # /RD's "top" is the visually upper edge, which is our y0 as well.
    return (left, top, -right, -bottom)
