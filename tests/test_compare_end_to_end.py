"""``compare`` on the sample scans end to end: real detection, real OCR, linking.

Every reveal listed in release_b.truth.json must come out as a "revealed"
link of the A box it belongs to, with the text B prints (compared without
case, punctuation and spacing, as OCR is the source of the text).
"""

from __future__ import annotations

import re

import pytest

from redactview.core.geometry import Box
from redactview.core.model import LinkStatus
from redactview.jobs.compare_run import CompareOptions, CompareRun, compare_files
from redactview.ocr.tesseract import find_tesseract
from tests.test_compare_samples import SAMPLES, load_truth

pytestmark = pytest.mark.slow


def squash(text: str | None) -> str:
    return re.sub(r"[^0-9a-z]+", "", (text or "").lower())


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> CompareRun:
    if find_tesseract() is None:
        pytest.skip("Tesseract is not installed")
    load_truth("release_b")
    case = tmp_path_factory.mktemp("compare") / "samples.rvcase"
    return compare_files(SAMPLES / "release_a.pdf", SAMPLES / "release_b.pdf", case_path=case,
                         options=CompareOptions(jobs=1))  # fmt: skip


def test_every_truth_reveal_is_found_with_its_text(sample_run: CompareRun) -> None:
    truth_a, truth_b = load_truth("release_a"), load_truth("release_b")
    boxes = {r["id"]: (r["page"], Box.from_seq(r["bbox"])) for r in truth_a["redactions"]}
    links = sample_run.result.links
    misses = []
    for reveal in truth_b["reveals"]:
        page, box = boxes[reveal["a_id"]]
        # The detected A box is the truth's box as the detector found it.
        mine = [k for k in links if k.a is not None and k.a.page == page and k.a.box.iou(box) > 0.3]
        found = [
            k for k in mine
            if k.status is LinkStatus.REVEALED and k.b is not None
            and k.b.page == reveal["b_page"] and squash(k.revealed_text) == squash(reveal["text"])
        ]  # fmt: skip
        if not found:
            misses.append((reveal["a_id"], reveal["text"],
                           [(k.status.value, k.revealed_text) for k in mine]))  # fmt: skip
    assert not misses, misses


def test_reveals_land_on_the_truth_spot_in_b(sample_run: CompareRun) -> None:
    """The B box of each reveal is where B prints the text."""
    truth_b = load_truth("release_b")
    spots = [(r["b_page"], Box.from_seq(r["b_bbox"])) for r in truth_b["reveals"]]
    revealed = [k for k in sample_run.result.links if k.status is LinkStatus.REVEALED]
    hits = sum(
        any(k.b is not None and k.b.page == page and k.b.box.intersects(box) for k in revealed)
        for page, box in spots
    )
    assert hits == len(spots)
