"""OCR of one page, as run inside a worker process.

A task is a small picklable value (path, page, languages, dpi, engine); the
worker opens the PDF itself, renders the page, reads it, and returns words in
unrotated page points. It never raises for a page's own trouble: a failure
comes back as a result with ``error`` set, so the coordinator can retry it
once and report it without stopping the run.
"""

from __future__ import annotations

import contextlib
import platform
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from redactview.core.model import Word
from redactview.errors import OcrPageError
from redactview.ocr.engine import OcrEngine
from redactview.ocr.orient import (
    looks_unreadable,
    rotate_clockwise,
    score_reading,
    unrotate_word,
)
from redactview.ocr.tesseract import PixelWord
from redactview.pdf.document import load_page, opened_pdf
from redactview.pdf.render import RenderedPage, render_page

# The hard stop comes a little after the engine's own timeout, so Tesseract's
# timeout (which also kills the tesseract process) normally fires first.
_HARD_STOP_GRACE_S = 5.0


def hard_stop_after(timeout_s: float) -> float:
    return timeout_s + min(_HARD_STOP_GRACE_S, timeout_s * 0.5)


@dataclass(frozen=True, slots=True)
class OcrPageTask:
    pdf_path: str
    page: int  # 1-based
    lang: str
    dpi: int
    engine: OcrEngine
    timeout_s: float
    attempt: int = 1
    password: str | None = None
    # The coordinator's engine version (the OCR cache key); "" = do not check.
    engine_version: str = ""


@dataclass(frozen=True, slots=True)
class OcrPageResult:
    page: int
    words: tuple[Word, ...]
    rotation: int  # clockwise turn applied to the rendered page before reading
    seconds: float
    attempt: int
    error: str = ""  # set when the page failed
    # Set when the worker's engine is not the coordinator's: nothing was read.
    mismatch: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def ocr_page(task: OcrPageTask) -> OcrPageResult:
    """Read one page; every failure is returned, not raised."""
    start = time.monotonic()
    mismatch = engine_mismatch(task)
    if mismatch:
        return OcrPageResult(task.page, (), 0, 0.0, task.attempt, mismatch, mismatch)
    try:
        with hard_time_limit(hard_stop_after(task.timeout_s)):
            words, rotation = read_page(task)
    except Exception as exc:  # any failure of this page must not end the run
        message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        return OcrPageResult(task.page, (), 0, time.monotonic() - start, task.attempt, message)
    return OcrPageResult(task.page, words, rotation, time.monotonic() - start, task.attempt)


def engine_mismatch(task: OcrPageTask) -> str:
    """Why this worker must not read for the coordinator ("" if its engine is the same).

    The OCR cache is keyed by the coordinator's engine version: words read by
    another Tesseract on a Dask worker would be stored under the wrong key and
    mixed with the coordinator's own readings.
    """
    if not task.engine_version:
        return ""
    try:
        here = task.engine.version()
    except Exception as exc:  # no Tesseract at all on this worker
        here = f"unusable ({getattr(exc, 'message', None) or exc})"
    if here == task.engine_version:
        return ""
    return (
        f"the OCR engine on worker {platform.node()} is {here}, the coordinator's is "
        f"{task.engine_version}: install the same version everywhere"
    )


def read_page(task: OcrPageTask) -> tuple[tuple[Word, ...], int]:
    with opened_pdf(task.pdf_path, task.password) as doc:
        rendered = render_page(load_page(doc, task.page), task.dpi, gray=True)
    pixel_words, rotation = read_upright(task, rendered)
    return to_page_words(task.page, rendered, pixel_words), rotation


def read_upright(task: OcrPageTask, rendered: RenderedPage) -> tuple[list[PixelWord], int]:
    """Read the page; if the reading is poor, try it turned as orientation detection says.

    Orientation detection costs about as much as a quarter of a reading, so it
    runs only when the upright reading looks like a sideways page; the better
    of the two readings is kept.
    """
    image = rendered.pixels
    words = task.engine.read_words(image, lang=task.lang, timeout_s=task.timeout_s)
    if not looks_unreadable(words):
        return words, 0
    rotation = task.engine.detect_rotation(image, timeout_s=task.timeout_s)
    if rotation == 0:
        return words, 0
    turned = task.engine.read_words(
        rotate_clockwise(image, rotation), lang=task.lang, timeout_s=task.timeout_s
    )
    if score_reading(turned) <= score_reading(words):
        return words, 0
    height, width = image.shape[:2]
    return [unrotate_word(w, rotation, width, height) for w in turned], rotation


def to_page_words(
    page: int, rendered: RenderedPage, pixel_words: list[PixelWord]
) -> tuple[Word, ...]:
    """Pixel words to page words; Tesseract's (block, paragraph, line) to one line index."""
    line_ids: dict[tuple[int, int, int], int] = {}
    words = []
    for w in pixel_words:
        line = line_ids.setdefault((w.block, w.par, w.line), len(line_ids))
        box = rendered.pixel_box_to_page(w.left, w.top, w.left + w.width, w.top + w.height)
        words.append(Word(page, box.rounded(2), w.text, w.conf, w.block, line, "ocr"))
    return tuple(words)


@contextlib.contextmanager
def hard_time_limit(seconds: float) -> Iterator[None]:
    """Stop a page that overruns even an engine that ignores its own timeout.

    Uses a POSIX interval timer, so it works in a worker process's main thread
    (where pages run); elsewhere (a GUI thread, Windows) only the engine's own
    timeout applies.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or seconds <= 0:
        yield
        return

    def on_alarm(_signum: int, _frame: object) -> None:
        raise OcrPageError(f"page timed out after {seconds:.0f}s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
