"""Lay a `PageSpec` out on a born-digital PyMuPDF page for one release.

Word boxes are computed from font metrics exactly as PyMuPDF's `get_text("words")`
reports them (x advance, ascender to descender), so the truth never depends on
text-extraction heuristics. Redaction boxes are as wide as the hidden text in its font
(what an e-discovery tool does when it replaces a span with a box and a code).
"""

from __future__ import annotations

import math

import numpy as np
import pymupdf

from .model import (
    FONT_ASCENDER,
    FONT_DESCENDER,
    At,
    Hide,
    Layout,
    Line,
    PageSpec,
    Placed,
    Rect,
    Shape,
    Word,
)

BLACK = (0.0, 0.0, 0.0)
WHITE = (1.0, 1.0, 1.0)
LIGHT_GREY = (0.72, 0.72, 0.72)
LABEL_FONT = "hebo"

# Styles whose code is printed inside the box, and the label colour they use.
INSIDE_LABEL_COLOR = {
    "code_inside": WHITE,
    "bordered_white": BLACK,
    "grey_code_inside": BLACK,
}
FILL_NAME = {
    "solid": "black",
    "code_inside": "black",
    "block_line": "black",
    "bordered_white": "white",
    "grey_code_inside": "grey",
    "stippled": "marker",
}


def text_length(text: str, font: str, size: float) -> float:
    return pymupdf.get_text_length(text, fontname=font, fontsize=size)


def word_boxes(text: str, x: float, y: float, font: str, size: float) -> list[Word]:
    """Split a printed string into words with get_text("words")-style boxes."""
    top, bottom = y - FONT_ASCENDER[font] * size, y - FONT_DESCENDER[font] * size
    words, offset = [], 0
    for part in text.split(" "):
        if part:
            x0 = x + text_length(text[:offset], font, size)
            x1 = x0 + text_length(part, font, size)
            words.append(Word(part, (x0, top, x1, bottom), (x0, y), font, size))
        offset += len(part) + 1
    return words


def print_text(
    page: pymupdf.Page,
    text: str,
    x: float,
    y: float,
    font: str,
    size: float,
    color: tuple[float, float, float] = BLACK,
) -> list[Word]:
    page.insert_text((x, y), text, fontname=font, fontsize=size, color=color)
    return word_boxes(text, x, y, font, size)


def union(rects: list[Rect]) -> Rect:
    return (
        min(r[0] for r in rects),
        min(r[1] for r in rects),
        max(r[2] for r in rects),
        max(r[3] for r in rects),
    )


def lay_out_page(page: pymupdf.Page, spec: PageSpec, release: str, mode: str) -> Layout:
    """Draw shapes then text lines; `mode` is "scan", "vector" or "text".

    scan:   boxes burned into the layout (they end up in the page image)
    vector: hidden text printed, boxes left for the caller to draw as vectors on the scan
    text:   hidden text printed in the text layer, boxes left for apply_redactions
    """
    out = Layout()
    for shape in spec.shapes:
        draw_shape(page, shape, out)
    for line in spec.lines:
        write_line(page, line, release, mode, out)
    return out


def write_line(page: pymupdf.Page, line: Line, release: str, mode: str, out: Layout) -> None:
    x = line.x
    space = text_length(" ", line.font, line.size)
    for tok in line.tokens:
        if isinstance(tok, At):
            x = tok.x
        elif isinstance(tok, str):
            out.words += print_text(page, tok, x, line.y, line.font, line.size, line.color)
            x += text_length(tok, line.font, line.size) + space
        elif release in tok.redacted_in:
            x = place_redaction(page, tok, x, line, mode, out) + space
        else:
            words = print_text(page, tok.text, x, line.y, line.font, line.size, line.color)
            out.words += words
            out.revealed[tok.key] = union([w.bbox for w in words])
            x += text_length(tok.text, line.font, line.size) + space


def place_redaction(
    page: pymupdf.Page, hide: Hide, x: float, line: Line, mode: str, out: Layout
) -> float:
    """Box the hidden span, print its code; return the cursor after box and label."""
    width = text_length(hide.text, line.font, line.size)
    box = (x - 0.5, line.y - 0.9 * line.size, x + width + 0.5, line.y + 0.2 * line.size)
    hidden = word_boxes(hide.text, x, line.y, line.font, line.size)
    out.hidden_words += hidden
    style = "block_line" if hide.group else hide.style
    placed = Placed(
        hide,
        box,
        FILL_NAME[style],
        style,
        hide.label,
        hide.label_pos,
        None,
        line.font,
        line.size,
        line.y,
        hide.group,
    )
    if mode in ("vector", "text"):
        # The text stays in the scan image / text layer; the box goes on top later.
        page.insert_text((x, line.y), hide.text, fontname=line.font, fontsize=line.size)
        placed.kind = "vector"
    if mode == "scan":
        draw_box(page, placed)
    if style == "stippled":
        out.markers.append(placed)
    end = box[2]
    if hide.label_pos == "inside" and mode != "text":
        out.label_words += draw_label_inside(page, placed)
    elif hide.label_pos == "right":
        words = print_text(page, hide.label, end + 3, line.y, LABEL_FONT, line.size * 0.9)
        out.label_words += words
        placed.label_bbox = union([w.bbox for w in words])
        end = placed.label_bbox[2]
    elif hide.label_pos == "stacked":
        end = print_stacked_label(page, placed, out)
    out.redactions.append(placed)
    return end


def draw_box(page: pymupdf.Page, placed: Placed) -> None:
    if placed.style in ("solid", "code_inside", "block_line"):
        page.draw_rect(placed.bbox, color=None, fill=BLACK, width=0)
    elif placed.style == "grey_code_inside":
        page.draw_rect(placed.bbox, color=None, fill=LIGHT_GREY, width=0)
    elif placed.style == "bordered_white":
        # Inset by half the stroke so the visible border stays inside the truth box.
        x0, y0, x1, y1 = placed.bbox
        page.draw_rect((x0 + 0.4, y0 + 0.4, x1 - 0.4, y1 - 0.4), color=BLACK, fill=WHITE, width=0.8)
    # stippled marker strokes are painted into the pixels by the scan step


def draw_label_inside(page: pymupdf.Page, placed: Placed) -> list[Word]:
    """Centre the code in the box, shrinking the type until it fits (as redaction tools do)."""
    x0, y0, x1, y1 = placed.bbox
    size = min(0.8 * (placed.fontsize or 10), 0.75 * (y1 - y0))
    while size > 4.5 and text_length(placed.label, LABEL_FONT, size) > (x1 - x0) - 3:
        size -= 0.25
    width = text_length(placed.label, LABEL_FONT, size)
    x = (x0 + x1 - width) / 2
    y = (y0 + y1) / 2 + 0.35 * size
    color = INSIDE_LABEL_COLOR.get(placed.style, WHITE)
    words = print_text(page, placed.label, x, y, LABEL_FONT, size, color)
    placed.label_bbox = union([w.bbox for w in words])
    return words


def print_stacked_label(page: pymupdf.Page, placed: Placed, out: Layout) -> float:
    """Print "(b)(6);" over "(b)(7)(C)" in small type right of the box."""
    parts = placed.label.split(";")
    first, second = parts[0] + ";", ";".join(parts[1:])
    size = 0.55 * (placed.fontsize or 10)
    x = placed.bbox[2] + 3
    words = print_text(page, first, x, placed.baseline - 0.5 * size * 1.9, LABEL_FONT, size)
    words += print_text(page, second, x, placed.baseline + 0.1 * size, LABEL_FONT, size)
    out.label_words += words
    placed.label_bbox = union([w.bbox for w in words])
    return placed.label_bbox[2]


def draw_shape(page: pymupdf.Page, shape: Shape, out: Layout) -> None:
    drawers = {
        "logo": draw_logo,
        "table_header": draw_filled,
        "signature": draw_signature,
        "punch_hole": draw_punch_hole,
        "rule": draw_filled,
        "hline": draw_line,
        "vline": draw_line,
    }
    if shape.kind in drawers:
        drawers[shape.kind](page, shape.rect)
    if shape.lookalike and shape.kind != "scan_border":
        out.lookalikes.append((shape.kind, shape.rect))


def draw_filled(page: pymupdf.Page, rect: Rect) -> None:
    page.draw_rect(rect, color=None, fill=BLACK, width=0)


def draw_line(page: pymupdf.Page, rect: Rect) -> None:
    page.draw_line(rect[:2], rect[2:], color=(0.2, 0.2, 0.2), width=0.6)


def draw_logo(page: pymupdf.Page, rect: Rect) -> None:
    """A dark round seal with a white ring, star and chevron: dark, but not a box."""
    x0, y0, x1, y1 = rect
    cx, cy, r = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2
    navy = (0.1, 0.16, 0.36)
    page.draw_circle((cx, cy), r, color=None, fill=navy)
    page.draw_circle((cx, cy), r * 0.82, color=WHITE, width=1.2)
    star = [
        (
            cx + r * 0.5 * (1 if k % 2 == 0 else 0.42) * math.sin(k * math.pi / 5),
            cy - 0.12 * r - r * 0.5 * (1 if k % 2 == 0 else 0.42) * math.cos(k * math.pi / 5),
        )
        for k in range(10)
    ]
    page.draw_polyline([*star, star[0]], color=None, fill=WHITE, closePath=True)
    page.draw_polyline(
        [(cx - r * 0.45, cy + r * 0.35), (cx, cy + r * 0.6), (cx + r * 0.45, cy + r * 0.35)],
        color=WHITE,
        width=2.0,
    )


def draw_signature(page: pymupdf.Page, rect: Rect) -> None:
    """A looping pen stroke from a fixed seed: thick dark ink with no straight edges."""
    x0, y0, x1, y1 = rect
    rng = np.random.default_rng(int(x0 * 1000 + y0))
    n = 60
    t = np.linspace(0, 1, n)
    xs = x0 + (x1 - x0) * t + 6 * np.sin(t * 23)
    ys = (y0 + y1) / 2 + (y1 - y0) * 0.38 * np.sin(t * 17 + rng.uniform(0, 3)) * np.cos(t * 4)
    points = [(float(a), float(b)) for a, b in zip(xs, ys, strict=True)]
    page.draw_polyline(points, color=(0.08, 0.1, 0.3), width=1.4)
    # A flourish underneath, as people underline their signature.
    page.draw_bezier(
        (x0 + 5, y1 - 4),
        (x0 + 40, y1 + 2),
        (x1 - 50, y1 - 10),
        (x1 - 5, y1 - 5),
        color=(0.08, 0.1, 0.3),
        width=1.1,
    )


def draw_punch_hole(page: pymupdf.Page, rect: Rect) -> None:
    # The scanner lid shows through the hole: a dark disc.
    x0, y0, x1, y1 = rect
    page.draw_circle(
        ((x0 + x1) / 2, (y0 + y1) / 2), (x1 - x0) / 2, color=None, fill=(0.12, 0.12, 0.12)
    )


def draw_withheld_sheet(
    page: pymupdf.Page, codes: tuple[str, ...], doc_title: str, out: Layout
) -> Placed:
    """The slip-sheet agencies insert for a page withheld in full."""
    w = page.rect.width
    lines = [
        ("WITHHELD IN FULL", "hebo", 20.0, 300.0),
        ("Withheld pursuant to exemption " + ";".join(codes), "helv", 13.0, 340.0),
        (doc_title, "helv", 10.5, 372.0),
        (
            "Non-segregable deliberative material; no reasonably segregable portion.",
            "tiro",
            10.0,
            392.0,
        ),
    ]
    for text, font, size, y in lines:
        x = (w - text_length(text, font, size)) / 2
        out.words += print_text(page, text, x, y, font, size)
    code_words = [wd for wd in out.words if wd.text in codes]
    placed = Placed(
        None,
        (0.0, 0.0, w, page.rect.height),
        "white",
        "full_page",
        ";".join(codes),
        "inside",
        union([wd.bbox for wd in code_words]),
        None,
        None,
        0.0,
    )
    out.redactions.append(placed)
    return placed
