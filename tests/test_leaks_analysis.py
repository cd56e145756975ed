"""Combining findings, filling text_under, storing them, and the samples' known leaks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from leaks_cases import LEAKY, SECRET

from redactview.analysis.leaks import (
    attach_text_under,
    check_document,
    corroborate,
    dedupe,
    link_findings,
)
from redactview.core.geometry import Box
from redactview.core.model import Fill, LeakFinding, Redaction, RedactionKind
from redactview.store.case import Case


def redaction(page: int, box: Box, rid: str = "r1") -> Redaction:
    return Redaction(rid, page, box, RedactionKind.VECTOR, Fill.BLACK)


def test_attach_text_under_fills_only_the_redaction_above_the_finding() -> None:
    finding = LeakFinding(2, Box(72, 158, 194, 170), "text_under_box", "Carlos Ibarra", 0.95)
    over = redaction(2, Box(71, 157, 195, 171), "over")
    elsewhere = redaction(2, Box(300, 400, 380, 412), "elsewhere")
    other_page = redaction(3, Box(71, 157, 195, 171), "other_page")
    out = attach_text_under([over, elsewhere, other_page], [finding])
    assert [r.text_under for r in out] == ["Carlos Ibarra", None, None]
    (linked,) = link_findings([finding], [elsewhere, over])
    assert linked.redaction_id == "over"


def test_dedupe_keeps_the_more_confident_of_two_mechanisms_for_one_leak() -> None:
    box = Box(10, 10, 100, 20)
    weak = LeakFinding(1, box, "clipped_text", "Maria Delgado", 0.6)
    strong = LeakFinding(1, box.expanded(1), "text_under_box", "Maria  delgado", 0.95)
    apart = LeakFinding(1, Box(10, 300, 100, 310), "text_under_box", "Maria Delgado", 0.95)
    assert dedupe([weak, strong, apart]) == [strong, apart]


def test_metadata_that_repeats_hidden_words_is_corroborated() -> None:
    hidden = LeakFinding(1, Box(10, 10, 100, 20), "text_under_box", "Maria Delgado", 0.95)
    title = LeakFinding(0, None, "metadata:title", "Interview of Maria Delgado", 0.45)
    unrelated = LeakFinding(0, None, "metadata:author", "FOIA Office", 0.45)
    out = corroborate([hidden, title, unrelated])
    assert [f.confidence for f in out] == [0.95, 0.9, 0.45]


def test_check_document_reads_the_picture_under_a_box(tmp_path: Path) -> None:
    pytest.importorskip("pytesseract")
    from redactview.errors import OcrUnavailableError
    from redactview.ocr.tesseract import probe

    try:
        probe()
    except OcrUnavailableError:
        pytest.skip("Tesseract is not installed")
    path = tmp_path / "scan.pdf"
    path.write_bytes(LEAKY["image_under_vector_box"][0]())
    (finding,) = check_document(path).findings
    assert finding.mechanism == "image_under_box" and finding.image_png
    assert "Informant" in finding.text


def test_memo_sample_leaks_match_the_ground_truth(samples_dir: Path) -> None:
    truth = json.loads((samples_dir / "memo_born_digital.truth.json").read_text())
    leaks = [r for r in truth["redactions"] if r.get("leak")]
    result = check_document(samples_dir / "memo_born_digital.pdf", ocr=False)
    strong = [f for f in result.findings if f.confidence >= 0.5]
    for leak in leaks:
        box = Box.from_seq(leak["bbox"])
        hits = [
            f for f in strong if f.page == leak["page"] and f.box and f.box.coverage_by(box) > 0.5
        ]
        assert [(f.mechanism, f.text) for f in hits] == [(leak["leak"], leak["hidden_text"])]
    assert len(strong) == len(leaks)  # nothing else on the pages is flagged


@pytest.mark.slow
def test_release_a_vector_boxes_over_the_scan_give_crops_and_release_b_is_clean(
    samples_dir: Path,
) -> None:
    truth = json.loads((samples_dir / "release_a.truth.json").read_text())
    leaks = [r for r in truth["redactions"] if r.get("leak")]
    result = check_document(samples_dir / "release_a.pdf", ocr=False)
    pictures = [f for f in result.findings if f.mechanism == "image_under_box"]
    assert len(pictures) == len(leaks)
    for leak in leaks:
        box = Box.from_seq(leak["bbox"])
        assert any(f.page == leak["page"] and f.box and f.box.iou(box) > 0.9 for f in pictures)
    assert all(f.image_png for f in pictures)
    clean = check_document(samples_dir / "release_b.pdf", ocr=False)
    assert [f for f in clean.findings if f.page > 0] == []


def test_findings_round_trip_through_the_case(tmp_path: Path) -> None:
    pdf = tmp_path / "leaky.pdf"
    pdf.write_bytes(LEAKY["image_under_vector_box"][0]())
    result = check_document(pdf, ocr=False)
    from redactview.pdf.info import inspect_document

    with Case.open(tmp_path / "c.rvcase", create=True) as case:
        release = case.add_release(inspect_document(pdf))
        assert case.findings.replace(release.id, result.findings) == 1
        (stored,) = case.findings.list(release.id)
    assert stored == result.findings[0]  # box, text, confidence and the PNG crop survive


def test_cli_json_is_versioned_and_pure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from redactview.cli.main import run

    pdf = tmp_path / "leaky.pdf"
    pdf.write_bytes(LEAKY["vector_box_over_text"][0]())
    assert run(["leaks", str(pdf), "--format", "json", "--quiet", "--no-ocr"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == "redactview.leaks/1"
    (doc,) = data["documents"]
    assert doc["path"] == str(pdf) and len(doc["sha256"]) == 64
    (finding,) = doc["findings"]
    assert finding["page"] == 1 and finding["mechanism"] == "text_under_box"
    assert finding["text"] == SECRET and len(finding["bbox"]) == 4


def test_cli_case_fills_text_under_of_stored_redactions(tmp_path: Path) -> None:
    from redactview.cli.main import run
    from redactview.core.model import make_redaction_id
    from redactview.pdf.info import inspect_document

    pdf = tmp_path / "leaky.pdf"
    pdf.write_bytes(LEAKY["vector_box_over_text"][0]())
    case_path = tmp_path / "c.rvcase"
    info = inspect_document(pdf)
    (finding,) = check_document(pdf, ocr=False).findings
    assert finding.box is not None
    box = finding.box.expanded(2)
    with Case.open(case_path, create=True) as case:
        release = case.add_release(info)
        r = redaction(1, box, make_redaction_id(info.sha256, 1, box))
        case.redactions.replace_detected(release.id, [r])
    assert run(["leaks", str(pdf), "--case", str(case_path), "--quiet", "--no-ocr"]) == 0
    with Case.open(case_path) as case:
        (stored,) = case.redactions.list(release.id)
        (kept,) = case.findings.list(release.id)
    assert stored.text_under == SECRET and kept.redaction_id == r.id
