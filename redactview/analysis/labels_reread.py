"""A second reading of label crops whose first reading looked like a code and
parsed as none.

Small print at the limit of a scan (5.5 pt codes at 100 dpi, or photocopied
twice) reads differently with every way of telling ink from paper: "(b)(6);"
came out "(ONG)" with the first reading's level and "(0K6);" against the local
grey, "(b)(7)(C)" "b ' C" and "(OXTKC)". Only crops whose first reading failed
in that way are read again, all on one more sheet, so a page whose labels read
costs no more Tesseract time.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from redactview.analysis import labels
from redactview.analysis.labels import ViewWord
from redactview.analysis.labels_image import Binarise
from redactview.analysis.labels_rows import CropRequest
from redactview.core.exemptions import parse_box_label, parse_exemptions

ALTERNATES: tuple[Binarise, ...] = ("adaptive", "grey")
_BRACKET = re.compile(r"[()\[\]{}]")
# A "7" with a letter of a subparagraph after it, though the code parsed had none:
# "(om7aCs" gave (b)(7) where "(b)(7)(C)" was printed.
_SEVEN_AND_MORE = re.compile(r"7\S{0,2}[a-f]", re.IGNORECASE)
# A word opened and closed by brackets, with two letters or digits inside: a
# code's shape ("(DNG)"), where "(bX" is only the start of one ("(bX 7KC)").
_CLOSED_WORD = re.compile(r"\W*[(\[{]\w{2,4}[)\]}]\W*")
# A code's digit read as "S", "G" or "8" just before its closing bracket: "(BS)."
# for "(b)(6);" (parsed as (b)(5)), "(bX8)" for "(bX6)". Such readings parse as
# a code, so ``looks_unread`` lets them by; they were the samples' wrong codes.
_DOUBTFUL_DIGIT = re.compile(r"[(\[{][^\s()\[\]{}]{0,2}[SsGg8][)\]}]")


def looks_unread(words: Sequence[ViewWord], *, stacked: bool = False) -> bool:
    """No code parsed from what was read: one of the first two words carries a
    bracket (a code's shape: "(ONG)", "(DNS)."), or the row is one of a
    stacked code's, small print beside a box that is nothing else (its
    brackets read as letters: "ibn 7uCi,", "burns"). Or read in part: a (7)
    without the subparagraph its letters show, or a first word in brackets
    that is no code ("(DNG) {OK 7KC)" inside a box gave only (b)(7)(C)).
    Prose right of a box ("has asked for") is not read again, nor a crop where
    nothing was read unless it is a stacked code's row (37 such crops on the
    samples and the 100 dpi and photocopied variants never read a code a
    second time: slivers of the lines around; grainy rows of the noise
    variant did)."""
    if not words:
        return stacked
    text = " ".join(w.text for w in words)
    codes = parse_box_label(text)
    first = sorted(words, key=lambda w: w.box.x0)[:2]
    if not codes:
        return stacked or any(_BRACKET.search(w.text) for w in first)
    if "(b)(7)" in codes and _SEVEN_AND_MORE.search(text):
        return True
    return bool(_CLOSED_WORD.fullmatch(first[0].text)) and not parse_exemptions(first[0].text)


def looks_doubtful(words: Sequence[ViewWord]) -> bool:
    """A code was read, but its digit from a glyph the scan's "6" is often read as
    ("S", "G", "8"): the reading is checked by the two others (``read_again``)."""
    text = " ".join(w.text for w in words)
    return bool(parse_box_label(text)) and bool(_DOUBTFUL_DIGIT.search(text))


def weight(words: Sequence[ViewWord]) -> tuple[int, int]:
    """How much of a code a reading holds: codes, then those with a subparagraph."""
    codes = parse_box_label(" ".join(w.text for w in words))
    return len(codes), sum(code.count("(") > 2 for code in codes)


def read_again(
    requests: Sequence[CropRequest],
    first: Sequence[list[ViewWord]],
    stacked: Sequence[bool] = (),
) -> list[list[ViewWord]]:
    """Each request's words; those of a request whose first reading ``looks_unread``
    replaced by the alternate reading (``ALTERNATES``; the first of equals)
    that holds the most of a code (``weight``), if more than the first did; those
    whose first reading ``looks_doubtful`` by the alternates' reading when both
    alternates agree on codes other than the first's, and hold as much of a code.
    ``stacked`` says which requests are rows of a stacked code. One Tesseract
    run for all of them, none when none failed or looked doubtful."""
    rows = list(stacked) or [False] * len(first)
    unread = [looks_unread(words, stacked=rows[k]) for k, words in enumerate(first)]
    todo = [k for k, words in enumerate(first) if unread[k] or looks_doubtful(words)]
    out = list(first)
    if not todo or not ALTERNATES:
        return out
    again = labels.read_sheet(
        [dataclasses.replace(requests[k], method=m) for k in todo for m in ALTERNATES]
    )
    n = len(ALTERNATES)
    for j, k in enumerate(todo):
        readings = again[j * n : (j + 1) * n]
        if unread[k]:
            best = max(readings, key=weight)  # the first of equals
            if weight(best) > weight(out[k]):
                out[k] = best
        elif _outvoted(out[k], readings):
            out[k] = readings[0]
    return out


def _outvoted(first: Sequence[ViewWord], readings: Sequence[Sequence[ViewWord]]) -> bool:
    """Whether every other reading gives the same codes, not the first's, and as
    much of a code ("(bX6);" twice against "(BS).")."""
    codes = {parse_box_label(" ".join(w.text for w in words)) for words in readings}
    mine = parse_box_label(" ".join(w.text for w in first))
    if len(codes) != 1 or mine in codes or not next(iter(codes)):
        return False
    return all(weight(words) >= weight(first) for words in readings)
