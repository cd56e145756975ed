"""Time every export format on the sample releases (A + B, 207 redactions).

Usage: .venv/bin/python bench/export_bench.py [--repeat N]

Builds a throw-away case from the samples' ground truth (the same case the
export tests use), then writes each format N times and prints a table of
the best wall time, CPU time and output size. Nothing outside a temp folder
is written.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_export_support import build_sample_case  # noqa: E402

from redactview.export.service import ExportFormat, export_case  # noqa: E402
from redactview.store.case import Case  # noqa: E402


def time_format(
    case_path: Path, fmt: ExportFormat, out: Path, repeat: int
) -> tuple[float, float, int]:
    best_wall = best_cpu = float("inf")
    items = 0
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        with Case.open(case_path, readonly=True) as case:
            items = export_case(
                case, fmt, out, release="release_a" if fmt.per_release else None
            ).items
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best_wall, best_cpu, items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        case_path, _ = build_sample_case(Path(tmp), ROOT / "sample_docs")
        print(f"{'format':<14} {'items':>5} {'wall s':>8} {'cpu s':>8} {'size KB':>9}")
        for fmt in ExportFormat:
            out = Path(tmp) / f"out{fmt.suffix}"
            wall, cpu, items = time_format(case_path, fmt, out, args.repeat)
            size = out.stat().st_size / 1024
            print(f"{fmt.value:<14} {items:>5} {wall:>8.2f} {cpu:>8.2f} {size:>9.0f}")


if __name__ == "__main__":
    main()
