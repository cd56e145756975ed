"""A code read with its digit in doubt ("(BS)." for "(b)(6);", "(bX8)" for "(bX6)")
is read twice more, and the two other readings decide when they agree."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from redactview.analysis import labels, labels_reread
from redactview.analysis.labels import CropRequest, ViewWord
from redactview.analysis.pipeline import PageTask, analyze_page
from redactview.core.exemptions import parse_box_label
from redactview.core.geometry import Box
from redactview.core.hashing import sha256_file
from redactview.ocr.tesseract import find_tesseract

needs_tesseract = pytest.mark.skipif(find_tesseract() is None, reason="Tesseract not installed")
RELEASE_B = Path(__file__).resolve().parent.parent / "sample_docs" / "release_b.pdf"


def words_of(text: str) -> list[ViewWord]:
    return [ViewWord(Box(12.0 * k, 0, 12.0 * k + 10, 8), t) for k, t in enumerate(text.split())]


@pytest.mark.parametrize(
    ("text", "doubtful"),
    [
        ("(BS).", True),  # "(b)(6);" with its 6 read as S: parsed (b)(5)
        ("(bX8)", True),  # white "(bX6)" inside a soft black box
        ("(b)(8)", True),  # rare, and the 6's commonest misreading
        ("(bXS) (DX7KC)", True),
        ("(b)(6);", False),
        ("(b)(5)", False),  # a 5 read as a 5 is not doubted
        ("(bX6): (BX7KC)", False),
        ("(US) and the team", False),  # no code
    ],
)
def test_which_readings_are_in_doubt(text: str, doubtful: bool) -> None:
    assert labels_reread.looks_doubtful(words_of(text)) == doubtful


def read_with(
    monkeypatch: pytest.MonkeyPatch, first: str, adaptive: str, grey: str
) -> tuple[str, int]:
    """``read_again`` on one crop first read as ``first``, the alternates reading
    as given: the codes kept, and how many crops went to Tesseract again."""
    calls: list[int] = []
    readings = {"adaptive": adaptive, "grey": grey}

    def fake_sheet(requests: list[CropRequest], **_: object) -> list[list[ViewWord]]:
        calls.append(len(requests))
        return [words_of(readings[str(r.method)]) for r in requests]

    monkeypatch.setattr(labels, "read_sheet", fake_sheet)
    request = CropRequest(np.full((10, 40), 240, np.uint8), (0, 0))
    out = labels_reread.read_again([request], [words_of(first)])
    return ",".join(parse_box_label(" ".join(w.text for w in out[0]))), sum(calls)


def test_two_readings_that_agree_outvote_a_doubtful_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert read_with(monkeypatch, "(BS).", "(bX6);", "(b\\6);") == ("(b)(6)", 2)


def test_disagreeing_or_empty_readings_leave_the_first(monkeypatch: pytest.MonkeyPatch) -> None:
    assert read_with(monkeypatch, "(BS).", "(bX6);", "(bX5)")[0] == "(b)(5)"
    assert read_with(monkeypatch, "(bX8)", "", "")[0] == "(b)(8)"
    # Agreeing with the first changes nothing either.
    assert read_with(monkeypatch, "(bX8)", "(bX8)", "(b)(8)")[0] == "(b)(8)"


def test_a_clean_reading_is_not_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    assert read_with(monkeypatch, "(b)(5)", "(bX6)", "(bX6)") == ("(b)(5)", 0)


@needs_tesseract
@pytest.mark.slow
@pytest.mark.parametrize(
    ("page", "corner", "truth", "saved_by_doubt"),
    [
        (6, (148.55, 425.43), ("(b)(6)",), True),  # B-p06-r10: "(bX8)" inside, white on black
        # B-p12-r05: "(BS)." stacked beside. Since the margins are read close up on
        # the same sheet (round 12), Tesseract reads it right the first time: what
        # else is on the sheet changes its reading of a crop.
        (12, (250.35, 103.7), ("(b)(6)", "(b)(7)(C)"), False),
    ],
)
def test_sample_codes_whose_6_was_misread(
    monkeypatch: pytest.MonkeyPatch,
    page: int,
    corner: tuple[float, float],
    truth: tuple[str, ...],
    saved_by_doubt: bool,
) -> None:
    """release_b's two boxes whose code the bench scored wrong: read right now, and
    (where the doubt is what saves it) wrong without the doubt."""
    task = PageTask(str(RELEASE_B), page, sha256_file(RELEASE_B), 150.0, ocr=True)

    def codes() -> tuple[str, ...]:
        found = [
            r
            for r in analyze_page(task).redactions
            if abs(r.box.x0 - corner[0]) < 4 and abs(r.box.y0 - corner[1]) < 4
        ]
        assert len(found) == 1
        return found[0].exemptions

    assert codes() == truth
    monkeypatch.setattr(labels_reread, "looks_doubtful", lambda words: False)
    assert (codes() != truth) is saved_by_doubt
