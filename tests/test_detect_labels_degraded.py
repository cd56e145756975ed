"""Exemption codes read from degraded scans: print generated with PyMuPDF, degraded
the way real agency scans are (grain, toner dust, grey paper), read back with
Tesseract through the label crop preparation."""

from __future__ import annotations

import cv2
import numpy as np
import pymupdf
import pytest

from redactview.analysis import labels
from redactview.analysis.labels import CropRequest, read_beside, read_sheet
from redactview.analysis.labels_image import (
    NOISY,
    blank_box_shapes,
    blank_boxes,
    measure_noise,
    prepare_for_ocr,
)
from redactview.core.exemptions import parse_exemptions
from redactview.core.geometry import Box
from redactview.ocr.tesseract import find_tesseract

needs_tesseract = pytest.mark.skipif(find_tesseract() is None, reason="Tesseract not installed")


def printed(text: str, *, size: float = 7.0, dpi: int = 300, width: float = 90) -> np.ndarray:
    """A grey strip with ``text`` printed in Helvetica bold, as a scan renders it."""
    doc = pymupdf.open()
    page = doc.new_page(width=width, height=size * 2.2)
    page.insert_text((4, size * 1.5), text, fontsize=size, fontname="hebo")
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    return np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width).copy()


def grainy(img: np.ndarray, seed: int = 1, paper: int = 225) -> np.ndarray:
    """Scanner grain (sigma 10) on a grey paper, and toner dust (0.2 % of pixels)."""
    rng = np.random.default_rng(seed)
    out = img.astype(np.float32) * (paper / 255) + rng.normal(0, 10, img.shape)
    out[rng.random(img.shape) < 0.002] = 20
    return np.clip(out, 0, 255).astype(np.uint8)


def codes(words: list[labels.ViewWord]) -> tuple[str, ...]:
    return parse_exemptions(" ".join(w.text for w in words))


def test_noise_is_measured_on_grainy_crops_only() -> None:
    clean = printed("(b)(7)(C)")
    assert measure_noise(clean) < NOISY
    assert measure_noise(grainy(clean)) > NOISY


def test_boxes_are_blanked_where_they_are_in_a_zoomed_crop() -> None:
    crop = np.full((40, 300), 25, np.uint8)  # a crop rendered at twice the view's dpi
    blank_boxes(crop, [Box(100, 0, 150, 10)], (50, 0), zoom=2.0)
    assert (crop[:20, 100:200] == 255).all()
    assert (crop[20:] == 25).all() and (crop[:, 200:] == 25).all() and (crop[:, :100] == 25).all()


def tilted_box(angle: float, length: float = 300.0) -> tuple[np.ndarray, Box]:
    """A ``length`` x 24 px black box turned ``angle`` degrees on white, and its bbox."""
    crop = np.full((120, 500), 255, np.uint8)
    corners = cv2.boxPoints(((250.0, 60.0), (length, 24.0), angle))
    cv2.fillPoly(crop, [np.round(corners).astype(np.int32)], 10)
    x, y, w, h = cv2.boundingRect((crop < 128).astype(np.uint8))
    return crop, Box(x, y, x + w, y + h)


def outline_only(crop: np.ndarray) -> None:
    """Whiten the inside of ``tilted_box(2.0)``'s box, leaving a 3 px outline."""
    inside = cv2.boxPoints(((250.0, 60.0), (294.0, 18.0), 2.0))
    cv2.fillPoly(crop, [np.round(inside).astype(np.int32)], 255)


@pytest.mark.parametrize(("mirrored", "outlined"), [(False, False), (True, False), (False, True)])
def test_a_tilted_box_is_painted_out_as_its_own_rectangle(mirrored: bool, outlined: bool) -> None:
    crop, bbox = tilted_box(2.0)
    if outlined:  # a white box with a thin border: the border's rectangle is the box's
        outline_only(crop)
    # print in the corners of the bbox, outside the box: the next line's words
    crop[int(bbox.y1) - 4 : int(bbox.y1), int(bbox.x0) + 2 : int(bbox.x0) + 12] = 20
    crop[int(bbox.y0) : int(bbox.y0) + 4, int(bbox.x1) - 12 : int(bbox.x1) - 2] = 20
    if mirrored:  # tilted the other way
        crop = np.ascontiguousarray(crop[:, ::-1])
        bbox = Box(crop.shape[1] - bbox.x1, bbox.y0, crop.shape[1] - bbox.x0, bbox.y1)
    blank_box_shapes(crop, [bbox], (0, 0))
    if mirrored:
        crop = crop[:, ::-1]
        bbox = Box(crop.shape[1] - bbox.x1, bbox.y0, crop.shape[1] - bbox.x0, bbox.y1)
    assert (crop[int(bbox.y1) - 4 : int(bbox.y1), int(bbox.x0) + 2 : int(bbox.x0) + 6] == 20).all()
    assert (crop[int(bbox.y0) : int(bbox.y0) + 4, int(bbox.x1) - 6 : int(bbox.x1) - 2] == 20).all()
    assert (crop[50:70, 150:350] == 255).all()  # the box itself is gone, edges and all
    assert int((crop == 10).sum()) == 0


@pytest.mark.parametrize("kind", ["upright", "short", "cut"])
def test_an_upright_short_or_cut_box_is_painted_out_as_its_bbox(kind: str) -> None:
    crop, bbox = tilted_box(0.0)
    if kind == "short":  # 1.5 degrees over 200 px rises 5 px, short of the next line
        crop, bbox = tilted_box(1.5, 200.0)
    if kind == "cut":  # a tilted box the crop cuts 6 px short of its bottom
        crop, bbox = tilted_box(2.0)
        crop = np.ascontiguousarray(crop[: int(bbox.y1) - 6])
    x0, y0, x1, y1 = (int(v) for v in bbox.as_tuple())
    # print in the bbox's top right corner, outside a box tilted down to the left: a
    # bbox painted whole takes it too
    crop[y0 : y0 + 3, x1 - 8 : x1 - 2] = 20
    blank_box_shapes(crop, [bbox], (0, 0))
    assert (crop[y0:y1, x0:x1] == 255).all()
    assert (crop[:y0] == 255).all() and (crop[y1:] == 255).all()


def test_grainy_paper_alone_comes_out_blank_and_print_is_kept() -> None:
    # Otsu splits grain in half when nothing is printed: the black field it
    # made was read as junk and upset the layout of the whole OCR sheet.
    blank = grainy(np.full((70, 400), 255, np.uint8), paper=215)
    blank[:, 150:] = 30  # another box over most of the crop, blanked out
    blank_boxes(blank, [Box(150, 0, 400, 70)], (0, 0))
    for small_print in (False, True):
        out = prepare_for_ocr(blank, invert=False, scale=2.0, small_print=small_print)
        assert not (out < 128).any()
    text = printed("(b)(5)")
    base = np.full((70, 400), 255, np.uint8)
    base[: text.shape[0], : text.shape[1]] = text
    out = prepare_for_ocr(grainy(base, paper=215), invert=False, scale=2.0, small_print=True)
    assert 0.005 < float((out < 128).mean()) < 0.1  # the print, without the grain


@needs_tesseract
@pytest.mark.parametrize(
    ("size", "dpi", "zoom", "scale"),
    [(5.5, 300, 2.0, 4.0), (7.0, 150, 1.0, 2.0)],
    ids=["5.5pt-close-up", "7pt-150dpi"],
)
def test_code_on_grainy_scan_reads_after_despeckle(
    size: float, dpi: int, zoom: float, scale: float
) -> None:
    # Without the median, 3 of 12 such crops (5.5 pt) and 2 of 12 (7 pt at
    # 150 dpi) read as "(b)(7)(C)": specks by the print become letters.
    read = 0
    for seed in range(6):
        crop = grainy(printed("(b)(7)(C)", size=size, dpi=dpi), seed=seed)
        request = CropRequest(crop, (0, 0), scale=scale, zoom=zoom, small_print=zoom > 1)
        read += codes(read_sheet([request])[0]) == ("(b)(7)(C)",)
    assert read == 6


@needs_tesseract
def test_code_right_of_box_on_grainy_page_reads_with_another_box_in_the_crop() -> None:
    # A 150 dpi grainy page: a black box, its code right of it, and a second
    # box further right inside the crop (blanked before OCR).
    view = grainy(np.full((80, 700), 255, np.uint8), seed=5, paper=220)
    text = printed("(b)(6);(b)(7)(C)", size=7.0, dpi=150)
    h, w = text.shape
    view[20 : 20 + h, 130 : 130 + w] = np.minimum(view[20 : 20 + h, 130 : 130 + w], text)
    box = Box(30, 22, 128, 22 + h - 4)
    other = Box(400, 20, 650, 22 + h)
    view[22 : 22 + h - 4, 30:128] = 25
    view[20 : 22 + h, 400:650] = 25
    request = labels.right_request(view, box, [other])
    assert request is not None
    label = read_beside(box, read_sheet([request])[0])
    assert label.exemptions == ("(b)(6)", "(b)(7)(C)")


def test_dark_print_on_a_grainy_grey_box_is_found() -> None:
    view = grainy(np.full((60, 200), 255, np.uint8), seed=2)
    view[10:40, 20:180] = np.clip(view[10:40, 20:180].astype(int) - 90, 0, 255)  # grey fill
    bare = view.copy()
    text = printed("(b) (4)", size=7.0, dpi=150, width=60)
    h, w = text.shape
    view[12 : 12 + h, 60 : 60 + w] = np.minimum(view[12 : 12 + h, 60 : 60 + w], text // 2)
    box = Box(20, 10, 180, 40)
    assert labels.has_dark_print_inside(view, box)
    assert not labels.has_dark_print_inside(bare, box)  # grain and dust alone


def test_faint_photocopied_print_right_of_a_box_is_seen() -> None:
    # Small print photocopied twice is nowhere darker than ~130 at the page's
    # resolution: a fixed threshold at 120 took it for blank paper, and the
    # code beside the box was never cropped for OCR.
    view = np.full((60, 300), 250, np.uint8)
    view[15:45, 20:120] = 20  # the box
    text = printed("(b)(6);", size=5.5, dpi=150, width=40)
    faint = (255 - (255 - text.astype(np.float32)) * 0.45).astype(np.uint8)  # darkest ~140
    h, w = faint.shape
    view[16 : 16 + h, 124 : 124 + w] = np.minimum(view[16 : 16 + h, 124 : 124 + w], faint)
    assert 125 < int(view[:, 121:].min()) < 160
    box = Box(20, 15, 120, 45)
    assert labels.has_ink_right(view, box, 36)
    assert not labels.has_ink_right(np.full((60, 300), 250, np.uint8), box, 36)
