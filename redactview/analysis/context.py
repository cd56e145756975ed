"""Context: the words just before and after a redaction on its line.

Users align releases and guess names from these, so only words on the same
printed line count, and label words (the "(b)(6)" beside a box) are skipped.
Geometry is in the view space (see ``labels``), where lines run left to right.
"""

from __future__ import annotations

from collections.abc import Iterable

from redactview.analysis.labels import ViewWord
from redactview.core.geometry import Box

CONTEXT_WORDS = 6


def same_line(box: Box, word: ViewWord) -> bool:
    return word.box.vertical_overlap(box) > 0.45


def find_context(
    box: Box,
    words: list[ViewWord],
    *,
    skip: Iterable[ViewWord] = (),
    covered: Iterable[Box] = (),
    n: int = CONTEXT_WORDS,
) -> tuple[str, str]:
    """(before, after): up to ``n`` words each side, nearest last/first.

    ``covered`` are all redaction boxes of the page: a word under any box
    (an invisible OCR layer, an unapplied box) is not context, it is a leak.
    """
    skipped = set(skip)
    boxes = list(covered)
    visible = [
        w
        for w in words
        if w not in skipped
        and same_line(box, w)
        and not any(w.box.coverage_by(b) > 0.5 for b in boxes)
    ]
    before = sorted((w for w in visible if w.box.center[0] < box.x0), key=lambda w: w.box.x0)
    after = sorted((w for w in visible if w.box.center[0] > box.x1), key=lambda w: w.box.x0)
    return _join(before[-n:]), _join(after[:n])


def _join(words: list[ViewWord]) -> str:
    return " ".join(w.text for w in words)
