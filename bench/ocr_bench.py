"""OCR benchmark: redactview against OCRmyPDF on the same ≥50-page input, in one run.

    .venv/bin/python bench/ocr_bench.py [--pages 50] [--jobs N] [--dpi 200]
                                        [--serial-pages K] [--skip-ocrmypdf]

Builds the input by repeating sample_docs/release_a.pdf, then measures:
  * pages/s, CPU seconds per page and peak memory (PSS summed over the
    process tree, sampled every 0.2 s) of
    `redactview ocr` (fresh case, no cache) and of
    `ocrmypdf --skip-text -O0 --output-type pdf` (same jobs), run from a
    bench-only venv (.bench-venv-ocrmypdf, created here if absent);
  * parallel efficiency: pages/s with --jobs N over N x pages/s with --jobs 1
    (on the first K pages, default all);
  * word accuracy of both against the sample's ground truth: a truth word
    counts when a word with the same text is read with its centre inside the
    truth box (grown by 3 pt).
Prints a table; nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pymupdf

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_docs" / "release_a.pdf"
TRUTH = ROOT / "sample_docs" / "release_a.truth.json"
BENCH_VENV = ROOT / ".bench-venv-ocrmypdf"
PYTHON = ROOT / ".venv" / "bin" / "python"


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_rss_mb: float
    returncode: int
    cpu_seconds: float  # user + system of the whole process tree (reaped children)


def ensure_ocrmypdf() -> Path:
    """The bench venv's ocrmypdf, installed from PyPI the first time."""
    binary = BENCH_VENV / "bin" / "ocrmypdf"
    if not binary.exists():
        print(f"creating {BENCH_VENV} with ocrmypdf …", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
        pip = BENCH_VENV / "bin" / "pip"
        subprocess.run([str(pip), "install", "-q", "ocrmypdf"], check=True)
    return binary


def build_input(target: Path, pages: int) -> int:
    """Repeat the sample release until the file has at least ``pages`` pages."""
    with pymupdf.open(SAMPLE) as sample, pymupdf.open() as out:
        while out.page_count < pages:
            if pages - out.page_count < sample.page_count:
                out.insert_pdf(sample, to_page=pages - out.page_count - 1)
                break
            out.insert_pdf(sample)
        out.save(target)
        return out.page_count


def descendants(root: int) -> list[int]:
    """A process and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def pss_kb(pid: int) -> int:
    """Proportional set size: shared library pages (libmupdf, libtesseract) are
    split between the processes that map them, so a tree's sum is its real use."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_pss_kb(root: int) -> int:
    return sum(pss_kb(pid) for pid in descendants(root))


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(cmd: list[str], stdout: Path) -> Measured:
    peak = 0
    start, cpu_start = time.monotonic(), children_cpu()
    with open(stdout, "w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, text=True)
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, tree_pss_kb(proc.pid))
                time.sleep(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, err = proc.communicate()
        done.set()
        sampler.join()
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        print(f"{cmd[0]} exited {proc.returncode}: {err[-2000:]}", file=sys.stderr)
    return Measured(seconds, peak / 1024, proc.returncode, children_cpu() - cpu_start)


def run_ours(pdf: Path, jobs: int, dpi: int, work: Path, tag: str) -> tuple[Measured, Path]:
    case, out = work / f"{tag}.rvcase", work / f"{tag}.json"
    case.unlink(missing_ok=True)
    cmd = [str(PYTHON), "-m", "redactview", "ocr", str(pdf), "--case", str(case)]
    cmd += ["--jobs", str(jobs), "--dpi", str(dpi), "--quiet", "--format", "json"]
    return measure(cmd, out), out


def run_ocrmypdf(binary: Path, pdf: Path, jobs: int, work: Path) -> tuple[Measured, Path]:
    out = work / "ocrmypdf_out.pdf"
    env_cmd = [str(binary), "--skip-text", "-O0", "--output-type", "pdf", "--jobs", str(jobs)]
    return measure([*env_cmd, str(pdf), str(out)], work / "ocrmypdf.log"), out


def truth_pages() -> dict[int, list[tuple[str, pymupdf.Rect]]]:
    truth = json.loads(TRUTH.read_text())
    return {
        p["page"]: [(w["text"], pymupdf.Rect(w["bbox"])) for w in p["words"]]
        for p in truth["pages"]
    }


def accuracy(
    read: dict[int, list[tuple[str, pymupdf.Rect]]], sample_pages: int
) -> dict[int, float]:
    """Share of truth words read right and in place, per sample page (all copies pooled)."""
    truth = truth_pages()
    hits: dict[int, list[int]] = {p: [0, 0] for p in truth}
    for page, words in read.items():
        source = (page - 1) % sample_pages + 1
        for text, box in truth[source]:
            grown = pymupdf.Rect(box.x0 - 3, box.y0 - 3, box.x1 + 3, box.y1 + 3)
            ok = any(t == text and grown.contains((b.tl + b.br) / 2) for t, b in words)
            hits[source][0] += ok
            hits[source][1] += 1
    return {p: h / n for p, (h, n) in hits.items() if n}


def words_from_json(path: Path) -> dict[int, list[tuple[str, pymupdf.Rect]]]:
    data = json.loads(path.read_text())
    return {
        p["page"]: [(w["text"], pymupdf.Rect(w["bbox"])) for w in p["words"]] for p in data["pages"]
    }


def words_from_pdf(path: Path) -> dict[int, list[tuple[str, pymupdf.Rect]]]:
    with pymupdf.open(path) as doc:
        return {
            page.number + 1: [(w[4], pymupdf.Rect(w[:4])) for w in page.get_text("words")]
            for page in doc
        }


def pooled(per_page: dict[int, float], pages: list[int]) -> float:
    truth = truth_pages()
    pages = [p for p in pages if p in per_page]
    total = sum(len(truth[p]) for p in pages)
    return sum(per_page[p] * len(truth[p]) for p in pages) / total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--dpi", type=int, default=200, help="the sample's scan resolution")
    parser.add_argument("--serial-pages", type=int, default=0, help="pages for the jobs=1 run")
    parser.add_argument("--skip-ocrmypdf", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="ocr-bench-"))
    pdf = work / "input.pdf"
    pages = build_input(pdf, args.pages)
    serial_pdf = work / "serial.pdf"
    serial_pages = build_input(serial_pdf, args.serial_pages or pages)
    sample_pages = pymupdf.open(SAMPLE).page_count
    print(
        f"input: {pages} pages ({SAMPLE.name} x{pages / sample_pages:.1f}), jobs={args.jobs}, "
        f"dpi={args.dpi}, work dir {work}"
    )

    ours, ours_json = run_ours(pdf, args.jobs, args.dpi, work, "ours")
    one, _ = run_ours(serial_pdf, 1, args.dpi, work, "serial")
    many, _ = (
        (ours, None)
        if serial_pages == pages
        else run_ours(serial_pdf, args.jobs, args.dpi, work, "parallel")
    )
    rows = [("redactview", ours, pages, accuracy(words_from_json(ours_json), sample_pages))]
    if not args.skip_ocrmypdf:
        theirs, theirs_pdf = run_ocrmypdf(ensure_ocrmypdf(), pdf, args.jobs, work)
        if theirs.returncode == 0:
            rows.append(
                ("ocrmypdf", theirs, pages, accuracy(words_from_pdf(theirs_pdf), sample_pages))
            )

    truth = json.loads(TRUTH.read_text())
    clean = [p["page"] for p in truth["pages"] if p["kind"] == "scan"]
    print()
    print(
        f"{'tool':<12} {'seconds':>8} {'pages/s':>8} {'CPU s/page':>10} {'peak MB':>8} "
        f"{'acc all':>8} {'acc scan':>9}"
    )
    for name, m, n, acc in rows:
        print(
            f"{name:<12} {m.seconds:>8.1f} {n / m.seconds:>8.3f} {m.cpu_seconds / n:>10.2f} "
            f"{m.peak_rss_mb:>8.0f} {pooled(acc, sorted(acc)):>8.1%} {pooled(acc, clean):>9.1%}"
        )
    pps_one, pps_many = serial_pages / one.seconds, serial_pages / many.seconds
    print()
    print(
        f"parallel efficiency ({serial_pages} pages): jobs=1 {pps_one:.3f} p/s, "
        f"jobs={args.jobs} {pps_many:.3f} p/s -> {pps_many / (args.jobs * pps_one):.0%}"
    )
    print(
        f"  CPU s/page: jobs=1 {one.cpu_seconds / serial_pages:.2f}, jobs={args.jobs} "
        f"{many.cpu_seconds / serial_pages:.2f}; load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores (other work on the machine skews wall times)"
    )
    print()
    print(
        "redactview word accuracy per sample page: "
        + ", ".join(f"{p}:{a:.0%}" for p, a in sorted(rows[0][3].items()))
    )
    if len(rows) > 1:
        print(
            "ocrmypdf   word accuracy per sample page: "
            + ", ".join(f"{p}:{a:.0%}" for p, a in sorted(rows[1][3].items()))
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
