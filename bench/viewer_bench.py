"""Viewer responsiveness on a large file: ``bench/viewer_bench.py [--pages N] [--before DIR]``.

Builds an N-page scanned PDF (default 500: one noisy 150-dpi greyscale
image per page; above 2,000 pages, text pages with a black box instead, as
10,000 scans would be ~2 GB), then measures, offscreen:
  - from File → Open to page 1 drawn sharp (page 1 is shown before the other
    pages are read), and to the case being ready (hash + every page inspected,
    in the background), with the GUI thread's worst stall meanwhile,
  - render time per page at the fit-width zoom,
  - the GUI thread's longest stall while scrolling through the file (a 5 ms
    timer's worst lateness; one step per page, at most 500 steps spread over
    the file), and how many pages were really rendered.
Prints a table. Speed is measured here, never in the tests.

``--before DIR``: DIR is a checkout of an earlier commit (``git worktree add
/tmp/before <commit>``); the same measurements are run on it first, in a
child process importing redactview from DIR, on the same PDF, and both are
printed side by side.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pymupdf
from PIL import Image
from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

from redactview.ui.app import create_window, make_application
from redactview.ui.main_window import MainWindow


def make_scan(path: Path, pages: int) -> None:
    rng = np.random.default_rng(1)
    doc = pymupdf.open()
    for n in range(pages):
        img = (235 + rng.integers(0, 20, (1650, 1275), dtype=np.uint8)).astype(np.uint8)
        for line in range(30):
            y = 150 + line * 45
            img[y : y + 14, 150 : 150 + int(rng.integers(600, 1000))] = 40  # "text"
        img[600:640, 300:700] = 0  # a redaction
        with io.BytesIO() as buf:
            Image.fromarray(img).save(buf, format="JPEG", quality=60)
            jpeg = buf.getvalue()
        page = doc.new_page(width=612, height=792)
        page.insert_image(page.rect, stream=jpeg)
        page.insert_text((500, 770), f"BENCH-{n + 1:06d}", fontsize=8)
    doc.save(path, garbage=3, deflate=True)


def make_light(path: Path, pages: int) -> None:
    """Born-digital pages (a few lines and a black box): a 10,000-page file in seconds."""
    doc = pymupdf.open()
    for n in range(pages):
        page = doc.new_page(width=612, height=792)
        page.insert_text((72, 100), f"Memo page {n + 1}: the witness named", fontsize=11)
        page.draw_rect(pymupdf.Rect(260, 90, 360, 103), color=(0, 0, 0), fill=(0, 0, 0))
        page.insert_text((500, 770), f"BENCH-{n + 1:06d}", fontsize=8)
    doc.save(path, garbage=3, deflate=True)


LIGHT_ABOVE = 2000  # pages: bigger files are built with make_light


def wait_for(cond, timeout_s: float = 600.0) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    loop = QEventLoop()
    timer = QTimer(interval=5)
    timer.timeout.connect(lambda: loop.quit() if cond() else None)
    timer.start()
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    timer.stop()
    return time.perf_counter() - start


def first_page_sharp(w: MainWindow) -> bool:
    page = w.page_view.pages[0] if w.page_view.pages else None
    if page is None:
        return False
    key = page.wanted_key(w.page_view.zoom * w.page_view.devicePixelRatioF())
    return w.renderer.cache.get(key) is not None


def scroll_through(w: MainWindow) -> tuple[float, float]:
    """Scroll page by page through the whole release; worst timer lateness (ms), seconds."""
    worst = 0.0
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    def tick() -> None:
        nonlocal worst
        now = clock.elapsed()
        worst = max(worst, now - last[0] - 5)
        last[0] = now

    probe = QTimer(interval=5)
    probe.timeout.connect(tick)
    probe.start()
    start = time.perf_counter()
    bar = w.page_view.verticalScrollBar()
    step = max(1, (bar.maximum() - bar.minimum()) // min(len(w.page_view.pages), 500))
    for value in range(bar.minimum(), bar.maximum() + 1, step):
        bar.setValue(value)
        wait_for(lambda: True, 0.02)  # ~20 ms per page: a fast flick through the file
    probe.stop()
    return worst, time.perf_counter() - start


def main(argv: list[str]) -> int:
    args = list(argv)
    before = _take_option(args, "--before")
    pdf_arg = _take_option(args, "--pdf")  # reuse a PDF built by the parent run
    pages_arg = _take_option(args, "--pages")
    as_json = "--json" in args
    args = [a for a in args if a != "--json"]
    pages = int(pages_arg or (args[0] if args else 500))
    scratch = Path(tempfile.mkdtemp(prefix="rv-bench-"))
    os.environ["REDACTVIEW_DATA_DIR"] = str(scratch / "data")
    os.environ["REDACTVIEW_CONFIG_DIR"] = str(scratch / "config")
    pdf = Path(pdf_arg) if pdf_arg else scratch / "big_scan.pdf"
    t = time.perf_counter()
    if not pdf_arg:
        (make_light if pages > LIGHT_ABOVE else make_scan)(pdf, pages)
    built = time.perf_counter() - t
    old_rows = run_before(Path(before), pdf, pages) if before else None
    make_application([])
    rows: list[tuple[str, str]] = [
        ("pages", str(pages)),
        ("file size", f"{pdf.stat().st_size / 1e6:.1f} MB (built in {built:.1f} s)"),
    ]
    for attempt in ("first open (new case)", "second open (case exists)"):
        measure_open(pdf, attempt, rows)
    if as_json:
        print(json.dumps(rows), flush=True)
    else:
        print_table(rows, old_rows)
    return 0


def _take_option(args: list[str], name: str) -> str | None:
    if name not in args:
        return None
    i = args.index(name)
    value = args[i + 1]
    del args[i : i + 2]
    return value


def run_before(checkout: Path, pdf: Path, pages: int) -> dict[str, str]:
    """The same bench on an earlier checkout (its redactview first on the path)."""
    env = dict(os.environ, PYTHONPATH=str(checkout))
    cmd = [sys.executable, __file__, "--pages", str(pages), "--pdf", str(pdf), "--json"]
    # Its table is printed before Qt tears down; a crash at exit (a render
    # thread still running when the interpreter ends) does not lose it.
    run = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, text=True, check=False)
    lines = run.stdout.strip().splitlines()
    if not lines or not lines[-1].startswith("[["):
        raise SystemExit(f"the run on {checkout} failed (exit {run.returncode})")
    return dict(json.loads(lines[-1]))


def print_table(rows: list[tuple[str, str]], before: dict[str, str] | None) -> None:
    width = max(len(k) for k, _ in rows)
    if before is not None:
        print(f"{'':<{width}}  {'before':>24}  now")
    for key, value in rows:
        old = f"{before.get(key, '-'):>24}  " if before is not None else ""
        print(f"{key:<{width}}  {old}{value}")


class StallProbe:
    """A 5 ms timer on the GUI thread; its worst lateness is the longest freeze."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._clock = QElapsedTimer()
        self._clock.start()
        self._last = self._clock.elapsed()
        self._timer = QTimer(interval=5)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = self._clock.elapsed()
        self.worst = max(self.worst, now - self._last - 5)
        self._last = now

    def stop(self) -> float:
        self._timer.stop()
        return self.worst


def measure_open(pdf: Path, attempt: str, rows: list[tuple[str, str]]) -> None:
    w = create_window()
    w.resize(1400, 900)
    w.show()
    wait_for(lambda: False, 2.0)  # the render process starts with the first window
    opened: list[float] = []
    sharp: list[float] = []
    w.case_opened.connect(lambda _s: opened.append(time.perf_counter()))
    probe = StallProbe()
    t0 = time.perf_counter()
    w.open_path(pdf)

    def both() -> bool:
        if not sharp and first_page_sharp(w):
            sharp.append(time.perf_counter())
        return bool(sharp and opened)

    wait_for(both)
    stall = probe.stop()
    rows.append((f"{attempt}: page 1 sharp after Open", f"{sharp[0] - t0:.2f} s"))
    rows.append((f"{attempt}: case ready (all pages read)", f"{opened[0] - t0:.2f} s"))
    rows.append((f"{attempt}: worst GUI stall meanwhile", f"{stall:.0f} ms"))
    if attempt.startswith("second"):
        before = len(w.renderer.cache)
        worst, seconds = scroll_through(w)
        rows.append(("scroll through all pages", f"{seconds:.1f} s"))
        rows.append(("worst GUI stall while scrolling", f"{worst:.0f} ms"))
        rows.append(("pages rendered sharp meanwhile", str(len(w.renderer.cache) - before)))
        t1 = time.perf_counter()
        from redactview.pdf.pages import PageRenderer

        renderer = PageRenderer(pdf)
        zoom = w.page_view.zoom
        for n in range(1, 21):
            renderer.render_rgb(n, zoom)
        renderer.close()
        rows.append(
            (
                f"render one page at {zoom * 100:.0f}%",
                f"{(time.perf_counter() - t1) / 20 * 1000:.0f} ms",
            )
        )
    w.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
