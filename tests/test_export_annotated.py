"""Annotated PDF: one Square per redaction with the right note; flattened callouts."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pymupdf
import pytest
from PIL import Image

from redactview.export.service import ExportFormat, export_case
from redactview.pdf.annotate import read_squares
from redactview.store.case import Case

try:
    from tests.test_export_support import BOXES, HOSTILE_NOTE, BuiltCase, build_case
except ImportError:
    from test_export_support import BOXES, HOSTILE_NOTE, BuiltCase, build_case


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuiltCase:
    return build_case(tmp_path_factory.mktemp("case"))


def export(built: BuiltCase, out: Path, *, flatten: bool = False) -> Path:
    with Case.open(built.case_path, readonly=True) as case:
        export_case(case, ExportFormat.ANNOTATED_PDF, out, flatten=flatten)
    return out


def red_pixels(path: Path, page: int) -> np.ndarray:
    """Mask of clearly red pixels of a page rendered at 72 dpi (unrotated)."""
    with pymupdf.open(path) as doc:
        p = doc[page - 1]
        p.set_rotation(0)  # compare in unrotated space, where our boxes live
        pix = p.get_pixmap(dpi=72, alpha=False)
        img = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width, 3)
    r, g, b = (img[..., i].astype(int) for i in range(3))
    mask: np.ndarray = (r > 150) & (g < 90) & (b < 90)
    return mask


def test_one_square_per_redaction_with_its_note(built: BuiltCase, tmp_path: Path) -> None:
    out = export(built, tmp_path / "annotated.pdf")
    squares = read_squares(out)
    expected = [i for i in built.ids if i != built.false_positive]
    assert sorted(s.name for s in squares) == sorted(expected)
    by_name = {s.name: s for s in squares}
    first = by_name[built.ids[0]]
    assert first.page == 1
    assert "(b)(6)" in first.title
    assert "Personnel, medical and similar files" in first.contents
    assert "Note: Name of the agent" in first.contents
    assert "Tags: names" in first.contents
    assert "Estimate: 10-14 characters" in first.contents
    assert HOSTILE_NOTE in by_name[built.ids[1]].contents  # the PDF keeps the text as typed
    assert "(b)(7)(C)" in by_name[built.ids[1]].contents


def test_squares_sit_on_the_boxes_on_rotated_and_offset_pages(
    built: BuiltCase, tmp_path: Path
) -> None:
    squares = read_squares(export(built, tmp_path / "annotated.pdf"))
    flat_boxes = {(p, b) for p in BOXES for b in BOXES[p]}
    for square in squares:
        match = [b for p, b in flat_boxes if p == square.page and b.iou(square.box) > 0.98]
        assert match, f"square {square.box} on page {square.page} matches no redaction"
    assert {s.page for s in squares} == {1, 2, 3}


def test_popup_is_attached_and_rendering_draws_the_border(built: BuiltCase, tmp_path: Path) -> None:
    out = export(built, tmp_path / "annotated.pdf")
    with pymupdf.open(out) as doc:
        annot = doc[0].first_annot
        assert annot is not None and annot.has_popup
    mask = red_pixels(out, 2)
    box = BOXES[2][0]
    ys, xs = np.nonzero(mask)
    assert len(xs) > 50
    # the red border hugs the box, within two points
    assert abs(xs.min() - box.x0) <= 2 and abs(xs.max() - box.x1) <= 2
    assert abs(ys.min() - box.y0) <= 2 and abs(ys.max() - box.y1) <= 2


def test_flattened_copy_has_callouts_drawn_not_annotations(
    built: BuiltCase, tmp_path: Path
) -> None:
    out = export(built, tmp_path / "flat.pdf", flatten=True)
    assert read_squares(out) == []
    with pymupdf.open(out) as doc:
        # the callout number sits on its box's top-left corner (as the page is shown)
        for page, number, box in (
            (1, "1", BOXES[1][0]),
            (1, "2", BOXES[1][1]),
            (2, "3", BOXES[2][0]),
            (3, "4", BOXES[3][0]),
        ):
            p = doc[page - 1]
            shown = pymupdf.Rect(box.as_tuple()) * p.rotation_matrix
            corner = pymupdf.Rect(shown.x0 - 1, shown.y0 - 10, shown.x0 + 14, shown.y0 + 3)
            area = corner * p.derotation_matrix
            assert p.get_textbox(area).strip() == number, (page, number)
    mask = red_pixels(out, 1)
    box = BOXES[1][0]
    assert mask[int(box.y0) - 1 : int(box.y1) + 2, int(box.x0) - 1 : int(box.x1) + 2].sum() > 100


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")
def test_poppler_draws_the_squares_too(built: BuiltCase, tmp_path: Path) -> None:
    """Okular and Evince use poppler: the annotations must carry their own appearance."""
    out = export(built, tmp_path / "annotated.pdf")
    subprocess.run(["pdftoppm", "-r", "72", "-png", "-f", "1", "-l", "1", str(out),
                    str(tmp_path / "p")], check=True)  # fmt: skip
    img = np.asarray(Image.open(next(tmp_path.glob("p-*.png"))).convert("RGB")).astype(int)
    red = (img[..., 0] > 150) & (img[..., 1] < 90) & (img[..., 2] < 90)
    for box in BOXES[1][:2]:  # the third box on page 1 is a false positive: not marked
        edge = red[int(box.y0) - 2 : int(box.y0) + 3, int(box.x0) : int(box.x1)]
        assert edge.sum() > box.width * 0.8, box
    fp = BOXES[1][2]
    assert red[int(fp.y0) - 2 : int(fp.y1) + 3, int(fp.x0) - 2 : int(fp.x1) + 3].sum() == 0
