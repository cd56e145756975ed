"""Small print beside a box read close up: the sharp clip render, the cut between
touching rows of a stacked code, rules whitened before OCR, and the whole page step."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pymupdf
import pytest
from test_detect_fixtures import black, scanned_pdf

from redactview.analysis.labels import (
    CropRequest,
    ViewWord,
    in_reading_order,
    label_inside,
    read_beside,
    split_lines,
)
from redactview.analysis.labels_image import (
    binarise_small_print,
    erase_edge_debris,
    erase_rules,
    level_inside,
)
from redactview.analysis.pipeline import PageTask, analyze_page
from redactview.core.geometry import Box
from redactview.pdf.render import render_clip


def rows_of_print(rows: list[tuple[int, int]], width: int = 120) -> np.ndarray:
    """A white crop with dark bars of 'print' (x-height bands) on the given rows,
    each with sparse ascender pixels above, as small bold type looks."""
    crop = np.full((max(b for _, b in rows) + 6, width), 235, np.uint8)
    for top, bottom in rows:
        crop[top:bottom, 4 : width - 10 : 2] = 30  # letter stems, every other column
        crop[top - 2 : top, 4 : width - 10 : 9] = 30  # a few ascenders
    return crop


def test_touching_rows_are_cut_apart_with_their_origins() -> None:
    # Two rows whose ascenders touch the row above: no blank row between them.
    crop = rows_of_print([(4, 14), (16, 26)])
    parts = split_lines(CropRequest(crop, (100, 50), scale=4.0, zoom=2.0))
    assert len(parts) == 2
    # Each part holds its row of print, and says where it sits (crop pixels / zoom).
    for part, (top, bottom) in zip(parts, [(4, 14), (16, 26)], strict=True):
        start = (part.origin[1] - 50) * 2
        assert start <= top and bottom <= start + part.crop.shape[0] + 1
        assert part.origin[0] == 100
    assert parts[0].origin[1] + parts[0].crop.shape[0] / 2 <= parts[1].origin[1] + 1


def test_stray_tops_of_the_next_line_are_trimmed_off() -> None:
    crop = np.vstack([rows_of_print([(4, 14), (16, 26)]), np.full((10, 120), 235, np.uint8)])
    crop[36:40, 4:40:3] = 30  # letter tops of the line below, after a band of paper
    parts = split_lines(CropRequest(crop, (0, 0)))
    assert len(parts) == 2
    assert parts[1].origin[1] + parts[1].crop.shape[0] < 36


def test_one_line_of_print_stays_whole() -> None:
    crop = rows_of_print([(5, 17)])
    assert len(split_lines(CropRequest(crop, (0, 0)))) == 1


def test_a_rule_under_print_is_whitened_and_the_print_kept() -> None:
    binary = np.full((40, 300), 255, np.uint8)
    binary[10:22, 20:200:3] = 0  # letters
    binary[30:32, 0:300] = 0  # the sloping edge of a box, caught in the crop
    out = erase_rules(binary)
    assert (out[29:33] == 255).all()
    assert (out[10:22, 20:200:3] == 0).all()


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_clip_render_maps_back_to_the_unrotated_box(rotation: int) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=300, height=200)
    black(page, (40, 30, 90, 44))
    page.set_rotation(rotation)
    clip = render_clip(page, Box(30, 20, 110, 60), 300)
    h, w = clip.pixels.shape[:2]
    tall, wide = (h, w) if rotation in (0, 180) else (w, h)
    assert abs(tall - 40 * 300 / 72) <= 2 and abs(wide - 80 * 300 / 72) <= 2
    ys, xs = np.nonzero(clip.pixels < 128)
    got = clip.pixel_box_to_page(xs.min(), ys.min(), xs.max() + 1, ys.max() + 1)
    assert got.iou(Box(40, 30, 90, 44)) > 0.95, got


@pytest.mark.slow
def test_a_code_stacked_small_in_two_rows_is_read_whole(tmp_path: Path) -> None:
    """5.5 pt bold, two rows set solid beside the box: Tesseract read such a pair
    as one line of tall glyphs and got one code or none."""

    def draw(p: pymupdf.Page) -> None:
        p.insert_text((72, 206), "Sent by", fontsize=10.5, fontname="helv")
        black(p, (115, 196, 190, 209))
        p.insert_text((192, 201.5), "(b)(6);", fontsize=5.5, fontname="hebo")
        p.insert_text((192, 207.5), "(b)(7)(C)", fontsize=5.5, fontname="hebo")
        p.insert_text((218, 206), "to the field office.", fontsize=10.5, fontname="helv")

    path = scanned_pdf(draw, tmp_path / "stacked.pdf")
    result = analyze_page(PageTask(str(path), 1, "0" * 64, 150.0))
    assert len(result.redactions) == 1, result.redactions
    assert result.redactions[0].exemptions == ("(b)(6)", "(b)(7)(C)")


def test_a_box_s_edges_read_as_marks_are_not_part_of_its_label() -> None:
    words = [
        ViewWord(Box(10 * k, 0, 10 * k + 8, 8), t) for k, t in enumerate(["|", "(b)", "(5)", "|."])
    ]
    label = label_inside(words)
    assert label.text == "(b) (5)" and label.exemptions == ("(b)(5)",)
    assert [w.text for w in label.words] == ["(b)", "(5)"]
    assert label_inside([words[0]]).text == ""  # nothing but an edge: no label


def test_what_is_read_unsurely_after_the_code_inside_is_not_part_of_its_label() -> None:
    def read(*placed: tuple[str, float]) -> list[ViewWord]:
        return [ViewWord(Box(30 * k, 0, 30 * k + 25, 8), t, c) for k, (t, c) in enumerate(placed)]

    grain = read(("(b)", 13), ("(5)", 5), ("LLL", 9), ("LYE", 4), ("BEL", 21), ("—", 20))
    assert label_inside(grain).text == "(b) (5)"
    statute = read(("(b)(3):", 80), ("50", 77), ("USC", 85), ("3024(i)", 70), ("ee", 3))
    assert label_inside(statute).text == "(b)(3): 50 USC 3024(i)"
    assert label_inside(read(("REDACTED", 90), ("Sa", 12))).text == "REDACTED"


@pytest.mark.slow
def test_the_code_in_the_middle_of_a_half_page_block_is_read(tmp_path: Path) -> None:
    """A section withheld as one block: its code, 12 pt bold, is a tenth of a
    percent of the block, under the share of the box once asked of print inside."""

    def draw(p: pymupdf.Page) -> None:
        p.insert_text((72, 110), "The following describes the methods used.", fontsize=11)
        black(p, (72, 125, 540, 420))
        p.insert_text((280, 280), "(b)(7)(E)", fontsize=12, fontname="hebo", color=(1, 1, 1))

    path = scanned_pdf(draw, tmp_path / "half.pdf")
    result = analyze_page(PageTask(str(path), 1, "0" * 64, 150.0))
    assert [(r.exemptions, r.label_position) for r in result.redactions] == [
        (("(b)(7)(E)",), "inside")
    ]


@pytest.mark.slow
def test_codes_in_thin_white_type_inside_black_boxes_are_read(tmp_path: Path) -> None:
    """Courier 8 pt in white on black boxes in a line of 12 pt Times: none of the
    four codes was read (the boxes were taken for plain ones, their inside never OCR'd)."""
    codes = ["(b)(6)", "(b)(7)(C)", "(b)(5)", "(b)(7)(D)"]

    def draw(p: pymupdf.Page) -> None:
        for k, code in enumerate(codes):
            y = 120 + 40 * k
            p.insert_text((72, y), "Witness:", fontsize=12, fontname="tiro")
            x1 = 212 + 10 * k
            black(p, (122, y - 10, x1, y + 3))
            p.insert_text((124, y - 1), code, fontsize=8, fontname="cour", color=(1, 1, 1))
            p.insert_text((x1 + 3, y), "was interviewed there.", fontsize=12, fontname="tiro")

    path = scanned_pdf(draw, tmp_path / "thin.pdf")
    result = analyze_page(PageTask(str(path), 1, "0" * 64, 150.0))
    found = sorted(result.redactions, key=lambda r: r.box.y0)
    assert [r.exemptions for r in found] == [(c,) for c in codes]
    assert {r.label_position for r in found} == {"inside"}


def test_slivers_at_a_crops_edge_are_whitened_and_its_print_kept() -> None:
    binary = np.full((60, 300), 255, np.uint8)
    binary[20:42, 100:110] = 0  # a glyph of the crop's own line
    binary[0:4, 10:40] = 0  # descenders of the line above, cut by the top edge
    binary[25:29, 0:6] = 0  # the soft edge of the box the label sits in
    binary[30:50, 294:300] = 0  # a glyph cut by the right edge of a crop right of a box
    out = erase_edge_debris(binary)
    assert (out[0:4, 10:40] == 255).all() and (out[25:29, 0:6] == 255).all()
    assert (out[20:42, 100:110] == 0).all()
    kept = erase_edge_debris(binary, keep_right=True)
    assert (kept[30:50, 294:300] == 0).all()


def test_a_white_box_s_sides_at_the_crop_s_ends_are_whitened() -> None:
    binary = np.full((100, 600), 255, np.uint8)
    binary[20:92, 0:4] = 0  # the box's left side, cut into by the crop
    binary[15:91, 589:600] = 0  # its right side, blurred and a little askew
    binary[30:66, 40:68] = 0  # print
    out = erase_edge_debris(binary)
    assert (out[20:92, 0:4] == 255).all() and (out[15:91, 589:600] == 255).all()
    assert (out[30:66, 40:68] == 0).all()
    # A bracket of the code touching the crop's end is a third as wide as tall.
    bracket = np.full((100, 600), 255, np.uint8)
    bracket[25:80, 0:16] = 0
    assert (erase_edge_debris(bracket)[25:80, 0:16] == 0).all()
    # Right of a box the crop ends anywhere: what stands at its right end is print.
    kept = erase_edge_debris(binary, keep_right=True)
    assert (kept[15:91, 589:600] == 0).all()


def test_a_short_rule_inside_the_crop_is_whitened() -> None:
    """A stretch of box edge above a code, too short for ``erase_rules`` (under a
    third of the crop's width): Tesseract read the code under it as "(by)"."""
    binary = np.full((60, 600), 255, np.uint8)
    binary[8:10, 150:300] = 0
    binary[20:44, 320:330] = 0  # print
    binary[30:33, 340:352] = 0  # a dash in the print stays
    out = erase_edge_debris(binary)
    assert (out[8:10, 150:300] == 255).all()
    assert (out[20:44, 320:330] == 0).all() and (out[30:33, 340:352] == 0).all()


def test_small_print_is_cut_nearer_the_ink_so_glyph_gaps_stay_open() -> None:
    # Two 6 px strokes 2 px apart, blurred: a ")(" of 5 pt bold on a soft scan.
    row = np.full(80, 235.0)
    row[20:26] = 40.0
    row[28:34] = 40.0
    blurred = cv2.GaussianBlur(np.tile(row, (20, 1)).astype(np.uint8), (0, 0), 1.6)
    otsu, binary = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    assert (binary[10, 20:34] == 0).all()  # Otsu's level closes the gap
    thin = binarise_small_print(blurred, otsu)
    assert (thin[10, 26:28] == 255).all()  # the gap stays open
    assert (thin[10, 22:25] == 0).all() and (thin[10, 29:32] == 0).all()


def test_stacked_rows_are_read_row_by_row_whatever_their_tops() -> None:
    """OCR gave "7KC)" (tall 7) a top above "(bX" of the same row: sorting words by
    their tops put the row's end before its start and the code was lost."""
    box = Box(507, 156, 831, 186)
    words = [
        ViewWord(Box(837, 141, 869, 168), "(b)(6);"),
        ViewWord(Box(837, 170, 854, 180), "(bX"),
        ViewWord(Box(857, 164, 882, 184), "7KC)"),
    ]
    assert [w.text for w in in_reading_order(words)] == ["(b)(6);", "(bX", "7KC)"]
    assert read_beside(box, words).exemptions == ("(b)(6)", "(b)(7)(C)")


def tilted_outline(deg: float) -> np.ndarray:
    """The upright bbox crop of a 60 x 12 pt outlined box at 150 dpi, tilted
    ``deg``, with a line of "print" (a 3 px bar) along its middle."""
    img = np.full((120, 220), 235, np.uint8)
    cv2.rectangle(img, (48, 47), (172, 72), 30, 2)
    img[58:61, 70:150] = 30
    m = cv2.getRotationMatrix2D((110, 60), deg, 1.0)
    img = cv2.warpAffine(img, m, (220, 120), borderValue=235)
    ys, xs = np.nonzero(img < 128)
    return img[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


def print_rows(crop: np.ndarray) -> int:
    """Rows the bar of print spans: inked in the middle columns, but not across
    the whole crop as a level edge of the box is."""
    w = crop.shape[1]
    dark = crop < 128
    return int((dark[:, w // 3 : 2 * w // 3].any(axis=1) & (dark.mean(axis=1) < 0.9)).sum())


def test_a_tilted_box_is_read_level() -> None:
    """Cut upright, the print inside a box tilted 3° slants across twice its rows
    (and its ends are cut off by the inset); turned level it is one line again."""
    crop = tilted_outline(3.0)
    level = level_inside(crop)
    assert level is not None
    h = crop.shape[0]
    upright = crop[int(h * 0.2) : h - int(h * 0.2), int(h * 0.2) : -int(h * 0.2)]
    assert print_rows(level) <= 4 < print_rows(upright)
    assert level_inside(tilted_outline(0.2)) is None  # level enough: cut upright
