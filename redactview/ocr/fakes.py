"""Engines for tests: fake, crashing and slow. They live in the package (not
under tests/) so that spawned worker processes can import them by name."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from redactview.errors import OcrPageError, OcrUnavailableError
from redactview.ocr.tesseract import PixelWord


def _dark_columns_word(image: np.ndarray) -> list[PixelWord]:
    """One word boxing the image's dark pixels: deterministic, and tied to the page."""
    ys, xs = np.nonzero(image < 128)
    if len(xs) == 0:
        return []
    left, top = int(xs.min()), int(ys.min())
    width, height = int(xs.max()) - left + 1, int(ys.max()) - top + 1
    return [PixelWord("ink", left, top, width, height, 91.0, 1, 1, 1, 1)]


@dataclass(frozen=True, slots=True)
class FakeEngine:
    """Returns one word "ink" around the page's dark pixels; records nothing."""

    label: str = "fake"
    languages: tuple[str, ...] = ("eng",)

    @property
    def name(self) -> str:
        return self.label

    def version(self) -> str:
        return f"{self.label} 1.0"

    def check(self, lang: str) -> None:
        missing = [c for c in lang.split("+") if c not in self.languages]
        if missing:
            raise OcrUnavailableError(f"no language data for {', '.join(missing)}")

    def read_words(self, image: np.ndarray, *, lang: str, timeout_s: float) -> list[PixelWord]:
        return _dark_columns_word(image)

    def detect_rotation(self, image: np.ndarray, *, timeout_s: float) -> int:
        return 0


@dataclass(frozen=True, slots=True)
class CrashingEngine(FakeEngine):
    """Fails on dark pages (mean grey below ``crash_when_mean_below``), as a marked page.

    A test PDF makes "the crashing page" by filling it mostly black. Attempts
    are counted in marker files under ``state_dir`` so a retry can succeed.

    ``hard=True`` kills the worker process outright, as a segfault would.
    ``fail_times`` is how many attempts per page fail before one succeeds.
    """

    label: str = "crash"
    crash_when_mean_below: float = 128.0
    state_dir: str = ""
    fail_times: int = 99
    hard: bool = False

    def read_words(self, image: np.ndarray, *, lang: str, timeout_s: float) -> list[PixelWord]:
        if float(image.mean()) < self.crash_when_mean_below and self._should_fail(image):
            if self.hard:
                os._exit(70)
            raise OcrPageError("fake engine crashed")
        return _dark_columns_word(image)

    def _should_fail(self, image: np.ndarray) -> bool:
        if not self.state_dir:
            return True
        marker = Path(self.state_dir) / f"attempts-{int(image.sum()) % 1_000_003}"
        count = int(marker.read_text()) if marker.exists() else 0
        marker.write_text(str(count + 1))
        return count < self.fail_times


@dataclass(frozen=True, slots=True)
class SlowEngine(FakeEngine):
    """Sleeps ``seconds`` per page, ignoring any timeout it is given (a hung engine)."""

    label: str = "slow"
    seconds: float = 5.0

    def read_words(self, image: np.ndarray, *, lang: str, timeout_s: float) -> list[PixelWord]:
        time.sleep(self.seconds)
        return _dark_columns_word(image)
