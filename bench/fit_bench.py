"""Benchmark: hidden-length estimates and candidate ranking on generated ground truth.

Builds born-digital pages in serif, sans and monospace base-14 fonts at several
sizes, each line holding a person's name removed by a true redaction
(``apply_redactions``), then the same pages rasterised as scans (no text layer;
OCR'd line strips). Prints, per font/size and overall: the share of boxes whose
true character count falls inside the estimated range, and the share whose true
name ranks first / in the top 3 among >= 100 candidate names of similar length.

    .venv/bin/python bench/fit_bench.py [--lines 12] [--scan-dpi 200] [--no-scan] [--samples]

``--samples`` also runs the scan pipeline (``analyze_page``) on sample_docs/*.pdf
and checks the catalog's ``est_chars`` against each truth redaction on a text
line (``hidden_chars``, ``line_words_before/after``), with the time per page,
the width step's own share of it, and the median offset of the detected boxes'
left and right edges from the true ones (dx0, dx1; points, + = to the right);
then the candidate ranking on the sample releases' degraded scans (truth boxes with
words on both sides, the hidden name or phrase among names of similar length).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import pymupdf

from redactview.analysis.fit import fit_candidates
from redactview.analysis.pipeline import PageTask, analyze_page
from redactview.analysis.width import LineFit
from redactview.analysis.width_page import estimate_boxes
from redactview.core.geometry import Box
from redactview.core.hashing import sha256_file
from redactview.core.model import Redaction

SAMPLES = Path(__file__).resolve().parent.parent / "sample_docs"

FONTS = ("tiro", "helv", "cour")
SIZES = (9.0, 10.5, 12.0)
FIRST = [
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "William",
    "Elizabeth",
    "David",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Chris",
    "Nancy",
    "Daniel",
    "Lisa",
    "Matthew",
    "Betty",
    "Anthony",
    "Margaret",
    "Mark",
    "Sandra",
    "Paul",
    "Ashley",
    "Steven",
    "Kimberly",
    "Andrew",
    "Emily",
    "Kenneth",
    "Donna",
    "Joshua",
    "Michelle",
    "Li",
    "Ana",
    "Omar",
    "Ivy",
    "Zoe",
    "Raj",
    "Kwame",
    "Ngozi",
    "Hiroshi",
    "Yusuf",
]
LAST = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "Wu",
    "Ito",
    "Khan",
    "Okafor",
    "Fitzgerald",
    "Kowalczyk",
]
BEFORE = ("Contact", "Agent", "Witness", "Interviewed", "Call from", "Per", "Signed by", "Cc:")
AFTER = (
    "at the field office.",
    "reported the incident.",
    "stated that",
    "will follow up.",
    "on Tuesday, 4 May.",
    "(see attached).",
    "and the supervisor.",
    "- no further action.",
)


@dataclass
class Case:
    font: str
    size: float
    page: int
    box: Box
    name: str


def all_names() -> list[str]:
    return sorted({f"{f} {last}" for f in FIRST for last in LAST})


def build_pages(rng: random.Random, lines: int) -> tuple[pymupdf.Document, list[Case]]:
    doc, cases = pymupdf.open(), []
    names = all_names()
    for font in FONTS:
        for size in SIZES:
            page = doc.new_page()
            for i in range(lines):
                cases.append(write_line(page, font, size, 72 + i * size * 4.2, rng, names))
                cases[-1].page = page.number + 1
            page.apply_redactions(
                images=0
            )  # PDF_REDACT_IMAGE_NONE: leave the (absent) images alone
    return doc, cases


def write_line(
    page: pymupdf.Page, font: str, size: float, y: float, rng: random.Random, names: list[str]
) -> Case:
    """Before-text, name, after-text as separate runs (as word processors position them)."""
    before, name, after = rng.choice(BEFORE), rng.choice(names), rng.choice(AFTER)

    def length(text: str) -> float:
        return pymupdf.get_text_length(text, fontname=font, fontsize=size)

    x = 72.0 + rng.uniform(0, 40)
    page.insert_text((x, y), before, fontname=font, fontsize=size)
    hx = x + length(before + " ")
    page.insert_text((hx, y), name, fontname=font, fontsize=size)
    page.insert_text((hx + length(name + " "), y), after, fontname=font, fontsize=size)
    pad = rng.uniform(0.0, 1.0)
    rect = pymupdf.Rect(hx - pad, y - 0.9 * size, hx + length(name) + pad, y + 0.25 * size)
    page.add_redact_annot(rect, fill=(0, 0, 0))
    return Case(font, size, 0, Box(rect.x0, rect.y0, rect.x1, rect.y1), name)


def rasterise(doc: pymupdf.Document, dpi: int) -> pymupdf.Document:
    scans = pymupdf.open()
    for page in (doc[i] for i in range(doc.page_count)):
        pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
        out = scans.new_page(width=page.rect.width, height=page.rect.height)
        out.insert_image(out.rect, pixmap=pix)
    return scans


def similar_names(name: str, rng: random.Random, count: int = 120) -> list[str]:
    pool = [n for n in all_names() if abs(len(n) - len(name)) <= 2 and n != name]
    return [name, *rng.sample(pool, min(count, len(pool)))]


def evaluate(doc: pymupdf.Document, cases: list[Case], rng: random.Random) -> list[dict]:
    """Each page's boxes estimated together (one render and one OCR per scanned page)."""
    fits = {}
    for number in sorted({c.page for c in cases}):
        on_page = [c for c in cases if c.page == number]
        boxes = [c.box for c in on_page]
        for case, fit in zip(on_page, estimate_boxes(doc[number - 1], boxes), strict=True):
            fits[id(case)] = fit
    rows = []
    for case in cases:
        line = fits[id(case)]
        if line is None:
            rows.append({"case": case, "hit": False, "pos": 999, "rank": 999, "tie": 0,
                         "width": 0.0, "n": 0})  # fmt: skip
            continue
        rows.append(score_case(case, line, similar_names(case.name, rng)))
    return rows


def score_case(case: Case, line: LineFit, candidates: list[str]) -> dict:
    """Where the true name lands: ``pos`` in the list (ties in alphabetical order,
    which never looks at the truth) and ``rank`` (its tie group's first rank)."""
    est = line.estimate
    ranked = fit_candidates(line, candidates)
    pos, mine = next((i + 1, c) for i, c in enumerate(ranked) if c.text == case.name)
    hit = est.lo <= len(case.name) <= est.hi
    return {"case": case, "hit": hit, "pos": pos, "rank": mine.rank, "tie": mine.tied_with + 1,
            "width": est.hi - est.lo, "n": len(ranked)}  # fmt: skip


def print_table(title: str, rows: list[dict], seconds: float) -> None:
    """Per font and size, per font, and overall. top1/top3 "strict": the true name
    alone in those positions (ties listed alphabetically); "tie": its tie group
    starts there (the name is among the candidates the measurement cannot part)."""
    print(f"\n{title}  ({len(rows)} boxes, {seconds:.1f} s)")
    print(f"{'font':<6}{'size':>6}{'boxes':>7}{'range hit':>11}{'top1':>7}{'top3':>7}"
          f"{'top1 tie':>10}{'top3 tie':>10}{'tie size':>10}{'range width':>13}")  # fmt: skip
    groups: dict[tuple[str, float], list[dict]] = {}
    for r in rows:
        groups.setdefault((r["case"].font, r["case"].size), []).append(r)
        groups.setdefault((r["case"].font, 99.0), []).append(r)
    others = [r for r in rows if r["case"].font != "cour"]
    for (font, size), rs in [*sorted(groups.items()), (("-cour", 99.0), others),
                             (("ALL", 99.0), rows)]:  # fmt: skip
        n = len(rs)
        hit = sum(r["hit"] for r in rs) / n
        top1, top3 = (sum(r["pos"] <= k for r in rs) / n for k in (1, 3))
        tie1, tie3 = (sum(r["rank"] <= k for r in rs) / n for k in (1, 3))
        tie = statistics.median(r["tie"] for r in rs)
        spread = sum(r["width"] for r in rs) / n + 1
        label = "all" if size == 99.0 else f"{size:.1f}"
        print(f"{font:<6}{label:>6}{n:>7}{hit:>11.1%}{top1:>7.1%}{top3:>7.1%}{tie1:>10.1%}"
              f"{tie3:>10.1%}{tie:>10.0f}{spread:>13.1f}")  # fmt: skip
    print(
        f"candidates per box: min {min(r['n'] for r in rows)}; tie size = median size of "
        "the true name's tie group"
    )


def on_text_line(truth: dict) -> bool:
    return bool(truth.get("hidden_chars")) and bool(
        truth.get("line_words_before") or truth.get("line_words_after")
    )


def scan_sample(name: str) -> None:
    """est_chars of the scan catalog against the truth of one sample release."""
    path = SAMPLES / f"{name}.pdf"
    truth = json.loads((SAMPLES / f"{name}.truth.json").read_text())
    sha, found, total, width = sha256_file(path), {}, 0.0, 0.0
    for page in range(1, truth["page_count"] + 1):
        result = analyze_page(PageTask(str(path), page, sha))
        found[page] = result.redactions
        total += sum(t for _, t in result.timings)
        width += sum(t for step, t in result.timings if step == "width")
    wanted = [r for r in truth["redactions"] if on_text_line(r)]
    detected = hits = 0
    edges: list[tuple[float, float]] = []  # detected minus true box, left and right edge
    for r in wanted:
        match = best_match(found.get(r["page"], ()), Box(*r["bbox"]))
        if match is None:
            continue
        detected += 1
        edges.append((match.box.x0 - r["bbox"][0], match.box.x1 - r["bbox"][2]))
        hits += bool(
            match.est_chars and match.est_chars[0] <= r["hidden_chars"] <= match.est_chars[1]
        )
    pages = truth["page_count"]
    share, of_detected = hits / max(len(wanted), 1), hits / max(detected, 1)
    left, right = (statistics.median(e[i] for e in edges) if edges else 0.0 for i in (0, 1))
    print(f"{name:<20}{len(wanted):>8}{detected:>10}{hits:>6}{share:>9.1%}{of_detected:>12.1%}"
          f"{total / pages:>10.2f}{1000 * width / pages:>11.0f}"
          f"{left:>+9.2f}{right:>+9.2f}")  # fmt: skip


def best_match(found: tuple[Redaction, ...], box: Box) -> Redaction | None:
    best = max(found, key=lambda r: r.box.iou(box), default=None)
    return best if best is not None and best.box.iou(box) >= 0.3 else None


def rank_sample(name: str, rng: random.Random) -> list[dict]:
    """Candidate ranking on a sample release's degraded scans (rotated, blurred, JPEG):
    each truth redaction on a text line with words on both sides whose hidden text
    is a plain name or phrase, measured at its truth box, among names of similar
    length. Closer to a real scan than the bench's clean rasters."""
    truth = json.loads((SAMPLES / f"{name}.truth.json").read_text())
    wanted = [
        r for r in truth["redactions"]
        if on_text_line(r) and r.get("line_words_before") and r.get("line_words_after")
        and all(c.isalpha() or c in " .'-" for c in r.get("hidden_text") or "0")
    ]  # fmt: skip
    rows = []
    with pymupdf.open(SAMPLES / f"{name}.pdf") as doc:
        for page in sorted({r["page"] for r in wanted}):
            on_page = [r for r in wanted if r["page"] == page]
            fits = estimate_boxes(doc[page - 1], [Box(*r["bbox"]) for r in on_page])
            for r, line in zip(on_page, fits, strict=True):
                case = Case(f"{name}:{r['font']}", r["fontsize"], page, Box(*r["bbox"]),
                            r["hidden_text"])  # fmt: skip
                candidates = similar_names(case.name, rng)
                # A long phrase has too few names of its length to rank among.
                if line is not None and len(candidates) > 100:
                    rows.append(score_case(case, line, candidates))
    return rows


def run_samples() -> None:
    print(f"\n{'sample':<20}{'on line':>8}{'detected':>10}{'hits':>6}{'of all':>9}"
          f"{'of detected':>12}{'s/page':>10}{'width ms':>11}"
          f"{'dx0 pt':>9}{'dx1 pt':>9}")  # fmt: skip
    for name in ("memo_born_digital", "release_a", "release_b"):
        if (SAMPLES / f"{name}.pdf").exists():
            scan_sample(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=12, help="redacted lines per page")
    parser.add_argument("--scan-dpi", type=int, default=200)
    parser.add_argument("--no-scan", action="store_true")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--samples", action="store_true", help="also check sample_docs")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    doc, cases = build_pages(rng, args.lines)
    start = time.perf_counter()
    print_table("born-digital", evaluate(doc, cases, rng), time.perf_counter() - start)
    if not args.no_scan:
        scans = rasterise(doc, args.scan_dpi)
        start = time.perf_counter()
        rows = evaluate(scans, cases, rng)
        print_table(f"scanned at {args.scan_dpi} dpi", rows, time.perf_counter() - start)
    if args.samples:
        run_samples()
        start = time.perf_counter()
        rows = [r for name in ("release_a", "release_b") for r in rank_sample(name, rng)]
        print_table("sample scans, truth boxes", rows, time.perf_counter() - start)


if __name__ == "__main__":
    main()
