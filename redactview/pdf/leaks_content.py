"""Leaks in a page's content: text or pictures that a redaction covers but did not remove.

The test for hidden text is visual, not geometric: the page is rendered twice,
once as it is and once with every glyph removed. A character whose pixels do
not change between the two renders cannot be seen, whatever the reason (a box
drawn later, a same-colour box behind it, white on white, a clip path, render
mode 3). Drawing order then only *names* the mechanism: PDF paints in content
order, so a box whose sequence number is higher than the text's was painted on
top of it; text painted after a box (a white code on a black box, a table
header) changes pixels and is therefore visible, never a leak.

Pictures beneath a vector box are read straight from the image's pixels, which
is what anyone who deletes the box (or extracts the image) will see.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import pymupdf

from redactview.core.geometry import Box, union_all
from redactview.core.model import LeakFinding
from redactview.pdf.leaks_images import (
    ANNOT_REDACT,
    IMAGE_UNDER_BOX_CONFIDENCE,
    Occluder,
    collect_occluders,
    find_images_under_boxes,
)
from redactview.pdf.leaks_render import (
    count_content_items,
    render_with_and_without_text,
    to_pixels,
)

# Callers outside redactview.pdf name a page by this alias, never by importing PyMuPDF.
PdfPage: TypeAlias = pymupdf.Page

# A grey level change this large is a visible mark, not anti-aliasing noise.
_VISIBLE_DELTA = 48
_VISIBLE_PIXELS = 2
# A char counts as under an occluder when this share of its box is covered.
_COVERED = 0.5
_PAINTED_OVER = 0.7
# Fonts this small are unreadable on screen and in print: hiding, not typesetting.
_TINY_PT = 1.5
_INVISIBLE_MODE = 3


@dataclass(frozen=True, slots=True)
class TraceChar:
    text: str
    box: Box
    span: int  # index of its span in the texttrace
    seqno: int
    invisible: bool  # render mode 3 or opacity 0
    color: tuple[float, ...]
    size: float


def read_trace_chars(page: pymupdf.Page, content_items: int) -> list[TraceChar]:
    """The page's own characters (not annotations') with paint order and style."""
    chars = []
    for index, span in enumerate(page.get_texttrace()):
        if span["seqno"] >= content_items:
            continue
        invisible = span["type"] == _INVISIBLE_MODE or span.get("opacity", 1.0) == 0
        color = tuple(span.get("color") or (0.0,))
        for code, _glyph, _origin, bbox in span["chars"]:
            box = Box.from_seq(bbox)
            chars.append(
                TraceChar(chr(code), box, index, span["seqno"], invisible, color, span["size"])
            )
    return chars


def is_char_visible(page: pymupdf.Page, char: TraceChar, diff: np.ndarray) -> bool:
    # Trim the sides: neighbouring glyph boxes overlap by kerning, and a
    # visible neighbour must not make a hidden char look visible.
    trim = char.box.width * 0.12
    box = Box(char.box.x0 + trim, char.box.y0, char.box.x1 - trim, char.box.y1)
    x0, y0, x1, y1 = to_pixels(page, box, diff.shape)
    if x1 <= x0 or y1 <= y0:
        return False  # entirely off the rendered page: clipped away
    return int((diff[y0:y1, x0:x1] > _VISIBLE_DELTA).sum()) >= _VISIBLE_PIXELS


def is_region_covered(page: pymupdf.Page, box: Box, rendered: np.ndarray) -> bool:
    """Whether no printed ink shows in ``box``: a solid box, a grey fill or a blank.

    Used for invisible (OCR-layer) words: printed words show as strokes of one
    tone on another (black on paper, or white on a black header bar); a
    burned-in box is nearly all dark, a grey box nearly all mid-grey, and a
    white-out leaves blank paper.
    """
    x0, y0, x1, y1 = to_pixels(page, box, rendered.shape)
    region = rendered[y0:y1, x0:x1]
    if region.size == 0:
        return True
    dark = float((region < 100).mean())
    light = float((region > 170).mean())
    median = float(np.median(region))
    return light > 0.985 or light < 0.08 or (60 <= median <= 215 and dark < 0.15)


def is_painted_over(char: TraceChar, occluders: Sequence[Occluder]) -> bool:
    """Mostly under an opaque vector box painted after it: hidden, whatever pokes out.

    A descender or a hair of a glyph showing at a box's edge does not make the
    word readable; without this rule "Special" would come back as "S ecial".
    """
    return any(
        o.kind == "vector" and o.seqno > char.seqno and char.box.coverage_by(o.box) >= _PAINTED_OVER
        for o in occluders
    )


def covering_occluders(char: TraceChar, occluders: Sequence[Occluder]) -> list[Occluder]:
    return [o for o in occluders if char.box.coverage_by(o.box) >= _COVERED]


def same_colour(a: Sequence[float], b: Sequence[float] | None) -> bool:
    if b is None:
        return False
    grey_a, grey_b = (sum(c) / len(c) if c else 0.0 for c in (a, b))
    return abs(grey_a - grey_b) < 0.08


def name_mechanism(char: TraceChar, occluders: Sequence[Occluder]) -> tuple[str, Occluder | None]:
    """Why a char that does not show is hidden; the top-most occluder if one hides it."""
    over = [o for o in covering_occluders(char, occluders) if o.seqno > char.seqno]
    if char.invisible:
        # Over a page image whose pixels show no ink there: the scan was blacked
        # out (or a box drawn on it), its OCR layer was not.
        on_scan = any(o.kind == "image" for o in covering_occluders(char, occluders))
        top = max(over, key=lambda o: o.seqno) if over else None
        return ("ocr_layer_under_box" if on_scan else "invisible_text"), top
    if over:
        top = max(over, key=lambda o: o.seqno)
        names = {"vector": "text_under_box", "image": "image_over_text"}
        return names.get(top.kind, "annotation_over_text"), top
    under = [o for o in covering_occluders(char, occluders) if o.seqno < char.seqno]
    if any(same_colour(char.color, o.fill) for o in under):
        return "same_colour_text", max(under, key=lambda o: o.seqno)
    if char.size < _TINY_PT:
        return "tiny_text", None
    if sum(char.color) / max(1, len(char.color)) > 0.92:
        return "same_colour_text", None  # white on the white page
    return "clipped_text", None


def explain_hidden(char: TraceChar, occluders: Sequence[Occluder]) -> tuple[str, Occluder | None]:
    """``name_mechanism``, with dark text on a dark picture told apart from a clip."""
    mechanism, occluder = name_mechanism(char, occluders)
    if mechanism == "clipped_text" and any(
        o.kind == "image" for o in covering_occluders(char, occluders)
    ):
        return "same_colour_text", None
    return mechanism, occluder


_CONFIDENCE = {
    "text_under_box": 0.95,
    "image_over_text": 0.9,
    "annotation_over_text": 0.9,
    "same_colour_text": 0.85,
    "ocr_layer_under_box": 0.85,
    "unapplied_redact_annotation": 0.9,
    "tiny_text": 0.7,
    "clipped_text": 0.6,
    "invisible_text": 0.85,
    "image_under_box": IMAGE_UNDER_BOX_CONFIDENCE,
}


def score(mechanism: str, box: Box, occluders: Sequence[Occluder]) -> float:
    """Confidence of a finding; invisible text far from any box is likely scanner noise."""
    if mechanism == "invisible_text":
        near = box.expanded(6.0)
        if not any(o.kind != "image" and o.box.intersects(near) for o in occluders):
            return 0.4
    return _CONFIDENCE[mechanism]


def find_hidden_chars(
    page: pymupdf.Page,
    chars: Sequence[TraceChar],
    occluders: Sequence[Occluder],
    content_items: int,
) -> list[tuple[int, str, Occluder | None]]:
    """(char index, mechanism, occluder) for every non-blank char nobody can see."""
    with_text, without_text = render_with_and_without_text(page, content_items)
    diff = np.abs(with_text - without_text)
    hidden = []
    covered: set[int] = set()
    for box, indices in group_invisible_words(chars):
        if is_region_covered(page, box, with_text):
            covered.update(indices)
    for index, char in enumerate(chars):
        if char.text.isspace():
            continue
        if char.invisible:
            if index not in covered:
                continue  # an OCR layer over printed ink: the words are on view anyway
        elif (
            char.size >= _TINY_PT
            and not is_painted_over(char, occluders)
            and is_char_visible(page, char, diff)
        ):
            continue
        mechanism, occluder = explain_hidden(char, occluders)
        hidden.append((index, mechanism, occluder))
    return hidden


def group_invisible_words(chars: Sequence[TraceChar]) -> list[tuple[Box, list[int]]]:
    """Invisible chars as words (split at blanks and span changes), with their boxes."""
    words: list[tuple[Box, list[int]]] = []
    current: list[int] = []
    for index, char in enumerate([*chars, None]):
        breaks = char is None or not char.invisible or char.text.isspace()
        if current and (breaks or (char is not None and char.span != chars[current[-1]].span)):
            words.append((union_all(chars[i].box for i in current), current))
            current = []
        if char is not None and not breaks:
            current.append(index)
    return words


def assemble_text(chars: Sequence[TraceChar], indices: Sequence[int]) -> str:
    """Join chars, with a blank wherever something (a blank, a new span) came between."""
    parts: list[str] = []
    for n, index in enumerate(indices):
        if n and (index - indices[n - 1] > 1 or chars[index].span != chars[indices[n - 1]].span):
            parts.append(" ")
        parts.append(chars[index].text)
    return " ".join("".join(parts).split())


def is_meaningful(text: str) -> bool:
    """Real words or numbers, not 'XXXX', a lone glyph or undecodable bytes."""
    alnum = [c for c in text if c.isalnum()]
    return len(alnum) >= 2 and len(set(alnum)) > 1 and "\ufffd" not in text


def group_hidden(
    hidden: Iterable[tuple[int, str, Occluder | None]],
) -> dict[tuple[object, ...], list[int]]:
    """One group per occluder (all lines under one box), else per run of adjacent chars."""
    groups: dict[tuple[object, ...], list[int]] = {}
    run, last = 0, -2
    for index, mechanism, occluder in hidden:
        if index != last + 1:
            run += 1
        last = index
        key: tuple[object, ...] = (mechanism, occluder) if occluder else (mechanism, run)
        groups.setdefault(key, []).append(index)
    return groups


def find_hidden_text(
    page: pymupdf.Page, number: int, occluders: Sequence[Occluder], content_items: int
) -> list[LeakFinding]:
    """Text present in the page's content that no reader of the page can see."""
    chars = read_trace_chars(page, content_items)
    if not chars:
        return []
    findings = []
    hidden = find_hidden_chars(page, chars, occluders, content_items)
    # Blanks between hidden chars do not break a run.
    blanks = {i for i, c in enumerate(chars) if c.text.isspace()}
    hidden = bridge_blanks(hidden, blanks)
    for (mechanism, _), indices in group_hidden(hidden).items():
        visible = [i for i in indices if i not in blanks]
        text = assemble_text(chars, visible)
        if not is_meaningful(text):
            continue
        box = union_all(chars[i].box for i in visible).rounded()
        conf = score(str(mechanism), box, occluders)
        findings.append(LeakFinding(number, box, str(mechanism), text, conf))
    return findings


def bridge_blanks(
    hidden: list[tuple[int, str, Occluder | None]], blanks: set[int]
) -> list[tuple[int, str, Occluder | None]]:
    """Re-insert blanks that sit between two hidden chars of the same kind."""
    out: list[tuple[int, str, Occluder | None]] = []
    for item in hidden:
        if out:
            prev = out[-1]
            gap = range(prev[0] + 1, item[0])
            if gap and all(i in blanks for i in gap) and prev[1:] == item[1:]:
                out.extend((i, prev[1], prev[2]) for i in gap)
        out.append(item)
    return out


def find_unapplied_redactions(
    page: pymupdf.Page, number: int, content_items: int
) -> list[LeakFinding]:
    """Redact annotations marked but never applied: the text under them is all there."""
    annots = list(page.annots(types=[ANNOT_REDACT]) or [])
    if not annots:
        return []
    chars = read_trace_chars(page, content_items)
    findings = []
    for annot in annots:
        box = Box.from_seq(annot.rect)
        inside = [
            i
            for i, c in enumerate(chars)
            if not c.text.isspace() and c.box.coverage_by(box) >= _COVERED
        ]
        text = assemble_text(chars, inside)
        if is_meaningful(text):
            conf = _CONFIDENCE["unapplied_redact_annotation"]
            findings.append(
                LeakFinding(number, box.rounded(), "unapplied_redact_annotation", text, conf)
            )
    return findings


def find_content_leaks(page: pymupdf.Page, number: int) -> list[LeakFinding]:
    """Every page-content leak on one (1-based) page."""
    content_items = count_content_items(page)
    occluders = collect_occluders(page, content_items)
    return [
        *find_hidden_text(page, number, occluders, content_items),
        *find_unapplied_redactions(page, number, content_items),
        *find_images_under_boxes(page, number, occluders),
    ]
