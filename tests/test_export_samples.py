"""Exports over the sample releases (scans, a sideways page, 200+ redactions)."""

from __future__ import annotations

import json
from pathlib import Path

import pymupdf
import pytest

from redactview.core.geometry import Box
from redactview.export.service import ExportFormat, export_case
from redactview.export.xfdf_import import import_xfdf
from redactview.pdf.annotate import read_squares
from redactview.pdf.info import inspect_document
from redactview.store.case import Case

try:
    from tests.test_export_support import build_sample_case
except ImportError:
    from test_export_support import build_sample_case


@pytest.fixture(scope="module")
def sample_case(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    samples = Path(__file__).resolve().parent.parent / "sample_docs"
    if not (samples / "release_a.pdf").exists():
        pytest.fail("sample_docs/ is missing its PDFs; run sample_docs/make_samples.py")
    case_path, _ = build_sample_case(tmp_path_factory.mktemp("samples"), samples)
    return case_path, samples


def truth(samples: Path, name: str) -> dict:  # type: ignore[type-arg]
    data: dict = json.loads((samples / f"{name}.truth.json").read_text("utf-8"))  # type: ignore[type-arg]
    return data


def test_annotated_release_a_has_one_square_per_true_redaction(
    sample_case: tuple[Path, Path], tmp_path: Path
) -> None:
    case_path, samples = sample_case
    out = tmp_path / "a.pdf"
    with Case.open(case_path, readonly=True) as case:
        export_case(case, ExportFormat.ANNOTATED_PDF, out, release="release_a")
    squares = read_squares(out)
    expected = truth(samples, "release_a")["redactions"]
    assert len(squares) == len(expected) == 111
    for t in expected:
        box = Box(*t["bbox"])
        hits = [s for s in squares if s.page == t["page"] and s.box.iou(box) > 0.98]
        assert len(hits) == 1, t["id"]
        for code in t["exemptions"]:
            assert code in hits[0].contents and code in hits[0].title


def test_xfdf_round_trip_keeps_boxes_on_the_sideways_page(
    sample_case: tuple[Path, Path], tmp_path: Path
) -> None:
    case_path, samples = sample_case
    xfdf = tmp_path / "b.xfdf"
    with Case.open(case_path, readonly=True) as case:
        export_case(case, ExportFormat.XFDF, xfdf, release="release_b")
    with Case.open(tmp_path / "fresh.rvcase", create=True) as fresh:
        release = fresh.add_release(inspect_document(samples / "release_b.pdf"))
        summary = import_xfdf(fresh, release.id, xfdf)
        got = fresh.redactions.list(release.id)
    expected = truth(samples, "release_b")["redactions"]
    assert summary.created == len(expected) == len(got)
    with pymupdf.open(samples / "release_b.pdf") as doc:
        assert doc[7].rotation == 90  # page 8 is the sideways one
    for t in [t for t in expected if t["page"] == 8] + expected[:5]:
        box = Box(*t["bbox"])
        assert any(r.page == t["page"] and r.box.iou(box) > 0.99 for r in got), t["id"]


@pytest.mark.slow
def test_report_pdf_over_both_releases(sample_case: tuple[Path, Path], tmp_path: Path) -> None:
    case_path, samples = sample_case
    out = tmp_path / "report.pdf"
    with Case.open(case_path, readonly=True) as case:
        result = export_case(case, ExportFormat.PDF, out)
    assert result.items == 111 + 96
    with pymupdf.open(out) as doc:
        text = " ".join(" ".join(page.get_text().split()) for page in doc)
        images = sum(len(page.get_images()) for page in doc)
    assert images == 207  # a crop for every redaction
    assert "#207" in text and "#208" not in text
    for reveal in truth(samples, "release_b")["reveals"]:
        assert " ".join(reveal["text"].split()) in text  # wrapped over lines in the table
    assert "Name of the deputy director" in text
