"""Peak memory of ``redactview info`` and ``redactview scan --jobs 2`` as releases grow.

Makes synthetic scanned releases (every page a 150 dpi JPEG "scan" with typed
lines and black boxes; four different scans, which PyMuPDF stores once each,
so the file stays small while every page still decodes a full scan), runs the
CLI on each as a subprocess and prints a table of peak resident memory: the
coordinating process (its VmHWM, polled from /proc), the largest single
process of the command's tree (RUSAGE_CHILDREN of a fresh wrapper: workers and
the Tesseract they start included) and the whole tree at its largest (sum of
PSS, so shared library pages count once, sampled every 0.1 s). Goal: under
600 MB and flat as pages grow.

    .venv/bin/python bench/memory_bench.py              # 250, 500, 1000 pages, no OCR
    .venv/bin/python bench/memory_bench.py 100 --ocr    # label OCR on too
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pymupdf
from PIL import Image, ImageDraw, ImageFont

PYTHON = sys.executable
_POLL_S = 0.1


def make_scan_jpeg(seed: int) -> bytes:
    """A 150 dpi letter page: lines of typed text, three redaction boxes, JPEG noise."""
    image = Image.new("L", (1275, 1650), 245)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=22)
    for line in range(40):
        y = 120 + line * 36
        draw.text(
            (110, y),
            f"Line {line + seed} of the memo about the vendor meeting, ref {seed}",
            20,
            font,
        )
        if line % 13 == seed % 5:
            draw.rectangle((330, y - 2, 330 + 160 + 40 * seed, y + 26), fill=0)
            draw.text((340 + 160 + 40 * seed, y), "(b)(6)", 20, font)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=60)
    return buffer.getvalue()


def make_release(path: Path, pages: int) -> Path:
    scans = [make_scan_jpeg(seed) for seed in range(4)]
    doc = pymupdf.open()
    for number in range(pages):
        page = doc.new_page(width=612, height=792)
        page.insert_image(page.rect, stream=scans[number % len(scans)])
    doc.save(path)
    doc.close()
    return path


def read_status(pid: int, field: str, name: str = "status") -> int:
    """A /proc/<pid>/<name> field in kB (0 once the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        found += [int(c) for c in children]
        todo += [int(c) for c in children]
    return found


@dataclass
class Peak:
    seconds: float
    coordinator_mb: float
    largest_child_mb: float
    tree_mb: float
    exit_code: int


# Runs one command and reports the largest RSS among its whole process tree:
# a fresh wrapper per command, so an earlier, bigger run cannot mask this one.
WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(f'@@maxrss {peak}', file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def measure(argv: list[str]) -> Peak:
    """Run one command under the wrapper; poll the command's tree while it runs."""
    start = time.perf_counter()
    proc = subprocess.Popen([PYTHON, "-c", WRAPPER, *argv], stderr=subprocess.PIPE)
    hwm = tree = 0
    while proc.poll() is None:
        command = descendants(proc.pid)[:1]  # the CLI process, once started
        if command:
            hwm = max(hwm, read_status(command[0], "VmHWM"))
            pids = [command[0], *descendants(command[0])]
            tree = max(tree, sum(read_status(p, "Pss", "smaps_rollup") for p in pids))
        time.sleep(_POLL_S)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    largest = int(err.rsplit("@@maxrss ", 1)[1].split()[0]) if "@@maxrss " in err else 0
    if proc.returncode != 0:
        print(f"  {' '.join(argv[2:4])} exited {proc.returncode}: {err.strip()[:300]}")
    return Peak(seconds, hwm / 1024, largest / 1024, tree / 1024, proc.returncode)


def run_bench(sizes: list[int], ocr: bool, jobs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="rv-membench-") as folder:
        print(
            f"{'pages':>6} {'command':<8} {'seconds':>8} {'coord MB':>9} "
            f"{'max proc MB':>12} {'tree PSS MB':>12}  exit"
        )
        for pages in sizes:
            pdf = make_release(Path(folder) / f"release-{pages}.pdf", pages)
            case = Path(folder) / f"case-{pages}.rvcase"
            scan = [
                PYTHON,
                "-m",
                "redactview",
                "scan",
                "--jobs",
                str(jobs),
                "--quiet",
                "--case",
                str(case),
                str(pdf),
            ] + ([] if ocr else ["--no-ocr"])
            for name, argv in (
                ("info", [PYTHON, "-m", "redactview", "info", str(pdf)]),
                ("scan", scan),
            ):
                peak = measure(argv)
                print(
                    f"{pages:>6} {name:<8} {peak.seconds:>8.1f} {peak.coordinator_mb:>9.0f} "
                    f"{peak.largest_child_mb:>12.0f} {peak.tree_mb:>12.0f}  {peak.exit_code}",
                    flush=True,
                )
            print(f"{'':>6} (file {pdf.stat().st_size / 1e6:.0f} MB)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[250, 500, 1000])
    parser.add_argument("--ocr", action="store_true", help="read labels with Tesseract")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    run_bench(args.sizes, args.ocr, args.jobs)


if __name__ == "__main__":
    main()
