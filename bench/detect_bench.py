"""Score redaction detection against ground truth, and time it.

    .venv/bin/python bench/detect_bench.py [--variants-ocr] [--pages500] [--jobs N] [--speed-only]

1. The samples (sample_docs/*.truth.json): precision / recall at IoU >= 0.5 and
   exemption-code accuracy (the set of canonical codes on each matched box).
2. Degraded variants of release_a's scanned pages, generated here: more noise,
   3° skew, 100 dpi, JPEG quality 30, marker strokes instead of boxes, a
   photocopied-twice look. Codes are scored only with --variants-ocr (slow).
3. False positives on generated pages with no redactions (table, letterhead,
   photo, signature, barcode, punch holes, scan border).
4. Speed: detection time (vector + raster steps) per page as a ratio to the bare
   render at the same DPI, and pages per second on a 500-page release.
Prints tables; nothing is asserted (speed is measured here, never in tests).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import pymupdf
from PIL import Image

from redactview.analysis.detect_raster import find_raster_boxes
from redactview.analysis.pipeline import (
    PageResult,
    PageTask,
    analyze_page,
    find_dark_boxes,
    find_vector_boxes,
    render_and_read,
    use_one_thread,
)
from redactview.core.exemptions import parse_exemptions
from redactview.core.geometry import Box
from redactview.core.hashing import sha256_file
from redactview.jobs.executor import make_executor
from redactview.jobs.scan import ScanOptions, scan_document
from redactview.pdf.document import load_page, opened_pdf
from redactview.pdf.drawings import read_image_boxes

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_docs"
DPI = 150.0


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    codes_ok: int = 0
    codes_n: int = 0
    unprinted_ok: int = 0  # truth codes printed nowhere on the page (scored apart)
    unprinted_n: int = 0
    seconds: float = 0.0
    pages: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in (
            "tp",
            "fp",
            "fn",
            "codes_ok",
            "codes_n",
            "unprinted_ok",
            "unprinted_n",
            "pages",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.seconds += other.seconds

    def row(self, name: str, codes: bool = True) -> str:
        p = self.tp / max(1, self.tp + self.fp)
        r = self.tp / max(1, self.tp + self.fn)
        c = f"{self.codes_ok / max(1, self.codes_n):.3f}" if codes else "  -  "
        spp = self.seconds / max(1, self.pages)
        return (
            f"{name:<28} {self.tp:>4} {self.fp:>4} {self.fn:>4}  {p:.3f}  {r:.3f}  {c}  {spp:6.2f}"
        )


HEADER = f"{'set':<28} {'tp':>4} {'fp':>4} {'fn':>4}  prec   rec    codes  s/page"


def match_page(result: PageResult, truth: list[dict], score: Score) -> None:
    """Greedy one-to-one matching by IoU >= 0.5, best pairs first."""
    pairs = sorted(
        (
            (r.box.iou(Box(*t["bbox"])), i, j)
            for i, r in enumerate(result.redactions)
            for j, t in enumerate(truth)
        ),
        reverse=True,
    )
    used_r: set[int] = set()
    used_t: set[int] = set()
    for iou, i, j in pairs:
        if iou < 0.5 or i in used_r or j in used_t:
            continue
        used_r.add(i)
        used_t.add(j)
        score.tp += 1
        if truth[j].get("exemptions") is not None:
            ok = set(truth[j]["exemptions"]) == set(result.redactions[i].exemptions)
            if truth[j].get("printed", True):
                score.codes_n += 1
                score.codes_ok += ok
            else:
                score.unprinted_n += 1
                score.unprinted_ok += ok
            if not ok:
                got = ",".join(result.redactions[i].exemptions) or "-"
                tag = "" if truth[j].get("printed", True) else " (not printed)"
                score.misses.append(f"code p{result.page} {truth[j].get('id')} got {got}{tag}")
    score.fp += len(result.redactions) - len(used_r)
    score.fn += len(truth) - len(used_t)
    score.misses += [
        f"miss p{result.page} {truth[j].get('id')}" for j in range(len(truth)) if j not in used_t
    ]


def mark_printed(redactions: list[dict]) -> list[dict]:
    """Flag each truth box whose codes are all printed on the page (its own label,
    or its group's for the lines of a withheld paragraph). The truth also lists
    codes the agency printed nowhere (no label, or "(b) (6)" for (b)(6)+(b)(7)(C)):
    no reader can get those from the page, so they are scored apart."""
    group_labels = {r["group"]: r["label"] for r in redactions if r.get("group") and r["label"]}
    out = []
    for r in redactions:
        label = r.get("label") or group_labels.get(r.get("group"), "")
        printed = set(parse_exemptions(label)) == set(r["exemptions"] or [])
        out.append({**r, "printed": printed})
    return out


def score_pdf(path: Path, truth: list[dict], pages: int, ocr: bool) -> Score:
    score = Score()
    sha = sha256_file(path)
    for n in range(1, pages + 1):
        start = time.perf_counter()
        result = analyze_page(PageTask(str(path), n, sha, DPI, ocr=ocr))
        score.seconds += time.perf_counter() - start
        score.pages += 1
        match_page(result, [t for t in truth if t["page"] == n], score)
    return score


# --- degraded variants ------------------------------------------------------------------
def page_pixels(page: pymupdf.Page, dpi: int) -> np.ndarray:
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
    return np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width).copy()


def rotate(
    img: np.ndarray, deg: float, boxes: list[list[float]], scale: float
) -> tuple[np.ndarray, list[list[float]]]:
    h, w = img.shape
    m = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), deg, 1.0)
    out = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=235)
    moved = []
    for x0, y0, x1, y1 in boxes:
        pts = np.array(
            [[x * scale, y * scale, 1.0] for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
        )
        q = (m @ pts.T).T / scale
        moved.append([q[:, 0].min(), q[:, 1].min(), q[:, 0].max(), q[:, 1].max()])
    return out, moved


def paint_marker(
    img: np.ndarray, boxes: list[list[float]], scale: float, rng: np.random.Generator
) -> None:
    for x0, y0, x1, y1 in boxes:
        a, b, c, d = (round(v * scale) for v in (x0, y0, x1, y1))
        region = img[b:d, a:c]
        region[:] = 232
        h = d - b
        for k in range(0, (c - a) + h, 3):
            grey = int(rng.integers(70, 125))
            cv2.line(region, (k - h, h), (k, 0), grey, int(rng.integers(2, 4)))
            cv2.line(region, (k, h), (k - h, 0), grey - 10, int(rng.integers(2, 4)))


def photocopy(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    f: np.ndarray = img.astype(np.float32)
    for _ in range(2):  # each generation: blur, crush the tones, add toner dust
        f = cv2.GaussianBlur(f, (0, 0), 0.9)
        f = np.clip((f - 60) * 1.5 + 40, 0, 255)
        f += rng.normal(0, 6, f.shape)
        f[rng.random(f.shape) < 0.001] = 30
    return np.clip(f, 0, 255).astype(np.uint8)


def degrade(
    name: str, img: np.ndarray, boxes: list[list[float]], scale: float, rng: np.random.Generator
) -> tuple[np.ndarray, list[list[float]]]:
    if name == "noise":
        img = np.clip(img + rng.normal(0, 10, img.shape), 0, 255).astype(np.uint8)
        img[rng.random(img.shape) < 0.002] = 20
    elif name == "skew 3deg":
        img, boxes = rotate(img, 3.0, boxes, scale)
    elif name == "marker strokes":
        paint_marker(img, boxes, scale, rng)
    elif name == "photocopied twice":
        img = photocopy(img, rng)
    return img, boxes


def is_erased(before: np.ndarray, after: np.ndarray, bbox: list[float], scale: float) -> bool:
    """Whether a filled box has turned to paper: the photocopy look crushes light
    grey (~168) to white and leaves only the code printed on it, and what no
    reader can see on the page is not scored as a miss. A box's lightest quarter
    is its fill (the print on a grey box is darker, and the white print on a
    black box was as light before, so it never counts as erased); the page's
    median grey is its paper."""
    x0, y0, x1, y1 = (round(v * scale) for v in bbox)

    def fill_below_paper(img: np.ndarray) -> float:
        inside = img[y0 + 3 : y1 - 3, x0 + 3 : x1 - 3]
        return float(np.median(img)) - float(np.percentile(inside, 75)) if inside.size else 0.0

    return fill_below_paper(before) > 30 and fill_below_paper(after) < 10


def build_variant(
    name: str, source: Path, truth: dict, out: Path
) -> tuple[Path, list[dict], list[str]]:
    """The variant's PDF, its truth and the ids of truth boxes it erased."""
    rng = np.random.default_rng(7)
    src = pymupdf.open(source)
    doc = pymupdf.open()
    dpi = 100 if name == "100 dpi" else 200
    quality = 30 if name == "JPEG q30" else 80
    new_truth: list[dict] = []
    erased: list[str] = []
    page_no = 0
    for info in truth["pages"]:
        if info["kind"] != "scan" or info["rotation"] or info["content_rotated"]:
            continue  # upright scanned pages only: the variants transform their boxes
        page = src[info["page"] - 1]
        page_no += 1
        reds = [r for r in mark_printed(truth["redactions"]) if r["page"] == info["page"]]
        img = page_pixels(page, dpi)
        before = img.copy()
        if name == "marker strokes":
            # Black boxes become marker strokes; grey, bordered and hand-marked
            # boxes stay on the page as they are, and stay in the truth (they
            # were left out of it, so finding them counted as false positives).
            black = [r["bbox"] for r in reds if r["fill"] == "black"]
            degrade(name, img, black, dpi / 72, rng)
            boxes = [r["bbox"] for r in reds]
        else:
            img, boxes = degrade(name, img, [r["bbox"] for r in reds], dpi / 72, rng)
        buf = io.BytesIO()
        Image.fromarray(img, mode="L").save(buf, format="JPEG", quality=quality)
        new = doc.new_page(width=page.rect.width, height=page.rect.height)
        new.insert_image(new.rect, stream=buf.getvalue())
        codes = name != "marker strokes"
        for r, b in zip(reds, boxes, strict=True):
            # A white box is told by its border, not its inside; a turned box's
            # upright envelope is paper at its corners, and turning changes no tone.
            if r["fill"] != "white" and name != "skew 3deg" and is_erased(before, img, b, dpi / 72):
                erased.append(r["id"])
                continue
            new_truth.append(
                {
                    "page": page_no,
                    "bbox": b,
                    "id": r["id"],
                    "exemptions": r["exemptions"] if codes else None,
                    "printed": r["printed"],
                    "fill": r["fill"],
                }
            )
    doc.save(out)
    return out, new_truth, erased


# --- pages with no redactions -------------------------------------------------------------
def lookalike_pages(out: Path) -> Path:
    doc = pymupdf.open()
    rng = np.random.default_rng(3)
    for kind in ("table", "letterhead", "photo", "signature", "barcode", "border"):
        page = doc.new_page()
        page.insert_text((72, 300), "An ordinary line of text that nobody redacted.", fontsize=11)
        if kind == "table":
            page.draw_rect((72, 100, 540, 118), color=None, fill=(0, 0, 0))
            page.insert_text(
                (80, 113), "Name        Date        Amount", fontsize=11, color=(1, 1, 1)
            )
            for r in range(6):
                page.draw_line(
                    (72, 118 + 18 * r), (540, 118 + 18 * r), color=(0.2, 0.2, 0.2), width=0.8
                )
        elif kind == "letterhead":
            page.draw_circle((98, 70), 26, color=None, fill=(0.1, 0.16, 0.36))
            page.insert_text((140, 70), "DEPARTMENT OF EXAMPLES", fontsize=20, fontname="hebo")
            page.draw_rect((72, 104, 540, 105.6), color=None, fill=(0, 0, 0))
        elif kind == "photo":
            tex = cv2.GaussianBlur(
                cv2.resize((rng.random((60, 80)) * 170).astype(np.uint8), (320, 240)), (0, 0), 2
            )
            page.insert_image(
                (200, 400, 420, 560),
                pixmap=pymupdf.Pixmap(pymupdf.csGRAY, 320, 240, tex.tobytes(), False),
            )
        elif kind == "signature":
            pts = [(80 + 2.5 * i, 500 + 12 * np.sin(i / 2.0)) for i in range(60)]
            page.draw_polyline(pts, color=(0.08, 0.1, 0.3), width=1.6)
        elif kind == "barcode":
            for i in range(40):
                w = 0.8 * (1 + i % 3)
                page.draw_rect(
                    (100 + 3.2 * i, 600, 100 + 3.2 * i + w, 640), color=None, fill=(0, 0, 0)
                )
        else:
            page.draw_rect((0, 0, 16, 792), color=None, fill=(0.05, 0.05, 0.05))
            page.draw_circle((31, 219), 9, color=None, fill=(0.12, 0.12, 0.12))
    scanned = pymupdf.open()
    for page in doc.pages():
        img = page_pixels(page, 200)
        img = np.clip(22 + img / 255 * 210 + rng.normal(0, 4, img.shape), 0, 255).astype(np.uint8)
        buf = io.BytesIO()
        Image.fromarray(img, mode="L").save(buf, format="JPEG", quality=80)
        new = scanned.new_page(width=page.rect.width, height=page.rect.height)
        new.insert_image(new.rect, stream=buf.getvalue())
    scanned.save(out)
    return out


# --- speed ------------------------------------------------------------------------------
def speed_ratio(path: Path, pages: int) -> tuple[float, float]:
    """(median detection/render ratio, mean detection seconds) over ``pages``, wall clock."""
    ratios, det = [], []
    sha = sha256_file(path)
    for n in range(1, pages + 1):
        result = analyze_page(PageTask(str(path), n, sha, DPI, ocr=False))
        t = dict(result.timings)
        detection = t["vector"] + t["raster"]
        start = time.perf_counter()
        with pymupdf.open(path) as doc:  # the bare render, same DPI, same process
            doc[n - 1].get_pixmap(dpi=int(DPI), colorspace=pymupdf.csGRAY)
        render = time.perf_counter() - start
        ratios.append(detection / render)
        det.append(detection)
    return float(np.median(ratios)), float(np.mean(det))


def cpu_ratio(path: Path, repeats: int = 3) -> tuple[float, float, float, float]:
    """(detection/render, detection s/page, render s/page, shared s/page) in CPU time
    (``process_time``): on a loaded machine wall time measures the neighbours.
    Detection is the same two steps as ``analyze_page``'s "vector" and "raster",
    on every page, ``repeats`` times. "shared" is the vector step plus
    ``detect_raster.find_raster_boxes`` (both raster detectors on one ink mask)
    and the raster step's image lookup: what the raster step costs once the
    pipeline calls that entry point, timed on the same pages in the same run."""
    det = ren = shared = 0.0
    with opened_pdf(str(path), None) as doc:
        for _ in range(repeats):
            for n in range(1, doc.page_count + 1):
                state = render_and_read(
                    PageTask(str(path), n, "0" * 64, DPI, ocr=False), load_page(doc, n)
                )
                start = time.process_time()
                find_vector_boxes(state)
                find_dark_boxes(state)
                det += time.process_time() - start
                start = time.process_time()
                doc[n - 1].get_pixmap(dpi=int(DPI), colorspace=pymupdf.csGRAY)
                ren += time.process_time() - start
                state.candidates.clear()
                start = time.process_time()
                find_vector_boxes(state)
                find_raster_boxes(state.render.pixels, state.render.dpi)
                read_image_boxes(state.page)
                shared += time.process_time() - start
        count = doc.page_count * repeats
    return det / ren, det / count, ren / count, shared / count


def print_speed() -> None:
    """The speed lines: wall clock, then CPU time with OpenCV's default threads and
    with one thread (as batch workers run), release_a and release_b side by side."""
    ratio, det = speed_ratio(SAMPLES / "release_a.pdf", 12)
    print(
        f"detection (vector+raster) / bare render at {DPI:.0f} dpi, wall clock: "
        f"median {ratio:.2f}x ({det * 1000:.0f} ms/page)"
    )
    for threads in ("", ", one OpenCV thread (batch workers)"):
        if threads:
            # OpenCV's own threads cost CPU time that page-parallel workers have
            # no idle core to give (pipeline.use_one_thread).
            use_one_thread()
        for name in ("release_a", "release_b"):
            cpu, det, ren, shared = cpu_ratio(SAMPLES / f"{name}.pdf")
            print(
                f"  {name}, CPU time{threads}: {cpu:.2f}x ({det * 1000:.0f} ms/page "
                f"detection, {ren * 1000:.0f} ms/page bare render); with find_raster_boxes: "
                f"{shared / ren:.2f}x ({shared * 1000:.0f} ms/page)"
            )


def pages_per_second(
    source: Path, tmp: Path, jobs: int | None, ocr: bool, copies: int
) -> tuple[int, float]:
    big = pymupdf.open()
    with pymupdf.open(source) as src:
        while big.page_count < copies:
            big.insert_pdf(src, to_page=min(src.page_count, copies - big.page_count) - 1)
    path = tmp / "big.pdf"
    big.save(path)
    start = time.perf_counter()
    scan_document(path, options=ScanOptions(DPI, ocr=ocr), executor=make_executor(jobs))
    return big.page_count, big.page_count / (time.perf_counter() - start)


VARIANTS = ("noise", "skew 3deg", "100 dpi", "JPEG q30", "marker strokes", "photocopied twice")


def keep_variant(folder: Path, variant: str, path: Path, truth: list[dict]) -> None:
    """A copy of a variant and its truth, to look at its misses."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = variant.replace(" ", "_")
    (folder / f"{stem}.pdf").write_bytes(path.read_bytes())
    (folder / f"{stem}.truth.json").write_text(json.dumps(truth, indent=1))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--variants-ocr", action="store_true", help="read codes on variants too")
    parser.add_argument("--pages500", action="store_true", help="time a 500-page release")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--samples-only", action="store_true", help="score the samples, stop")
    parser.add_argument("--variants-only", action="store_true", help="skip the samples")
    parser.add_argument(
        "--variant", action="append", default=None, help="only this variant (repeatable)"
    )
    parser.add_argument(
        "--keep", type=Path, default=None, help="write the variant PDFs and truth here"
    )
    parser.add_argument(
        "--speed-only", action="store_true", help="only the speed lines (no scoring, no OCR)"
    )
    args = parser.parse_args()
    if args.speed_only:
        print_speed()
        return 0
    print(HEADER)
    total = Score()
    for name in () if args.variants_only else ("release_a", "release_b", "memo_born_digital"):
        truth = json.loads((SAMPLES / f"{name}.truth.json").read_text())
        reds = mark_printed(truth["redactions"])
        score = score_pdf(SAMPLES / f"{name}.pdf", reds, truth["page_count"], True)
        total.add(score)
        print(score.row(name), flush=True)
        for miss in score.misses:
            print(f"    {miss}", file=sys.stderr)
    print(total.row("samples (all)"))
    print(
        f"codes printed nowhere on the page (truth only, scored apart): "
        f"{total.unprinted_ok}/{total.unprinted_n} matched"
    )
    if args.samples_only:
        return 0
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        truth_a = json.loads((SAMPLES / "release_a.truth.json").read_text())
        if not args.variants_ocr:
            print("variants of release_a, no OCR (white bordered boxes left out; --variants-ocr):")
        for variant in args.variant or VARIANTS:
            path, vtruth, erased = build_variant(
                variant, SAMPLES / "release_a.pdf", truth_a, tmp / "v.pdf"
            )
            if args.keep is not None:
                keep_variant(args.keep, variant, path, vtruth)
            if not args.variants_ocr:
                # Without OCR a white bordered box is never reported (it counts
                # only with a code read inside): scored with --variants-ocr.
                vtruth = [t for t in vtruth if t["fill"] != "white"]
            with pymupdf.open(path) as vdoc:
                pages = vdoc.page_count
            score = score_pdf(path, vtruth, pages, args.variants_ocr)
            print(
                score.row(f"A: {variant}", codes=args.variants_ocr and variant != "marker strokes"),
                flush=True,
            )
            if erased:
                print(f"    ({len(erased)} boxes erased by it, not scored: {', '.join(erased)})")
            for miss in score.misses:
                print(f"    {miss}", file=sys.stderr)
        if args.variant:
            return 0
        clean = lookalike_pages(tmp / "clean.pdf")
        fps = score_pdf(clean, [], 6, True)
        kinds = "table, letterhead, photo, signature, barcode, border"
        print(f"\nfalse positives on 6 pages without redactions ({kinds}): {fps.fp}")
        print_speed()
        if args.pages500:
            n, pps = pages_per_second(SAMPLES / "release_a.pdf", tmp, args.jobs, False, 500)
            print(f"{n}-page release, no OCR, jobs={args.jobs or 'all cores'}: {pps:.2f} pages/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
