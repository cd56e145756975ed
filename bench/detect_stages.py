"""Raster detection stage by stage, in CPU time, against the bare render.

    .venv/bin/python bench/detect_stages.py [--against REV] [--repeats N] [FILE.pdf ...]

For every page of each file (default: sample_docs/release_a.pdf and
release_b.pdf), ``--repeats`` times: the skew estimate, the filled-box step
(``find_dark_boxes``: skew estimate, straightening, boxes), the bordered-box
step, the vector step and the bare render of the page at the same DPI, each
timed with ``time.process_time`` with one OpenCV thread, as batch workers run.
With ``--against REV`` the detectors (``redactview/analysis/detect_*.py``) of
git revision REV are loaded beside the current ones and timed on the same
pages in the same run, alternating, so a busy machine slows both alike.
Prints medians over pages x repeats; the total is sum(detection) / sum(render).
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import numpy as np
import pymupdf

from redactview.analysis import detect_bordered, detect_raster
from redactview.analysis.pipeline import (
    PageTask,
    find_vector_boxes,
    render_and_read,
    use_one_thread,
)
from redactview.pdf.document import load_page, opened_pdf

ROOT = Path(__file__).resolve().parent.parent
DPI = 150.0
STAGES = ("skew estimate", "filled boxes (incl. skew)", "bordered boxes")


def load_revision(rev: str, into: Path) -> tuple[ModuleType, ModuleType]:
    """The detect_raster and detect_bordered modules of ``rev``, importable beside
    today's (their imports of each other point at the copies)."""
    package = into / "rv_then"
    package.mkdir()
    (package / "__init__.py").write_text("")
    listing = git("ls-tree", "--name-only", rev, "redactview/analysis/").split()
    for path in (p for p in listing if Path(p).name.startswith("detect_")):
        text = git("show", f"{rev}:{path}")
        (package / Path(path).name).write_text(
            text.replace("redactview.analysis.detect_", "rv_then.detect_")
        )
    sys.path.insert(0, str(into))
    raster = importlib.import_module("rv_then.detect_raster")
    return raster, importlib.import_module("rv_then.detect_bordered")


def git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def time_file(
    path: Path, versions: dict[str, tuple[ModuleType, ModuleType]], repeats: int
) -> dict[str, list[float]]:
    """CPU seconds per page for each (stage, version), the vector step and the render."""
    times: dict[str, list[float]] = {}

    def timed(key: str, call: Callable[..., object], *args: object, **kwargs: object) -> None:
        start = time.process_time()
        call(*args, **kwargs)
        times.setdefault(key, []).append(time.process_time() - start)

    with opened_pdf(str(path), None) as doc:
        for _ in range(repeats):
            for n in range(1, doc.page_count + 1):
                task = PageTask(str(path), n, "0" * 64, DPI, ocr=False)
                state = render_and_read(task, load_page(doc, n))
                gray = state.render.pixels
                timed("render", doc[n - 1].get_pixmap, dpi=int(DPI), colorspace=pymupdf.csGRAY)
                timed("vector", find_vector_boxes, state)
                for name, (raster, bordered) in versions.items():
                    timed(f"{STAGES[0]}|{name}", raster.estimate_skew, gray, DPI)
                    timed(f"{STAGES[1]}|{name}", raster.find_dark_boxes, gray, DPI)
                    timed(f"{STAGES[2]}|{name}", bordered.find_bordered_boxes, gray, DPI)
    return times


def print_table(path: Path, times: dict[str, list[float]], names: list[str], repeats: int) -> None:
    render = np.array(times["render"])
    pages = render.size // repeats
    print(f"\n{path.name}: {pages} pages x {repeats}, CPU ms/page, median (x bare render median)")
    print(f"{'stage':<28}" + "".join(f"{n:>20}" for n in names))

    def cell(values: list[float]) -> str:
        ms = float(np.median(values)) * 1000
        return f"{ms:8.2f} ({ms / (float(np.median(render)) * 1000):.2f}x)".rjust(20)

    for stage in STAGES:
        print(f"{stage:<28}" + "".join(cell(times[f"{stage}|{n}"]) for n in names))
    print(f"{'vector':<28}" + cell(times["vector"]) * len(names))
    print(f"{'bare render':<28}" + cell(times["render"]) * len(names))
    totals = []
    for n in names:
        detection = (
            np.array(times[f"{STAGES[1]}|{n}"])
            + np.array(times[f"{STAGES[2]}|{n}"])
            + np.array(times["vector"])
        )
        totals.append(f"{detection.sum() / render.sum():.2f}x ({detection.mean() * 1000:.1f} ms)")
    print(f"{'detection / render (sum)':<28}" + "".join(t.rjust(20) for t in totals))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--against", help="git revision whose detectors to time beside")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    files = args.files or [ROOT / "sample_docs" / f"{n}.pdf" for n in ("release_a", "release_b")]
    use_one_thread()
    with tempfile.TemporaryDirectory() as tmp:
        versions = {}
        if args.against:
            versions[f"at {args.against[:10]}"] = load_revision(args.against, Path(tmp))
        versions["now"] = (detect_raster, detect_bordered)
        for path in files:
            times = time_file(path, versions, args.repeats)
            print_table(path, times, list(versions), args.repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
