"""Font metrics: how wide a string is in the font and size a page uses.

Width estimates for born-digital pages measure candidate names in the *real*
font of the words beside a redaction. After a true redaction the hidden glyphs
are gone, but the neighbours keep their font name and size in the text layer.
The font program comes from the PDF when it is embedded (``extract_font``);
a non-embedded font is one of the base-14, which PyMuPDF carries itself.

Embedded fonts are often *subsets*: they hold only the glyphs the document
used, so a candidate's letters may be missing. Those letters are measured in
the base-14 font of the same family (serif, sans or monospace) instead.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pymupdf

from redactview.core.geometry import Box

# get_text flags bits (PyMuPDF "dict" span flags).
_FLAG_SERIF = 4
_FLAG_MONO = 8
_FLAG_BOLD = 16
_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
# Base-14 names as they appear in PDFs, and PyMuPDF's short names for them.
_BASE14 = {
    "helvetica": "helv",
    "helvetica-bold": "hebo",
    "helvetica-oblique": "heit",
    "helvetica-boldoblique": "hebi",
    "times-roman": "tiro",
    "times-bold": "tibo",
    "times-italic": "tiit",
    "times-bolditalic": "tibi",
    "courier": "cour",
    "courier-bold": "cobo",
    "courier-oblique": "coit",
    "courier-boldoblique": "cobi",
    "symbol": "symb",
    "zapfdingbats": "zadb",
}
# Families for fonts we cannot read, and the generic tables used for scans.
GENERIC_FAMILIES = {"sans": "helv", "serif": "tiro", "mono": "cour"}


@dataclass(frozen=True, slots=True)
class FontWord:
    """A text-layer word with the font and size it is set in."""

    box: Box
    text: str
    font: str  # the PDF's font name, subset prefix removed
    size: float
    flags: int = 0
    invisible: bool = False  # render mode 3 (an OCR layer), or fully transparent


class FontMeasure:
    """Measures strings (in points) in one font at one size."""

    def __init__(
        self,
        font: pymupdf.Font,
        name: str,
        size: float,
        fallback: pymupdf.Font,
        *,
        ink: bool = False,
    ) -> None:
        self._font = font
        self._fallback = fallback
        self.name = name
        self.size = size
        # OCR boxes hug the ink, not the advance: an "ink" measure drops the
        # first glyph's left and the last glyph's right side bearing.
        self.ink = ink
        # (advance, ink x0, ink x1) per character, in ems: each lookup crosses
        # into MuPDF, and ranking a hundred names asks for the same letters
        # thousands of times.
        self._glyphs: dict[str, tuple[float, float, float]] = {}

    def advance(self, char: str) -> float:
        """Advance width of one character in points (fallback font if missing)."""
        return self._glyph(char)[0] * self.size

    def width(self, text: str) -> float:
        total = sum(self.advance(c) for c in text)
        if self.ink and text:
            total -= self._bearings(text[0], text[-1])
        return total

    def _bearings(self, first: str, last: str) -> float:
        """Left bearing of ``first`` plus right bearing of ``last``, points."""
        lsb, rsb = self.side_bearings(first, last)
        return lsb + rsb if not first.isspace() else 0.0

    def side_bearings(self, first: str, last: str) -> tuple[float, float]:
        """(left bearing of ``first``, right bearing of ``last``) in points: the white
        between a word's advance box (what text layers report) and its ink (what OCR
        reports)."""
        lsb = self._glyph(first)[1]
        advance, _x0, x1 = self._glyph(last)
        return lsb * self.size, (advance - x1) * self.size

    def _glyph(self, char: str) -> tuple[float, float, float]:
        if char not in self._glyphs:
            font = self._pick(char)
            bbox = font.glyph_bbox(ord(char))
            self._glyphs[char] = (float(font.glyph_advance(ord(char))), bbox.x0, bbox.x1)
        return self._glyphs[char]

    def _pick(self, char: str) -> pymupdf.Font:
        return self._font if self._font.has_glyph(ord(char)) else self._fallback


def strip_subset(name: str) -> str:
    return _SUBSET_PREFIX.sub("", name)


def family_of(name: str, flags: int) -> str:
    """'serif', 'sans' or 'mono' from the span flags, or the name when flags say nothing."""
    low = name.lower()
    if flags & _FLAG_MONO or "courier" in low or "mono" in low:
        return "mono"
    if flags & _FLAG_SERIF or "times" in low or ("serif" in low and "sans" not in low):
        return "serif"
    return "sans"


@functools.lru_cache(maxsize=32)
def builtin_font(short_name: str) -> pymupdf.Font:
    return pymupdf.Font(short_name)


@functools.lru_cache(maxsize=64)
def generic_measure(family: str, size: float = 1.0, *, ink: bool = False) -> FontMeasure:
    """A base-14 font standing in for an unknown font of ``family`` (for scans)."""
    font = builtin_font(GENERIC_FAMILIES[family])
    return FontMeasure(font, font.name, size, font, ink=ink)


def read_font_words(page: pymupdf.Page) -> list[FontWord]:
    """Words of the text layer with their span's font and size (spaces split words)."""
    words: list[FontWord] = []
    for block in page.get_text("rawdict", flags=0)["blocks"]:
        for line in block.get("lines", ()):
            for span in line["spans"]:
                words.extend(_split_span(span))
    return words


def _split_span(span: dict) -> list[FontWord]:
    font = strip_subset(str(span["font"]))
    invisible = span.get("alpha", 255) == 0
    words, run = [], []
    for char in [*span["chars"], None]:
        if char is not None and not char["c"].isspace():
            run.append(char)
            continue
        if run:
            box = Box(run[0]["bbox"][0], span["bbox"][1], run[-1]["bbox"][2], span["bbox"][3])
            text = "".join(c["c"] for c in run)
            words.append(
                FontWord(box, text, font, float(span["size"]), int(span["flags"]), invisible)
            )
            run = []
    return words


def page_font_measure(page: pymupdf.Page, name: str, size: float, flags: int = 0) -> FontMeasure:
    """A measure for the font ``name`` used on ``page``: embedded program or base-14."""
    fallback = builtin_font(_fallback_name(name, flags))
    base = _BASE14.get(strip_subset(name).lower())
    if base is not None:
        return FontMeasure(builtin_font(base), name, size, fallback)
    font = _embedded_font(page, name)
    return FontMeasure(font or fallback, name, size, fallback)


def _fallback_name(name: str, flags: int) -> str:
    short = GENERIC_FAMILIES[family_of(name, flags)]
    bold = flags & _FLAG_BOLD or "bold" in name.lower()
    return {"helv": "hebo", "tiro": "tibo", "cour": "cobo"}[short] if bold else short


def _embedded_font(page: pymupdf.Page, name: str) -> pymupdf.Font | None:
    """The font program embedded in the PDF for ``name``, if it can be read."""
    wanted = strip_subset(name)
    for xref, _ext, _type, basefont, _ref, _enc in page.get_fonts():
        if strip_subset(basefont) != wanted:
            continue
        try:
            _basename, ext, _subtype, buffer = page.parent.extract_font(xref)
        except (RuntimeError, ValueError):
            return None
        if not buffer or ext == "n/a":
            return None
        try:
            return pymupdf.Font(fontbuffer=buffer)
        except (RuntimeError, ValueError):
            return None
    return None
