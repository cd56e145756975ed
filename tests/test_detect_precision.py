"""Look-alikes the raster detector took for boxes on soft scans, and the faster
component finder it now uses (same components as OpenCV's full labelling)."""

from __future__ import annotations

import cv2
import numpy as np
import pymupdf
import pytest
from test_detect_fixtures import black, draw_page, render_at, scan_pixels, seed_everywhere

from redactview.analysis import detect_fill, detect_raster
from redactview.analysis.detect_bordered import find_bordered_boxes
from redactview.analysis.detect_raster import find_dark_boxes
from redactview.analysis.detect_types import find_components, find_few_components
from redactview.core.model import Fill
from redactview.pdf.drawings import read_solid_images

DPI = 150.0


def soft_scan(draw, blur: float = 1.2):  # type: ignore[no-untyped-def]
    """A scan whose light print bleeds: strokes and the gaps between them grey."""
    pixels = scan_pixels(draw_page(draw))
    pixels = cv2.GaussianBlur(pixels, (0, 0), blur)
    return render_at(pixels, DPI)


def grey_words(p: pymupdf.Page) -> None:
    for i, word in enumerate(("Act", "2 mi", "Office", "OK", "Washington")):
        p.insert_text((100 + 90 * i, 300), word, fontsize=10, fontname="helv", color=(0.35,) * 3)


def test_light_print_on_a_soft_scan_is_not_a_grey_box() -> None:
    assert find_dark_boxes(soft_scan(grey_words, blur=1.4), DPI) == []


def test_light_print_was_the_look_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    """The page above does hold a grey blob of box size. It holds no solid ink
    (no seed), so the seed gate alone keeps it out; judged anyway, without the
    flatness test it passes for a small grey box (so the test above can fail
    on either)."""
    pixels = soft_scan(grey_words, blur=1.4)
    monkeypatch.setattr(detect_fill, "GREY_SPREAD", 1000.0)
    assert find_dark_boxes(pixels, DPI) == []
    monkeypatch.setattr(detect_raster, "find_seeds", seed_everywhere)
    found = find_dark_boxes(pixels, DPI)
    assert [(b.fill, b.style) for b in found] == [(Fill.GREY, "solid")]


def test_a_light_grey_box_with_a_code_inside_is_still_found() -> None:
    def draw(p: pymupdf.Page) -> None:
        black(p, (200, 300, 262, 313), grey=0.72)
        p.insert_text((206, 310), "(b)(4)", fontsize=8, fontname="helv")

    found = find_dark_boxes(soft_scan(draw), DPI)
    assert [b.fill for b in found] == [Fill.GREY]


@pytest.mark.parametrize("x1", [403.0, 409.0, 422.0])
def test_a_small_grey_box_whose_code_covers_a_third_is_grey(x1: float) -> None:
    """The sample releases' grey table cells with "(b) (4)" printed inside: the code
    covers a quarter to a third of a small box, the quartiles counted it as texture,
    and the cells were catalogued as marker ("other"). Under the code the fill is
    flat grey: it is a grey box."""

    def draw(p: pymupdf.Page) -> None:
        black(p, (378, 244, x1, 255), grey=0.67)
        p.insert_text((381, 252.5), "(b) (4)", fontsize=7, fontname="hebo")

    found = find_dark_boxes(soft_scan(draw, blur=0.8), DPI)
    assert [(b.fill, b.style, b.inner_ink) for b in found] == [(Fill.GREY, "solid", True)]


def headline(p: pymupdf.Page) -> None:
    p.insert_text((72, 120), "FaceMatch - HID Pilot", fontsize=18, fontname="hebo")


@pytest.mark.parametrize("turned", [False, True])
def test_bold_headline_words_are_not_marker_strokes(turned: bool) -> None:
    pixels = soft_scan(headline, blur=1.6)
    if turned:  # a sideways page: the words run down the sheet
        pixels = np.ascontiguousarray(np.rot90(pixels, 3))
    assert [b for b in find_dark_boxes(pixels, DPI) if b.style == "marker"] == []


def test_bold_headline_was_the_look_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    # (Either letter test refuses it: the clear gaps, and the columns' rhythm.)
    monkeypatch.setattr(detect_raster, "has_letter_gap", lambda crop, across: False)
    monkeypatch.setattr(detect_raster, "has_letter_rhythm", lambda crop, across: False)
    found = find_dark_boxes(soft_scan(headline, blur=1.6), DPI)
    assert [b for b in found if b.style == "marker"]


def heading(p: pymupdf.Page) -> None:
    p.insert_text((72, 72), "U.S. DEPARTMENT OF EXAMPLE", fontsize=14, fontname="tibo")


def low_res_scan(draw, scan_dpi: float = 100.0):  # type: ignore[no-untyped-def]
    """A page scanned at ``scan_dpi`` and rendered at the detector's 150 dpi: the
    scan's pixels blown up, soft, with the gaps between bold letters greyed."""
    pix = draw_page(draw)[0].get_pixmap(dpi=int(scan_dpi), colorspace=pymupdf.csGRAY)
    img = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width)
    img = cv2.GaussianBlur(img.astype(np.float32), (0, 0), 0.9)
    img = 22 + img / 255.0 * (232 - 22) + np.random.default_rng(3).normal(0, 3.0, img.shape)
    img = np.clip(img, 0, 255).astype(np.uint8)
    zoom = DPI / scan_dpi
    return cv2.resize(img, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_CUBIC)


def test_a_bold_heading_on_a_100_dpi_scan_is_not_a_marker_stroke() -> None:
    assert [b for b in find_dark_boxes(low_res_scan(heading), DPI) if b.style == "marker"] == []


def test_the_blurred_heading_was_the_look_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(detect_raster, "has_letter_rhythm", lambda crop, across: False)
    assert [b for b in find_dark_boxes(low_res_scan(heading), DPI) if b.style == "marker"]


def test_a_marker_stroke_on_a_100_dpi_scan_is_still_found() -> None:
    def stroke(p: pymupdf.Page) -> None:
        for i in range(120):
            x = 150 + 2.0 * i
            p.draw_line((x, 402 + (i % 3)), (x + 6, 420 - (i % 4)), color=(0.35,) * 3, width=1.4)

    found = find_dark_boxes(low_res_scan(stroke), DPI)
    assert [(b.fill, b.style) for b in found] == [(Fill.OTHER, "marker")]


@pytest.mark.parametrize("finder", [find_components, find_few_components])
def test_components_match_opencv_labelling_including_one_in_a_hole(finder) -> None:  # type: ignore[no-untyped-def]
    img = np.zeros((300, 400), np.uint8)
    img[20:120, 20:220] = 1
    img[40:100, 40:200] = 0  # a hole ...
    img[55:85, 60:180] = 1  # ... with a component inside it
    img[200:230, 50:350] = 1
    img[150:152, 10:12] = 1  # a speck, screened out by size
    img[130:150, 300:320] = 1  # two squares touching at a corner: one component (8-connected)
    img[150:170, 320:340] = 1
    found = finder(img, lambda w, h: np.minimum(w, h) >= 10)
    _, _, stats, _ = cv2.connectedComponentsWithStats(img, connectivity=8)
    expected = {
        (int(x), int(y), int(w), int(h), int(area))
        for x, y, w, h, area in stats[1:]
        if min(w, h) >= 10
    }
    assert {(x, y, w, h, int(m.sum())) for x, y, w, h, m in found} == expected
    assert len(found) == 4


def test_components_past_16_bit_labels_are_still_found() -> None:
    img = np.zeros((1000, 1000), np.uint8)
    img[::3, ::3] = 1  # 111,556 isolated specks: more than 16-bit labels hold
    img[500:530, 100:400] = 1
    found = find_components(img, lambda w, h: np.minimum(w, h) >= 10)
    count, _, stats, _ = cv2.connectedComponentsWithStats(img, connectivity=8, ltype=cv2.CV_32S)
    assert count > 65_536
    big = [tuple(int(v) for v in s[:4]) for s in stats[1:] if min(s[2], s[3]) >= 10]
    assert [(x, y, w, h) for x, y, w, h, _ in found] == big
    assert len(big) == 1


def test_solid_image_is_found_on_a_page_that_also_holds_a_scan() -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    scan = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 1700, 2200), False)
    scan.clear_with(230)
    page.insert_image(page.rect, pixmap=scan)
    assert read_solid_images(page) == []  # the scan is too big to be a box
    box = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 8, 8), False)
    box.clear_with(0)
    page.insert_image(pymupdf.Rect(200, 300, 330, 313), pixmap=box, keep_proportion=False)
    solid = read_solid_images(page)
    assert [s.box.rounded(0).as_tuple() for s in solid] == [(200, 300, 330, 313)]


def long_outline(p: pymupdf.Page) -> None:
    p.draw_rect((150, 400, 360, 412), color=(0, 0, 0), width=0.9)
    p.insert_text((240, 409.5), "(b)(4)", fontsize=8, fontname="hebo")


@pytest.mark.parametrize("turned", [False, True])
def test_a_long_bordered_box_on_a_skewed_scan_is_found(turned: bool) -> None:
    """Tilted 0.6°, a 210 pt outline's upright bbox is ~2 pt taller than the box:
    its short sides cover only ~85% of that height."""
    pixels = render_at(scan_pixels(draw_page(long_outline), skew=0.6), DPI)
    if turned:
        pixels = np.ascontiguousarray(np.rot90(pixels))
    found = find_bordered_boxes(pixels, DPI)
    assert len(found) == 1
    long_side = max(found[0].width, found[0].height)
    assert long_side == pytest.approx(210 * DPI / 72, abs=6)


@pytest.mark.parametrize("skew", [3.0, 4.5])
def test_a_bordered_box_on_a_page_scanned_askew_is_found(skew: float) -> None:
    """A few degrees askew (the bench's 3° variant on top of a scan's own tilt),
    a 60 pt outline's long sides climb more than the band they were looked for
    in: six boxes of that variant were lost."""

    def draw(p: pymupdf.Page) -> None:
        p.draw_rect((230, 400, 290, 412), color=(0, 0, 0), width=0.9)
        p.insert_text((244, 409.5), "(b)(6)", fontsize=8, fontname="hebo")

    found = find_bordered_boxes(render_at(scan_pixels(draw_page(draw), skew=skew), DPI), DPI)
    assert len(found) == 1
    assert min(found[0].width, found[0].height) > 12 * DPI / 72  # the tilted box's bbox


def two_row_form(p: pymupdf.Page) -> None:
    """Two rows of a form, 490 pt wide: a grey box with its code in one, a white
    bordered box with its code in the other."""
    for y in (300, 326):
        p.draw_rect((60, y, 552, y + 26), color=(0, 0, 0), width=0.6)
        p.draw_line((200, y), (200, y + 26), color=(0, 0, 0), width=0.6)
    p.insert_text((64, 316), "Employer", fontsize=9)
    black(p, (206, 306, 420, 320), grey=0.65)
    p.insert_text((208, 317.5), "(b)(4)", fontsize=8)
    p.insert_text((64, 342), "Supervisor", fontsize=9)
    p.draw_rect((206, 332, 330, 346), color=(0, 0, 0), width=0.7)
    p.insert_text((208, 343.5), "(b)(6)", fontsize=8)


@pytest.mark.parametrize("skew", [0.0, 0.4, -0.4])
def test_two_table_rows_scanned_a_little_askew_are_no_bordered_box(skew: float) -> None:
    # 0.4° over 490 pt rises 9 px at 200 dpi: their rule across was in no one
    # row of pixels, and the two rows, with the codes inside, passed for a box.
    found = find_bordered_boxes(
        render_at(scan_pixels(draw_page(two_row_form), skew=skew), 200), 200
    )
    assert len(found) == 1  # the white box (the turn moves it a pixel or two)
    assert abs(found[0].x0 * 72 / 200 - 206) < 3 and abs(found[0].y0 * 72 / 200 - 332) < 4


def test_a_table_grid_scanned_askew_is_still_no_bordered_box() -> None:
    def draw(p: pymupdf.Page) -> None:
        for r in range(5):
            p.draw_line((72, 300 + 18 * r), (400, 300 + 18 * r), color=(0.2, 0.2, 0.2), width=0.6)
        for x in (72, 200, 300, 400):
            p.draw_line((x, 300), (x, 372), color=(0.2, 0.2, 0.2), width=0.6)

    assert find_bordered_boxes(render_at(scan_pixels(draw_page(draw), skew=3.0), DPI), DPI) == []
