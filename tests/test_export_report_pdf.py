"""The report PDF: rendered to PNG with pdftoppm and read back for content."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pymupdf
import pytest
from PIL import Image

from redactview.export.service import ExportFormat, export_case
from redactview.store.case import Case

try:
    from tests.test_export_support import BuiltCase, build_case
except ImportError:
    from test_export_support import BuiltCase, build_case


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuiltCase:
    return build_case(tmp_path_factory.mktemp("case"))


@pytest.fixture(scope="module")
def report(built: BuiltCase, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out") / "report.pdf"
    with Case.open(built.case_path, readonly=True) as case:
        result = export_case(case, ExportFormat.PDF, out)
    assert result.pages >= 5 and result.items == 4
    return out


def page_texts(path: Path) -> list[str]:
    with pymupdf.open(path) as doc:
        return [page.get_text() for page in doc]


def test_sections_toc_and_page_numbers(report: Path) -> None:
    texts = page_texts(report)
    assert "Redaction report" in texts[0] and "Release A: 3 pages, 4 redactions" in texts[0]
    assert texts[1].startswith("Contents")
    for i, text in enumerate(texts, start=1):
        assert f"page {i} of {len(texts)}" in text
    with pymupdf.open(report) as doc:
        toc = {title: page for _, title, page in doc.get_toc()}
    for section in (
        "Charts",
        "Vaughn index",
        "Redactions",
        "Leak findings",
        "Cross-release reveals",
    ):
        assert section in toc
        assert section in texts[toc[section] - 1]  # the bookmark leads to the section
    contents_lines = texts[1].splitlines()
    vaughn_line = contents_lines.index("Vaughn index")
    assert contents_lines[vaughn_line + 1] == str(toc["Vaughn index"])


def test_every_redaction_listed_with_its_meaning_and_crop(report: Path, built: BuiltCase) -> None:
    texts = page_texts(report)
    with pymupdf.open(report) as doc:
        toc = {title: page for _, title, page in doc.get_toc()}
        catalog = doc[toc["Redactions"] - 1]
        assert len(catalog.get_images()) == 4  # one crop per redaction (false positive left out)
    all_text = "\n".join(texts)
    for n in ("#1", "#2", "#3", "#4"):
        assert n in texts[toc["Redactions"] - 1]
    assert "#5" not in all_text and "table bar" not in all_text  # false positive not reported
    assert "Personnel, medical and similar files" in all_text
    assert "Name of the agent" in all_text and "ABC-2019-000121" in all_text
    assert "John Q. Agent" in all_text  # the leak finding
    assert "Jane Roe" in all_text  # the cross-release reveal
    with pymupdf.open(report) as doc:
        leaks = doc[toc["Leak findings"] - 1]
        assert "image_under_box" in leaks.get_text() and "L1" in leaks.get_text()
        assert len(leaks.get_images()) == 1  # the picture found under box #3
    assert "<script>alert('x')</script>" in all_text  # text, shown as typed, not markup


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")
def test_rendered_pages_show_bars_and_crops(report: Path, tmp_path: Path) -> None:
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(report), str(tmp_path / "p")], check=True)
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == len(page_texts(report))
    with pymupdf.open(report) as doc:
        toc = {title: page for _, title, page in doc.get_toc()}
    charts = np.asarray(Image.open(pngs[toc["Charts"] - 1]).convert("RGB")).astype(int)
    blue = (charts[..., 2] > 120) & (charts[..., 0] < 80)
    assert blue.sum() > 500  # the bars are drawn
    catalog = np.asarray(Image.open(pngs[toc["Redactions"] - 1]).convert("RGB")).astype(int)
    black = (catalog.max(axis=2) < 40).sum()
    red = ((catalog[..., 0] > 150) & (catalog[..., 1] < 80)).sum()
    assert black > 300  # the black boxes inside the page crops
    assert red > 100  # the outline around each redaction in its crop


def test_report_without_the_release_pdf_still_writes(built: BuiltCase, tmp_path: Path) -> None:
    case_copy = tmp_path / "moved.rvcase"
    shutil.copy(built.case_path, case_copy)
    with Case.open(case_copy) as case:
        case.connection.execute("UPDATE releases SET path = '/nonexistent/release.pdf'")
    out = tmp_path / "r.pdf"
    with Case.open(case_copy, readonly=True) as case:
        export_case(case, ExportFormat.PDF, out)
    texts = page_texts(out)
    assert "was not found; no crops" in texts[0]
    with pymupdf.open(out) as doc:
        # no page crops; only the leak picture, which lives in the case itself
        assert sum(len(p.get_images()) for p in doc) == 1


def test_typographic_and_foreign_text_prints_plainly(built: BuiltCase, tmp_path: Path) -> None:
    from redactview.core.model import Annotation

    copy = tmp_path / "c.rvcase"
    shutil.copy(built.case_path, copy)
    with Case.open(copy) as case:
        case.annotations.save(Annotation(built.ids[3], note="“Smith” — café 中文"))
    out = tmp_path / "r.pdf"
    with Case.open(copy, readonly=True) as case:
        export_case(case, ExportFormat.PDF, out)
    text = "\n".join(page_texts(out))
    assert '"Smith" - café ??' in text
