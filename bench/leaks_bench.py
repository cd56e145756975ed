"""Leak check side by side with Free Law Project's x-ray: found, missed, false alarms, time.

    .venv/bin/python bench/leaks_bench.py [--no-ocr] [--keep DIR]

x-ray pins an older PyMuPDF, so it runs in its own venv (.bench-venv-xray, made
here on first use with ``pip install x-ray``) in a subprocess. The files:
- x-ray's kinds of bad redaction and our further mechanisms, each a tiny PDF
  from tests/leaks_cases.py (LEAKY, DOCUMENT_LEAKY), expected leak = the secret;
- clean files (CLEAN: applied redactions, black table headers, dark images,
  white boxes with codes, ...), where every finding is a false positive;
- sample_docs/*.pdf, expected leaks = truth redactions with a "leak" field.
A finding counts when its confidence is >= 0.5 (the CLI's default) and it
matches an expected leak by text (the secret) or by box (IoU > 0.3).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import venv
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from leaks_cases import CLEAN, DOCUMENT_LEAKY, LEAKY, SECRET  # noqa: E402

from redactview.analysis.leaks import check_document  # noqa: E402
from redactview.core.geometry import Box  # noqa: E402

XRAY_VENV = ROOT / ".bench-venv-xray"
THRESHOLD = 0.5
XRAY_RUNNER = """
import asyncio, json, sys, time
import xray
out = {}
for path in sys.argv[1:]:
    start = time.perf_counter()
    result = xray.inspect(path)
    if asyncio.iscoroutine(result):
        result = asyncio.run(result)
    out[path] = {"seconds": time.perf_counter() - start,
                 "findings": [{"page": int(p), "bbox": list(r["bbox"]), "text": r["text"]}
                              for p, rs in result.items() for r in rs]}
print(json.dumps(out))
"""


@dataclass(frozen=True)
class Expected:
    page: int | None  # None: anywhere (document-level leaks)
    box: Box | None
    text: str


@dataclass(frozen=True)
class Hit:
    page: int
    box: Box | None
    text: str


def ensure_xray() -> Path:
    python = XRAY_VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {XRAY_VENV} and installing x-ray ...", file=sys.stderr)
        venv.create(XRAY_VENV, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "x-ray"], check=True)
    return python


def run_xray(paths: list[Path]) -> dict[str, dict[str, object]]:
    python = ensure_xray()
    done = subprocess.run(
        [str(python), "-c", XRAY_RUNNER, *map(str, paths)],
        check=True,
        capture_output=True,
        text=True,
    )
    data: dict[str, dict[str, object]] = json.loads(done.stdout)
    return data


def matches(hit: Hit, want: Expected) -> bool:
    if want.page is not None and hit.page != want.page:
        return False
    if want.text and want.text.split()[0].lower() in hit.text.lower():
        return True
    return bool(hit.box and want.box and hit.box.iou(want.box) > 0.3)


def score(hits: list[Hit], wanted: list[Expected]) -> tuple[set[int], int]:
    """(indices of expected leaks found, number of hits matching nothing)."""
    found = {i for i, w in enumerate(wanted) if any(matches(h, w) for h in hits)}
    stray = sum(1 for h in hits if not any(matches(h, w) for w in wanted))
    return found, stray


def build_cases(folder: Path) -> list[tuple[Path, list[Expected], str]]:
    cases = []
    for group, table in (("x-ray kind / content", LEAKY), ("outside content", DOCUMENT_LEAKY)):
        for name, (build, _mechanism, text) in table.items():
            path = folder / f"{name}.pdf"
            path.write_bytes(build())
            wanted = Expected(1 if group != "outside content" else None, None, text)
            if name == "image_under_vector_box":
                wanted = Expected(1, Box(132, 90, 372, 120), "")
            cases.append((path, [wanted], group))
    for name, build in CLEAN.items():
        path = folder / f"clean_{name}.pdf"
        path.write_bytes(build())
        cases.append((path, [], "clean"))
    for truth_path in sorted((ROOT / "sample_docs").glob("*.truth.json")):
        truth = json.loads(truth_path.read_text())
        wanted = [
            Expected(r["page"], Box.from_seq(r["bbox"]), r.get("hidden_text") or "")
            for r in truth["redactions"]
            if r.get("leak")
        ]
        cases.append((ROOT / "sample_docs" / truth["file"], wanted, "sample"))
    return cases


def run_ours(path: Path, ocr: bool) -> tuple[list[Hit], float]:
    start = time.perf_counter()
    result = check_document(path, ocr=ocr)
    seconds = time.perf_counter() - start
    hits = [Hit(f.page, f.box, f.text) for f in result.findings if f.confidence >= THRESHOLD]
    return hits, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-ocr", action="store_true", help="do not OCR picture crops")
    parser.add_argument("--keep", metavar="DIR", help="write the generated cases here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        cases = build_cases(folder)
        xray = run_xray([p for p, _, _ in cases])
        rows, totals = [], {"want": 0, "xray": 0, "ours": 0, "xonly": 0, "xfp": 0, "ofp": 0}
        for path, wanted, group in cases:
            ours, ours_s = run_ours(path, not args.no_ocr)
            xr = xray[str(path)]
            xhits = [
                Hit(f["page"], Box.from_seq(f["bbox"]), f["text"])
                for f in xr["findings"]  # type: ignore[attr-defined]
            ]
            o_found, o_fp = score(ours, wanted)
            x_found, x_fp = score(xhits, wanted)
            row = (group, path.name, len(wanted), len(x_found), len(o_found),
                   len(x_found - o_found), x_fp, o_fp, float(xr["seconds"]), ours_s)  # type: ignore[arg-type]  # fmt: skip
            rows.append(row)
            for key, value in zip(totals, row[2:8], strict=True):
                totals[key] += value
        print_table(rows, totals)
    return 0


def print_table(rows: list[tuple[object, ...]], totals: dict[str, int]) -> None:
    head = ("group", "file", "leaks", "x-ray", "ours", "x-ray only", "x-ray FP", "ours FP",
            "x-ray s", "ours s")  # fmt: skip
    print(f"{head[0]:<22}{head[1]:<42}" + "".join(f"{h:>11}" for h in head[2:]))
    for row in rows:
        nums = "".join(f"{v:>11}" for v in row[2:8])
        print(f"{row[0]!s:<22}{row[1]!s:<42}{nums}{row[8]:>11.2f}{row[9]:>11.2f}")
    t = totals
    print(f"{'TOTAL':<64}{t['want']:>11}{t['xray']:>11}{t['ours']:>11}{t['xonly']:>11}"
          f"{t['xfp']:>11}{t['ofp']:>11}")  # fmt: skip
    print(f"\nsecret used in generated cases: {SECRET!r}; findings counted at confidence >= "
          f"{THRESHOLD}")  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
