"""Codes printed inside white bordered boxes on a page scanned 3° askew: the box's
inside is turned level before OCR, its tilt measured on the box's outline alone
(the corners of its upright bbox hold print of the lines above and below)."""

from __future__ import annotations

import cv2
import numpy as np
import pymupdf
import pytest

from redactview.analysis.detect_raster import long_side_angle
from redactview.analysis.labels import CropRequest, inside_request, read_sheet
from redactview.analysis.labels_image import level_inside, outline_of
from redactview.core.exemptions import parse_exemptions
from redactview.core.geometry import Box
from redactview.core.model import Fill
from redactview.ocr.tesseract import find_tesseract

needs_tesseract = pytest.mark.skipif(find_tesseract() is None, reason="Tesseract not installed")

DPI = 150
BOX = (150.0, 100.0, 225.0, 112.0)  # points: a DOJ-style white box with its code inside


def skewed_page(deg: float) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A memo page with a bordered box between two lines of text, rendered and
    turned ``deg`` degrees as a skewed scan; the box's upright bbox in pixels."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text(
        (72, 96), "Northwind asked for the full candidate list on Monday", fontsize=10.5
    )
    page.insert_text((72, 108), "Cc:", fontsize=10.5)
    page.draw_rect(BOX, color=(0, 0, 0), width=0.8)
    page.insert_text((157, 109), "(b)(6);(b)(7)(C)", fontsize=8, fontname="hebo")
    page.insert_text((232, 108), "; Program Office, Biometrics", fontsize=10.5)
    page.insert_text(
        (72, 124), "Please send questions to the program office by Friday", fontsize=10.5
    )
    turned, low, high = turn_scan(page, deg, BOX)
    x0, y0 = np.floor(low).astype(int)
    x1, y1 = np.ceil(high).astype(int)
    return turned, (int(x0), int(y0), int(x1), int(y1))


def turn_scan(
    page: pymupdf.Page, deg: float, rect: tuple[float, float, float, float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The page rendered at ``DPI`` and turned ``deg`` degrees as a skewed scan, and
    the lowest and highest pixel corners of ``rect`` (points) after the turn."""
    pix = page.get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY)
    img = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width)
    h, w = img.shape
    m = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), deg, 1.0)
    turned = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=235)
    s = DPI / 72
    corners = np.array([[x * s, y * s, 1.0] for x in rect[0::2] for y in rect[1::2]])
    q = corners @ m.T
    return turned, q.min(axis=0), q.max(axis=0)


@pytest.mark.parametrize("deg", [3.0, -3.0])
def test_the_tilt_is_the_outline_s_not_the_print_in_its_bbox_corners(deg: float) -> None:
    view, (x0, y0, x1, y1) = skewed_page(deg)
    crop = view[y0 : y1 + 1, x0 : x1 + 1]
    ring = outline_of(crop)
    assert ring.sum() < (crop < 205).sum()  # the neighbouring print is left out
    angle = long_side_angle(cv2.boxPoints(cv2.minAreaRect(cv2.findNonZero(ring))))
    # The page turned counter-clockwise by ``deg``: the box's long side falls
    # to the right by as much. (With the print in the corners, -3° read 0°.)
    assert angle == pytest.approx(-deg, abs=0.3)


@needs_tesseract
@pytest.mark.parametrize("deg", [3.0, -3.0])
def test_code_inside_a_tilted_bordered_box_reads(deg: float) -> None:
    view, (x0, y0, x1, y1) = skewed_page(deg)
    inside = level_inside(view[y0 : y1 + 1, x0 : x1 + 1])
    assert inside is not None
    words = read_sheet([CropRequest(np.ascontiguousarray(inside), (x0, y0))], psm=7)[0]
    assert parse_exemptions(" ".join(w.text for w in words)) == ("(b)(6)", "(b)(7)(C)")


def grey_box_page(deg: float) -> tuple[np.ndarray, Box]:
    """A long grey box with "(b) (5)" printed dark in its middle, in a line of
    text, on a page turned ``deg`` degrees; the box's upright bbox in pixels."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 108), "particular", fontsize=11)
    page.draw_rect((120, 98, 300, 111), color=None, fill=(0.62, 0.62, 0.62))
    page.insert_text((196, 108), "(b) (5)", fontsize=8, fontname="hebo")
    page.insert_text((304, 108), "and the rest of the line", fontsize=11)
    turned, low, high = turn_scan(page, deg, (120.0, 98.0, 300.0, 111.0))
    return turned, Box(*low, *high)


@needs_tesseract
@pytest.mark.parametrize("deg", [3.0, -3.0])
def test_code_inside_a_tilted_grey_box_reads(deg: float) -> None:
    view, box = grey_box_page(deg)
    request = inside_request(view, box, Fill.GREY)
    assert request is not None
    words = read_sheet([request], psm=7)[0]
    assert parse_exemptions(" ".join(w.text for w in words)) == ("(b)(5)",)


def courier_box_page(deg: float, style: str) -> tuple[np.ndarray, Box]:
    """A box in a line of Times, its code in Courier 8 pt as the memo generator
    prints it, on a page turned ``deg`` degrees; the box's upright bbox in pixels.
    ``style``: "black" (a 260 pt box, the code white at its left end) or
    "white" (a 110 pt box with a thin border)."""
    doc = pymupdf.open()
    page = doc.new_page()
    rect = (72.0, 98.0, 332.0 if style == "black" else 182.0, 111.0)
    page.insert_text(
        (72, 90), "The deliberations that followed concerned", fontsize=12, fontname="tiro"
    )
    if style == "black":
        page.draw_rect(rect, color=None, fill=(0, 0, 0))
        page.insert_text((74, 107), "(b) (5)", fontsize=8, fontname="cour", color=(1, 1, 1))
    else:
        page.draw_rect(rect, color=(0, 0, 0), width=0.8)
        page.insert_text((74, 107), "(b) (7) (D)", fontsize=8, fontname="cour")
    turned, low, high = turn_scan(page, deg, rect)
    return cv2.GaussianBlur(turned, (3, 3), 0.8), Box(*low, *high)


@pytest.mark.parametrize("deg", [0.6, -0.6])
def test_a_long_box_a_little_askew_is_levelled(deg: float) -> None:
    # 0.6° over 260 pt rises 2.7 pt: more than the upright crop's inset, so its
    # corners would take in paper.
    view, box = courier_box_page(deg, "black")
    crop = view[int(box.y0) : int(box.y1) + 1, int(box.x0) : int(box.x1) + 1]
    inside = level_inside(crop)
    assert inside is not None
    assert int((inside > 128).sum()) < 0.1 * inside.size  # no paper: the box and its code


@needs_tesseract
@pytest.mark.parametrize("deg", [0.6, -0.6])
def test_courier_code_in_a_long_box_a_little_askew_reads(deg: float) -> None:
    view, box = courier_box_page(deg, "black")
    request = inside_request(view, box, Fill.BLACK)
    assert request is not None
    words = read_sheet([request])[0]
    assert parse_exemptions(" ".join(w.text for w in words)) == ("(b)(5)",)


@needs_tesseract
def test_a_white_box_s_sides_in_the_crop_of_its_inside_are_not_read() -> None:
    # The crop of a scanned white box's inside, cut a pixel too wide: its sides
    # stand at both ends, as tall as most of the crop (the 150 dpi memo read
    # "| by 67) (Dd |").
    view, box = courier_box_page(0.0, "white")
    x0, x1 = int(box.x0) + 6, int(box.x1) - 6
    crop = view[int(box.y0) + 4 : int(box.y1) - 3, x0:x1].copy()
    crop[3:-2, :2] = 40
    crop[2:-3, -3:] = 40
    words = read_sheet([CropRequest(crop, (x0, int(box.y0) + 4))])[0]
    assert parse_exemptions(" ".join(w.text for w in words)) == ("(b)(7)(D)",)
