"""Candidate fitting, visible names, and the ``fit`` subcommand."""

from __future__ import annotations

import json
from pathlib import Path

import pymupdf
import pytest

from redactview.analysis.fit import clean_candidates, fit_candidates, rank_label
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
    return Box(rect.x0, rect.y0, rect.x1, rect.y1)


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
    assert set(data["candidates"][0]) == {
        "text", "width", "residual", "score", "fits", "rank", "tied_with",
    }  # fmt: skip
    assert data["candidates"][0]["rank"] == 1


def test_cli_fit_box_not_on_a_line_is_an_error(tmp_path: Path) -> None:
    make_pdf(tmp_path / "a.pdf")
    code = run(["fit", str(tmp_path / "a.pdf"), "--page", "1", "--bbox", "300,400,380,412"])
    assert code == 3


def courier_pdf(path: Path) -> Box:
    """'Contact Li Wu at once.' in Courier with "Li Wu" truly redacted."""
    doc = pymupdf.open()
    page = doc.new_page()
    x = 72 + pymupdf.get_text_length("Contact ", fontname="cour", fontsize=10)
    page.insert_text((72, 100), "Contact Li Wu at once.", fontname="cour", fontsize=10)
    rect = pymupdf.Rect(x - 0.5, 91, x + pymupdf.get_text_length("Li Wu", "cour", 10) + 0.5, 103)
    page.add_redact_annot(rect, fill=(0, 0, 0))
    page.apply_redactions()
    doc.save(path)
    return Box(rect.x0, rect.y0, rect.x1, rect.y1)


def test_monospace_names_of_one_length_share_a_rank(tmp_path: Path) -> None:
    box = courier_pdf(tmp_path / "m.pdf")
    line = estimate_width(tmp_path / "m.pdf", 1, box)
    assert line is not None
    ranked = fit_candidates(line, ["Li Wu", "Bo Li", "Ann Wu", "Ed Ng", "Jo Smith"])
    top = [c for c in ranked if c.rank == 1]
    # Every 5-character name is exactly as wide: one tie group, listed alphabetically.
    assert [c.text for c in top] == ["Bo Li", "Ed Ng", "Li Wu"]
    assert all(c.tied_with == 2 for c in top)
    rest = ranked[3:]
    assert [c.rank for c in rest] == [4, 5] and all(c.tied_with == 0 for c in rest)
    assert rank_label(1, 2) == "1–3 (tie)" and rank_label(4, 0) == "4"


def test_proportional_names_of_one_length_do_not_tie(tmp_path: Path) -> None:
    box = make_pdf(tmp_path / "a.pdf")
    line = estimate_width(tmp_path / "a.pdf", 1, box)
    assert line is not None
    # Same letter count as "John Smith", different Times widths (W, m are wide).
    ranked = fit_candidates(line, ["Mary Wills", "John Smith", "Lily Stein"])
    assert ranked[0].text == "John Smith" and ranked[0].tied_with == 0
    assert [c.rank for c in ranked] == [1, 2, 3]


def test_cli_text_output_shows_tie_ranks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    box = courier_pdf(tmp_path / "m.pdf")
    bbox = ",".join(str(v) for v in box.as_tuple())
    names = ["--candidate", "Li Wu", "--candidate", "Bo Li", "--candidate", "Jo Smith"]
    code = run(["fit", str(tmp_path / "m.pdf"), "--page", "1", "--bbox", bbox, "--no-auto", *names])
    assert code == 0
    out = capsys.readouterr().out
    assert "1–2 (tie)" in out and "Jo Smith" in out
