"""Exemption labels: read what is printed inside, beside, above or below a box.

Geometry here is in the *view* space: render pixels as the page is read
(rotation applied, sideways content turned upright), so "right of the box"
and "the same line" mean what a reader means. Words come from the text layer
(mapped into the view) or from OCR of the box's line band; the box's inside is
OCR'd on its own, inverted when the print is light on dark.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from redactview.analysis.labels_image import (
    INSET_ACROSS,
    OCR_SCALE,
    blank_boxes,
    inside_inset,
    level_inside,
    prepare_for_ocr,
)
from redactview.analysis.labels_rows import CropRequest
from redactview.analysis.labels_rows import split_lines as split_lines  # where page_ocr finds it
from redactview.core.exemptions import (
    find_marker_words,
    names_a_reason,
    parse_box_label,
    parse_exemptions,
)
from redactview.core.geometry import Box
from redactview.core.model import Fill
from redactview.errors import OcrPageError
from redactview.ocr.tesseract import probe, read_words

# The FBI's category after a code: "b6 -1", "b7C -1,2" (OCR may read the dash "~" or "+").
FBI_SUFFIX = r"^[-~+\u2013\u2014]\d{1,2}(?:,\d{1,2})*[,;]?$"
_CODE_TOKEN = re.compile(rf"[()\[\]{{}};,/:]|^b\d|^\(?b|{FBI_SUFFIX}", re.IGNORECASE)
_NUMBERED = re.compile(r"^(?:ex[.,]?|exemptions?)$", re.IGNORECASE)  # "Ex." before "6"
LABEL_WORD_CONF = 40  # a word after the code read less surely than this is the box's grain
_BRACKETED = re.compile(r"[()\[\]{}]|^b\d", re.IGNORECASE)  # a code's piece, however misread


@dataclass(frozen=True, slots=True)
class ViewWord:
    box: Box  # view pixels
    text: str
    conf: float = 100.0


@dataclass(frozen=True, slots=True)
class Label:
    text: str  # as printed (raw)
    exemptions: tuple[str, ...]
    where: str  # inside | right | stacked | above | below | left | summary | none
    words: tuple[ViewWord, ...] = ()  # the words used, so context can skip them
    # A slip sheet's statement that its page is withheld ("Deleted Page(s)", "PAGE
    # DENIED") labels it without a code or a marker word.
    withheld_page: bool = False

    @property
    def found(self) -> bool:
        """Whether it labels a redaction: codes, a marker word, a withheld page's
        statement, or a reason printed instead of a code ("Privileged", "PII")."""
        return bool(
            self.exemptions
            or self.withheld_page
            or find_marker_words(self.text)
            or names_a_reason(self.text)
        )


NO_LABEL = Label("", (), "none")


def ocr_words(
    crop: np.ndarray,
    origin: tuple[int, int],
    *,
    invert: bool,
    psm: int,
    scale: float = OCR_SCALE,
) -> list[ViewWord]:
    """OCR a crop of the view and return its words in view pixels."""
    if crop.size == 0 or min(crop.shape[:2]) < 4:
        return []
    image = prepare_for_ocr(crop, invert=invert, scale=scale)
    try:
        found = read_words(image, psm=psm, timeout_s=30.0)
    except OcrPageError:
        return []  # one unreadable label must not lose the page
    ox, oy, pad = origin[0], origin[1], 12
    words = []
    for w in found:
        x0 = ox + (w.left - pad) / scale
        y0 = oy + (w.top - pad) / scale
        box = Box(x0, y0, x0 + w.width / scale, y0 + w.height / scale)
        words.append(ViewWord(box, w.text, w.conf))
    return words


_SHEET_GAP = 24  # white rows between crops: Tesseract never joins lines across it


def read_sheet(requests: list[CropRequest], *, psm: int = 6) -> list[list[ViewWord]]:
    """Read many crops with one Tesseract run: pasted under each other on one sheet.

    Starting Tesseract costs ~0.3-0.9 s (loading the model) whatever the image;
    a page's labels are a dozen tiny crops, so one run per page instead of one
    per crop is most of the label time. Words go back to the crop holding their
    centre, in view pixels.
    """
    images = [
        prepare_for_ocr(
            r.crop,
            invert=r.invert,
            scale=r.scale / r.zoom,
            keep_right=r.keep_right,
            small_print=r.small_print,
            method=r.method,
        )
        for r in requests
    ]
    if not images:
        return []
    tops, y = [], 0
    for image in images:
        tops.append(y)
        y += image.shape[0] + _SHEET_GAP
    sheet = np.full((y, max(i.shape[1] for i in images)), 255, np.uint8)
    for top, image in zip(tops, images, strict=True):
        sheet[top : top + image.shape[0], : image.shape[1]] = image
    try:
        found = read_words(sheet, psm=psm, timeout_s=60.0)
    except OcrPageError:
        return [[] for _ in requests]  # an unreadable sheet must not lose the page
    out: list[list[ViewWord]] = [[] for _ in requests]
    for w in found:
        k = int(np.searchsorted(tops, w.top + w.height / 2, side="right")) - 1
        if k < 0 or w.top + w.height / 2 > tops[k] + images[k].shape[0]:
            continue
        r, pad = requests[k], 12
        x0 = r.origin[0] + (w.left - pad) / r.scale
        y0 = r.origin[1] + (w.top - tops[k] - pad) / r.scale
        out[k].append(
            ViewWord(Box(x0, y0, x0 + w.width / r.scale, y0 + w.height / r.scale), w.text, w.conf)
        )
    return out


def inside_request(view: np.ndarray, box: Box, fill: Fill) -> CropRequest | None:
    """The inside of a box, less its soft edges, to read the code printed there.

    A box tilted a degree or more is turned level first (``level_inside``): cut
    upright, a white box's thin edges cross the code, and a long grey box's
    sloping edges take the ends of a row of print (on the 3° skew variant a
    grey box's "(b) (5)" read nothing). Filled boxes were once kept upright
    because turning them lost codes; the tilt was then measured with the
    print in the bbox's corners and came out wrong.
    """
    whole = view[max(0, int(box.y0)) : int(box.y1) + 1, max(0, int(box.x0)) : int(box.x1) + 1]
    level = level_inside(whole) if whole.size else None
    if level is not None:
        origin = (max(0, int(box.x0)), max(0, int(box.y0 + (box.height - level.shape[0]) / 2)))
        return CropRequest(np.ascontiguousarray(level), origin, invert=fill == Fill.BLACK)
    inset = inside_inset(box.height, box.width)
    x0, y0 = int(box.x0 + inset), int(box.y0 + inset * INSET_ACROSS)
    x1, y1 = int(box.x1 - inset), int(box.y1 - inset * INSET_ACROSS)
    crop = view[max(0, y0) : y1, max(0, x0) : x1]
    if crop.size == 0 or min(crop.shape[:2]) < 4:
        return None
    return CropRequest(crop, (max(0, x0), max(0, y0)), invert=fill == Fill.BLACK)


def has_dark_print_inside(view: np.ndarray, box: Box) -> bool:
    """Dark print on a box's fill: enough pixels far darker than the fill.

    Read through a 3x3 median, so that toner dust and grain on a scanned grey
    box do not count as print.
    """
    inset = max(2.0, box.height * 0.15)
    x0, y0, x1, y1 = (
        int(box.x0 + inset),
        int(box.y0 + inset),
        int(box.x1 - inset),
        int(box.y1 - inset),
    )
    crop = view[max(0, y0) : y1, max(0, x0) : x1]
    if crop.size == 0 or min(crop.shape[:2]) < 4:
        return False
    smooth = cv2.medianBlur(np.ascontiguousarray(crop), 3)
    fill = float(np.median(smooth))
    marks = int((smooth < min(fill - 60, 110)).sum())
    return marks > max(12, 0.02 * smooth.size)


def label_inside(words: list[ViewWord]) -> Label:
    """What is read inside a box. Marks without a letter or digit at either end
    ("|", ".") are the box's own edges read as print, not part of the label, nor
    is what is read unsurely after the code."""
    kept = list(words)
    coded = [
        k for k, w in enumerate(kept) if _BRACKETED.search(w.text) or find_marker_words(w.text)
    ]
    if coded:
        # After the code, what Tesseract made of a grainy or ragged inside ("(b) (5)
        # LLL LYE BEL ...", read at 0-35% confidence) is not part of the label;
        # words read with confidence (a statute after "(b)(3):") are.
        tail = kept[coded[-1] + 1 :]
        kept = kept[: coded[-1] + 1] + [w for w in tail if w.conf >= LABEL_WORD_CONF]
    while kept and is_mark(kept[0].text):
        kept.pop(0)
    while kept and is_mark(kept[-1].text):
        kept.pop()
    text = " ".join(w.text for w in kept)
    return Label(text, parse_box_label(text), "inside", tuple(kept))


def label_from_inside_words(box: Box, words: list[ViewWord]) -> Label:
    """Text-layer words printed on top of a box (born-digital pages)."""
    inside = [w for w in words if w.box.coverage_by(box) > 0.6]
    text = " ".join(w.text for w in inside)
    return Label(text, parse_exemptions(text), "inside", tuple(inside))


def _leading_code_words(candidates: list[ViewWord], box: Box) -> list[ViewWord]:
    """The first words right of a box, while they look like a code list."""
    return _code_words_beside(candidates, box, 1, markers=True)


def reach(box: Box) -> float:
    """How far beside a box, or beside the last word taken, a code is looked for:
    1.6 lines."""
    return max(box.height * 1.6, 8.0)


def is_mark(text: str) -> bool:
    """A word without a letter or digit: a box's edge or a speck read as "|", "."."""
    return not any(ch.isalnum() for ch in text)


def _code_words_beside(
    words: list[ViewWord], box: Box, side: int, *, markers: bool
) -> list[ViewWord]:
    """The words on ``side`` of a box (1 right, -1 left), nearest first, while each
    lies within ``reach`` of the last and looks like part of a code list (or of a
    marker such as REDACTED, if ``markers``)."""
    gap = reach(box)
    taken: list[ViewWord] = []
    edge = box.x1 if side > 0 else box.x0
    numbered = _numbered_codes(words)
    for w in sorted(words, key=lambda w: w.box.x0 if side > 0 else -w.box.x1):
        if (w.box.x0 - edge if side > 0 else edge - w.box.x1) > gap:
            break
        if not (
            parse_exemptions(w.text)
            or _CODE_TOKEN.search(w.text)
            or w in numbered
            or (markers and find_marker_words(w.text))
        ):
            break
        taken.append(w)
        edge = w.box.x1 if side > 0 else w.box.x0
    return taken


def _numbered_codes(words: Sequence[ViewWord]) -> set[ViewWord]:
    """The words of exemptions cited by number in two words ("Ex." "6",
    "Exemption" "7(C)"): neither is a code alone, both are pieces of one."""
    found: set[ViewWord] = set()
    for w in words:
        if not _NUMBERED.match(w.text):
            continue
        after = [
            v for v in words if v.box.x0 >= w.box.x1 - 1 and v.box.vertical_overlap(w.box) > 0.5
        ]
        number = min(after, key=lambda v: v.box.x0, default=None)
        if (
            number is not None
            and number.box.x0 - w.box.x1 < w.box.height
            and parse_exemptions(f"{w.text} {number.text}")
        ):
            found |= {w, number}
    return found


def group_rows(words: Sequence[ViewWord]) -> list[list[ViewWord]]:
    """Printed rows top to bottom, each left to right. A word's row is the one
    whose first word's middle it spans: OCR boxes of one row start at different
    heights ("7KC)" with its tall "7" above "(bX"), so sorting by top alone
    interleaves two stacked rows."""
    rows: list[list[ViewWord]] = []
    for w in sorted(words, key=lambda w: w.box.center[1]):
        mid = rows[-1][0].box.center[1] if rows else None
        if mid is not None and w.box.y0 <= mid <= w.box.y1:
            rows[-1].append(w)
        else:
            rows.append([w])
    return [sorted(row, key=lambda w: w.box.x0) for row in rows]


def in_reading_order(words: Sequence[ViewWord]) -> list[ViewWord]:
    """Rows top to bottom, each left to right (``group_rows``), as one list."""
    return [w for row in group_rows(words) for w in row]


def read_beside(box: Box, words: list[ViewWord]) -> Label:
    """A code printed right of the box on its line, or stacked small in two rows there."""
    near = [w for w in words if w.box.x0 >= box.x1 - 2 and w.box.vertical_overlap(box) > 0.3]
    taken = _leading_code_words(near, box)
    # Stacked: the code's own small words lie in two rows. (Rounding their tops to
    # buckets split one row whose words' tops differ by a pixel across a
    # bucket's edge: "(b) (6)" beside a box was called stacked.)
    small = [w for w in taken if w.box.height < box.height * 0.62]
    stacked = len(group_rows(small)) > 1
    text = " ".join(w.text for w in in_reading_order(taken))
    codes = parse_box_label(text)  # it starts at the box's edge
    if codes or find_marker_words(text):
        return Label(text, codes, "stacked" if stacked else "right", tuple(taken))
    return NO_LABEL


def read_left(box: Box, words: list[ViewWord], others: Sequence[Box] = ()) -> Label:
    """A code printed left of the box and first on its line: in the margin beside a
    box that starts its line, or at the line's start. A code with print or another
    box before it on the line is read there (prose citing an exemption, or the code
    after the box before it: "███ (b)(6) ███"), not here."""
    line = [w for w in words if w.box.vertical_overlap(box) > 0.3 and w.box.x1 <= box.x0 + 2]
    taken = _code_words_beside(line, box, -1, markers=False)
    if not taken or len(taken) < len(line):
        return NO_LABEL
    edge = taken[-1].box.x0
    if any(o.vertical_overlap(box) > 0.3 and o.x1 <= edge + 2 for o in others):
        return NO_LABEL
    text = " ".join(w.text for w in reversed(taken))
    codes = parse_exemptions(text)
    return Label(text, codes, "left", tuple(reversed(taken))) if codes else NO_LABEL


def read_above_below(box: Box, words: list[ViewWord]) -> Label:
    """A code printed in the line above or below, horizontally within the box."""
    for where, band in (
        ("above", Box(box.x0 - 4, box.y0 - box.height * 1.2, box.x1 + 4, box.y0)),
        ("below", Box(box.x0 - 4, box.y1, box.x1 + 4, box.y1 + box.height * 1.2)),
    ):
        near = [w for w in words if w.box.coverage_by(band) > 0.7]
        text = " ".join(w.text for w in near)
        codes = parse_exemptions(text)
        # Only a line that is *nothing but* a code list is a label; prose that
        # mentions "(b)(6)" is not.
        if codes and all(parse_exemptions(w.text) or _CODE_TOKEN.search(w.text) for w in near):
            return Label(text, codes, where, tuple(near))
    return NO_LABEL


def probe_ocr() -> None:
    """Raise ``OcrUnavailableError`` now rather than once per label."""
    probe()


FAINT_INK = 80  # grey levels under the paper: faint print still is this much darker


def has_ink_right(view: np.ndarray, box: Box, gap: float) -> bool:
    """Cheap check before OCR: is anything printed just right of the box?

    Dark pixels count, and on light paper also ones well under the paper's
    grey: small print photocopied twice is nowhere darker than ~130 at the
    page's resolution (its strokes are thinner than the blur), and a
    threshold at 120 took a stacked code beside a box for blank paper.
    """
    x0, x1 = int(box.x1 + 1), int(box.x1 + gap)
    y0, y1 = int(box.y0), int(box.y1)
    strip = view[y0:y1, x0:x1]
    if strip.size == 0:
        return False
    paper = float(np.percentile(strip, 90))
    return int((strip < max(120.0, paper - FAINT_INK)).sum()) > 6


def right_request(view: np.ndarray, box: Box, others: Sequence[Box] = ()) -> CropRequest | None:
    """A crop right of a box on a scan, if anything is printed there (a code beside
    it, or one stacked small in two rows, which the line-band OCR misses).

    Other boxes in the crop are blanked: a black bar beside two rows of small
    print makes Tesseract see one big glyph line and lose the code.
    """
    if not has_ink_right(view, box, max(8.0, box.height * 1.2)):
        return None
    top, bottom = right_end_rows(view, box)
    pad = (bottom - top) * 0.15  # the next line's ascenders start just below
    x0, y0 = int(box.x1 + 1), int(max(0.0, top - pad))
    x1, y1 = int(min(view.shape[1], box.x1 + (bottom - top) * 7)), int(bottom + pad)
    crop = view[y0:y1, x0:x1].copy()
    if crop.size == 0 or min(crop.shape[:2]) < 4:
        return None
    blank_boxes(crop, others, (x0, y0))
    return CropRequest(crop, (x0, y0), keep_right=True)


def right_end_rows(view: np.ndarray, box: Box) -> tuple[float, float]:
    """The rows a box spans near its right end, where a code beside it starts.

    On a page scanned askew a long box's upright bbox is taller than the box
    (a 70 pt box at 3 deg rises 3.7 pt): a crop that high right of it took in
    the next line's bold print, which outweighed the two small rows of a
    stacked code, and the row cutter dropped the first row as stray tops of
    a line (release_a p1's first box on the 3 deg variant). One box height
    in from the right end, a column crosses the whole of a tilted box's
    thickness and nothing of the lines around; an upright box, or a short
    one, keeps its bbox.
    """
    x = int(box.x1 - box.height)
    if x - 1 <= box.x0:
        return box.y0, box.y1
    y0, y1 = max(0, int(box.y0)), int(np.ceil(box.y1))
    column = view[y0:y1, x - 1 : x + 2].mean(axis=1)
    if column.size < 4 or float(column.max() - column.min()) < 40:
        return box.y0, box.y1  # dark all the way down: the box fills its bbox
    inside = np.flatnonzero(column < (float(column.max()) + float(column.min())) / 2)
    if inside.size == 0 or inside[-1] + 1 - inside[0] < 0.5 * box.height:
        return box.y0, box.y1
    top, bottom = float(y0 + inside[0]), float(y0 + inside[-1] + 1)
    # The line goes on climbing (or falling) past the column: by the print's
    # first three box heights, at the box's slope (its bbox's extra height over
    # its width), on the side the right end leans to.
    rise = (box.height - (bottom - top)) / box.width * 3 * (bottom - top)
    if top - box.y0 < box.y1 - bottom:
        return top - rise, bottom
    return top, bottom + rise
