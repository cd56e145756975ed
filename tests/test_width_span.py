"""Redactions over a line break: grouped line boxes, and one tall box over two lines."""

from __future__ import annotations

import json
from pathlib import Path

import pymupdf
import pytest

from redactview.analysis.width_page import estimate_span_width
from redactview.analysis.width_span import fit_span_candidates, split_points
from redactview.cli.main import run
from redactview.core.geometry import Box

FONT, SIZE = "tiro", 11.0


def length(text: str) -> float:
    return pymupdf.get_text_length(text, fontname=FONT, fontsize=SIZE)


def broken_name(path: Path, first: str, last: str) -> list[Box]:
    """'... by Special Agent <first>' / '<last> of the field office ...', both parts
    truly redacted with one box per line (as a redaction tool marks a wrapped name)."""
    doc = pymupdf.open()
    page = doc.new_page()
    lines = [("The interview was conducted on 4 May by Special Agent", first, ""),
             ("", last, "of the field office, who took notes.")]  # fmt: skip
    boxes = []
    for i, (before, hidden, after) in enumerate(lines):
        y = 100 + i * 14
        x = 72 + (length(before + " ") if before else 0)
        text = " ".join(t for t in (before, hidden, after) if t)
        page.insert_text((72, y), text, fontname=FONT, fontsize=SIZE)
        rect = pymupdf.Rect(x - 0.5, y - 0.9 * SIZE, x + length(hidden) + 0.5, y + 0.25 * SIZE)
        page.add_redact_annot(rect, fill=(0, 0, 0))
        boxes.append(Box(rect.x0, rect.y0, rect.x1, rect.y1))
    page.insert_text((72, 160), "Nothing else on this page is withheld.", fontname=FONT)
    page.apply_redactions()
    assert last not in page.get_text()
    doc.save(path)
    return boxes


def test_grouped_line_boxes_sum_with_the_break_space(tmp_path: Path) -> None:
    boxes = broken_name(tmp_path / "b.pdf", "Margaret", "Okonkwo-Baptiste")
    span = estimate_span_width(tmp_path / "b.pdf", 1, boxes)
    assert span is not None and len(span.segments) == 2
    true = len("Margaret Okonkwo-Baptiste")
    assert span.estimate.lo <= true <= span.estimate.hi
    # Each segment alone holds only its part; the sum is more than either.
    assert span.estimate.lo > max(s.estimate.hi for s in span.segments)
    ranked = fit_span_candidates(span, ["Okonkwo-Baptiste Margaret", "Margaret Okonkwo-Baptiste",
                                        "Li Wu", "Margaretta Okonkwo"])  # fmt: skip
    # Same letters either way round, but only one order puts each part on its line.
    assert ranked[0].text == "Margaret Okonkwo-Baptiste" and ranked[0].fits
    # At the break both ends are box edges: their 0.5 pt paddings are in the gap.
    assert -1.1 < ranked[0].residual < 0.0
    assert not next(c for c in ranked if c.text == "Li Wu").fits


def test_a_hyphenated_name_may_break_after_its_hyphen(tmp_path: Path) -> None:
    boxes = broken_name(tmp_path / "h.pdf", "Maria Gonzalez-", "Ruiz")
    span = estimate_span_width(tmp_path / "h.pdf", 1, boxes)
    assert span is not None
    ranked = fit_span_candidates(span, ["Maria Gonzalez-Ruiz", "Mario Gonzales Ruiz", "Ann Wu"])
    assert ranked[0].text == "Maria Gonzalez-Ruiz" and ranked[0].fits


def test_split_points_at_spaces_and_after_hyphens() -> None:
    assert split_points("Ana Diaz-Ruiz") == [(3, 4), (9, 9)]


def form_block(path: Path, values: tuple[str, str]) -> Box:
    """A form: 'Witness:' / 'Address:' labels, values at one tab stop, one tall box
    drawn over both values (as the value cell of a table is redacted)."""
    doc = pymupdf.open()
    page = doc.new_page()
    tab = 72 + length("Address:  ")
    for i, (label, value) in enumerate(zip(("Witness:", "Address:"), values, strict=True)):
        page.insert_text((72, 100 + i * 14), label, fontname=FONT, fontsize=SIZE)
        page.insert_text((tab, 100 + i * 14), value, fontname=FONT, fontsize=SIZE)
    page.insert_text((72, 140), "Statement taken at the scene by the duty officer.",
                     fontname=FONT, fontsize=SIZE)  # fmt: skip
    widest = max(length(v) for v in values)
    rect = pymupdf.Rect(tab - 0.5, 100 - 0.9 * SIZE, tab + widest + 0.5, 114 + 0.25 * SIZE)
    page.add_redact_annot(rect, fill=(0, 0, 0))
    page.apply_redactions()
    doc.save(path)
    return Box(rect.x0, rect.y0, rect.x1, rect.y1)


def test_one_tall_box_is_measured_line_by_line(tmp_path: Path) -> None:
    values = ("Margaret Okonkwo", "1400 Elm Street")
    box = form_block(tmp_path / "f.pdf", values)
    span = estimate_span_width(tmp_path / "f.pdf", 1, [box])
    assert span is not None and len(span.segments) == 2
    true = len(" ".join(values))
    assert span.estimate.lo <= true <= span.estimate.hi
    # Measured as one line, the same box would say ~16 characters.
    assert span.estimate.hi > 2 * span.segments[0].estimate.lo


def test_cli_fits_a_name_over_two_line_boxes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    boxes = broken_name(tmp_path / "b.pdf", "Margaret", "Okonkwo-Baptiste")
    bboxes = [a for b in boxes for a in ("--bbox", ",".join(str(v) for v in b.as_tuple()))]
    names = ["--candidate", "Margaret Okonkwo-Baptiste", "--candidate", "Li Wu"]
    code = run(["fit", str(tmp_path / "b.pdf"), "--page", "1", *bboxes, *names,
                "--no-auto", "--format", "json"])  # fmt: skip
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["segments"]) == 2
    assert data["est_chars"][0] <= 25 <= data["est_chars"][1]
    assert [c["text"] for c in data["candidates"]] == ["Margaret Okonkwo-Baptiste", "Li Wu"]
    assert [c["fits"] for c in data["candidates"]] == [True, False]


def test_catalog_counts_a_tall_box_line_by_line(tmp_path: Path) -> None:
    from redactview.analysis.pipeline import PageTask, analyze_page
    from redactview.core.hashing import sha256_file

    values = ("Margaret Okonkwo", "1400 Elm Street")
    box = form_block(tmp_path / "f.pdf", values)
    path = tmp_path / "f.pdf"
    found = analyze_page(PageTask(str(path), 1, sha256_file(path), ocr=False)).redactions
    tall = max(found, key=lambda r: r.box.iou(box))
    assert tall.box.iou(box) > 0.8 and tall.est_chars is not None
    assert tall.est_chars[0] <= len(" ".join(values)) <= tall.est_chars[1]


def test_inspector_fit_takes_the_whole_group(tmp_path: Path) -> None:
    # The inspector's Fit on one line box of a name broken over a line end must
    # measure the whole name, as `fit --redaction` does.
    from redactview.core.model import Fill, Redaction, RedactionKind
    from redactview.core.progress import CancelToken
    from redactview.jobs.ocr_run import OcrOptions
    from redactview.pdf.info import inspect_document
    from redactview.store.case import Case
    from redactview.ui.fit_job import FitRequest, fit_redaction
    from redactview.ui.tasks import TaskContext

    path = tmp_path / "b.pdf"
    boxes = broken_name(path, "Margaret", "Okonkwo-Baptiste")
    parts = [Redaction(f"r{i}", 1, b, RedactionKind.VECTOR, Fill.BLACK, group="g1")
             for i, b in enumerate(boxes)]  # fmt: skip
    with Case.open(tmp_path / "c.rvcase", create=True) as case:
        release = case.add_release(inspect_document(path))
        case.redactions.replace_detected(release.id, parts, [1], mark_done=True)
        names = ("Margaret Okonkwo-Baptiste", "Okonkwo-Baptiste Margaret", "Li Wu")
        request = FitRequest(case, release, path, parts[1], names, False, OcrOptions())
        outcome = fit_redaction(request, TaskContext(CancelToken(), lambda _p: None))
    assert outcome.lines == 2
    assert outcome.estimate.lo <= len(names[0]) <= outcome.estimate.hi
    assert outcome.candidates[0].text == names[0] and outcome.candidates[0].fits
