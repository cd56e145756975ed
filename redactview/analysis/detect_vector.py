"""Redactions drawn in the page content or as annotations (born-digital pages,
and scans with boxes drawn on top).

Input is what ``pdf.drawings`` read (page points, unrotated); output are
candidates in the same space. A filled rectangle is a redaction when it is
opaque, black or neutral grey, at least a text line high, and not the page
background or a rule. Light text on a dark box is printed *on* it (a code, or
a table header, which the label step tells apart); dark text inside a dark box
is text *under* it, which is the leak check's business, not a reason to drop it.
"""

from __future__ import annotations

from dataclasses import dataclass

from redactview.core.geometry import Box
from redactview.core.model import Fill, RedactionKind
from redactview.pdf.drawings import RGB, AnnotShape, FilledShape, SolidImage, TextSpan

MIN_HEIGHT_PT = 5.0
MIN_WIDTH_PT = 8.0
_REDACTION_ANNOTS = ("Redact", "Square", "Ink", "Highlight", "Polygon")


@dataclass(frozen=True, slots=True)
class VectorBox:
    box: Box  # page points, unrotated
    kind: RedactionKind
    fill: Fill
    confidence: float
    printed: str = ""  # text printed on the box (overlay text, light spans)
    needs_label: bool = False  # a white box counts only with a code inside


def _luma(rgb: RGB) -> float:
    r, g, b = rgb
    return 0.299 * r + 0.587 * g + 0.114 * b


def classify_colour(rgb: RGB | None) -> Fill | None:
    """Black, neutral grey, white; a saturated colour is design, not a redaction."""
    if rgb is None:
        return None
    if max(rgb) - min(rgb) > 0.2:
        return None
    luma = _luma(rgb)
    if luma < 0.3:
        return Fill.BLACK
    return Fill.GREY if luma < 0.9 else Fill.WHITE


def _plausible(box: Box, page: Box) -> bool:
    if box.coverage_by(page) < 0.5:
        return False  # mostly off the page
    if box.height < MIN_HEIGHT_PT or box.width < MIN_WIDTH_PT:
        return False
    return box.area < page.area * 0.9  # a page background, not a box


def _printed_on(box: Box, spans: list[TextSpan], fill: Fill) -> str:
    """Text visibly printed on the box: light text on dark, dark text on light boxes."""
    out = []
    for span in spans:
        if span.box.coverage_by(box) < 0.6:
            continue
        light = _luma(span.color) > 0.6
        if (fill == Fill.BLACK and light) or (fill != Fill.BLACK and not light):
            out.append(span.text)
    return " ".join(out).strip()


def judge_shape(shape: FilledShape, page: Box, spans: list[TextSpan]) -> VectorBox | None:
    fill = classify_colour(shape.fill)
    if fill is None or not shape.is_rect or shape.fill_opacity < 0.9:
        return None
    if not _plausible(shape.box, page):
        return None
    if fill == Fill.WHITE:
        # White rectangles are everywhere (backgrounds, masks); only a bordered
        # one with a code printed in it is the DOJ-style redaction box.
        if shape.stroke is None or classify_colour(shape.stroke) != Fill.BLACK:
            return None
        printed = _printed_on(shape.box, spans, fill)
        return VectorBox(shape.box, RedactionKind.VECTOR, fill, 0.7, printed, needs_label=True)
    printed = _printed_on(shape.box, spans, fill)
    return VectorBox(shape.box, RedactionKind.VECTOR, fill, 0.95, printed)


def judge_annotation(annot: AnnotShape, page: Box) -> VectorBox | None:
    if annot.subtype not in _REDACTION_ANNOTS or not _plausible(annot.box, page):
        return None
    if annot.subtype == "Redact":
        fill = classify_colour(annot.fill) or Fill.BLACK
        return VectorBox(annot.box, RedactionKind.ANNOTATION, fill, 0.99, annot.text)
    colour = annot.fill if annot.subtype in ("Square", "Polygon") else annot.stroke
    shade = classify_colour(colour)
    if shade not in (Fill.BLACK, Fill.GREY) or annot.opacity < 0.9:
        return None  # an outline or a pale highlight marks, it does not hide
    return VectorBox(annot.box, RedactionKind.ANNOTATION, shade, 0.9, annot.text)


def judge_image(image: SolidImage, page: Box) -> VectorBox | None:
    if not _plausible(image.box, page):
        return None
    fill = classify_colour((image.grey / 255,) * 3)
    if fill not in (Fill.BLACK, Fill.GREY):
        return None
    return VectorBox(image.box, RedactionKind.VECTOR, fill, 0.9)


def find_vector_boxes(
    page: Box,
    shapes: list[FilledShape],
    annots: list[AnnotShape],
    images: list[SolidImage],
    spans: list[TextSpan],
) -> list[VectorBox]:
    """All vector candidates; a shape that is an annotation's appearance counts once."""
    from_annots = [v for a in annots if (v := judge_annotation(a, page))]
    found = list(from_annots)
    for shape in shapes:
        candidate = judge_shape(shape, page, spans)
        if candidate and not any(candidate.box.iou(a.box) > 0.6 for a in from_annots):
            found.append(candidate)
    found += [v for i in images if (v := judge_image(i, page))]
    return drop_duplicates(found)


def drop_duplicates(boxes: list[VectorBox]) -> list[VectorBox]:
    """Some producers paint a box twice (fill, then fill+stroke); keep the first."""
    kept: list[VectorBox] = []
    for box in boxes:
        if not any(box.box.iou(k.box) > 0.9 for k in kept):
            kept.append(box)
    return kept
