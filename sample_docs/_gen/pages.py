"""Build one output page (scanned, born-digital, or scanned with an OCR layer) and its truth."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pymupdf

from .layout import (
    BLACK,
    draw_label_inside,
    draw_withheld_sheet,
    lay_out_page,
    print_text,
    text_length,
)
from .model import Layout, PageSpec, Placed, Rect, Word
from .scan import (
    ScanGeometry,
    border_rect,
    degrade,
    encode_jpeg,
    paint_marker,
    place_scan,
    render_gray,
)

PAGE_W, PAGE_H = 612.0, 792.0
IDENTITY = ScanGeometry(PAGE_W, PAGE_H, 72, 0.0)  # born-digital pages: no transform


@dataclass
class PageInfo:
    """What the caller knows about a page before it is made."""

    number: int
    release: str  # "A", "B" or "M"
    bates: str | None
    source_page: int | None = None
    rotation: int = 0


@dataclass
class PageResult:
    truth: dict[str, Any]
    redactions: list[dict[str, Any]] = field(default_factory=list)
    ids_by_key: dict[str, str] = field(default_factory=dict)  # Hide.key -> redaction id
    revealed: dict[str, Rect] = field(default_factory=dict)  # Hide.key -> bbox on this page
    lookalikes: list[dict[str, Any]] = field(default_factory=list)


def rounded(rect: Rect) -> list[float]:
    return [round(v, 2) for v in rect]


def print_bates(page: pymupdf.Page, bates: str | None, layout: Layout) -> None:
    if bates:
        x = 548 - text_length(bates, "hebo", 9)
        layout.words += print_text(page, bates, x, 768, "hebo", 9)


def make_scan_page(
    doc: pymupdf.Document, spec: PageSpec, info: PageInfo, dpi: int, rng: np.random.Generator
) -> PageResult:
    """Lay out, burn in, scan, degrade and place one page image; vector boxes go on top."""
    layout_doc = pymupdf.open()
    lp = layout_doc.new_page(width=PAGE_W, height=PAGE_H)
    withheld = info.release in spec.withheld_in
    mode = "vector" if info.release in spec.vector_boxes_in else "scan"
    layout = Layout()
    if withheld:
        draw_withheld_sheet(lp, spec.withheld_codes, f"Document: {spec.doc}, 1 page", layout)
    else:
        layout = lay_out_page(lp, spec, info.release, mode)
    print_bates(lp, info.bates, layout)
    geom = ScanGeometry(PAGE_W, PAGE_H, dpi, pick_skew(rng), spec.sideways)
    img = render_gray(lp, dpi)
    for marker in layout.markers:
        marker.bbox = paint_marker(img, marker, geom.scale, rng)
    border = not withheld and any(s.kind == "scan_border" for s in spec.shapes)
    img = degrade(img, geom, rng, border)
    page = place_scan(doc, encode_jpeg(img, int(rng.integers(60, 76))), geom)
    if info.rotation:
        page.set_rotation(info.rotation)
    for placed in layout.redactions:
        if placed.kind == "vector":
            draw_vector_box(page, placed, geom)
    kind = "withheld" if withheld else "scan"
    result = describe_page(info, spec, layout, geom, kind)
    if border:
        result.lookalikes.append(
            {"page": info.number, "kind": "scan_border", "bbox": rounded(border_rect(geom))}
        )
    return result


def pick_skew(rng: np.random.Generator) -> float:
    """0.2°–1.5° either way, like a sheet fed slightly crooked."""
    return round(float(rng.uniform(0.2, 1.5) * rng.choice([-1.0, 1.0])), 3)


def vector_box(placed: Placed, geom: ScanGeometry) -> Rect:
    """The box an agency drew in the PDF over an unredacted scan, padded past the ink."""
    x0, y0, x1, y1 = geom.map_rect(placed.bbox)
    return (round(x0 - 0.6, 2), round(y0 - 0.6, 2), round(x1 + 0.6, 2), round(y1 + 0.6, 2))


def draw_vector_box(page: pymupdf.Page, placed: Placed, geom: ScanGeometry) -> None:
    page.draw_rect(vector_box(placed, geom), color=None, fill=BLACK, width=0)
    placed.leak = "vector_over_scan"


def make_text_page(doc: pymupdf.Document, spec: PageSpec, info: PageInfo) -> PageResult:
    """Born-digital page: applied redactions remove text, the bad one only covers it."""
    page = doc.new_page(width=PAGE_W, height=PAGE_H)
    layout = lay_out_page(page, spec, info.release, "text")
    print_bates(page, info.bates, layout)
    for placed in layout.redactions:
        if placed.hide is not None and placed.hide.applied:
            page.add_redact_annot(placed.bbox, fill=BLACK)
    page.apply_redactions(
        images=pymupdf.PDF_REDACT_IMAGE_NONE, graphics=pymupdf.PDF_REDACT_LINE_ART_NONE
    )
    for placed in layout.redactions:
        if placed.hide is not None and not placed.hide.applied:
            page.draw_rect(placed.bbox, color=None, fill=BLACK, width=0)
            placed.leak = "text_under_box"
        if placed.label_pos == "inside":
            words = draw_label_inside(page, placed)
            layout.words += words
            layout.label_words += words
    return describe_page(info, spec, layout, IDENTITY, "text")


def make_scan_ocr_page(
    doc: pymupdf.Document, spec: PageSpec, info: PageInfo, dpi: int, rng: np.random.Generator
) -> PageResult:
    """A burned-in scan whose invisible OCR layer was made before the boxes were burned."""
    result = make_scan_page(doc, spec, info, dpi, rng)
    page = doc[-1]
    geom = ScanGeometry(PAGE_W, PAGE_H, dpi, result.truth["skew_deg"], spec.sideways)
    layout_doc = pymupdf.open()
    layout = lay_out_page(layout_doc.new_page(width=PAGE_W, height=PAGE_H), spec, "M", "scan")
    for word in sort_words(layout.words + layout.hidden_words):
        if word in layout.label_words:
            continue  # the codes were stamped after OCR
        page.insert_text(
            geom.map_point(*word.origin),
            word.text,
            fontname=word.font,
            fontsize=word.size,
            render_mode=3,
        )
    result.truth["kind"] = "scan+ocr_layer"
    for red in result.redactions:
        red["leak"] = "ocr_layer_under_box"
    return result


def sort_words(words: list[Word]) -> list[Word]:
    return sorted(words, key=lambda w: (round(w.origin[1], 1), w.origin[0]))


def describe_page(
    info: PageInfo, spec: PageSpec, layout: Layout, geom: ScanGeometry, kind: str
) -> PageResult:
    words = [
        {"text": w.text, "bbox": rounded(geom.map_rect(w.bbox))} for w in sort_words(layout.words)
    ]
    truth = {
        "page": info.number,
        "kind": kind,
        "rotation": info.rotation,
        "content_rotated": 90 if spec.sideways else 0,
        "skew_deg": geom.skew_deg,
        "dpi": geom.dpi if kind != "text" else None,
        "bates": info.bates,
        "doc": spec.doc,
        "source_page": info.source_page,
        "words": words,
    }
    result = PageResult(truth)
    groups: dict[str, str] = {}
    for n, placed in enumerate(layout.redactions, start=1):
        rid = f"{info.release}-p{info.number:02d}-r{n:02d}"
        result.redactions.append(describe_redaction(placed, rid, info, layout, geom, groups))
        if placed.hide is not None:
            result.ids_by_key[placed.hide.key] = rid
    result.revealed = {k: geom.map_rect(r) for k, r in layout.revealed.items()}
    result.lookalikes = [
        {"page": info.number, "kind": k, "bbox": rounded(geom.map_rect(r))}
        for k, r in layout.lookalikes
    ]
    return result


def describe_redaction(
    placed: Placed,
    rid: str,
    info: PageInfo,
    layout: Layout,
    geom: ScanGeometry,
    groups: dict[str, str],
) -> dict[str, Any]:
    hide = placed.hide
    group = None
    if placed.group:
        group = groups.setdefault(
            placed.group, f"{info.release}-p{info.number:02d}-g{len(groups) + 1}"
        )
    before, after = line_neighbours(placed, layout)
    on_scan = placed.leak == "vector_over_scan"
    bbox = vector_box(placed, geom) if on_scan else geom.map_rect(placed.bbox)
    return {
        "id": rid,
        "page": info.number,
        "bbox": rounded(bbox),
        "fill": placed.fill,
        "kind": placed.kind,
        "style": placed.style,
        "exemptions": list(hide.codes) if hide else placed.label.split(";"),
        "label": placed.label,
        "label_position": placed.label_pos,
        "label_bbox": rounded(geom.map_rect(placed.label_bbox)) if placed.label_bbox else None,
        "hidden_text": hide.text if hide else "",
        "hidden_chars": len(hide.text) if hide else 0,
        "font": placed.font,
        "fontsize": placed.fontsize,
        "line_words_before": before,
        "line_words_after": after,
        "group": group,
        "leak": placed.leak,
    }


def line_neighbours(placed: Placed, layout: Layout) -> tuple[str, str]:
    """Nearest visible words left and right of the box on its own text line."""
    if placed.hide is None:
        return "", ""
    own = {
        id(w) for w in layout.label_words if placed.label_bbox and inside(w.bbox, placed.label_bbox)
    }
    same = [
        w for w in layout.words if abs(w.origin[1] - placed.baseline) < 0.6 and id(w) not in own
    ]
    left = [w for w in same if w.bbox[2] <= placed.bbox[0] + 0.5]
    right = [w for w in same if w.bbox[0] >= placed.bbox[2] - 0.5]
    before = max(left, key=lambda w: w.bbox[2]).text if left else ""
    after = min(right, key=lambda w: w.bbox[0]).text if right else ""
    return before, after


def inside(inner: Rect, outer: Rect) -> bool:
    return (
        inner[0] >= outer[0] - 0.01
        and inner[1] >= outer[1] - 0.01
        and inner[2] <= outer[2] + 0.01
        and inner[3] <= outer[3] + 0.01
    )
