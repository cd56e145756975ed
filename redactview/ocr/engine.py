"""The OCR engine seam: what the page workers call, and the real Tesseract engine.

An engine is a small frozen (picklable) value, so a page task can carry it into
a spawned worker process. Tests swap in the fake, crashing and slow engines of
``redactview.ocr.fakes`` here, without touching Tesseract.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from redactview.ocr import tesseract
from redactview.ocr.tesseract import PixelWord


class OcrEngine(Protocol):
    """Reads words off one page image. Failures raise ``OcrPageError``."""

    @property
    def name(self) -> str: ...

    def version(self) -> str:
        """A version string that changes whenever results may change (the cache key)."""
        ...

    def check(self, lang: str) -> None:
        """Raise ``OcrUnavailableError`` naming what to install if ``lang`` cannot run."""
        ...

    def read_words(self, image: np.ndarray, *, lang: str, timeout_s: float) -> list[PixelWord]:
        """Words of a grey page image, boxes in that image's pixels."""
        ...

    def detect_rotation(self, image: np.ndarray, *, timeout_s: float) -> int:
        """Degrees (0/90/180/270) to turn the image clockwise to make its text upright."""
        ...


@dataclass(frozen=True, slots=True)
class TesseractEngine:
    """Tesseract via pytesseract, one thread per process (see ``ocr.tesseract``)."""

    path: str | None = None

    @property
    def name(self) -> str:
        return "tesseract"

    def version(self) -> str:
        return f"tesseract {tesseract.probe(self.path).version}"

    def check(self, lang: str) -> None:
        tesseract.require_languages(tesseract.probe(self.path), lang)

    def read_words(self, image: np.ndarray, *, lang: str, timeout_s: float) -> list[PixelWord]:
        tesseract.probe(self.path)
        return tesseract.read_words(image, lang=lang, timeout_s=timeout_s)

    def detect_rotation(self, image: np.ndarray, *, timeout_s: float) -> int:
        if not tesseract.probe(self.path).has_osd:
            return 0  # no osd data installed: pages are read as they are
        return tesseract.detect_rotation(image, timeout_s=timeout_s)


def list_languages(path: str | None = None) -> tuple[str, ...]:
    """Installed Tesseract languages usable for OCR (``osd`` is not a language)."""
    return tuple(code for code in tesseract.probe(path).languages if code != "osd")
