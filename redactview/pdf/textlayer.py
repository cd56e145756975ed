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
# A token is word-like when, stripped of surrounding punctuation, it is letters
# in one of the cases people write (word, Word, WORD, O'Neil) or a number.
_WORDLIKE = re.compile(r"^(?:[A-Za-z]|[A-Z]?[a-z]+(?:['’-][A-Za-z]+)*|[A-Z]+(?:['’-][A-Z]+)*)$")
_NUMBERLIKE = re.compile(r"^[$€£]?\d[\d,.\-/:%]*$")
_PUNCTUATION = "\"'“”‘’()[]{}<>.,;:!?*§"

# Over a full-page image (a scan), a text layer is trusted only when it is
# substantial: a Bates stamp or a "RELEASED IN PART" line is not the page's text.
_SCAN_COVERAGE = 0.8
_MIN_SCAN_CHARS = 200
_MIN_SCAN_TEXT_AREA = 0.02
_MIXED_COVERAGE = 0.3


@dataclass(frozen=True, slots=True)
class TextLayerStats:
    chars: int
    replacement_chars: int
    invisible_chars: int
    glyphless_chars: int
    wordlike_share: float  # share of tokens that look like real words or numbers
    image_coverage: float
    text_area: float = 0.0  # share of the page covered by text spans' boxes


def is_wordlike(token: str) -> bool:
    core = token.strip(_PUNCTUATION)
    return bool(core) and bool(_WORDLIKE.match(core) or _NUMBERLIKE.match(core))


def extract_words(page: pymupdf.Page, number: int) -> list[Word]:
    """Words of the text layer, in unrotated page coordinates, reading order."""
    words = []
    for x0, y0, x1, y1, text, block, line, _ in page.get_text("words", sort=True):
        words.append(Word(number, Box(x0, y0, x1, y1), text, 100.0, block, line, "text"))
    return words


def measure_image_coverage(page: pymupdf.Page) -> float:
    """Share of the page covered by placed images (overlaps counted once, roughly)."""
    cropbox = page.cropbox
    area = abs(cropbox)
    if area <= 0:
        return 0.0
    covered = pymupdf.Rect()
    total = 0.0
    for info in page.get_image_info():
        rect = pymupdf.Rect(info["bbox"]) & cropbox
        if rect.is_empty:
            continue
        total += abs(rect)
        covered |= rect
    return min(1.0, total / area, abs(covered) / area)


def measure_text_layer(page: pymupdf.Page) -> TextLayerStats:
    chars = replacement = invisible = glyphless = 0
    area = 0.0
    cropbox = page.cropbox  # a property that builds a new Rect on every access
    for span in page.get_texttrace():
        n = len(span["chars"])
        chars += n
        replacement += sum(1 for c in span["chars"] if c[0] == 0xFFFD)
        if span["type"] == _INVISIBLE or span.get("opacity", 1.0) == 0:
            invisible += n
        if _GLYPHLESS in span["font"].lower():
            glyphless += n
        area += abs(pymupdf.Rect(span["bbox"]) & cropbox)
    tokens = page.get_text("text").split()
    wordlike = sum(1 for t in tokens if is_wordlike(t)) / len(tokens) if tokens else 0.0
    page_area = abs(cropbox) or 1.0
    return TextLayerStats(
        chars,
        replacement,
        invisible,
        glyphless,
        wordlike,
        measure_image_coverage(page),
        min(1.0, area / page_area),
    )


def classify_text_layer(stats: TextLayerStats) -> TextStatus:
    """Decide whether a page's text layer is usable, per the rules in the OCR issue.

    Needs OCR: no text over an image; U+FFFD-heavy text (glyphs without a
    Unicode mapping); a GlyphLessFont-only layer (a scanner's or Tesseract's
    invisible layer: we read the page ourselves, with boxes and confidences);
    an invisible layer that is not word-like; a near-empty layer over a
    full-page image. Mixed: real text beside large images that may hold more.
    Born-digital pages are TEXT and never OCR'd unless the user forces it.
    """
    if stats.chars == 0:
        return TextStatus.NEEDS_OCR if stats.image_coverage > 0.02 else TextStatus.EMPTY
    if stats.replacement_chars / stats.chars > 0.05:
        return TextStatus.NEEDS_OCR
    if stats.glyphless_chars >= 0.95 * stats.chars:
        return TextStatus.NEEDS_OCR
    if stats.invisible_chars >= 0.5 * stats.chars and stats.wordlike_share < 0.6:
        return TextStatus.NEEDS_OCR  # a poor invisible OCR layer
    if stats.image_coverage > _SCAN_COVERAGE:
        substantial = (
            stats.chars >= _MIN_SCAN_CHARS
            and stats.text_area >= _MIN_SCAN_TEXT_AREA
            and stats.wordlike_share >= 0.5
        )
        return TextStatus.TEXT if substantial else TextStatus.NEEDS_OCR
    if stats.image_coverage > _MIXED_COVERAGE:
        return TextStatus.MIXED
    return TextStatus.TEXT
