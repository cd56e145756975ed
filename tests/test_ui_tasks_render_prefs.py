"""GUI plumbing without a window: background tasks, the render service, preferences."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
import threading
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QThread
from PySide6.QtGui import QImage

from redactview.core.progress import Progress
from redactview.errors import CancelledError, NotAPdfError
from redactview.ui.preferences import Preferences, load_preferences, save_preferences
from redactview.ui.render_service import ImageCache, RenderKey, RenderService, zoom_step
from redactview.ui.tasks import TaskContext, TaskManager

pytestmark = pytest.mark.gui


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    doc = pymupdf.open()
    for n in range(6):
        page = doc.new_page(width=300, height=400)
        page.draw_rect(pymupdf.Rect(50, 50, 150, 80), color=(0, 0, 0), fill=(0, 0, 0))
        page.insert_text((50, 120), f"page {n + 1}")
    out = tmp_path / "six.pdf"
    doc.save(out)
    return out


# -- tasks -------------------------------------------------------------------------------
def test_task_success_arrives_on_gui_thread(qtbot) -> None:
    tasks = TaskManager()
    seen: dict[str, object] = {}

    def work(ctx: TaskContext) -> int:
        seen["worker"] = threading.get_ident()
        return 42

    def done(value: int) -> None:
        seen["value"] = value
        seen["gui"] = QThread.currentThread() is tasks.thread()

    with qtbot.waitSignal(tasks.finished, timeout=5000):
        tasks.op(work, "answer").success(done).run()
    assert seen["value"] == 42
    assert seen["gui"] is True
    assert seen["worker"] != threading.get_ident()


def test_task_failure_goes_to_callback_or_error_signal(qtbot) -> None:
    tasks = TaskManager()
    caught: list[BaseException] = []

    def boom(ctx: TaskContext) -> None:
        raise NotAPdfError("x.pdf: not a PDF file")

    with qtbot.waitSignal(tasks.finished, timeout=5000):
        tasks.op(boom, "boom").failure(caught.append).run()
    assert isinstance(caught[0], NotAPdfError)
    # Without a failure callback the error is not lost: the window's dialog gets it.
    with qtbot.waitSignal(tasks.error, timeout=5000) as blocker:
        tasks.op(boom, "boom").run()
    assert isinstance(blocker.args[0], NotAPdfError)


def test_task_cancel_stops_between_steps_and_is_silent(qtbot) -> None:
    tasks = TaskManager()
    started = threading.Event()
    steps: list[int] = []
    errors: list[object] = []
    tasks.error.connect(errors.append)

    def slow(ctx: TaskContext) -> None:
        for i in range(1000):
            started.set()
            ctx.cancel.raise_if_cancelled()
            steps.append(i)
            threading.Event().wait(0.005)

    handle = tasks.op(slow, "slow").run()
    assert started.wait(5)
    with qtbot.waitSignal(tasks.finished, timeout=5000):
        handle.cancel()
    assert 0 < len(steps) < 1000
    assert errors == []  # a cancel is not an error
    assert tasks.running == []


def test_task_progress_is_throttled_but_ends_complete(qtbot) -> None:
    tasks = TaskManager()
    reports: list[Progress] = []

    def busy(ctx: TaskContext) -> None:
        for i in range(1, 20001):
            ctx.progress(Progress(i, 20000))

    with qtbot.waitSignal(tasks.finished, timeout=10000):
        tasks.op(busy, "busy").progress(reports.append).run()
    assert reports[-1].done == 20000
    assert len(reports) < 200  # 20,000 steps never flood the event loop


def test_cancelled_error_reaches_failure_callback_for_tidying(qtbot) -> None:
    tasks = TaskManager()
    caught: list[BaseException] = []

    def cancelled(ctx: TaskContext) -> None:
        raise CancelledError()

    with qtbot.waitSignal(tasks.finished, timeout=5000):
        tasks.op(cancelled, "c").failure(caught.append).run()
    assert isinstance(caught[0], CancelledError)


# -- render service ------------------------------------------------------------------------
def test_zoom_steps_are_at_least_as_sharp_and_monotonic() -> None:
    zooms = [0.1 * k for k in range(1, 60)]
    steps = [zoom_step(z) for z in zooms]
    assert steps == sorted(steps)
    for z, s in zip(zooms, steps, strict=True):
        assert RenderKey("x", 1, s).zoom >= z - 1e-9
        assert RenderKey("x", 1, s).zoom < z * 1.2 + 1e-9


def test_render_service_renders_requested_page(qtbot, pdf: Path) -> None:
    service = RenderService()
    try:
        key = RenderKey(str(pdf), 2, zoom_step(1.0))
        with qtbot.waitSignal(service.rendered, timeout=10000) as blocker:
            service.request([key])
        got_key, image = blocker.args
        assert got_key == key
        assert (image.width(), image.height()) == (round(300 * key.zoom), round(400 * key.zoom))
        assert service.cache.get(key) is not None
        # The black box at (50..150, 50..80) pt is black in the image; outside it is white.
        z = key.zoom
        assert QImage.pixelColor(image, int(100 * z), int(65 * z)).lightness() < 30
        assert QImage.pixelColor(image, int(200 * z), int(300 * z)).lightness() > 230
    finally:
        service.stop()


def test_new_request_replaces_unserved_ones(qtbot, pdf: Path) -> None:
    service = RenderService()
    try:
        big = [RenderKey(str(pdf), n, zoom_step(4.0)) for n in range(1, 7)]
        service.request(big)
        wanted = RenderKey(str(pdf), 6, zoom_step(0.5))
        service.request([wanted])
        qtbot.waitUntil(lambda: service.cache.get(wanted) is not None, timeout=20000)
        # At most the one render already running when the second request came is
        # served from the first request; the others were dropped, never rendered.
        rendered_big = [k for k in big if service.cache.get(k) is not None]
        assert len(rendered_big) <= 1
        assert service.pending == 0
    finally:
        service.stop()


def test_render_service_reports_broken_file(qtbot, tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf at all")
    service = RenderService()
    try:
        with qtbot.waitSignal(service.failed, timeout=5000) as blocker:
            service.request([RenderKey(str(bad), 1, 0)])
        assert isinstance(blocker.args[1], NotAPdfError)
    finally:
        service.stop()


def test_image_cache_evicts_oldest_and_finds_standin(qtbot) -> None:
    image = QImage(100, 100, QImage.Format.Format_RGB888)  # 30,000 bytes
    cache = ImageCache(max_bytes=image.sizeInBytes() * 2)
    k1, k2, k3 = (RenderKey("a.pdf", 1, s) for s in (0, 2, 4))
    cache.put(k1, image)
    cache.put(k2, image)
    cache.get(k1)  # k1 is now the most recent
    cache.put(k3, image)
    assert cache.get(k2) is None and cache.get(k1) is not None and len(cache) == 2
    assert cache.best_standin("a.pdf", 1, 3) is cache.get(k3)
    assert cache.best_standin("a.pdf", 1, 8) is not None
    assert cache.best_standin("a.pdf", 2, 0) is None


# -- preferences -----------------------------------------------------------------------------
def test_preferences_round_trip_and_recent_files(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "settings.json"
    prefs = Preferences(tesseract_path="/opt/t", languages="eng+deu", ocr_dpi=400, jobs=3)
    for n in range(15):
        prefs = prefs.with_recent(f"/f{n}.pdf")
    prefs = prefs.with_recent("/f3.pdf")
    save_preferences(prefs, path)
    loaded = load_preferences(path)
    assert loaded == prefs
    assert loaded.recent_files[0] == "/f3.pdf" and len(loaded.recent_files) == 10
    assert loaded.recent_files.count("/f3.pdf") == 1


def test_preferences_keep_the_exemption_tables_and_refuse_unknown_ones(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    save_preferences(Preferences(jurisdictions=("ca_atia",)), path)
    assert load_preferences(path).jurisdictions == ("ca_atia",)
    for wrong in (["narnia"], [], "ca_atia", ["ca_atia", 3]):
        path.write_text(json.dumps({"jurisdictions": wrong}))
        assert load_preferences(path).jurisdictions == ("us_foia", "us_privacy_act")


def test_preferences_survive_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    assert load_preferences(path) == Preferences()
    path.write_text(json.dumps({"ocr_dpi": "high", "jobs": 2, "appearance": "neon"}))
    loaded = load_preferences(path)
    assert loaded.ocr_dpi == 300 and loaded.jobs == 2 and loaded.appearance == "system"
