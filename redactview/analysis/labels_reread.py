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
from redactview.core.exemptions import parse_exemptions

ALTERNATES: tuple[Binarise, ...] = ("adaptive", "grey")
_BRACKET = re.compile(r"[()\[\]{}]")


def looks_unread(words: Sequence[ViewWord], *, stacked: bool = False) -> bool:
    """No code parsed, though print was there: nothing read at all, or one of the
    first two words carries a bracket (a code's shape: "(ONG)", "(DNS)."), or
    the row is one of a stacked code's, small print beside a box that is
    nothing else (its brackets read as letters: "ibn 7uCi,", "burns").
    Prose right of a box ("has asked for") is not read again."""
    if parse_exemptions(" ".join(w.text for w in words)):
        return False
    first = sorted(words, key=lambda w: w.box.x0)[:2]
    return stacked or not words or any(_BRACKET.search(w.text) for w in first)


def read_again(
    requests: Sequence[CropRequest],
    first: Sequence[list[ViewWord]],
    stacked: Sequence[bool] = (),
) -> list[list[ViewWord]]:
    """Each request's words; those of a request whose first reading ``looks_unread``
    replaced by the first alternate reading (``ALTERNATES``, in order) that
    parses a code. ``stacked`` says which requests are rows of a stacked code.
    One Tesseract run for all of them, none when none failed."""
    rows = list(stacked) or [False] * len(first)
    todo = [k for k, words in enumerate(first) if looks_unread(words, stacked=rows[k])]
    out = list(first)
    if not todo or not ALTERNATES:
        return out
    again = labels.read_sheet(
        [dataclasses.replace(requests[k], method=m) for k in todo for m in ALTERNATES]
    )
    n = len(ALTERNATES)
    for j, k in enumerate(todo):
        for words in again[j * n : (j + 1) * n]:
            if parse_exemptions(" ".join(w.text for w in words)):
                out[k] = words
                break
    return out
