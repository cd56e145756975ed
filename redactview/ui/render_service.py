"""Background page rendering with a cache (the qpageview pattern).

One thread feeds one child process that owns its own PyMuPDF documents
(PyMuPDF is not thread-safe, and it holds the GIL while rendering, which in a
thread of ours stalled the GUI by a page render each time; a process also keeps
a crash inside MuPDF away from the window). The view asks for the pages it shows; each ask
replaces the queue, so the newest request is served first and pages that
scrolled away are never rendered. Finished images go into an LRU cache keyed
by (file, page, zoom step); a page whose sharp image is not ready yet is
drawn from any cached image of it, scaled (a blurred stand-in).
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import math
import multiprocessing
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtGui import QImage

from redactview.errors import CorruptPdfError, RedactviewError
from redactview.pdf.pages import RgbImage
from redactview.ui.render_proc import render_upright, render_view_page, warm_up

_CALL_TIMEOUT_S = 60.0

# Zoom is quantised to steps of 2^(1/4) so a smooth Ctrl+wheel does not ask
# for a new render at every tick; a step is at most ~19% blurrier than ideal.
_STEPS_PER_DOUBLING = 4
_MAX_ZOOM = 8.0
_CACHE_BYTES = 384 * 1024 * 1024
# One view image at most this many pixels (~96 MB as RGB): a 200-inch page at
# 800% would be gigapixels; beyond the cap the capped image is drawn scaled up.
VIEW_MAX_PIXELS = 32_000_000


@dataclass(frozen=True, slots=True)
class RenderKey:
    path: str
    page: int  # 1-based
    step: int  # quantised zoom, see zoom_step()

    @property
    def zoom(self) -> float:
        return float(2.0 ** (self.step / _STEPS_PER_DOUBLING))


def zoom_step(zoom: float) -> int:
    """The smallest zoom step at least as sharp as ``zoom`` (pixels per point)."""
    zoom = min(max(zoom, 0.05), _MAX_ZOOM)
    return math.ceil(math.log2(zoom) * _STEPS_PER_DOUBLING - 1e-9)


def capped_step(zoom: float, width_pt: float, height_pt: float) -> int:
    """``zoom_step(zoom)``, lowered so a page of this size renders to at most
    ``VIEW_MAX_PIXELS`` (rounded down to a step, so the cap is never exceeded).

    The render service's 384 MB cache holds a dozen such images; without the
    cap one page at 800% could reach the renderer's 120 MP refusal limit.
    """
    area = max(width_pt * height_pt, 1.0)
    widest = math.sqrt(VIEW_MAX_PIXELS / area)
    return min(zoom_step(zoom), math.floor(math.log2(widest) * _STEPS_PER_DOUBLING - 1e-9))


def capped_dpi(dpi: float, width_pt: float, height_pt: float) -> float:
    """``dpi``, lowered so a page of this size renders to at most ``VIEW_MAX_PIXELS``.

    For renders not on the zoom-step ladder (the compare view's fixed DPI): a
    200-inch drawing at 60 dpi is 144 MP, past the renderer's 120 MP refusal,
    so without the cap the compare view could not show it at all. The image
    is then smaller than asked; its users scale boxes by the image's width.
    """
    area = max(width_pt * height_pt, 1.0)
    widest = math.sqrt(VIEW_MAX_PIXELS / area) * 72.0 * 0.999  # MuPDF rounds sizes up
    return min(dpi, widest)


class ImageCache:
    """LRU of rendered pages, bounded by bytes. GUI thread only."""

    def __init__(self, max_bytes: int = _CACHE_BYTES) -> None:
        self._images: OrderedDict[RenderKey, QImage] = OrderedDict()
        self._bytes = 0
        self.max_bytes = max_bytes

    def get(self, key: RenderKey) -> QImage | None:
        image = self._images.get(key)
        if image is not None:
            self._images.move_to_end(key)
        return image

    def put(self, key: RenderKey, image: QImage) -> None:
        old = self._images.pop(key, None)
        if old is not None:
            self._bytes -= old.sizeInBytes()
        self._images[key] = image
        self._bytes += image.sizeInBytes()
        while self._bytes > self.max_bytes and len(self._images) > 1:
            _, dropped = self._images.popitem(last=False)
            self._bytes -= dropped.sizeInBytes()

    def best_standin(self, path: str, page: int, step: int) -> QImage | None:
        """The sharpest cached image of this page (any zoom), to scale meanwhile."""
        found = [
            (k.step, img) for k, img in self._images.items() if k.path == path and k.page == page
        ]
        if not found:
            return None
        # Prefer the closest step at or above the wanted one, else the largest below.
        above = [f for f in found if f[0] >= step]
        return min(above, key=lambda f: f[0])[1] if above else max(found, key=lambda f: f[0])[1]

    def __len__(self) -> int:
        return len(self._images)


class _RenderProcess:
    """The one render process of this app, shared by every window's render service.

    Starting a Python process costs a second or more, so it is started once
    (warmed up at the first window) and kept; ``atexit`` ends it.
    """

    _lock = threading.Lock()
    _pool: cf.ProcessPoolExecutor | None = None

    @classmethod
    def pool(cls) -> cf.ProcessPoolExecutor:
        with cls._lock:
            if cls._pool is None:
                context = multiprocessing.get_context("spawn")
                cls._pool = cf.ProcessPoolExecutor(1, mp_context=context)
                cls._pool.submit(warm_up)
                atexit.register(cls._pool.shutdown, wait=False, cancel_futures=True)
            return cls._pool

    @classmethod
    def restart(cls, broken: cf.ProcessPoolExecutor) -> None:
        with cls._lock:
            if cls._pool is broken:
                broken.shutdown(wait=False, cancel_futures=True)
                cls._pool = None


class _Worker(QThread):
    def __init__(self, service: RenderService) -> None:
        super().__init__()
        self._service = service
        _RenderProcess.pool()  # start it now, not on the first page

    def _render(self, key: RenderKey) -> RgbImage:
        pool = _RenderProcess.pool()
        try:
            password = self._service.password_for(key.path)
            return pool.submit(render_view_page, key.path, key.page, key.zoom, password).result()
        except BrokenProcessPool as exc:
            # MuPDF crashed on this page: the next render starts a fresh process.
            _RenderProcess.restart(pool)
            raise CorruptPdfError(f"page {key.page}: the renderer crashed on this page") from exc

    def run(self) -> None:
        while True:
            key = self._service._next_request()
            if key is None:
                break
            result = self._render_one(key)
            with self._service._cond:
                # The window may have closed while this page rendered (stop() does
                # not wait for a slow render forever): then nobody is listening.
                if self._service._stopping:
                    break
                if isinstance(result, QImage):
                    self._service.rendered.emit(key, result)
                else:
                    self._service.failed.emit(key, result)

    def _render_one(self, key: RenderKey) -> QImage | RedactviewError:
        try:
            rgb = self._render(key)
        except RedactviewError as exc:
            return exc
        except Exception as exc:  # anything else from MuPDF: report it, keep serving
            return CorruptPdfError(f"page {key.page}: cannot render", details=repr(exc))
        image = QImage(rgb.data, rgb.width, rgb.height, rgb.stride, QImage.Format.Format_RGB888)
        return image.copy()  # copy: own the bytes


class RenderService(QObject):
    rendered = Signal(object, QImage)  # RenderKey, image (queued to the GUI thread)
    failed = Signal(object, object)  # RenderKey, RedactviewError

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache = ImageCache()
        self._cond = threading.Condition()
        # One queue per client, served in this order: the page view first, then
        # thumbnails, so thumbnails never delay the page the user looks at.
        self._queues: dict[str, list[RenderKey]] = {"view": [], "thumbs": []}
        self._in_flight: set[RenderKey] = set()
        # Why each failed render failed: not retried on every repaint, and the
        # page itself shows the reason instead of staying blank.
        self._failed: dict[RenderKey, str] = {}
        self._stopping = False
        # Passwords of encrypted PDFs for this session only (never saved).
        self._passwords: dict[str, str] = {}
        self.rendered.connect(self._on_rendered)
        self.failed.connect(self._on_failed)
        self._worker = _Worker(self)
        self._worker.start()

    def request(self, keys: list[RenderKey], client: str = "view") -> None:
        """Render these, most wanted first; forget the client's older, unserved asks."""
        wanted = [
            k
            for k in keys
            if self.cache.get(k) is None and k not in self._failed and k not in self._in_flight
        ]
        with self._cond:
            self._queues[client] = list(dict.fromkeys(wanted))
            self._cond.notify()

    def _next_request(self) -> RenderKey | None:
        with self._cond:
            while not any(self._queues.values()) and not self._stopping:
                self._cond.wait()
            if self._stopping:
                return None
            queue = next(q for q in self._queues.values() if q)
            key = queue.pop(0)
            self._in_flight.add(key)
            return key

    def _on_rendered(self, key: RenderKey, image: QImage) -> None:
        self._in_flight.discard(key)
        self.cache.put(key, image)

    def _on_failed(self, key: RenderKey, exc: object) -> None:
        self._in_flight.discard(key)
        self._failed[key] = str(exc)  # do not retry a broken page on every repaint

    def failure(self, path: str, number: int) -> str | None:
        """Why page ``number`` of ``path`` could not be rendered, if it could not."""
        return next(
            (why for k, why in self._failed.items() if k.path == path and k.page == number),
            None,
        )

    # -- passwords and one-off calls in the render process ---------------------------------
    def set_password(self, path: str, password: str | None) -> None:
        with self._cond:
            if password is None:
                self._passwords.pop(path, None)
            else:
                self._passwords[path] = password
            # Pages that failed for want of the password may render now.
            self._failed = {k: why for k, why in self._failed.items() if k.path != path}

    def password_for(self, path: str) -> str | None:
        with self._cond:
            return self._passwords.get(path)

    def render_upright(self, path: str, number: int, dpi: float) -> QImage:
        """A page in unrotated page space at ``dpi`` (blocks for one render)."""
        rgb = self._call(render_upright, path, number, dpi, self.password_for(path))
        assert isinstance(rgb, RgbImage)
        image = QImage(rgb.data, rgb.width, rgb.height, rgb.stride, QImage.Format.Format_RGB888)
        return image.copy()

    def _call(self, fn: Callable[..., object], *args: object) -> object:
        pool = _RenderProcess.pool()
        try:
            return pool.submit(fn, *args).result(_CALL_TIMEOUT_S)
        except BrokenProcessPool as exc:
            _RenderProcess.restart(pool)
            raise CorruptPdfError(f"{args[0]}: the renderer crashed on this file") from exc

    @property
    def pending(self) -> int:
        with self._cond:
            return sum(len(q) for q in self._queues.values())

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify()
        self._worker.wait(5000)
