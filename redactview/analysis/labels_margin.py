"""Codes in the margins, set apart from the line they label: a code list ending
a box's line in the right margin, or starting it in the left, and the rows of
codes stacked with it there (the FBI's "b6 -1" over "b7C -1", the CIA's "(b)(1)"
over "(b)(3)"); and the close-up crop of a margin beside a box.

Geometry is in the view, as in ``labels``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

import numpy as np

from redactview.analysis.labels import (
    FBI_SUFFIX,
    NO_LABEL,
    Label,
    ViewWord,
    group_rows,
    in_reading_order,
    is_mark,
    reach,
)
from redactview.analysis.labels_image import blank_boxes
from redactview.analysis.labels_rows import CropRequest
from redactview.core.exemptions import parse_exemptions
from redactview.core.geometry import Box

STACK_GAP = 0.9  # rows of a margin stack: blank between them, in glyph heights
MARGIN_FROM = 0.75  # codes in the right margin lie past this share of the page's width
# A piece of a code list: a bracket, a separator, "b" and a digit (not any word
# starting with "b": prose ending "... requested by" is not part of the list).
_LIST_PIECE = re.compile(rf"[()\[\]{{}};,/:]|^b\d|{FBI_SUFFIX}", re.IGNORECASE)


def read_line_end(box: Box, words: list[ViewWord], view: np.ndarray | None = None) -> Label:
    """A code list that ends the box's line, set apart from the line's print in the
    right margin ("███ exceeded the estimate.        (b)(4)"). Only a list further
    from the print before it than ``read_beside`` reaches counts: prose that ends
    its line citing an exemption ("withheld under (b)(5)") does not, unless
    the list starts in the page's column of codes (``_in_code_column``). Rows
    of codes stacked with it join it (``_margin_stack``; ``view``, the page's
    pixels, places the rows where OCR boxes them loosely)."""
    return _read_margin_list(box, words, view, 1)


def read_line_start(box: Box, words: list[ViewWord], view: np.ndarray | None = None) -> Label:
    """A code list that starts the box's line in the left margin, set apart from
    the line's print: the CIA and the NSA stack "(b)(1)" over "(b)(3)" there,
    beside the lines they withhold, the box at the line's start or mid-line.
    ``read_line_end`` mirrored: only a list further from the print after it
    than ``read_beside`` reaches, or in the page's column of codes, counts
    (``read_left`` reads a code right beside a box that starts its line);
    rows of codes stacked with it join it."""
    return _read_margin_list(box, words, view, -1)


def _read_margin_list(box: Box, words: list[ViewWord], view: np.ndarray | None, side: int) -> Label:
    """``read_line_end`` (``side`` 1) and ``read_line_start`` (-1): the box's
    line is walked from the page's edge in, over specks, while its words are
    pieces of a code list."""
    ordered = sorted(
        (
            w
            for w in words
            if w.box.vertical_overlap(box) > 0.3
            and (w.box.x0 >= box.x1 - 2 if side > 0 else w.box.x1 <= box.x0 + 2)
        ),
        key=lambda w: w.box.x0,
    )
    line = ordered[::-1] if side > 0 else ordered  # from the page's edge in
    while line and is_mark(line[0].text):
        line.pop(0)  # a speck of the scan read as "." beyond the code
    pieces, rest = _walk_list(line)
    n = len(pieces)
    if n == 0:
        return NO_LABEL
    line = pieces + rest
    taken = line[:n][::-1] if side > 0 else line[:n]  # left to right
    if side > 0:
        gap = taken[0].box.x0 - (line[n].box.x1 if n < len(line) else box.x1)
    else:
        gap = (line[n].box.x0 if n < len(line) else box.x0) - taken[-1].box.x1
    if gap <= reach(box) and not _in_code_column(taken[0], words):
        return NO_LABEL
    if side < 0:  # the line's print starts right of the codes
        inner = line[n].box.x0 if n < len(line) else box.x0
        words = [w for w in words if w.box.x1 <= inner]
    taken = _margin_stack(box, taken, words, view)
    text = " ".join(w.text for w in in_reading_order(taken))
    codes = parse_exemptions(text)
    return Label(text, codes, "right" if side > 0 else "left", tuple(taken)) if codes else NO_LABEL


def _walk_list(line: list[ViewWord]) -> tuple[list[ViewWord], list[ViewWord]]:
    """The pieces of a code list that ``line`` (ordered from the page's edge in)
    starts with, and the words past them. A tall box's line holds two rows of
    a stack; a row read as junk ("reg]" for "b6") lies in the codes' own
    column, so it is passed over: it is no print before them."""
    pieces: list[ViewWord] = []
    for k, word in enumerate(line):
        if _is_list_piece(word.text):
            pieces.append(word)
        elif not (pieces and _in_column(word, pieces)):
            return pieces, line[k:]
    return pieces, []


def _in_column(word: ViewWord, codes: list[ViewWord]) -> bool:
    """Whether ``word`` lies over or under one of ``codes`` (most of the narrower
    one's width shared): a row of their stack, not the line's print."""
    return any(
        min(word.box.x1, c.box.x1) - max(word.box.x0, c.box.x0)
        > 0.5 * min(word.box.width, c.box.width)
        for c in codes
    )


def _in_code_column(first: ViewWord, words: list[ViewWord]) -> bool:
    """Whether codes start where ``first`` starts on two or more other rows of
    the page: the margin column of a release that prints its codes there (the
    FBI), where a line of print may run up close to its codes. Prose that cites
    an exemption at its lines' ends starts each citation somewhere else."""
    height = first.box.height
    tops = sorted(
        w.box.y0
        for w in words
        if abs(w.box.x0 - first.box.x0) <= height
        and w.box.vertical_overlap(first.box) == 0
        and parse_exemptions(w.text)
    )
    rows = sum(1 for a, b in itertools.pairwise(tops) if b - a > height / 2) + bool(tops)
    return rows >= 2


def _margin_stack(
    box: Box, row: list[ViewWord], words: list[ViewWord], view: np.ndarray | None
) -> list[ViewWord]:
    """``row`` (codes in the right margin on a box's line) with the rows stacked
    above and below it in the same column: the FBI prints "b6 -1" over "b7C -1"
    beside the lines it withholds, one stack for the passage.

    A row joins when it starts where ``row`` starts, is nothing but codes, and
    lies at the codes' own line spacing: the blank between it and the stack is
    under ``STACK_GAP`` of the rows' glyph height. A stack's rows are set at
    the small codes' leading; the codes of the next passage sit beside a line
    of print further down, the text's larger leading away. On generated
    FD-302s at 150-300 dpi (Courier 11 pt lines 14 or 16 pt apart, Helvetica
    8.5 pt codes 10 pt apart) the blank within a stack measured 0.44-0.71
    glyph heights, between passages 1.07-1.78 (rows placed by their pixels).
    """
    left = row[0].box.x0
    rows = group_rows([w for w in words if w.box.x0 >= left - row[0].box.height])
    own = [k for k, r in enumerate(rows) if any(w in row for w in r)]
    if not own:
        return row

    def joins(near: list[ViewWord], far: list[ViewWord]) -> bool:
        (near_top, near_h), (far_top, far_h) = _row_span(near, view), _row_span(far, view)
        upper, lower = sorted(((near_top, near_h), (far_top, far_h)))
        gap = lower[0] - (upper[0] + upper[1])
        return (
            gap < STACK_GAP * (near_h + far_h) / 2
            and abs(far[0].box.x0 - left) <= row[0].box.height
            and all(_is_list_piece(w.text) or is_mark(w.text) for w in far)
            and any(parse_exemptions(w.text) for w in far)
        )

    first, last = min(own), max(own)
    while last + 1 < len(rows) and joins(rows[last], rows[last + 1]):
        last += 1
    while first > 0 and joins(rows[first], rows[first - 1]):
        first -= 1
    return [w for r in rows[first : last + 1] for w in r]


def _row_span(row: list[ViewWord], view: np.ndarray | None) -> tuple[float, float]:
    """Top and glyph height of a row of small print.

    From the page's pixels where there are any: the run of inked pixel rows,
    within the row's words, that holds their middle. OCR boxes the words of a
    row of small codes on a sheet of many crops loosely: a lone "-1" a line
    and a half high, a whole row 10 px low. Without pixels (a text layer's
    exact boxes): the words' median top and least height.
    """
    printed = [w for w in row if not is_mark(w.text)] or row
    top, height = float(np.median([w.box.y0 for w in printed])), min(w.box.height for w in printed)
    if view is None:
        return top, height
    # Half a glyph more above and below: a box cut short must not cut the run.
    x0, x1 = int(min(w.box.x0 for w in printed)), int(max(w.box.x1 for w in printed)) + 1
    y0 = max(0, int(min(w.box.y0 for w in printed) - height / 2))
    y1 = int(max(w.box.y1 for w in printed) + height / 2) + 1
    window = view[y0:y1, max(0, x0) : x1]
    if window.size == 0:
        return top, height
    # Halfway between the paper and the darkest ink: thin strokes of small
    # print on a soft scan stay above a fixed dark level.
    level = (float(window.min()) + float(np.median(window))) / 2
    inked = (window < level).sum(axis=1) > 1
    middle = int(np.median([w.box.center[1] for w in printed])) - y0
    runs = np.split(np.flatnonzero(inked), np.flatnonzero(np.diff(np.flatnonzero(inked)) > 1) + 1)
    runs = [r for r in runs if r.size]
    if not runs:
        return top, height
    held = min(runs, key=lambda r: 0 if r[0] <= middle <= r[-1] else min(abs(r - middle)))
    return float(y0 + held[0]), float(held.size)


def _is_list_piece(text: str) -> bool:
    """A code, or a piece of a code list ("(b)(6);", "(7)(C)", "-1"): brackets and
    separators with at most one letter besides "b" ("(In" of "(In Person)" is prose)
    and no number of three digits or more (a date, "03/13/2019", is no piece)."""
    if parse_exemptions(text):
        return True
    letters = sum(ch.isalpha() and ch not in "bB" for ch in text)
    return bool(_LIST_PIECE.search(text)) and letters <= 1 and not re.search(r"\d{3}", text)


def margin_request(
    view: np.ndarray, box: Box, others: Sequence[Box] = (), side: int = 1
) -> CropRequest | None:
    """A crop of the right (``side`` 1) or left (-1) margin beside a box's line
    and the lines above and below it, if anything is printed there: the FBI
    stacks its codes in the right margin ("b6 -1" over "b7C -1"), the CIA in
    the left ("(b)(1)" over "(b)(3)"), far from the box, and the line band's
    OCR reads such small rows beside a line of print as junk ("a", "orc")."""
    h, w = view.shape[:2]
    if side > 0:
        x0, x1 = int(max(box.x1 + reach(box), MARGIN_FROM * w)), w
    else:
        x0, x1 = 0, int(min(box.x0 - reach(box), (1 - MARGIN_FROM) * w))
    y0, y1 = int(max(0.0, box.y0 - 1.2 * box.height)), int(min(h, box.y1 + 1.2 * box.height))
    if x1 - x0 < 8 or y1 - y0 < 4:
        return None
    crop = view[y0:y1, x0:x1].copy()
    blank_boxes(crop, others, (x0, y0))
    ink = (crop < 120).sum(axis=0)
    # Only the codes' column: the print in the crop parted where the blank
    # between is wider than the box is high (the ends or starts of lines of
    # print lie on the page's side of the column; the sheet's shadow at its
    # edge, on the other). Dust is no print: a code of a few glyphs has ~0.2
    # box heights squared of ink, a speck a tenth of that; specks left in the
    # crop made Tesseract read "b6" as "bb" or "6-1".
    inked = np.flatnonzero(ink > 1)  # a column with one dark pixel is dust
    parts = np.split(inked, np.flatnonzero(np.diff(inked) > box.height) + 1)
    least = max(30.0, 0.1 * box.height**2)
    edge = crop.shape[1] - 1 if side > 0 else 0  # the sheet's edge
    print_parts = [p for p in parts if p.size and ink[p].sum() > least and abs(p - edge).min() > 2]
    if not print_parts:  # a blank margin costs no OCR
        return None
    column = print_parts[-1] if side > 0 else print_parts[0]
    left, right = max(0, int(column[0] - box.height / 3)), int(column[-1] + 1 + box.height / 3)
    return CropRequest(np.ascontiguousarray(crop[:, left:right]), (x0 + left, y0))
