"""Turning a sideways page image upright, and taking word boxes back.

Tesseract reads upright text best; a page scanned sideways is turned by the
angle orientation detection gives, read, and every word box is mapped back to
the pixels of the image as rendered, so it lands on the word the user sees.
"""

from __future__ import annotations

import numpy as np

from redactview.ocr.tesseract import PixelWord


def rotate_clockwise(image: np.ndarray, degrees: int) -> np.ndarray:
    """The image turned clockwise by a multiple of 90 degrees."""
    quarter_turns = (degrees // 90) % 4
    # np.rot90 turns counter-clockwise for positive k.
    return np.ascontiguousarray(np.rot90(image, k=-quarter_turns))


def unrotate_point(
    x: float, y: float, degrees: int, width: int, height: int
) -> tuple[float, float]:
    """Where a point of the turned image lies in the original ``width`` x ``height`` image."""
    turns = (degrees // 90) % 4
    if turns == 1:  # original (x, y) went to (height - y, x)
        return y, height - x
    if turns == 2:
        return width - x, height - y
    if turns == 3:  # original (x, y) went to (y, width - x)
        return width - y, x
    return x, y


def unrotate_word(word: PixelWord, degrees: int, width: int, height: int) -> PixelWord:
    """A word read on the turned image, boxed in the original image's pixels."""
    if (degrees // 90) % 4 == 0:
        return word
    ax, ay = unrotate_point(word.left, word.top, degrees, width, height)
    bx, by = unrotate_point(word.left + word.width, word.top + word.height, degrees, width, height)
    left, top = min(ax, bx), min(ay, by)
    return PixelWord(
        word.text,
        round(left),
        round(top),
        round(abs(bx - ax)),
        round(abs(by - ay)),
        word.conf,
        word.block,
        word.par,
        word.line,
        word.word,
    )


def score_reading(words: list[PixelWord]) -> float:
    """How believable a reading is: confident, word-like characters read.

    Used to choose between the upright and the turned reading of a page, and
    to decide whether orientation detection is worth running at all.
    """
    return sum(sum(ch.isalnum() for ch in w.text) * (w.conf / 100.0) for w in words if w.conf > 0)


def looks_unreadable(words: list[PixelWord]) -> bool:
    """A reading too poor to trust: few words, or mostly low-confidence ones.

    Upright text at scan resolution reads with most words above 60; a sideways
    page gives a handful of short, low-confidence fragments.
    """
    good = [w for w in words if w.conf >= 60 and sum(c.isalpha() for c in w.text) >= 3]
    return len(good) < 5 or len(good) < 0.4 * len(words)
