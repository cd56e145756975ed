"""Small generated releases for the batch tests, and the catalog key they compare.

A release mixes born-digital pages (text, a black vector box over a name, the
code printed beside it) with image pages whose boxes are burned into the
pixels, so both detectors run. Every page differs (its number is in the text
and the box moves), so a page scanned twice or a result stored on the wrong
page would show in the catalog.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pymupdf

from redactview.jobs.scan import ScanOptions, scan_documents

OPTIONS = ScanOptions(ocr=False)  # Tesseract is not needed for boxes; keeps tests fast


def draw_memo(page: pymupdf.Page, n: int) -> None:
    for line in range(6):
        y = 100 + line * 40
        page.insert_text((72, y), f"Page {n} line {line}: the meeting with", fontsize=11)
        if line % 2 == n % 2:
            rect = pymupdf.Rect(290 + 6 * n, y - 10, 380 + 6 * n + 10 * line, y + 3)
            page.draw_rect(rect, color=None, fill=(0, 0, 0), width=0)
            page.insert_text((rect.x1 + 4, y), "(b)(6)", fontsize=9)


def add_image_page(doc: pymupdf.Document, n: int) -> None:
    """A page whose only content is a picture of a redacted memo (burned-in boxes)."""
    drawn = pymupdf.open()
    draw_memo(drawn.new_page(width=612, height=792), n)
    pix = drawn[0].get_pixmap(dpi=150, colorspace=pymupdf.csGRAY)
    page = doc.new_page(width=612, height=792)
    page.insert_image(page.rect, stream=pix.tobytes("png"))


def make_release(path: Path, digital: int = 4, scanned: int = 2) -> Path:
    doc = pymupdf.open()
    for n in range(1, digital + scanned + 1):
        if n <= digital:
            draw_memo(doc.new_page(width=612, height=792), n)
        else:
            add_image_page(doc, n)
    doc.save(path)
    doc.close()
    return path


def catalog_key(documents: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """What must agree between two runs: ids, pages, boxes and exemptions, by file."""
    return sorted(
        (
            d["sha256"],
            r["id"],
            r["page"],
            tuple(round(v, 1) for v in r["bbox"]),
            tuple(r["exemptions"]),
        )
        for d in documents
        for r in d["redactions"]
    )


def test_generated_release_has_boxes_on_every_page(tmp_path: Path) -> None:
    pdf = make_release(tmp_path / "r.pdf")
    (report,) = scan_documents([pdf], options=OPTIONS).reports
    pages = {r.page for r in report.document.redactions}
    assert pages == set(range(1, 7))
    digital = [r for r in report.document.redactions if r.page <= 4]
    assert all(r.exemptions == ("(b)(6)",) for r in digital)
    assert {r.kind.value for r in report.document.redactions if r.page > 4} == {"raster"}
