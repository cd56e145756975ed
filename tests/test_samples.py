"""The committed sample releases agree with their ground truth (checked with PyMuPDF only)."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pymupdf
import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "sample_docs"
NAMES = ["release_a", "release_b", "memo_born_digital"]
ZOOM = 2.0


@cache
def truth(name: str) -> dict[str, Any]:
    return json.loads((SAMPLES / f"{name}.truth.json").read_text(encoding="utf-8"))


def open_pdf(name: str) -> pymupdf.Document:
    return pymupdf.open(SAMPLES / f"{name}.pdf")


@cache
def render(name: str, page_no: int) -> np.ndarray:
    """Grey render of the page as displayed (i.e. with /Rotate applied)."""
    page = open_pdf(name)[page_no - 1]
    pix = page.get_pixmap(matrix=pymupdf.Matrix(ZOOM, ZOOM), colorspace=pymupdf.csGRAY)
    return np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width).astype(float)


def to_pixels(name: str, page_no: int, bbox: list[float]) -> tuple[int, int, int, int]:
    """Truth boxes live in unrotated page space; map them onto the displayed render."""
    page = open_pdf(name)[page_no - 1]
    r = pymupdf.Rect(bbox) * page.rotation_matrix * pymupdf.Matrix(ZOOM, ZOOM)
    return round(r.x0), round(r.y0), round(r.x1), round(r.y1)


def region_means(
    name: str, page_no: int, bbox: list[float], ring: float = 4.0
) -> tuple[float, float]:
    """Mean luminance inside the box and in a ring `ring` points wide around it.

    Other redactions on the page are left out of the ring, so the lines of a block
    redaction are compared with the paper around them, not with each other.
    """
    img = render(name, page_no).copy()
    x0, y0, x1, y1 = to_pixels(name, page_no, bbox)
    inner = img[y0:y1, x0:x1].copy()
    for other in redactions(name, page=page_no):
        if other["bbox"] != bbox and other["style"] != "full_page":
            ox0, oy0, ox1, oy1 = to_pixels(name, page_no, other["bbox"])
            img[max(0, oy0) : oy1, max(0, ox0) : ox1] = np.nan
    pad = round(ring * ZOOM)
    ring_px = np.concatenate(
        [
            img[max(0, y0 - pad) : y0, max(0, x0 - pad) : x1 + pad].ravel(),
            img[y1 : y1 + pad, max(0, x0 - pad) : x1 + pad].ravel(),
            img[y0:y1, max(0, x0 - pad) : x0].ravel(),
            img[y0:y1, x1 : x1 + pad].ravel(),
        ]
    )
    return float(inner.mean()), float(np.nanmean(ring_px))


def redactions(name: str, **match: Any) -> list[dict[str, Any]]:
    return [
        r
        for r in truth(name)["redactions"]
        if all(r[k] == v if not isinstance(v, tuple) else r[k] in v for k, v in match.items())
    ]


def centre_in(word: tuple, bbox: list[float]) -> bool:
    cx, cy = (word[0] + word[2]) / 2, (word[1] + word[3]) / 2
    return bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]


def words_in(page: pymupdf.Page, bbox: list[float]) -> list[str]:
    return [w[4] for w in page.get_text("words") if centre_in(w, bbox)]


@pytest.mark.parametrize("name", NAMES)
def test_page_counts_match(name: str) -> None:
    t = truth(name)
    assert open_pdf(name).page_count == t["page_count"] == len(t["pages"])
    assert [p["page"] for p in t["pages"]] == list(range(1, t["page_count"] + 1))
    assert t["schema"] == "redactview.truth/1"
    assert t["file"] == f"{name}.pdf"


def test_expected_page_counts() -> None:
    assert truth("release_a")["page_count"] == 12
    assert truth("release_b")["page_count"] == 13
    assert truth("memo_born_digital")["page_count"] == 4


@pytest.mark.parametrize("name", NAMES)
def test_text_layer_only_where_truth_says(name: str) -> None:
    doc = open_pdf(name)
    for p in truth(name)["pages"]:
        words = doc[p["page"] - 1].get_text("words")
        if p["kind"] in ("scan", "withheld"):
            assert words == [], f"page {p['page']} has a text layer"
        else:
            assert len(words) > 20


@pytest.mark.parametrize("name", ["release_a", "release_b"])
def test_scan_pages_are_single_jpeg_images(name: str) -> None:
    doc = open_pdf(name)
    for p in truth(name)["pages"]:
        images = doc[p["page"] - 1].get_images()
        assert len(images) == 1
        assert images[0][8] == "DCTDecode"
        assert 150 <= p["dpi"] <= 200
        if p["kind"] != "withheld" and p["doc"] != "cover-letter":
            assert 0.2 <= abs(p["skew_deg"]) <= 1.5


def test_sideways_pages() -> None:
    a = [p for p in truth("release_a")["pages"] if p["content_rotated"] == 90]
    b = [p for p in truth("release_b")["pages"] if p["content_rotated"] == 90]
    assert len(a) == len(b) == 1
    assert a[0]["rotation"] == 0 and open_pdf("release_a")[a[0]["page"] - 1].rotation == 0
    assert b[0]["rotation"] == 90 and open_pdf("release_b")[b[0]["page"] - 1].rotation == 90
    # Text runs vertically: word boxes are taller than wide.
    tall = [w for w in a[0]["words"] if len(w["text"]) > 4]
    assert all(w["bbox"][3] - w["bbox"][1] > w["bbox"][2] - w["bbox"][0] for w in tall)


@pytest.mark.parametrize("name", NAMES)
def test_raster_dark_boxes_are_dark(name: str) -> None:
    limits = {"black": 0.6, "marker": 0.85, "grey": 0.9}
    checked = 0
    for r in redactions(name, kind="raster", fill=tuple(limits)):
        inside, ring = region_means(name, r["page"], r["bbox"])
        assert inside < limits[r["fill"]] * ring, (r["id"], inside, ring)
        checked += 1
    assert checked >= (4 if name == "memo_born_digital" else 10)


@pytest.mark.parametrize("name", ["release_a", "release_b"])
def test_white_bordered_boxes_have_dark_border(name: str) -> None:
    boxes = redactions(name, style="bordered_white")
    assert len(boxes) >= 5
    for r in boxes:
        img = render(name, r["page"])
        x0, y0, x1, y1 = to_pixels(name, r["page"], r["bbox"])
        box = img[y0:y1, x0:x1]
        # Every row crosses the left and right border once: the darkest pixel in each
        # row's outer quarter is ink, while the box's interior is paper-white on average.
        q = max(3, (x1 - x0) // 4)
        assert np.median(box[:, :q].min(axis=1)) < 110, r["id"]
        assert np.median(box[:, -q:].min(axis=1)) < 110, r["id"]
        assert float(box.mean()) > 110, r["id"]  # not a filled box


@pytest.mark.parametrize("name", NAMES)
def test_vector_boxes_are_filled_rects(name: str) -> None:
    doc = open_pdf(name)
    boxes = redactions(name, kind="vector")
    for r in boxes:
        fills = [
            d["rect"]
            for d in doc[r["page"] - 1].get_drawings()
            if d.get("fill") is not None and max(d["fill"]) < 0.2
        ]
        target = pymupdf.Rect(r["bbox"])
        assert any(
            abs(f.x0 - target.x0) < 0.5
            and abs(f.y0 - target.y0) < 0.5
            and abs(f.x1 - target.x1) < 0.5
            and abs(f.y1 - target.y1) < 0.5
            for f in fills
        ), r["id"]
    if name != "release_b":
        assert boxes


def test_vector_boxes_over_scan_hide_readable_image() -> None:
    """Under the vector box the page image still carries text (the leak)."""
    doc = open_pdf("release_a")
    leaks = redactions("release_a", leak="vector_over_scan")
    assert len(leaks) >= 5
    for r in leaks:
        page = doc[r["page"] - 1]
        pix = pymupdf.Pixmap(doc, page.get_images()[0][0])
        img = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width)
        s = pix.width / page.rect.width
        x0, y0, x1, y1 = (round(v * s) for v in r["bbox"])
        crop = img[y0:y1, x0:x1].astype(float)
        assert crop.mean() > 120, r["id"]  # mostly paper, not a burned-in box
        assert (crop < 90).mean() > 0.05, r["id"]  # with glyph ink in it


def test_bad_memo_redaction_leaks_text_and_applied_ones_do_not() -> None:
    doc = open_pdf("memo_born_digital")
    bad = redactions("memo_born_digital", leak="text_under_box")
    assert len(bad) == 1
    page = doc[bad[0]["page"] - 1]
    assert " ".join(words_in(page, bad[0]["bbox"])) == bad[0]["hidden_text"]
    applied = redactions("memo_born_digital", kind="vector", leak=None)
    assert len(applied) >= 8
    for r in applied:
        under = words_in(doc[r["page"] - 1], r["bbox"])
        assert under == r["label"].split() if r["label_position"] == "inside" else not under
        assert r["hidden_text"] not in doc[r["page"] - 1].get_text()


def test_ocr_layer_holds_hidden_words() -> None:
    doc = open_pdf("memo_born_digital")
    pages = [p for p in truth("memo_born_digital")["pages"] if p["kind"] == "scan+ocr_layer"]
    assert len(pages) == 1
    page = doc[pages[0]["page"] - 1]
    assert all(t["type"] == 3 for t in page.get_texttrace())  # invisible text only
    leaks = redactions("memo_born_digital", leak="ocr_layer_under_box")
    assert len(leaks) >= 4
    for r in leaks:
        assert words_in(page, r["bbox"]) == r["hidden_text"].split(), r["id"]


def test_memo_truth_words_match_text_layer() -> None:
    doc = open_pdf("memo_born_digital")
    for p in truth("memo_born_digital")["pages"]:
        if p["kind"] != "text":
            continue
        layer = doc[p["page"] - 1].get_text("words")
        for w in p["words"]:
            assert any(
                lw[4] == w["text"]
                and abs(lw[0] - w["bbox"][0]) < 1.0
                and abs(lw[3] - w["bbox"][3]) < 1.0
                for lw in layer
            ), w


def test_release_b_reveals_are_not_redacted_in_b() -> None:
    b, a = truth("release_b"), truth("release_a")
    a_by_id = {r["id"]: r for r in a["redactions"]}
    assert len(b["reveals"]) >= 8
    for rev in b["reveals"]:
        assert a_by_id[rev["a_id"]]["hidden_text"] == rev["text"]
        revealed = pymupdf.Rect(rev["b_bbox"])
        for r in redactions("release_b", page=rev["b_page"]):
            overlap = revealed & pymupdf.Rect(r["bbox"])
            assert overlap.is_empty or overlap.get_area() < 0.1 * revealed.get_area(), rev
        inside, ring = region_means("release_b", rev["b_page"], rev["b_bbox"])
        assert inside > 0.75 * ring  # printed text, not a box


def test_release_b_links_and_page_map() -> None:
    a_ids = {r["id"] for r in truth("release_a")["redactions"]}
    b = truth("release_b")
    b_ids = [r["id"] for r in b["redactions"]]
    assert sorted(link["b_id"] for link in b["links"]) == sorted(b_ids)
    for link in b["links"]:
        assert (link["status"] == "both") == (link["a_id"] in a_ids)
        assert link["status"] in ("both", "new")
    assert sum(link["status"] == "new" for link in b["links"]) >= 2
    assert len(b_ids) < len(a_ids)  # fewer redactions the second time
    for a_page, b_page in b["page_map"]:
        assert b["pages"][b_page - 1]["source_page"] == a_page
    assert b["pages"][0]["source_page"] is None


def test_withheld_page_then_released_in_part() -> None:
    withheld = [p for p in truth("release_a")["pages"] if p["kind"] == "withheld"]
    assert len(withheld) == 1
    full = redactions("release_a", style="full_page")
    assert len(full) == 1 and full[0]["exemptions"] == ["(b)(5)"]
    b_page = dict(truth("release_b")["page_map"])[withheld[0]["page"]]
    assert truth("release_b")["pages"][b_page - 1]["kind"] == "scan"
    assert redactions("release_b", page=b_page)


def test_bates_numbers_increment_and_are_visible_words() -> None:
    pages = truth("release_a")["pages"]
    assert [p["bates"] for p in pages] == [f"ICE-2026-FOIA-{n:06d}" for n in range(101, 113)]
    for p in pages:
        assert p["bates"] in [w["text"] for w in p["words"]]
    b_bates = [p["bates"] for p in truth("release_b")["pages"][1:]]
    assert b_bates == [f"ICE-2026-SUPP-{n:06d}" for n in range(1, 13)]


@pytest.mark.parametrize("name", NAMES)
def test_boxes_and_words_lie_on_the_page(name: str) -> None:
    doc = open_pdf(name)
    for p in truth(name)["pages"]:
        rect = doc[p["page"] - 1].rect  # unrotated mediabox space
        if doc[p["page"] - 1].rotation:
            rect = doc[p["page"] - 1].mediabox
        items = [w["bbox"] for w in p["words"]]
        items += [r["bbox"] for r in redactions(name, page=p["page"])]
        for x0, y0, x1, y1 in items:
            assert 0 <= x0 < x1 <= rect.width + 0.01 and 0 <= y0 < y1 <= rect.height + 0.01


def test_all_styles_are_represented() -> None:
    styles = {r["style"] for r in truth("release_a")["redactions"]}
    assert styles >= {
        "solid",
        "code_inside",
        "bordered_white",
        "grey_code_inside",
        "stippled",
        "block_line",
        "full_page",
    }
    labels = {r["label"] for r in truth("release_a")["redactions"]}
    assert "(b)(6);(b)(7)(C)" in labels
    groups = [r["group"] for r in truth("release_a")["redactions"] if r["group"]]
    assert max(groups.count(g) for g in set(groups)) >= 3


def test_total_size_under_10_mb() -> None:
    total = sum(f.stat().st_size for f in SAMPLES.rglob("*") if f.is_file())
    assert total < 10 * 1024 * 1024


@pytest.mark.slow
def test_generator_is_deterministic(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(SAMPLES / "make_samples.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for name in NAMES:
        fresh = json.loads((tmp_path / f"{name}.truth.json").read_text(encoding="utf-8"))
        assert fresh == truth(name), name
        assert (tmp_path / f"{name}.pdf").read_bytes() == (SAMPLES / f"{name}.pdf").read_bytes()
