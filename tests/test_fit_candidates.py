"""Candidate fitting, visible names, and the ``fit`` subcommand."""

from __future__ import annotations

import json
from pathlib import Path

import pymupdf
import pytest

from redactview.analysis.fit import clean_candidates, fit_candidates
from redactview.analysis.names import visible_names
from redactview.analysis.width_page import estimate_width
from redactview.cli.main import run
from redactview.core.geometry import Box
from redactview.core.model import Word


def make_pdf(path: Path) -> Box:
    doc = pymupdf.open()
    page = doc.new_page()

    def length(text: str) -> float:
        return pymupdf.get_text_length(text, fontname="tiro", fontsize=11)

    page.insert_text((72, 100), "Contact", fontname="tiro", fontsize=11)
    x = 72 + length("Contact ")
    page.insert_text((x, 100), "John Smith", fontname="tiro", fontsize=11)
    page.insert_text((x + length("John Smith "), 100), "at once.", fontname="tiro", fontsize=11)
    page.insert_text((72, 140), "Signed by Mary Jones and Peter Wong.", fontname="tiro",
                     fontsize=11)  # fmt: skip
    rect = pymupdf.Rect(x - 0.5, 90, x + length("John Smith") + 0.5, 104)
    page.add_redact_annot(rect, fill=(0, 0, 0))
    page.apply_redactions()
    doc.save(path)
    return Box(*rect)


def test_true_name_ranks_first_and_wide_names_cannot_fit(tmp_path: Path) -> None:
    box = make_pdf(tmp_path / "a.pdf")
    line = estimate_width(tmp_path / "a.pdf", 1, box)
    assert line is not None
    ranked = fit_candidates(line, ["Jane Doe", "Bartholomew Fitzgerald", "John Smith"])
    assert ranked[0].text == "John Smith"
    assert ranked[0].fits and abs(ranked[0].residual) < 0.1 and ranked[0].score > 0.95
    wide = next(c for c in ranked if c.text == "Bartholomew Fitzgerald")
    assert not wide.fits and wide.residual > 40


def test_clean_candidates_drops_blanks_comments_and_duplicates() -> None:
    lines = ["  John   Smith ", "", "# suspects", "John Smith", "Jane Doe"]
    assert clean_candidates(lines) == ["John Smith", "Jane Doe"]


def test_visible_names_finds_capitalised_runs_not_office_words() -> None:
    line = "Memo from Mary Jones to Peter O'Neil, Department Of Justice, on Monday March"
    texts = line.split(" ")
    words = [Word(1, Box(i * 10, 0, i * 10 + 8, 10), t) for i, t in enumerate(texts)]
    names = visible_names(words)
    assert "Mary Jones" in names and "Peter O'Neil" in names
    assert not any("Department" in n or "Monday" in n for n in names)


def test_cli_fit_json_ranks_and_offers_release_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    box = make_pdf(tmp_path / "a.pdf")
    (tmp_path / "names.txt").write_text("John Smith\nJane Doe\n", encoding="utf-8")
    bbox = ",".join(str(v) for v in box.as_tuple())
    code = run(["fit", str(tmp_path / "a.pdf"), "--page", "1", "--bbox", bbox,
                "--candidates", str(tmp_path / "names.txt"), "--format", "json"])  # fmt: skip
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == "redactview.fit/1"
    lo, hi = data["est_chars"]
    assert lo <= 10 <= hi
    texts = [c["text"] for c in data["candidates"]]
    assert texts[0] == "John Smith"
    assert "Mary Jones" in texts and "Peter Wong" in texts  # offered automatically
    assert set(data["candidates"][0]) == {"text", "width", "residual", "score", "fits"}


def test_cli_fit_box_not_on_a_line_is_an_error(tmp_path: Path) -> None:
    make_pdf(tmp_path / "a.pdf")
    code = run(["fit", str(tmp_path / "a.pdf"), "--page", "1", "--bbox", "300,400,380,412"])
    assert code == 3
