"""The bordered-box gate (detect_outline_gate): it lets every outline through that
labelling the whole page would find, and labels little of a page of print.

Each page is judged twice: by ``find_bordered_boxes`` (gated) and by the whole-page
labelling it replaced (``find_components`` over the page's ink bands, then the
same ``_is_outline`` judge); the boxes must be the same."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pymupdf
import pytest
from test_detect_fixtures import draw_page, render_at, scan_pixels

from redactview.analysis import detect_bordered
from redactview.analysis.detect_bordered import _is_outline, find_bordered_boxes
from redactview.analysis.detect_outline_gate import banded_share, find_window_components
from redactview.analysis.detect_types import PixelBox, find_components, ink_mask
from redactview.core.geometry import Box
from redactview.pdf.render import render_page

SAMPLES = Path(__file__).resolve().parent.parent / "sample_docs"
BODY = (
    "Thanks again for making time for the briefing at the field office last week. "
    "As promised, I am following up with the details on the evaluation tenant for "
    "the Homeland Investigations Directorate. Northwind can stand up a dedicated "
    "evaluation environment in our FedRAMP Moderate GovCloud region within ten "
    "business days of a signed evaluation agreement. "
)


@pytest.fixture(autouse=True)
def _always_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages here are sparse; the gate must be what judges them."""
    monkeypatch.setattr(detect_bordered, "WHOLE_PAGE_SHARE", 0.0)


def sized(px_per_pt: float):  # type: ignore[no-untyped-def]
    def keep(w: np.ndarray, h: np.ndarray) -> np.ndarray:
        short, long_ = np.minimum(w, h), np.maximum(w, h)
        return (short >= 7 * px_per_pt) & (short <= 60 * px_per_pt) & (long_ >= 14 * px_per_pt)

    return keep


def whole_page_boxes(gray: np.ndarray, dpi: float) -> list[tuple[int, int, int, int]]:
    """The bordered boxes labelling every inked band of the page finds."""
    px_per_pt = dpi / 72.0
    components = find_components(
        ink_mask(gray), sized(px_per_pt), max_fill=0.75, min_side=7 * px_per_pt
    )
    return [(x, y, x + w, y + h) for x, y, w, h, mask in components if _is_outline(mask)]


def gated_boxes(gray: np.ndarray, dpi: float) -> list[tuple[int, int, int, int]]:
    return [(b.x0, b.y0, b.x1, b.y1) for b in find_bordered_boxes(gray, dpi)]


def scan(draw, dpi: float, skew: float = 0.0):  # type: ignore[no-untyped-def]
    return render_at(scan_pixels(draw_page(draw), skew=skew), dpi)


def labelled_share(gray: np.ndarray, dpi: float) -> float:
    """Share of the page the gated step labels."""
    ink = ink_mask(gray)
    _, windows = find_window_components(ink, dpi, sized(dpi / 72.0), 0.75)
    return sum((b - t) * (r - le) for t, b, le, r in windows) / ink.size


def body_text(page: pymupdf.Page, top: float = 72, lines: int = 40) -> None:
    page.insert_textbox((72, top, 540, top + 14 * lines), BODY * 12, fontsize=11, fontname="tiro")


def test_thin_outline_at_100_dpi_tilted_3_degrees_is_let_through() -> None:
    def draw(p: pymupdf.Page) -> None:
        body_text(p, lines=10)
        p.draw_rect((150, 300, 262, 314), color=(0, 0, 0), width=0.5)
        p.insert_text((170, 310.5), "(b)(6)", fontsize=8, fontname="helv")
        p.draw_rect((320, 420, 360, 432), color=(0, 0, 0), width=0.5)
        p.draw_rect((400, 470, 415, 478), color=(0, 0, 0), width=0.5)  # 15 x 8 pt, empty

    for skew in (0.0, 3.0, -3.5):
        gray = scan(draw, 100.0, skew=skew)
        expected = whole_page_boxes(gray, 100.0)
        assert len(expected) == 3  # the page shows what it should
        assert gated_boxes(gray, 100.0) == expected


def test_short_boxes_tilted_up_to_6_degrees_are_let_through() -> None:
    def draw(p: pymupdf.Page) -> None:
        body_text(p, lines=6)
        for i, (w, h) in enumerate(((30, 10), (40, 14), (24, 9), (50, 20))):
            p.draw_rect((120 + 90 * i, 300, 120 + 90 * i + w, 300 + h), color=(0, 0, 0), width=0.4)

    for skew, dpi in ((4.0, 100.0), (5.0, 150.0), (6.0, 200.0)):
        gray = scan(draw, dpi, skew=skew)
        expected = whole_page_boxes(gray, dpi)
        assert expected
        assert gated_boxes(gray, dpi) == expected


def test_tall_box_on_a_sideways_page_is_let_through() -> None:
    def draw(p: pymupdf.Page) -> None:
        p.insert_textbox((72, 72, 300, 700), BODY * 6, fontsize=11, fontname="tiro", rotate=90)
        p.draw_rect((400, 200, 414, 330), color=(0, 0, 0), width=0.8)
        p.insert_text((410, 300), "(b)(6);(b)(7)(C)", fontsize=8, fontname="helv", rotate=90)
        p.draw_rect((440, 450, 462, 700), color=(0, 0, 0), width=0.6)

    for skew in (0.0, 2.0):
        gray = scan(draw, 150.0, skew=skew)
        expected = whole_page_boxes(gray, 150.0)
        assert len(expected) == 2 and all(b[3] - b[1] > 3 * (b[2] - b[0]) for b in expected)
        assert gated_boxes(gray, 150.0) == expected


def code_filling_box(page: pymupdf.Page, x0: float, y0: float, height: float, size: float) -> None:
    """A bordered box with its code centred as redaction tools print it (the
    samples' ``draw_label_inside``), in type large for the box: the scanned
    glyphs touch its sides."""
    label = "(b)(6);(b)(7)(C)"
    x1 = x0 + pymupdf.get_text_length(label, "hebo", size) + 3
    page.draw_rect((x0 + 0.4, y0 + 0.4, x1 - 0.4, y0 + height - 0.4), color=(0, 0, 0), width=0.8)
    page.insert_text(
        (x0 + 1.5, y0 + height / 2 + 0.35 * size), label, fontsize=size, fontname="hebo"
    )


def test_box_whose_code_touches_its_border_is_let_through() -> None:
    def draw(p: pymupdf.Page) -> None:
        body_text(p, lines=8)
        code_filling_box(p, 150, 300, 11, 9)  # the code touches one long side
        # ... and here hangs through them (parentheses below the bottom side).
        p.draw_rect((300, 400, 386, 414), color=(0, 0, 0), width=0.8)
        p.insert_text((301.5, 414.2), "(b)(6);(b)(7)(C)", fontsize=10, fontname="hebo")

    for dpi in (100.0, 150.0, 200.0):
        gray = scan(draw, dpi)
        expected = whole_page_boxes(gray, dpi)
        # (At 100 dpi the parentheses hanging through the side fail the judge.)
        assert len(expected) == (1 if dpi == 100.0 else 2)
        assert gated_boxes(gray, dpi) == expected


def test_bold_outline_up_to_3_pt_is_let_through() -> None:
    def draw(p: pymupdf.Page) -> None:
        body_text(p, lines=6)
        p.draw_rect((150, 300, 240, 318), color=(0, 0, 0), width=3.0)
        p.insert_text((175, 312), "(b)(6)", fontsize=8, fontname="helv")

    for dpi in (100.0, 150.0, 200.0):
        gray = scan(draw, dpi)
        expected = whole_page_boxes(gray, dpi)
        assert len(expected) == 1
        assert gated_boxes(gray, dpi) == expected


@pytest.mark.xfail(strict=True, reason="known gap: no thin long side to find (see module doc)")
@pytest.mark.parametrize(
    "case", ["border 4 pt thick", "code touching both long sides", "box 14.5 pt long"]
)
def test_known_gaps_of_the_gate(case: str) -> None:
    """Outlines ``_is_outline`` takes that the gate does not let through: a
    border thicker than MAX_STROKE_PT (a thin-stroke limit of 4 pt lets print
    on photocopied pages through: 29% of such a page labelled instead of 7%);
    a code touching both long sides along their length (in a box ~1.1x the
    type's size; the samples' tool prints it 0.75x); a box under ~17 pt long
    (its short sides make the ends of the long ones thick, and a thin run
    shorter than MIN_SIDE_PT is not looked for: allowing for that let so much
    print through that the step cost ~25 ms a page). None occurs in the
    samples or their variants. Strict: this fails once the gate finds them."""

    def draw(p: pymupdf.Page) -> None:
        body_text(p, lines=6)
        if case == "border 4 pt thick":
            p.draw_rect((150, 300, 240, 318), color=(0, 0, 0), width=4.0)
            p.insert_text((175, 312), "(b)(6)", fontsize=8, fontname="helv")
        elif case == "box 14.5 pt long":
            p.draw_rect((300, 350, 314.5, 357.5), color=(0, 0, 0), width=1.0)
        else:
            code_filling_box(p, 150, 300, 10, 9)

    gray = scan(draw, 150.0)
    expected = whole_page_boxes(gray, 150.0)
    assert len(expected) == 1
    assert gated_boxes(gray, 150.0) == expected


@pytest.mark.parametrize("gap", [0.0, 1.5])
def test_box_beside_a_bold_heading_is_judged_whole(gap: float) -> None:
    """A bold heading right of a box (touching it, or 1.5 pt off): the window
    round the box cuts the heading's letters, which must be seen whole (or not
    at all), as the whole page's labelling sees them."""

    def draw(p: pymupdf.Page) -> None:
        body_text(p, top=200, lines=6)
        p.draw_rect((100, 120, 190, 134), color=(0, 0, 0), width=0.8)
        p.insert_text((120, 130.5), "(b)(5)", fontsize=8, fontname="helv")
        p.insert_text((190.5 + gap, 135), "WITHHELD IN FULL", fontsize=16, fontname="hebo")
        p.draw_line((190 + gap, 128), (200 + gap, 128), color=(0, 0, 0), width=2)

    for dpi in (100.0, 150.0):
        gray = scan(draw, dpi)
        expected = whole_page_boxes(gray, dpi)
        assert gated_boxes(gray, dpi) == expected
        if gap:
            assert len(expected) == 1


def test_body_text_is_not_labelled() -> None:
    def draw(p: pymupdf.Page) -> None:
        body_text(p)

    gray = scan(draw, 150.0)
    assert whole_page_boxes(gray, 150.0) == gated_boxes(gray, 150.0) == []
    assert labelled_share(gray, 150.0) < 0.02


def test_sample_pages_lose_no_redaction_and_gain_nothing() -> None:
    """Every page of release_b and release_a at 150 dpi: the gated boxes are the
    whole page's, in its order, but for words whose serifs join into a shape
    ``_is_outline`` takes (release_a p5's 'HID.'), none on a redaction of the
    ground truth. On pages of print, little is labelled."""
    shares = []
    for name in ("release_b", "release_a"):
        truth = json.loads((SAMPLES / f"{name}.truth.json").read_text())["redactions"]
        with pymupdf.open(SAMPLES / f"{name}.pdf") as doc:
            for page in doc:
                render = render_page(page, 150.0)
                expected = whole_page_boxes(render.pixels, 150.0)
                gated = gated_boxes(render.pixels, 150.0)
                assert [b for b in expected if b in gated] == gated
                for lost in (b for b in expected if b not in gated):
                    where = render.pixel_box_to_page(*lost)
                    on_page = [r for r in truth if r["page"] == page.number + 1]
                    assert all(where.iou(Box.from_seq(r["bbox"])) == 0 for r in on_page), lost
                shares.append(labelled_share(render.pixels, 150.0))
    assert float(np.median(shares)) < 0.05


@pytest.mark.parametrize("shape", [(1, 1), (3, 500), (500, 3), (14, 14), (50, 50), (300, 300)])
@pytest.mark.parametrize("level", [0, 255])
def test_blank_black_and_tiny_images(shape: tuple[int, int], level: int) -> None:
    gray = np.full(shape, level, np.uint8)
    assert gated_boxes(gray, 150.0) == whole_page_boxes(gray, 150.0) == []


def test_a_page_with_little_to_label_is_labelled_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """A letterhead and a signature: under WHOLE_PAGE_SHARE of the rows are in
    bands, so ``find_bordered_boxes`` labels the page whole (cheaper there than
    the gate), with the same boxes."""
    monkeypatch.undo()

    def draw(p: pymupdf.Page) -> None:
        p.insert_text((72, 80), "DEPARTMENT OF EXAMPLES", fontsize=18, fontname="hebo")
        p.draw_rect((300, 600, 380, 614), color=(0, 0, 0), width=0.8)
        p.insert_text((320, 610.5), "(b)(6)", fontsize=8, fontname="helv")

    gray = scan(draw, 150.0)
    assert banded_share(ink_mask(gray), 7 * 150 / 72) < detect_bordered.WHOLE_PAGE_SHARE
    calls: list[int] = []
    monkeypatch.setattr(
        detect_bordered, "find_window_components", lambda *a, **k: calls.append(1) or ([], [])
    )
    assert gated_boxes(gray, 150.0) == whole_page_boxes(gray, 150.0) != []
    assert calls == []


def test_gate_keeps_pixel_box_fields() -> None:
    def draw(p: pymupdf.Page) -> None:
        p.draw_rect((150, 160, 222, 172), color=(0, 0, 0), width=0.8)
        p.insert_text((165, 169.5), "(b)(6)", fontsize=8, fontname="hebo")

    found = find_bordered_boxes(scan(draw, 150.0), 150.0)
    assert len(found) == 1 and isinstance(found[0], PixelBox)
    assert found[0].style == "bordered" and found[0].needs_label and found[0].inner_ink
