"""Reading a page's text layer and judging whether it can be trusted.

Many scanned releases carry an invisible OCR layer made by the agency's
scanner software. Some are good; many are junk (U+FFFD runs, GlyphLessFont
with nonsense, a handful of characters over a full-page image). Junk counts
as "needs OCR" so the user gets real words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pymupdf

from redactview.core.geometry import Box
from redactview.core.model import TextStatus, Word

# texttrace span "type": 3 is PDF text render mode 3 (neither fill nor stroke).
_INVISIBLE = 3
_GLYPHLESS = "glyphless"
_WORDLIKE = re.compile(r"^[A-Za-z][a-z]+[.,;:]?$|^\d[\d,.\-/]*$")


@dataclass(frozen=True, slots=True)
class TextLayerStats:
    chars: int
    replacement_chars: int
    invisible_chars: int
    glyphless_chars: int
    wordlike_share: float  # share of tokens that look like real words or numbers
    image_coverage: float


def extract_words(page: pymupdf.Page, number: int) -> list[Word]:
    """Words of the text layer, in unrotated page coordinates, reading order."""
    words = []
    for x0, y0, x1, y1, text, block, line, _ in page.get_text("words", sort=True):
        words.append(Word(number, Box(x0, y0, x1, y1), text, 100.0, block, line, "text"))
    return words


def measure_image_coverage(page: pymupdf.Page) -> float:
    """Share of the page covered by placed images (overlaps counted once, roughly)."""
    area = abs(page.cropbox)
    if area <= 0:
        return 0.0
    covered = pymupdf.Rect()
    total = 0.0
    for info in page.get_image_info():
        rect = pymupdf.Rect(info["bbox"]) & page.cropbox
        if rect.is_empty:
            continue
        total += abs(rect)
        covered |= rect
    return min(1.0, total / area, abs(covered) / area)


def measure_text_layer(page: pymupdf.Page) -> TextLayerStats:
    chars = replacement = invisible = glyphless = 0
    for span in page.get_texttrace():
        n = len(span["chars"])
        chars += n
        replacement += sum(1 for c in span["chars"] if c[0] == 0xFFFD)
        if span["type"] == _INVISIBLE or span.get("opacity", 1.0) == 0:
            invisible += n
        if _GLYPHLESS in span["font"].lower():
            glyphless += n
    tokens = page.get_text("text").split()
    wordlike = sum(1 for t in tokens if _WORDLIKE.match(t)) / len(tokens) if tokens else 0.0
    return TextLayerStats(
        chars, replacement, invisible, glyphless, wordlike, measure_image_coverage(page)
    )


def classify_text_layer(stats: TextLayerStats) -> TextStatus:
    """Decide whether a page's text layer is usable, per the rules in the OCR issue."""
    if stats.chars == 0:
        return TextStatus.NEEDS_OCR if stats.image_coverage > 0.02 else TextStatus.EMPTY
    if stats.replacement_chars / stats.chars > 0.05:
        return TextStatus.NEEDS_OCR
    if stats.glyphless_chars == stats.chars and stats.wordlike_share < 0.8:
        return TextStatus.NEEDS_OCR
    if stats.image_coverage > 0.8:
        # A layer over a full-page image: a scan with an OCR layer. Only a
        # substantial, word-like layer is trusted.
        if stats.chars < 50 or stats.wordlike_share < 0.5:
            return TextStatus.NEEDS_OCR
        return TextStatus.TEXT
    if stats.image_coverage > 0.3:
        return TextStatus.MIXED
    return TextStatus.TEXT
