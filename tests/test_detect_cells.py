"""Redacted cells of a spreadsheet printout: a block of cells filled black down a
column, its code printed small in its first cell only."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pymupdf
import pytest
from PIL import Image
from test_detect_fixtures import draw_page, render_at, scan_pixels

from redactview.analysis.detect_raster import find_dark_boxes
from redactview.analysis.pipeline import PageTask, analyze_page
from redactview.ocr.tesseract import find_tesseract

COLS = [60, 180, 300, 431]
ROWS = [100 + 16 * i for i in range(13)]
BLOCK = (COLS[2], ROWS[4], COLS[3], ROWS[11])  # seven cells down the last column


def sheet(p: pymupdf.Page) -> None:
    for r in range(12):
        p.insert_text((COLS[0] + 3, ROWS[r + 1] - 4), f"Person {r}", fontsize=8.5)
        p.insert_text((COLS[1] + 3, ROWS[r + 1] - 4), "Analyst", fontsize=8.5)
        if not ROWS[4] <= ROWS[r] < ROWS[11]:
            p.insert_text((COLS[2] + 3, ROWS[r + 1] - 4), "ok", fontsize=8.5)
    p.draw_rect(BLOCK, color=None, fill=(0, 0, 0))
    p.insert_text(
        (BLOCK[0] + 3, ROWS[5] - 4), "(b)(6)", fontsize=7, fontname="hebo", color=(1, 1, 1)
    )
    for y in ROWS:
        p.draw_line((COLS[0], y), (COLS[-1], y), color=(0, 0, 0), width=0.5)
    for x in COLS:
        p.draw_line((x, ROWS[0]), (x, ROWS[-1]), color=(0, 0, 0), width=0.5)


def test_a_small_code_in_a_block_of_cells_counts_as_print() -> None:
    # 247 light pixels in a 274 x 237 px block: under the share of the box a code
    # must cover, but all in one line of it.
    found = find_dark_boxes(render_at(scan_pixels(draw_page(sheet)), 150.0), 150.0)
    block = [b for b in found if b.y1 - b.y0 > 100]
    assert len(block) == 1 and block[0].inner_ink


@pytest.mark.skipif(find_tesseract() is None, reason="Tesseract not installed")
def test_the_code_in_the_block_s_first_cell_is_read(tmp_path: Path) -> None:
    buf = io.BytesIO()
    Image.fromarray(scan_pixels(draw_page(sheet)).astype(np.uint8), "L").save(buf, "PNG")
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_image(page.rect, stream=buf.getvalue())
    doc.save(tmp_path / "sheet.pdf")
    found = analyze_page(PageTask(str(tmp_path / "sheet.pdf"), 1, "0" * 64, 150.0)).redactions
    block = [r for r in found if r.box.height > 50]
    assert len(block) == 1
    assert block[0].exemptions == ("(b)(6)",)
    assert block[0].label_position == "inside"
