"""Codes stacked small in two rows beside a box ("(b)(6);" over "(b)(7)(C)"), in a
line of prose, on scans at the limit of what Tesseract reads: 100 dpi, and
photocopied twice. Pages generated with PyMuPDF as the samples set them
(label 0.55 x the body size, rows 1.9 x apart), scanned, read back."""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
import pymupdf
import pytest
from PIL import Image
from test_detect_fixtures import scanned_pdf

from redactview.analysis import labels, labels_reread
from redactview.analysis.labels import CropRequest, ViewWord, split_lines
from redactview.analysis.labels_image import (
    binarise_adaptive,
    binarise_small_print,
)
from redactview.analysis.pipeline import PageTask, analyze_page
from redactview.core.exemptions import parse_exemptions
from redactview.core.geometry import Box
from redactview.ocr.tesseract import find_tesseract

needs_tesseract = pytest.mark.skipif(find_tesseract() is None, reason="Tesseract not installed")

BODY = 11.0
LABEL = 0.55 * BODY
PROSE = (", Deputy Chief Counsel", " has asked for the file", ", Section Chief", " and the team")
STACKED = ("(b)(6)", "(b)(7)(C)")


def stacked_line(page: pymupdf.Page, k: int, top: float = 100.0) -> tuple[Box, float]:
    """Line ``k``: "THROUGH: [box] (b)(6); / (b)(7)(C) <prose>". Returns the box
    and where the prose's first word starts (PDF points)."""
    base = top + 34 * k
    page.insert_text((72, base), "THROUGH:", fontsize=BODY, fontname="helv")
    x0 = 132 + 7 * (k % 3)
    x1 = x0 + 80 + 11 * k
    page.draw_rect((x0, base - 9, x1, base + 3), color=None, fill=(0, 0, 0))
    page.insert_text((x1 + 3, base - 0.95 * LABEL), "(b)(6);", fontsize=LABEL, fontname="hebo")
    page.insert_text((x1 + 3, base + 0.1 * LABEL), "(b)(7)(C)", fontsize=LABEL, fontname="hebo")
    prose = PROSE[k % len(PROSE)]
    x = x1 + 3 + pymupdf.get_text_length("(b)(7)(C)", "hebo", LABEL)
    page.insert_text((x, base), prose, fontsize=BODY, fontname="helv")
    lead = prose[: len(prose) - len(prose.lstrip(", "))]  # ", " before the first word
    return Box(x0, base - 9, x1, base + 3), x + pymupdf.get_text_length(lead, "helv", BODY)


def photocopy(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Twice: blur, crush the tones, grain and toner dust (bench/detect_bench.py's look)."""
    f = img.astype(np.float32)
    for _ in range(2):
        f = cv2.GaussianBlur(f, (0, 0), 0.9)
        f = np.clip((f - 60) * 1.5 + 40, 0, 255)
        f += rng.normal(0, 6, f.shape)
        f[rng.random(f.shape) < 0.001] = 30
    return np.clip(f, 0, 255).astype(np.uint8)


def save_as_scan(img: np.ndarray, path: Path) -> None:
    """``img`` (a letter page's grey pixels) saved as a one-page PDF of a JPEG scan."""
    buf = io.BytesIO()
    Image.fromarray(img, mode="L").save(buf, format="JPEG", quality=80)
    out = pymupdf.open()
    out.new_page(width=612, height=792).insert_image(
        pymupdf.Rect(0, 0, 612, 792), stream=buf.getvalue()
    )
    out.save(path)


def scanned(lines: int, dpi: int, *, copied: bool, path: Path) -> tuple[Path, list[Box]]:
    """A page of stacked-code lines, scanned at ``dpi`` (and photocopied) as a JPEG page."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    boxes = [stacked_line(page, k)[0] for k in range(lines)]
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    img = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width).copy()
    if copied:
        img = photocopy(img, np.random.default_rng(7))
    save_as_scan(img, path)
    return path, boxes


def test_stacked_rows_end_where_the_line_s_prose_begins() -> None:
    # Cut at full width, each row carried the top or the bottom half of the
    # prose ("Deputy Chief"), read as junk beside the code.
    doc = pymupdf.open()
    page = doc.new_page(width=400, height=80)
    box, prose = stacked_line(page, 0, top=40)
    view = page.get_pixmap(dpi=300, colorspace=pymupdf.csGRAY)
    pixels = np.frombuffer(view.samples, np.uint8).reshape(view.height, view.width)
    zoom = 300 / 72
    request = labels.right_request(pixels, box.scaled(zoom))
    assert request is not None
    rows = split_lines(request)
    assert len(rows) == 2
    prose_in_crop = prose * zoom - request.origin[0]
    code_end = (box.x1 + 3 + pymupdf.get_text_length("(b)(7)(C)", "hebo", LABEL)) * zoom
    for row in rows:
        assert code_end - request.origin[0] <= row.crop.shape[1] < prose_in_crop


def test_a_crop_without_prose_beside_its_rows_keeps_its_width() -> None:
    crop = np.full((40, 200), 240, np.uint8)
    crop[6:14, 4:60:2] = 30  # row 1
    crop[22:30, 4:80:2] = 30  # row 2, nothing tall after them
    rows = split_lines(CropRequest(crop, (0, 0)))
    assert len(rows) == 2
    assert all(row.crop.shape[1] == 200 for row in rows)


def test_a_short_code_s_rows_are_cut_apart_when_prose_follows_close() -> None:
    # "(b)(6);" over "(b)(7)(C) and the team", as a scan 1-1.5 deg askew had it:
    # the prose's x-height, within two crop heights of the code, made the second
    # row weigh most and the shorter first row fell under the dense level.
    crop = np.full((40, 200), 240, np.uint8)
    crop[6:14, 4:40:2] = 30  # row 1, short
    crop[22:30, 4:60:2] = 30  # row 2
    crop[18:30, 64:200:2] = 30  # the prose's x-height, as tall as a row and more
    crop[6:18, 64:200:6] = 30  # and its ascenders, across the white between the rows
    rows = split_lines(CropRequest(crop, (0, 0)))
    assert len(rows) == 2
    assert rows[0].crop.shape[0] < 16 and rows[1].origin[1] >= 14


def touching_rows_at_100_dpi() -> np.ndarray:
    """Two rows of small print as a 100 dpi scan's close-up has them (shrunk back to
    its own pixels, as ``page_ocr._sharpen`` does): 6 px x-height bands of dark
    stroke cores (~90), and the blur joining them through the rows between in
    a lighter grey (~150), in every stroke's column (measured on the bench's
    100 dpi variant: darkest pixel per row ~95 in the rows, 142 between)."""
    crop = np.full((22, 70), 236, np.uint8)
    for top in (4, 12):
        crop[top : top + 6, 4:50:2] = 90
    crop[10:12, 4:50:2] = 150
    return crop


def test_touching_rows_of_a_100_dpi_scan_are_cut_apart() -> None:
    crop = touching_rows_at_100_dpi()
    level, _ = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    counted = (crop <= level).sum(axis=1)
    assert counted[10] == counted[6]  # counted pixel for pixel, no row is lighter
    rows = split_lines(CropRequest(crop, (0, 0)))
    assert len(rows) == 2
    assert rows[0].crop.shape[0] < crop.shape[0] * 0.75


def test_the_local_level_keeps_faint_brackets_the_small_print_cut_drops() -> None:
    # Photocopied twice, the cores of "b" and "6" stay dark (~60) while the thin
    # brackets fade to ~170 on ~240 paper: one level nearer the ink drops them.
    big = np.full((60, 120), 240, np.uint8)
    big[15:45, 40:48] = 60  # a bold stroke
    big[12:48, 20:23] = 170  # a faint bracket
    otsu, _ = cv2.threshold(big, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    assert (binarise_small_print(big, otsu)[12:48, 20:23] == 255).all()
    adaptive = binarise_adaptive(big)
    assert (adaptive[12:48, 20:23] == 0).mean() > 0.9
    assert (adaptive[15:45, 40:48] == 0).mean() > 0.5


def word(text: str, x0: float = 0.0) -> ViewWord:
    return ViewWord(Box(x0, 0, x0 + 10, 8), text)


@pytest.mark.parametrize(
    ("first", "again"),
    [
        (["(ONG)"], True),  # a code's shape, parsed as none
        (["(DNS)."], True),
        ([], False),  # nothing read: slivers of the lines around, not worth a run
        (["(b)(6);"], False),  # read
        (["has", "asked", "for"], False),  # prose beside a box with no code
    ],
)
def test_only_rows_that_look_like_an_unread_code_are_read_again(
    monkeypatch: pytest.MonkeyPatch, first: list[str], again: bool
) -> None:
    calls: list[list[CropRequest]] = []

    def fake_sheet(requests: list[CropRequest], **_: object) -> list[list[ViewWord]]:
        calls.append(requests)
        return [[word("(0K6);")] if r.method == "adaptive" else [word("(ONG)")] for r in requests]

    monkeypatch.setattr(labels, "read_sheet", fake_sheet)
    request = CropRequest(np.full((10, 40), 240, np.uint8), (0, 0))
    words = [word(t, 12.0 * k) for k, t in enumerate(first)]
    out = labels_reread.read_again([request], [words])
    assert bool(calls) == again
    if again:
        assert [r.method for r in calls[0]] == list(labels_reread.ALTERNATES)
        assert parse_exemptions(" ".join(w.text for w in out[0])) == ("(b)(6)",)
    else:
        assert out[0] == words


def count_stacked(path: Path, boxes: list[Box]) -> int:
    result = analyze_page(PageTask(str(path), 1, "0" * 64, 150.0, ocr=True))
    return sum(
        r.exemptions == STACKED and any(r.box.iou(b) > 0.5 for b in boxes)
        for r in result.redactions
    )


@needs_tesseract
@pytest.mark.slow
@pytest.mark.parametrize(("dpi", "copied"), [(100, False), (200, True)])
def test_stacked_codes_at_the_limit_read_on_a_second_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dpi: int, copied: bool
) -> None:
    path, boxes = scanned(8, dpi, copied=copied, path=tmp_path / "page.pdf")
    read = count_stacked(path, boxes)
    monkeypatch.setattr(labels_reread, "ALTERNATES", ())
    first_only = count_stacked(path, boxes)
    # When written: 100 dpi 8/8 (5/8 from the first reading alone), photocopied
    # twice 6/8 (0/8).
    assert read >= 6
    assert read >= first_only + 2


@pytest.mark.parametrize(
    ("text", "again"),
    [
        ("(b)(6) (om7aCs", True),  # a (7) whose subparagraph's letters are there
        ("(DNG) {OK 7KC)", True),  # its first code's shape read as none
        ("(b)(6);(b)(7)(C)", False),
        ("(bX 7KC)", False),  # its first word only the start of the code
        ("(b)(7) has asked for", False),  # a (7) and prose
        ("(b)(6) Please send", False),
    ],
)
def test_codes_read_in_part_are_read_again(text: str, again: bool) -> None:
    words = [word(t, 12.0 * k) for k, t in enumerate(text.split())]
    assert labels_reread.looks_unread(words) == again


def test_the_alternate_holding_the_most_of_a_code_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    readings = {"adaptive": ["(DM7)"], "grey": ["(DM7KC)"]}

    def fake_sheet(requests: list[CropRequest], **_: object) -> list[list[ViewWord]]:
        return [[word(t) for t in readings[r.method]] for r in requests]

    monkeypatch.setattr(labels, "read_sheet", fake_sheet)
    request = CropRequest(np.full((10, 40), 240, np.uint8), (0, 0))
    first = [word("(om7aCs")]
    out = labels_reread.read_again([request], [first])
    assert [w.text for w in out[0]] == ["(DM7KC)"]  # (b)(7)(C) over (b)(7)
    readings["grey"] = ["(DM7)"]
    assert labels_reread.read_again([request], [first])[0] == first  # no better: kept


def codes_in_bars(path: Path) -> list[tuple[Box, tuple[str, ...]]]:
    """Black bars with their code printed white inside (8 pt, or 5.5 pt for two
    codes in a short box), under lines of prose, scanned at 200 dpi and
    photocopied twice, as release_a p4."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    printed = ("(b)(5)", "(b)(6);(b)(7)(C)", "(b)(4)", "(b)(6)")
    bars = []
    for k in range(8):
        y, code = 90 + 40 * k, printed[k % 4]
        prose = "For internal planning of the next phase only."
        page.insert_text((72, y - 12), prose, fontsize=10, fontname="tiro")
        size, w = (5.5, 60 + 40 * (k % 3)) if ";" in code else (8.0, 300 - 20 * k)
        page.draw_rect((72, y - 9, 72 + w, y + 6), color=None, fill=(0, 0, 0))
        x = 72 + (w - pymupdf.get_text_length(code, "hebo", size)) / 2
        page.insert_text((x, y + 0.5), code, fontsize=size, fontname="hebo", color=(1, 1, 1))
        bars.append((Box(72, y - 9, 72 + w, y + 6), parse_exemptions(code)))
    pix = page.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)
    img = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width)
    img = photocopy(img, np.random.default_rng(7))
    save_as_scan(img, path)
    return bars


def count_inside(path: Path, bars: list[tuple[Box, tuple[str, ...]]]) -> int:
    result = analyze_page(PageTask(str(path), 1, "0" * 64, 150.0, ocr=True))
    return sum(
        r.exemptions == codes and r.box.iou(box) > 0.5
        for r in result.redactions
        for box, codes in bars
    )


@needs_tesseract
@pytest.mark.slow
def test_codes_inside_photocopied_bars_read_on_a_second_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bars.pdf"
    bars = codes_in_bars(path)
    read = count_inside(path, bars)
    monkeypatch.setattr(labels_reread, "ALTERNATES", ())
    first_only = count_inside(path, bars)
    # When written: 7/8 (6/8 from the first reading alone: "(DNG) {OK 7KC)"
    # gave only (b)(7)(C), one short box read nothing).
    assert read >= 7
    assert read > first_only


def turned_at(
    page: pymupdf.Page, deg: float, dpi: int, rects: list[tuple[float, float, float, float]]
) -> tuple[np.ndarray, list[Box]]:
    """The page scanned ``deg`` degrees askew at ``dpi`` (as the close-up render
    of a 300 dpi scan is), and each rect's upright bbox after the turn (pixels)."""
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    img = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width)
    h, w = img.shape
    m = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), deg, 1.0)
    view = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=235)
    s, out = dpi / 72, []
    for r in rects:
        q = np.array([[x * s, y * s, 1.0] for x in r[0::2] for y in r[1::2]]) @ m.T
        out.append(Box(*q.min(axis=0), *q.max(axis=0)))
    return view, out


def tilted_stacked_lines(deg: float) -> tuple[np.ndarray, Box, Box]:
    """Two lines as on release_a p1, the page turned ``deg`` degrees as a skewed
    scan at 150 dpi: "THROUGH: [box] (b)(6); / (b)(7)(C) , Deputy Chief", then
    "FROM: [box] (b)(6);(b)(7)(C) Section Chief" in 11 pt bold. Returns the
    view, the first box's upright bbox and that of its first code row."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    box, _ = stacked_line(page, 0, top=150)
    page.insert_text((72, 164), "FROM:", fontsize=BODY, fontname="helv")
    page.draw_rect((110, 155, 175, 167), color=None, fill=(0, 0, 0))
    page.insert_text((178, 164), "(b)(6);(b)(7)(C) Section Chief", fontsize=BODY, fontname="hebo")
    row = (box.x1 + 3, 150 - 1.7 * LABEL, box.x1 + 25, 150 - 0.95 * LABEL + 1)
    view, (tilted, first_row) = turned_at(page, deg, 150, [box.as_tuple(), row])
    return view, tilted, first_row


@pytest.mark.parametrize("deg", [3.0, -3.0])
def test_the_crop_beside_a_tilted_box_is_as_high_as_its_right_end(
    monkeypatch: pytest.MonkeyPatch, deg: float
) -> None:
    # A long box turned 3 deg has an upright bbox a third higher than itself;
    # the crop right of it that high took in the next line's bold code, which
    # outweighed the two small rows (release_a p1's first box on the 3 deg
    # variant lost its first row). It is cut at the box's right end now, a
    # little higher on the side the line climbs to.
    view, box, first_row = tilted_stacked_lines(deg)
    request = labels.right_request(view, box)
    assert request is not None
    top, bottom = request.origin[1], request.origin[1] + request.crop.shape[0]
    assert top <= first_row.y0 + 1 and bottom >= first_row.y1  # the first row is in
    monkeypatch.setattr(labels, "right_end_rows", lambda _view, b: (b.y0, b.y1))
    envelope = labels.right_request(view, box)
    assert envelope is not None
    assert request.crop.shape[0] <= envelope.crop.shape[0] - 4


def test_an_empty_row_is_read_again_only_as_a_stacked_code_s_row() -> None:
    # A full-height row of a stacked code on a grainy scan read nothing at first
    # (noise variant p9); slivers of the lines around, not rows, never read.
    assert labels_reread.looks_unread([], stacked=True)
    assert not labels_reread.looks_unread([], stacked=False)


@needs_tesseract
@pytest.mark.slow
def test_a_short_stacked_code_with_prose_close_after_it_is_read_on_a_page_askew(
    tmp_path: Path,
) -> None:
    # Lines 3 and 7 end "(b)(7)(C) and the team"; scanned 1 deg askew, neither
    # box had a code (no cut was found between the rows); the rest were read.
    drawn: list[Box] = []

    def draw(page: pymupdf.Page) -> None:
        drawn.extend(stacked_line(page, k)[0] for k in range(8))

    path = scanned_pdf(draw, tmp_path / "askew.pdf", skew=-1.0)
    result = analyze_page(PageTask(str(path), 1, "0" * 64, 150.0, ocr=True))
    for k in (3, 7):
        found = [r for r in result.redactions if r.box.iou(drawn[k]) > 0.5]
        assert [r.exemptions for r in found] == [STACKED]
