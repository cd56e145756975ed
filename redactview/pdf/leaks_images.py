"""What is painted over what: opaque boxes, images and annotations in paint order,
and pictures that a vector box hides but that are still in the file.

A vector box drawn over a scanned page hides nothing from anyone who deletes
the box or extracts the image: the image's own pixels are read here, and a
crop that holds strokes rather than one flat fill is a leak the user can see.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pymupdf
from PIL import Image

from redactview.core.geometry import Box
from redactview.core.model import LeakFinding

_MIN_BOX_PT = 3.0
# Annotations are painted after all page content, whatever their order.
IMAGE_UNDER_BOX_CONFIDENCE = 0.8
# PyMuPDF's type stubs lack these constants; name them once here.
ANNOT_REDACT: int = pymupdf.PDF_ANNOT_REDACT  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Occluder:
    """Something painted on the page that can hide what was painted before it."""

    box: Box
    seqno: int  # paint order; annotations are painted after all content
    kind: str  # "vector", "image" or "annotation"
    fill: tuple[float, ...] | None = None  # RGB 0..1 for vector boxes
    subtype: str = ""  # annotation type name


ANNOT_SEQNO = 1 << 30


def collect_occluders(page: pymupdf.Page, content_items: int) -> list[Occluder]:
    """Opaque filled paths, placed images and annotations, in paint order.

    Paths and images are taken from the page's own content only (the first
    ``content_items`` paint operations); annotations, whose appearances the
    drawing list also reports, are taken as annotations, painted last.
    """
    found: list[Occluder] = []
    for drawing in page.get_drawings():
        if drawing["seqno"] >= content_items:
            continue
        if drawing.get("fill") is None or (drawing.get("fill_opacity") or 0.0) < 0.99:
            continue
        rects = [item[1] for item in drawing["items"] if item[0] == "re"]
        rects += [item[1].rect for item in drawing["items"] if item[0] == "qu"]
        # A box drawn as lines/curves (rounded corners) has no "re" item: its
        # outline rect is the box. With "re" items, each is its own box, so a
        # two-line redaction does not swallow the visible words beside it.
        for rect in rects or [drawing["rect"]]:
            box = Box.from_seq(rect)
            if box.width >= _MIN_BOX_PT and box.height >= _MIN_BOX_PT:
                found.append(Occluder(box, drawing["seqno"], "vector", tuple(drawing["fill"])))
    for seqno, (kind, rect) in enumerate(page.get_bboxlog()[:content_items]):
        if kind == "fill-image":
            found.append(Occluder(Box.from_seq(rect), seqno, "image"))
    for annot in page.annots() or []:
        if annot.type[0] != ANNOT_REDACT:
            found.append(
                Occluder(Box.from_seq(annot.rect), ANNOT_SEQNO, "annotation", None, annot.type[1])
            )
    return found


def load_gray_image(doc: pymupdf.Document, xref: int) -> np.ndarray | None:
    """An image's own pixels as 8-bit grey, or None if PyMuPDF cannot decode it."""
    try:
        pix = pymupdf.Pixmap(doc, xref)
        if pix.alpha:
            pix = pymupdf.Pixmap(pix, 0)
        if pix.n != 1:
            pix = pymupdf.Pixmap(pymupdf.csGRAY, pix)
    except (RuntimeError, ValueError):
        return None  # an undecodable image shows nothing to anyone: nothing leaks
    rows = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.stride)
    return rows[:, : pix.width].copy()


def crop_image_under(pixels: np.ndarray, transform: Sequence[float], box: Box) -> np.ndarray | None:
    """The image pixels that ``box`` (page points) covers, via the image's placement matrix.

    The matrix maps the unit square of image space (x right, y down over the
    pixel rows) onto the page, so its inverse takes a page box to image pixels.
    """
    unit = pymupdf.Rect(box.as_tuple()) * ~pymupdf.Matrix(*transform)
    unit.normalize()
    h, w = pixels.shape
    x0, x1 = max(0, int(unit.x0 * w)), min(w, int(np.ceil(unit.x1 * w)))
    y0, y1 = max(0, int(unit.y0 * h)), min(h, int(np.ceil(unit.y1 * h)))
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    return pixels[y0:y1, x0:x1]


def has_content(crop: np.ndarray) -> bool:
    """Whether a crop holds a picture (strokes, text) rather than one flat fill.

    The border is ignored: a vector box is rarely aligned to the pixel with a
    box burned into the scan beneath it, and a sliver of paper at the edge is
    not content. Scanner speckle inside a black box is a few isolated pixels.
    """
    h, w = crop.shape
    my, mx = max(1, h // 8), max(1, w // 12)
    inner = crop[my : h - my, mx : w - mx]
    if inner.size < 16:
        return False
    median = float(np.median(inner))
    return float((np.abs(inner.astype(np.int16) - median) > 64).mean()) > 0.02


def encode_png(pixels: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG", optimize=True)
    return out.getvalue()


def find_images_under_boxes(
    page: pymupdf.Page, number: int, occluders: Sequence[Occluder]
) -> list[LeakFinding]:
    """Vector boxes painted over a picture whose own pixels beneath still hold content."""
    boxes = [o for o in occluders if o.kind == "vector"]
    if not boxes:
        return []
    # get_image_info lists images in paint order, as the bbox log does.
    images = [o for o in occluders if o.kind == "image"]
    infos = page.get_image_info(xrefs=True)
    cache: dict[int, np.ndarray | None] = {}
    findings = []
    for image, info in zip(images, infos, strict=False):
        if not info.get("xref"):
            continue  # inline image: no object to read back
        for box in (b for b in boxes if b.seqno > image.seqno and b.box.intersects(image.box)):
            area = box.box.intersection(image.box)
            if info["xref"] not in cache:
                cache[info["xref"]] = load_gray_image(page.parent, info["xref"])
            pixels = cache[info["xref"]]
            crop = None if pixels is None else crop_image_under(pixels, info["transform"], area)
            if crop is not None and has_content(crop):
                findings.append(
                    LeakFinding(
                        number,
                        area.rounded(),
                        "image_under_box",
                        "",
                        IMAGE_UNDER_BOX_CONFIDENCE,
                        image_png=encode_png(crop),
                    )
                )
    return findings
