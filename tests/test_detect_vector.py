"""Vector and annotation redactions on born-digital pages, through the page pipeline."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from redactview.analysis.pipeline import PageTask, analyze_page
from redactview.core.geometry import Box
from redactview.core.model import Fill, RedactionKind

LINE = "The contract was signed by SECRETNAME of Acme on Monday."


def _save(doc: pymupdf.Document, path: Path) -> Path:
    doc.save(path)
    doc.close()
    return path


def _run(path: Path, page: int = 1):  # type: ignore[no-untyped-def]
    return analyze_page(PageTask(str(path), page, "f" * 64, ocr=False))


def _name_rect(page: pymupdf.Page) -> pymupdf.Rect:
    return page.search_for("SECRETNAME")[0]


def _one(result, kind: RedactionKind):  # type: ignore[no-untyped-def]
    found = [r for r in result.redactions if r.kind == kind]
    assert len(found) == 1, result.redactions
    return found[0]


def test_black_rect_over_live_text_with_label_and_context(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), LINE, fontsize=11)
    rect = _name_rect(page)
    page.draw_rect(rect, color=None, fill=(0, 0, 0))
    page.insert_text((rect.x1 + 3, 100), "(b)(6)", fontsize=9)
    result = _run(_save(doc, tmp_path / "a.pdf"))
    r = _one(result, RedactionKind.VECTOR)
    assert r.box.iou(Box(*rect)) > 0.95
    assert r.fill == Fill.BLACK
    assert r.exemptions == ("(b)(6)",)
    assert r.context_before.endswith("signed by")
    assert "SECRETNAME" not in r.context_before + r.context_after
    assert len(result.redactions) == 1  # the raster copy of the same box is not counted twice


def test_applied_redaction_with_code_printed_inside(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), LINE, fontsize=11)
    rect = _name_rect(page)
    page.add_redact_annot(rect, text="(b)(7)(C)", fill=(0, 0, 0), text_color=(1, 1, 1), fontsize=6)
    page.apply_redactions()
    r = _one(_run(_save(doc, tmp_path / "b.pdf")), RedactionKind.VECTOR)
    assert r.box.iou(Box(*rect)) > 0.8
    assert r.exemptions == ("(b)(7)(C)",)


def test_unapplied_redact_and_filled_square_annotations(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), LINE, fontsize=11)
    page.insert_text((72, 200), "Second line with HIDDEN words", fontsize=11)
    page.add_redact_annot(_name_rect(page), text="(b)(6)", fill=(0, 0, 0))
    square = page.add_rect_annot(page.search_for("HIDDEN")[0])
    square.set_colors(stroke=(0, 0, 0), fill=(0, 0, 0))
    square.update()
    outline = page.add_rect_annot(pymupdf.Rect(72, 300, 200, 314))  # outline only: not hiding
    outline.update()
    result = _run(_save(doc, tmp_path / "c.pdf"))
    annots = sorted(
        (r for r in result.redactions if r.kind == RedactionKind.ANNOTATION), key=lambda r: r.box.y0
    )
    assert len(annots) == 2, result.redactions
    assert annots[0].exemptions == ("(b)(6)",)
    assert all(r.box.y1 < 290 for r in result.redactions)


def test_solid_image_placed_as_a_box(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), LINE, fontsize=11)
    pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 8, 8), False)
    pix.clear_with(0)
    page.insert_image(pymupdf.Rect(200, 300, 330, 313), pixmap=pix, keep_proportion=False)
    result = _run(_save(doc, tmp_path / "d.pdf"))
    assert [r.box.rounded(0) for r in result.redactions] == [Box(200, 300, 330, 313)]
    assert result.redactions[0].kind == RedactionKind.VECTOR


@pytest.mark.parametrize(
    "name",
    ["table header", "blue banner", "page background", "rule", "outline box"],
)
def test_vector_look_alikes_are_rejected(tmp_path: Path, name: str) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), LINE, fontsize=11)
    if name == "table header":
        page.draw_rect((72, 300, 540, 318), color=None, fill=(0, 0, 0))
        page.insert_text((80, 313), "Name        Date        Amount", fontsize=11, color=(1, 1, 1))
    elif name == "blue banner":
        page.draw_rect((72, 300, 540, 330), color=None, fill=(0.1, 0.2, 0.7))
    elif name == "page background":
        page.draw_rect(page.rect, color=None, fill=(0.95, 0.95, 0.95), overlay=False)
    elif name == "rule":
        page.draw_rect((72, 300, 540, 301.6), color=None, fill=(0, 0, 0))
    else:
        page.draw_rect((72, 300, 200, 314), color=(0, 0, 0), fill=(1, 1, 1), width=0.8)
    assert _run(_save(doc, tmp_path / "e.pdf")).redactions == ()


def test_rotated_page_boxes_are_in_unrotated_coordinates(tmp_path: Path) -> None:
    # /Rotate 90 turns the page on screen; words and boxes stay in unrotated space,
    # and context still follows the printed line (which now runs down the screen).
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), LINE, fontsize=11)
    rect = _name_rect(page)
    page.draw_rect(rect, color=None, fill=(0, 0, 0))
    page.set_rotation(90)
    result = _run(_save(doc, tmp_path / "f.pdf"))
    assert len(result.redactions) == 1
    r = result.redactions[0]
    words = {w.text: w.box for w in result.words}
    assert r.box.iou(Box(*rect)) > 0.95
    assert r.box.intersects(words["SECRETNAME"])  # lines up with the word under it
    assert r.context_before.endswith("signed by")


def test_stable_ids_across_runs(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), LINE, fontsize=11)
    page.draw_rect(_name_rect(page), color=None, fill=(0, 0, 0))
    path = _save(doc, tmp_path / "g.pdf")
    assert [r.id for r in _run(path).redactions] == [r.id for r in _run(path).redactions]
