"""Real Tesseract at the seam: words, boxes on skewed and sideways scans, languages."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from test_ocr_support import SMALL_PAGE, make_strip_pdf, strip_truth

from redactview.core.geometry import Box
from redactview.core.model import Word
from redactview.errors import OcrUnavailableError
from redactview.jobs.executor import SerialExecutor
from redactview.jobs.ocr_run import OcrOptions, ocr_key, run_ocr
from redactview.ocr.engine import TesseractEngine, list_languages
from redactview.pdf.info import inspect_document
from redactview.store.case import Case

pytestmark = pytest.mark.tesseract
DPI = 150


def ocr_strip(tmp_path: Path, **layout: int | float) -> tuple[list[Word], int]:
    pdf = make_strip_pdf(tmp_path / "strip.pdf", dpi=DPI, **layout)  # type: ignore[arg-type]
    options = OcrOptions(dpi=DPI, jobs=1)
    with Case.open(tmp_path / "t.rvcase", create=True) as case:
        release = case.add_release(inspect_document(pdf))
        report = run_ocr(case, release, options, executor_factory=lambda _: SerialExecutor())
        assert report.done == (1,), report.failures
        cached = case.ocr_cache.get(ocr_key(release, options), 1)
    assert cached is not None
    return list(cached.words), cached.rotation


def turn_point(x: float, y: float, turn: int) -> tuple[float, float]:
    """Where a point of the upright strip lands when the strip is placed turned clockwise."""
    width, height = SMALL_PAGE
    if turn == 90:
        return height - y, x
    if turn == 270:
        return y, width - x
    if turn == 180:
        return width - x, height - y
    return x, y


def skew_point(x: float, y: float, degrees: float) -> tuple[float, float]:
    """PIL's counter-clockwise turn about the centre, in y-down page points."""
    cx, cy = SMALL_PAGE[0] / 2, SMALL_PAGE[1] / 2
    a = math.radians(degrees)
    dx, dy = x - cx, y - cy
    return cx + dx * math.cos(a) + dy * math.sin(a), cy - dx * math.sin(a) + dy * math.cos(a)


def check_words(
    words: list[Word], expect_center: dict[str, tuple[float, float]], tolerance: float
) -> None:
    """At least 95% of printed words are read, each centred where it was printed."""
    found = {w.text: w.box for w in words}
    read = [t for t in expect_center if t in found]
    assert len(read) >= 0.95 * len(expect_center), sorted(set(expect_center) - set(found))
    for text in read:
        cx, cy = found[text].center
        ex, ey = expect_center[text]
        assert abs(cx - ex) <= tolerance and abs(cy - ey) <= tolerance, (text, found[text])


def truth_centers() -> dict[str, tuple[float, float]]:
    # Tesseract boxes the ink; PyMuPDF's box includes ascender and descender
    # room, so the ink centre sits a little below the box centre.
    return {t: (r.x0 + r.width / 2, r.y0 + r.height * 0.58) for t, r in strip_truth().items()}


def test_upright_scan_words_and_boxes(tmp_path: Path) -> None:
    words, rotation = ocr_strip(tmp_path)
    assert rotation == 0
    check_words(words, truth_centers(), tolerance=2.5)
    assert all(w.conf > 50 and w.source == "ocr" for w in words)
    assert len({w.line for w in words}) == 4
    page = Box(0, 0, *SMALL_PAGE)
    assert all(w.box.coverage_by(page) == 1.0 for w in words)


def test_skewed_scan_boxes_stay_on_the_skewed_words(tmp_path: Path) -> None:
    words, _ = ocr_strip(tmp_path, skew_deg=1.5)
    skewed = {t: skew_point(x, y, 1.5) for t, (x, y) in truth_centers().items()}
    check_words(words, skewed, tolerance=3.0)


def test_sideways_scan_words_are_boxed_where_they_stand(tmp_path: Path) -> None:
    # Tesseract 5 reads vertical lines by itself; no turn is needed, but the
    # boxes must still be the tall boxes of the sideways words.
    words, _ = ocr_strip(tmp_path, turn=90)
    turned = {t: turn_point(x, y, 90) for t, (x, y) in truth_centers().items()}
    check_words(words, turned, tolerance=3.0)
    long_words = [w for w in words if len(w.text) >= 6]
    assert long_words and all(w.box.height > w.box.width for w in long_words)


@pytest.mark.slow
def test_upside_down_scan_is_turned_by_osd_and_boxes_map_back(tmp_path: Path) -> None:
    words, rotation = ocr_strip(tmp_path, turn=180)
    assert rotation == 180
    turned = {t: turn_point(x, y, 180) for t, (x, y) in truth_centers().items()}
    check_words(words, turned, tolerance=3.0)


def test_page_rotate_attribute_is_undone_by_the_render_matrix(tmp_path: Path) -> None:
    # The scan is placed turned 270 clockwise and /Rotate 90 shows it upright:
    # no OSD needed, and boxes come back in unrotated page space.
    words, rotation = ocr_strip(tmp_path, turn=270, page_rotate=90)
    assert rotation == 0
    turned = {t: turn_point(x, y, 270) for t, (x, y) in truth_centers().items()}
    check_words(words, turned, tolerance=3.0)


def test_languages_listed_and_missing_language_names_the_package() -> None:
    assert "eng" in list_languages() and "osd" not in list_languages()
    with pytest.raises(OcrUnavailableError, match="tesseract-ocr-xyz"):
        TesseractEngine().check("eng+xyz")
    assert TesseractEngine().version().startswith("tesseract 5")
