"""Reading a scanned reveal again, sharply and with the boxes around it blanked.

Whole-page OCR reads a name printed right beside a black box badly: Tesseract
fuses the last word with the box into one junk "word" ("Derek" + "Ashworth█"
becomes "Derek" and "TT"), or reads it at low confidence ("Raman" as "Ren)").
The linker only sees those words. For a one-line reveal that such a word
touches, this module renders the spot at a higher resolution with every box
of the page painted white and reads it as one line; the reading replaces the
reveal's text when Tesseract is sure of it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from redactview.analysis.compare.model import CompareResult, PageContent
from redactview.analysis.compare.stream import is_label_token
from redactview.core.geometry import Box, union_all
from redactview.core.model import LinkRef, LinkStatus, RedactionLink, Word
from redactview.errors import LimitExceededError, OcrPageError
from redactview.ocr.tesseract import read_words
from redactview.pdf.document import load_page, opened_pdf
from redactview.pdf.render import render_clip

REREAD_DPI = 300.0
SURE_CONF = 60.0  # a reveal word below this is worth a second reading
FUSED_CONF = 50.0  # a word touching a box below this may hold reveal letters
TOUCH_PT = 6.0
MIN_MEAN_CONF = 60.0  # the second reading is used only when Tesseract is this sure


@dataclasses.dataclass(frozen=True, slots=True)
class Spot:
    """Where to read again: the area in unrotated points, and the boxes to blank."""

    link_index: int
    page: int
    area: Box
    blank: tuple[Box, ...]


def find_spots(result: CompareResult, pages_b: Sequence[PageContent]) -> list[Spot]:
    """One-line OCR reveals that a doubtful word touches or forms."""
    by_number = {p.number: p for p in pages_b}
    spots = []
    for index, link in enumerate(result.links):
        if link.status is not LinkStatus.REVEALED or link.b is None or link.a is None:
            continue
        page = by_number.get(link.b.page)
        if page is None:
            continue
        area = reread_area(link, page)
        if area is not None:
            blank = tuple(r.box for r in page.redactions)
            spots.append(Spot(index, page.number, area, blank))
    return spots


def reread_area(link: RedactionLink, page: PageContent) -> Box | None:
    """The reveal's line widened over doubtful words beside it, or None if all is sure."""
    assert link.a is not None and link.b is not None
    mine = [w for w in page.words if w.box.coverage_by(link.b.box.expanded(1.0)) >= 0.5]
    if not mine or any(w.source != "ocr" for w in mine) or not is_one_line(mine):
        return None
    line = union_all(w.box for w in mine)
    doubtful = [
        w for w in page.words
        if w.conf < FUSED_CONF and w not in mine and touches_along(w.box, line)
    ]  # fmt: skip
    if not doubtful and min(w.conf for w in mine) >= SURE_CONF:
        return None
    area = line
    for word in doubtful:
        # Only along the line: a fused "word" is often as tall as the box it ran into.
        area = area.union(across_line(outside_boxes(word.box, page), line))
    limit = 1.3 * max(link.a.box.width, link.a.box.height)
    if max(area.width, area.height) > max(limit, max(line.width, line.height)):
        return line  # widening would run into the context: read the words alone
    return area


def is_one_line(words: Sequence[Word]) -> bool:
    heights = sorted(min(w.box.width, w.box.height) for w in words)
    box = union_all(w.box for w in words)
    return min(box.width, box.height) < 1.8 * heights[len(heights) // 2]


def touches_along(word: Box, line: Box) -> bool:
    """The word is within a few points of the line and on it (either reading direction)."""
    if not word.expanded(TOUCH_PT).intersects(line):
        return False
    if line.width >= line.height:
        return word.vertical_overlap(line) >= 0.5
    top, bottom = max(word.x0, line.x0), min(word.x1, line.x1)
    return bottom - top >= 0.5 * min(word.width, line.width)


def across_line(box: Box, line: Box) -> Box:
    """``box`` cut to the line's extent across the reading direction."""
    if line.width >= line.height:
        return Box(box.x0, max(box.y0, line.y0), box.x1, min(box.y1, line.y1))
    return Box(max(box.x0, line.x0), box.y0, min(box.x1, line.x1), box.y1)


def outside_boxes(word: Box, page: PageContent) -> Box:
    """The part of a fused word that sticks out of the box it ran into (along the line)."""
    out = word
    for red in page.redactions:
        if not out.intersects(red.box):
            continue
        if out.width >= out.height:
            left, right = (
                Box(out.x0, out.y0, red.box.x0, out.y1),
                Box(red.box.x1, out.y0, out.x1, out.y1),
            )
        else:
            left, right = (
                Box(out.x0, out.y0, out.x1, red.box.y0),
                Box(out.x0, red.box.y1, out.x1, out.y1),
            )
        out = max((b for b in (left, right) if not b.is_empty), key=lambda b: b.area, default=out)
    return out


def reread_reveals(
    path: str | Path, password: str | None, result: CompareResult, pages_b: Sequence[PageContent]
) -> CompareResult:
    """The result with doubtful one-line scan reveals of release B read again."""
    spots = find_spots(result, pages_b)
    if not spots:
        return result
    links = list(result.links)
    with opened_pdf(path, password) as doc:
        for spot in spots:
            try:
                text, box = read_spot(load_page(doc, spot.page), spot)
            except (OcrPageError, LimitExceededError):
                continue  # a second reading is a bonus: keep the first one
            if text:
                old = links[spot.link_index]
                assert old.b is not None
                b = LinkRef(old.b.page, box, old.b.redaction_id)
                links[spot.link_index] = dataclasses.replace(old, b=b, revealed_text=text)
    return CompareResult(result.page_pairs, tuple(links))


def read_spot(page: Any, spot: Spot) -> tuple[str, Box]:
    """Text Tesseract is sure of in the spot (boxes blanked), and the box of those words."""
    area = (
        spot.area.expanded(2.0, 0.0)
        if spot.area.width >= spot.area.height
        else spot.area.expanded(0.0, 2.0)
    )
    shot = render_clip(page, area, REREAD_DPI)
    pixels = shot.pixels.copy()
    for box in spot.blank:
        x0, y0, x1, y1 = shot.page_box_to_pixels(box.expanded(1.0))
        pixels[max(y0, 0) : max(y1, 0), max(x0, 0) : max(x1, 0)] = 255
    padded = np.pad(pixels, 20, constant_values=255)
    words = [
        w for w in read_words(padded, psm=7)
        if any(c.isalnum() for c in w.text) and not is_label_token(w.text)
    ]  # fmt: skip
    if not words or float(np.mean([w.conf for w in words])) < MIN_MEAN_CONF:
        return "", spot.area
    boxes = [shot.pixel_box_to_page(w.left - 20, w.top - 20, w.left + w.width - 20,
                                    w.top + w.height - 20) for w in words]  # fmt: skip
    return " ".join(w.text for w in words), union_all(boxes)
