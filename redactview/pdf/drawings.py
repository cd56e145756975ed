"""What a page draws besides text: filled shapes, annotations, solid images, text spans.

Everything is reported in the page's unrotated coordinates (origin top-left),
like ``get_text("words")``, so analysis can compare shapes with words directly.
Deciding which of these is a redaction is analysis's job, not this module's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pymupdf

from redactview.core.geometry import Box

RGB = tuple[float, float, float]
# Images with more pixels than this are content (scans, photos), not solid boxes;
# skipping them keeps a 500-page scanned release from decoding every scan twice.
_MAX_SOLID_IMAGE_PIXELS = 250_000
_SOLID_STD = 6.0  # grey levels: a "solid" image varies less than this


@dataclass(frozen=True, slots=True)
class FilledShape:
    """A filled path from the page content (``page.get_drawings()``)."""

    box: Box
    fill: RGB
    fill_opacity: float
    stroke: RGB | None
    is_rect: bool  # a single rectangle (or a closed 4-point path), not a curve
    seqno: int  # drawing order: later shapes cover earlier ones


@dataclass(frozen=True, slots=True)
class AnnotShape:
    box: Box
    subtype: str  # "Redact", "Square", "Ink", "Highlight", ...
    fill: RGB | None
    stroke: RGB | None
    opacity: float
    text: str  # contents or a Redact annotation's OverlayText


@dataclass(frozen=True, slots=True)
class SolidImage:
    box: Box
    grey: float  # mean grey level 0..255


@dataclass(frozen=True, slots=True)
class PlacedImage:
    box: Box
    colour: bool  # three or more components


@dataclass(frozen=True, slots=True)
class TextSpan:
    box: Box
    text: str
    color: RGB


def _rgb(value: object) -> RGB | None:
    if not isinstance(value, (tuple, list)) or not value:
        return None
    if len(value) == 1:
        g = float(value[0])
        return (g, g, g)
    if len(value) == 4:  # CMYK, roughly
        c, m, y, k = (float(v) for v in value)
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    r, g, b = (float(v) for v in value[:3])
    return (r, g, b)


def _is_rect_path(items: list[tuple[object, ...]]) -> bool:
    if len(items) == 1 and items[0][0] in ("re", "qu"):
        return True
    # Some producers draw a box as four lines.
    return len(items) in (3, 4) and all(item[0] == "l" for item in items)


def read_filled_shapes(page: pymupdf.Page) -> list[FilledShape]:
    """Filled paths in drawing order. PyMuPDF includes annotation appearances
    here too; callers match them against ``read_annotations`` to count each once."""
    shapes = []
    for path in page.get_drawings():
        fill = _rgb(path.get("fill"))
        if fill is None or path.get("type") not in ("f", "fs"):
            continue
        box = Box.from_seq(path["rect"])
        if box.is_empty:
            continue
        shapes.append(
            FilledShape(
                box,
                fill,
                float(path.get("fill_opacity") or 1.0),
                _rgb(path.get("color")),
                _is_rect_path(path.get("items", [])),
                int(path.get("seqno", 0)),
            )
        )
    return shapes


def _overlay_text(page: pymupdf.Page, annot: pymupdf.Annot) -> str:
    kind, value = page.parent.xref_get_key(annot.xref, "OverlayText")
    return value if kind == "string" else ""


def read_annotations(page: pymupdf.Page) -> list[AnnotShape]:
    found = []
    for annot in page.annots() or []:
        colors = annot.colors or {}
        subtype = annot.type[1]
        text = annot.info.get("content", "") or ""
        if subtype == "Redact":
            text = _overlay_text(page, annot) or text
        found.append(
            AnnotShape(
                Box.from_seq(annot.rect),  # already unrotated, like words
                subtype,
                _rgb(colors.get("fill")),
                _rgb(colors.get("stroke")),
                float(annot.opacity if annot.opacity is not None and annot.opacity >= 0 else 1),
                text,
            )
        )
    return found


def read_solid_images(page: pymupdf.Page) -> list[SolidImage]:
    """Placed images that are one flat colour: boxes some tools insert as pictures."""
    small = [it for it in page.get_images(full=True) if it[2] * it[3] <= _MAX_SOLID_IMAGE_PIXELS]
    if not small:
        # Asking PyMuPDF for the xrefs of placed images hashes every image's
        # pixels, the page-sized scan too (~40 ms a page, near the cost of the
        # whole render); a page that holds no small image has no solid one.
        return []
    found = []
    for info in page.get_image_info(xrefs=True):
        xref = info.get("xref", 0)
        if not xref or info["width"] * info["height"] > _MAX_SOLID_IMAGE_PIXELS:
            continue
        try:
            pix = pymupdf.Pixmap(page.parent, xref)
        except (RuntimeError, ValueError):
            continue  # an image we cannot decode is not a box we can judge
        if pix.n - pix.alpha >= 3 or pix.alpha:
            pix = pymupdf.Pixmap(pymupdf.csGRAY, pix)
        values = np.frombuffer(pix.samples, dtype=np.uint8)
        if values.size and float(values.std()) < _SOLID_STD:
            found.append(SolidImage(Box.from_seq(info["bbox"]), float(values.mean())))
    return found


def read_text_spans(page: pymupdf.Page) -> list[TextSpan]:
    """Text spans with their colour: white text on a box is printed on top of it."""
    spans = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                if not span["text"].strip():
                    continue
                c = int(span["color"])
                rgb = ((c >> 16 & 255) / 255, (c >> 8 & 255) / 255, (c & 255) / 255)
                spans.append(TextSpan(Box.from_seq(span["bbox"]), span["text"], rgb))
    return spans


def read_image_boxes(page: pymupdf.Page) -> list[PlacedImage]:
    """Where images are placed (only there can a box be burned into pixels), and
    whether each is in colour (only there can a filled shape in a scan be red
    or blue rather than grey)."""
    return [
        PlacedImage(Box.from_seq(info["bbox"]), int(info.get("colorspace", 1)) >= 3)
        for info in page.get_image_info()
    ]


# Analysis names a page by this alias so that only redactview.pdf imports PyMuPDF.
PdfPage = pymupdf.Page


def read_page_box(page: pymupdf.Page) -> Box:
    """The page's visible area (cropbox) in unrotated points."""
    return Box.from_seq(page.cropbox)
