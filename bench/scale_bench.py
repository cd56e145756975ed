"""Scan throughput of a large synthetic release: serial vs process pool vs local Dask cluster.

Makes a 1,000-page scanned-looking release fast: a handful of pages of
sample_docs/release_a.pdf (scans with burned-in boxes) are rendered once to
greyscale JPEGs and placed as page images again and again (each page its own
image object, as in a real scanned release). Then ``redactview scan --no-ocr
--case ...`` runs on it three ways, side by side:

* serial        ``--jobs 1``
* process pool  ``--jobs N`` (default 2)
* Dask          ``--dask tcp://127.0.0.1:PORT`` on a LocalCluster of N worker
                processes × 1 thread, started by this bench before the timing
                (a cluster is long-lived; its start-up is not the scan's cost)

Each scan runs as a subprocess of this script (``--child``) which calls the CLI
in-process and, when it ends, writes its own ``VmHWM`` from /proc/self/status:
the peak resident memory of the **coordinator alone** (not the pool's workers,
nor the Dask workers). Every mode writes a fresh case; the catalogs are checked
to be equal. The machine's load average is printed, since wall time on a shared
machine depends on it.

    .venv/bin/python bench/scale_bench.py                   # 1,000 pages, no OCR
    .venv/bin/python bench/scale_bench.py --pages 200 --ocr # label OCR on too
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pymupdf

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "sample_docs" / "release_a.pdf"
SOURCE_PAGES = (1, 2, 3, 4, 5, 6)  # scanned pages with boxes, codes beside and inside


def make_release(path: Path, pages: int, dpi: int = 150) -> Path:
    """``pages`` pages, cycling through a few rendered scans of the sample release."""
    with pymupdf.open(SOURCE) as src:
        scans = []
        for number in SOURCE_PAGES:
            page = src[number - 1]
            pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
            scans.append((page.rect, pix.tobytes("jpg", jpg_quality=70)))
    doc = pymupdf.open()
    for n in range(pages):
        rect, jpeg = scans[n % len(scans)]
        page = doc.new_page(width=rect.width, height=rect.height)
        page.insert_image(page.rect, stream=unique_jpeg(jpeg, n))
    doc.save(path)
    doc.close()
    return path


def unique_jpeg(jpeg: bytes, n: int) -> bytes:
    """The same picture with a JPEG comment naming the page.

    PyMuPDF stores identical image streams once, and MuPDF then decodes the
    shared image once for all pages; a real scanned release has one image per
    page, so each copy is made byte-distinct.
    """
    comment = f"page {n}".encode()
    segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    return jpeg[:2] + segment + jpeg[2:]


@dataclass
class Run:
    mode: str
    seconds: float
    coordinator_mb: float
    coordinator_cpu_s: float
    redaction_ids: list[str]
    exit_code: int
    total_cpu_s: float = 0.0  # coordinator + its pool workers (+ Dask workers, measured there)


def run_child(mode: str, argv: list[str], folder: Path) -> Run:
    """One scan as a subprocess; its wall time and the coordinator's own peak memory."""
    stats = folder / f"{mode}.stats.json"
    out = folder / f"{mode}.catalog.json"
    command = [sys.executable, __file__, "--child", str(stats), *argv]
    # The children's CPU time covers the coordinator and the pool workers it
    # waited for; on a shared machine it shows the work done, whatever the wall
    # clock says about the other users.
    before = children_cpu_s()
    start = time.perf_counter()
    with out.open("w") as sink:
        proc = subprocess.run(command, stdout=sink, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    total_cpu = children_cpu_s() - before
    if proc.returncode != 0:
        print(f"  {mode} exited {proc.returncode}: {proc.stderr.strip()[-400:]}", flush=True)
    measured = json.loads(stats.read_text()) if stats.exists() else {"hwm_kb": 0, "cpu_s": 0}
    ids = (
        [
            r["id"]
            for d in json.loads(out.read_text() or '{"documents": []}')["documents"]
            for r in d["redactions"]
        ]
        if out.stat().st_size
        else []
    )
    return Run(
        mode,
        seconds,
        measured["hwm_kb"] / 1024,
        measured["cpu_s"],
        sorted(ids),
        proc.returncode,
        total_cpu,
    )


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def own_cpu_s() -> float:
    """This process's CPU seconds (run on each Dask worker through ``client.run``)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child_main(stats: Path, argv: list[str]) -> int:
    """Inside the measured subprocess: run the CLI, then record this process's peak."""
    from redactview.cli.main import run

    code = run(argv)
    sys.stdout.flush()
    hwm = next(
        int(line.split()[1])
        for line in Path("/proc/self/status").read_text().splitlines()
        if line.startswith("VmHWM:")
    )
    usage = resource.getrusage(resource.RUSAGE_SELF)
    stats.write_text(json.dumps({"hwm_kb": hwm, "cpu_s": usage.ru_utime + usage.ru_stime}))
    return code


def scan_argv(pdf: Path, case: Path, ocr: bool) -> list[str]:
    return ["scan", "--quiet", "--case", str(case), str(pdf)] + ([] if ocr else ["--no-ocr"])


def run_modes(pdf: Path, folder: Path, jobs: int, ocr: bool, modes: list[str]) -> list[Run]:
    runs = []
    for mode in modes:
        base = scan_argv(pdf, folder / f"{mode}.rvcase", ocr)
        if mode == "serial":
            runs.append(run_child(mode, [*base, "--jobs", "1"], folder))
        elif mode == "pool":
            runs.append(run_child(mode, [*base, "--jobs", str(jobs)], folder))
        else:
            runs.append(run_dask(base, folder, jobs))
        print(f"  {mode}: {runs[-1].seconds:.1f} s", file=sys.stderr, flush=True)
    return runs


def run_dask(base: list[str], folder: Path, workers: int) -> Run:
    import distributed

    with (
        distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster, set_as_default=False) as client,
    ):
        # Dask's workers are not children the scan waits for: ask them for their CPU.
        before = sum(client.run(own_cpu_s).values())
        run = run_child("dask", [*base, "--dask", cluster.scheduler_address], folder)
        run.total_cpu_s += sum(client.run(own_cpu_s).values()) - before
        return run


def print_table(runs: list[Run], pages: int) -> None:
    serial = next((r for r in runs if r.mode == "serial"), None)
    print(
        f"{'mode':<8} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'speedup':>8} "
        f"{'coord MB':>9} {'coord CPU s':>12} {'total CPU s':>12} {'redactions':>11}  exit"
    )
    for r in runs:
        speedup = f"{serial.seconds / r.seconds:.2f}x" if serial else "-"
        print(
            f"{r.mode:<8} {pages:>6} {r.seconds:>8.1f} {pages / r.seconds:>8.2f} {speedup:>8} "
            f"{r.coordinator_mb:>9.0f} {r.coordinator_cpu_s:>12.1f} {r.total_cpu_s:>12.1f} "
            f"{len(r.redaction_ids):>11}  {r.exit_code}"
        )
    same = len({tuple(r.redaction_ids) for r in runs}) == 1
    print(f"catalogs equal across modes: {'yes' if same else 'NO'}")
    if not same:
        # Which ids one mode has and another lacks, so the pages can be looked at.
        first = set(runs[0].redaction_ids)
        for r in runs[1:]:
            only = sorted(first ^ set(r.redaction_ids))
            print(f"  {runs[0].mode} vs {r.mode}: {len(only)} ids differ, e.g. {only[:5]}")


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        return child_main(Path(sys.argv[2]), sys.argv[3:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2, help="pool processes and Dask workers")
    parser.add_argument("--ocr", action="store_true", help="read labels with Tesseract")
    parser.add_argument("--modes", default="serial,pool,dask")
    args = parser.parse_args()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    with tempfile.TemporaryDirectory(prefix="rv-scalebench-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        pdf = make_release(folder / f"release-{args.pages}.pdf", args.pages)
        made = time.perf_counter() - start
        size = pdf.stat().st_size / 1e6
        print(f"release: {args.pages} pages, {size:.0f} MB, made in {made:.1f} s", flush=True)
        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        runs = run_modes(pdf, folder, args.jobs, args.ocr, args.modes.split(","))
        print(f"load average after: {os.getloadavg()[0]:.1f}")
        print_table(runs, args.pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
