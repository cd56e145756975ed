"""The one wrapper around Tesseract (via pytesseract).

Knows whether Tesseract is there and which languages it has, runs it with a
mandatory timeout and one thread (``OMP_THREAD_LIMIT=1``: on 2 cores an
unthrottled Tesseract took 19 s on a page that took 2.7 s single-threaded,
because parallel pages already use every core), and turns every failure into
an ``OcrUnavailableError`` or ``OcrPageError``.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass

import numpy as np
import pytesseract
from PIL import Image

from redactview.errors import OcrPageError, OcrUnavailableError

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

INSTALL_HINT = (
    "install Tesseract: Debian/Ubuntu 'sudo apt install tesseract-ocr tesseract-ocr-eng', "
    "macOS 'brew install tesseract', Windows: the UB Mannheim installer; "
    "or set its path in Preferences / REDACTVIEW_TESSERACT"
)
DEFAULT_TIMEOUT_S = 120.0


@dataclass(frozen=True, slots=True)
class TesseractInfo:
    path: str
    version: str
    languages: tuple[str, ...]

    @property
    def has_osd(self) -> bool:
        return "osd" in self.languages


@dataclass(frozen=True, slots=True)
class PixelWord:
    """A word as Tesseract saw it, in the pixel space of the image it was given."""

    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float
    block: int
    par: int
    line: int
    word: int


def find_tesseract(configured: str | None = None) -> str | None:
    """Locate the binary: a configured path, $REDACTVIEW_TESSERACT, PATH, usual places."""
    candidates = [
        configured,
        os.environ.get("REDACTVIEW_TESSERACT"),
        shutil.which("tesseract"),
        # Apps started from a desktop launcher or Finder may lack these in PATH:
        "/usr/bin/tesseract",
        "/opt/homebrew/bin/tesseract",  # Homebrew, Apple silicon
        "/usr/local/bin/tesseract",  # Homebrew, Intel
        "/opt/local/bin/tesseract",  # MacPorts
        # UB Mannheim installer: per user ("just me"), or on another drive (Windows
        # expands %VAR%; elsewhere the string stays as is and matches no file).
        os.path.expandvars(r"%LOCALAPPDATA%\Programs\Tesseract-OCR\tesseract.exe"),
        os.path.expandvars(r"%ProgramFiles%\Tesseract-OCR\tesseract.exe"),
        r"C:\Program Files\Tesseract-OCR\tesseract.exe",
        r"C:\Program Files (x86)\Tesseract-OCR\tesseract.exe",
    ]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


@functools.lru_cache(maxsize=4)
def probe(configured: str | None = None) -> TesseractInfo:
    """Check Tesseract once per process; raise ``OcrUnavailableError`` with a fix."""
    path = find_tesseract(configured)
    if path is None:
        raise OcrUnavailableError(f"Tesseract OCR is not installed; {INSTALL_HINT}")
    pytesseract.pytesseract.tesseract_cmd = path
    try:
        version = str(pytesseract.get_tesseract_version())
        languages = tuple(sorted(pytesseract.get_languages(config="")))
    except (pytesseract.TesseractNotFoundError, OSError, subprocess.SubprocessError) as exc:
        raise OcrUnavailableError(f"Tesseract at {path} does not run ({exc})") from exc
    return TesseractInfo(path, version, languages)


def require_languages(info: TesseractInfo, lang: str) -> None:
    missing = [code for code in lang.split("+") if code not in info.languages]
    if missing:
        names = ", ".join(missing)
        packages = " ".join(f"tesseract-ocr-{code}" for code in missing)
        raise OcrUnavailableError(
            f"Tesseract has no language data for {names}; install it "
            f"(Debian/Ubuntu: sudo apt install {packages}). "
            f"Installed: {', '.join(info.languages) or 'none'}"
        )


def _as_image(image: np.ndarray | Image.Image) -> Image.Image:
    return image if isinstance(image, Image.Image) else Image.fromarray(image)


def read_words(
    image: np.ndarray | Image.Image,
    *,
    lang: str = "eng",
    psm: int = 3,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    config: str = "",
) -> list[PixelWord]:
    """Words with pixel boxes and confidences (empty words dropped)."""
    info = probe()
    require_languages(info, lang)
    try:
        data = pytesseract.image_to_data(
            _as_image(image),
            lang=lang,
            config=f"--psm {psm} {config}".strip(),
            timeout=timeout_s,
            output_type=pytesseract.Output.DICT,
        )
    except RuntimeError as exc:  # pytesseract raises RuntimeError on timeout
        raise OcrPageError(f"Tesseract timed out after {timeout_s:.0f}s") from exc
    except pytesseract.TesseractError as exc:
        raise OcrPageError(f"Tesseract failed: {exc.message}") from exc
    words = []
    for i, text in enumerate(data["text"]):
        text = text.strip()
        if not text:
            continue
        words.append(
            PixelWord(
                text,
                int(data["left"][i]),
                int(data["top"][i]),
                int(data["width"][i]),
                int(data["height"][i]),
                float(data["conf"][i]),
                int(data["block_num"][i]),
                int(data["par_num"][i]),
                int(data["line_num"][i]),
                int(data["word_num"][i]),
            )
        )
    return words


def detect_rotation(
    image: np.ndarray | Image.Image, *, timeout_s: float = 30.0, min_conf: float = 1.0
) -> int:
    """Degrees (0/90/180/270) to turn the image clockwise so its text is upright.

    Uses Tesseract's orientation detection (the ``osd`` data). A page with too
    little text for it, or a guess below ``min_conf``, counts as upright: the
    caller compares both readings anyway, so a wrong 0 costs nothing.
    """
    info = probe()
    if not info.has_osd:
        raise OcrUnavailableError(
            "Tesseract has no orientation data (osd); install it "
            "(Debian/Ubuntu: sudo apt install tesseract-ocr-osd)"
        )
    try:
        osd = pytesseract.image_to_osd(
            _as_image(image), timeout=timeout_s, output_type=pytesseract.Output.DICT
        )
    except RuntimeError as exc:
        raise OcrPageError(
            f"Tesseract orientation detection timed out after {timeout_s:.0f}s"
        ) from exc
    except pytesseract.TesseractError:
        return 0  # "Too few characters": nothing to orient by
    if float(osd.get("orientation_conf", 0.0)) < min_conf:
        return 0
    return int(osd.get("rotate", 0)) % 360
