"""OCR on the sample releases, checked against their ground truth."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from redactview.core.geometry import Box
from redactview.core.model import Word
from redactview.jobs.executor import SerialExecutor
from redactview.jobs.ocr_run import OcrOptions, ocr_key, run_ocr
from redactview.pdf.info import inspect_document
from redactview.store.case import Case

pytestmark = [pytest.mark.tesseract, pytest.mark.slow]


def read_page(tmp_path: Path, pdf: Path, page: int, dpi: int) -> list[Word]:
    options = OcrOptions(dpi=dpi, jobs=1)
    with Case.open(tmp_path / "s.rvcase", create=True) as case:
        release = case.add_release(inspect_document(pdf))
        serial = SerialExecutor()
        report = run_ocr(case, release, options, executor_factory=lambda _: serial, pages=[page])
        assert report.done == (page,), report.failures
        cached = case.ocr_cache.get(ocr_key(release, options), page)
    assert cached is not None
    return list(cached.words)


def matched_share(words: list[Word], truth: list[dict[str, object]]) -> float:
    """Truth words read with the same text, centred inside the truth box (+3 pt)."""
    hits = 0
    for item in truth:
        box = Box.from_seq(item["bbox"]).expanded(3)  # type: ignore[arg-type]
        hits += any(w.text == item["text"] and box.contains_point(*w.box.center) for w in words)
    return hits / len(truth)


@pytest.mark.parametrize(
    ("name", "page"),
    [("release_a", 7), ("release_b", 8)],  # content turned 90°; and /Rotate=90
)
def test_sideways_sample_pages_read_in_place(
    tmp_path: Path, samples_dir: Path, name: str, page: int
) -> None:
    truth = json.loads((samples_dir / f"{name}.truth.json").read_text())
    info = truth["pages"][page - 1]
    assert info["content_rotated"] == 90  # the page this test is about
    words = read_page(tmp_path, samples_dir / f"{name}.pdf", page, info["dpi"])
    assert matched_share(words, info["words"]) >= 0.9
