"""Two renders of a page that differ only by its text, and the page's own paint count.

A scratch one-page copy is made for each page: its annotations are baked into
the content (so that removing the glyphs cannot delete a FreeText box with
them) and its text is removed by a redaction that leaves pictures and paths
alone. Nothing here touches the caller's document.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pymupdf

from redactview.core.geometry import Box
from redactview.pdf.leaks_images import ANNOT_REDACT

# Render scale for the visibility test: 2x (144 dpi) gives a 10 pt glyph ~20 px.
_ZOOM = 2.0
# PyMuPDF's type stubs lack these constants; name them once here.
_IMAGE_NONE: int = pymupdf.PDF_REDACT_IMAGE_NONE  # type: ignore[attr-defined]
_LINE_ART_NONE: int = pymupdf.PDF_REDACT_LINE_ART_NONE  # type: ignore[attr-defined]
_TEXT_REMOVE: int = pymupdf.PDF_REDACT_TEXT_REMOVE  # type: ignore[attr-defined]


def count_content_items(page: pymupdf.Page) -> int:
    """How many paint operations the page's own content makes, annotations left out.

    The text trace and bbox log include annotation appearances after the
    content; their words (a FreeText label, a Redact overlay) are not page
    text and can never be a leak of it.
    """
    if not page.first_annot and not page.first_widget:
        return len(page.get_bboxlog())
    scratch = pymupdf.open()
    try:
        scratch.insert_pdf(page.parent, from_page=page.number, to_page=page.number, annots=False)
        return len(scratch[0].get_bboxlog())
    finally:
        scratch.close()


def render_gray(page: pymupdf.Page) -> np.ndarray:
    pix = page.get_pixmap(
        matrix=pymupdf.Matrix(_ZOOM, _ZOOM), colorspace=pymupdf.csGRAY, alpha=False
    )
    rows = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.stride)
    return rows[:, : pix.width].astype(np.int16)


def render_with_and_without_text(
    page: pymupdf.Page, content_items: int
) -> tuple[np.ndarray, np.ndarray]:
    """The page as painted, and the same page with every glyph removed.

    Both come from a one-page copy with unapplied Redact annotations deleted
    (applying our own redaction would also apply theirs) and the other
    annotations baked into the content, so the two renders differ only by the
    page's text. Unapplied Redact annotations are judged separately.
    """
    scratch = pymupdf.open()
    try:
        scratch.insert_pdf(page.parent, from_page=page.number, to_page=page.number)
        copy = scratch[0]
        for annot in list(copy.annots(types=[ANNOT_REDACT]) or []):
            copy.delete_annot(annot)
        # Annotations become page content first: applying a redaction would
        # otherwise delete some of them (FreeText) and change the picture.
        scratch.bake(annots=True, widgets=True)
        copy = scratch[0]
        remove_text(copy, annotation_text_boxes(copy, content_items))
        with_text = render_gray(copy)
        remove_text(copy, [copy.rect])
        without_text = render_gray(copy)
    finally:
        scratch.close()
    return with_text, without_text


def annotation_text_boxes(baked: pymupdf.Page, painted: int) -> list[pymupdf.Rect]:
    """Boxes of text that baked annotations added (painted after the page's own)."""
    return [pymupdf.Rect(s["bbox"]) for s in baked.get_texttrace() if s["seqno"] >= painted]


def remove_text(page: pymupdf.Page, rects: Sequence[pymupdf.Rect]) -> None:
    """Delete the glyphs in ``rects``; pictures and paths stay as they are.

    An annotation's own words (a FreeText label) are removed from both renders:
    they are not page text, and only the box they sit on decides what is hidden.
    """
    if not rects:
        return
    for rect in rects:
        page.add_redact_annot(rect)
    page.apply_redactions(images=_IMAGE_NONE, graphics=_LINE_ART_NONE, text=_TEXT_REMOVE)


def to_pixels(page: pymupdf.Page, box: Box, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    rect = pymupdf.Rect(box.as_tuple()) * page.rotation_matrix * pymupdf.Matrix(_ZOOM, _ZOOM)
    h, w = shape[:2]
    x0, x1 = sorted((int(rect.x0), int(np.ceil(rect.x1))))
    y0, y1 = sorted((int(rect.y0), int(np.ceil(rect.y1))))
    return max(0, x0), max(0, y0), min(w, x1), min(h, y1)
