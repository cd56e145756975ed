"""Lines set in capitals (cables, title blocks, "TO:" headers): the count range and
the candidates use capital-letter widths.

Capitals are about a third wider than lower case in proportional fonts, so a
mixed-case letter model puts far too many characters under a capitals box.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from redactview.analysis.fit import fit_candidates
from redactview.analysis.width import EITHER, UPPER
from redactview.analysis.width_page import estimate_width
from redactview.core.geometry import Box


def redacted_line(path: Path, font: str, size: float, before: str, name: str, after: str) -> Box:
    """'<before> <name> <after>' with the name truly redacted; returns the box."""
    doc = pymupdf.open()
    page = doc.new_page()

    def length(text: str) -> float:
        return pymupdf.get_text_length(text, fontname=font, fontsize=size)

    page.insert_text((72, 100), before, fontname=font, fontsize=size)
    x = 72 + length(before + " ")
    page.insert_text((x, 100), name, fontname=font, fontsize=size)
    if after:
        page.insert_text((x + length(name + " "), 100), after, fontname=font, fontsize=size)
    rect = pymupdf.Rect(x - 0.5, 100 - 0.9 * size, x + length(name) + 0.5, 100 + 0.25 * size)
    page.add_redact_annot(rect, fill=(0, 0, 0))
    page.apply_redactions()
    doc.save(path)
    return Box(rect.x0, rect.y0, rect.x1, rect.y1)


CABLE = [
    ("helv", 10.0, "SECRETNAME"),
    ("helv", 9.0, "WOLFGANG MWANGI-OKAFOR"),
    ("tiro", 11.0, "MAXIMILIAN HOWARD"),
    ("tiro", 12.0, "WILLIAM MOORE"),
    ("cour", 10.0, "MARGARET OKONKWO"),
]


@pytest.mark.parametrize(("font", "size", "name"), CABLE)
def test_capitals_line_range_holds_the_true_count(
    tmp_path: Path, font: str, size: float, name: str
) -> None:
    box = redacted_line(tmp_path / "c.pdf", font, size, "SUBJECT: MEETING WITH", name,
                        "ON 4 MAY AT HEADQUARTERS.")  # fmt: skip
    line = estimate_width(tmp_path / "c.pdf", 1, box)
    assert line is not None
    est = line.estimate
    assert est.case == UPPER
    assert est.lo <= len(name) <= est.hi, (name, est.lo, est.hi)
    assert est.hi - est.lo <= 6


def test_capitals_line_measures_a_typed_candidate_in_capitals(tmp_path: Path) -> None:
    box = redacted_line(tmp_path / "c.pdf", "tiro", 11, "SUBJECT: MEETING WITH", "JOHN SMITH",
                        "ON 4 MAY AT HEADQUARTERS.")  # fmt: skip
    line = estimate_width(tmp_path / "c.pdf", 1, box)
    assert line is not None
    # Typed as the user knows the name; "Jonathan Smithers" would fit in lower case.
    ranked = fit_candidates(line, ["Jonathan Smithers", "John Smith", "Jo Wu"])
    assert ranked[0].text == "John Smith" and abs(ranked[0].residual) < 0.05
    assert not next(c for c in ranked if c.text == "Jonathan Smithers").fits


@pytest.mark.parametrize(
    ("font", "name"), [("helv", "DEBORAH KRAUSE"), ("helv", "Deborah Krause"), ("tiro", "ZOE LI")]
)
def test_header_with_one_capital_word_keeps_both_readings(
    tmp_path: Path, font: str, name: str
) -> None:
    # "TO: [box]": the header word is in capitals, the name may or may not be.
    box = redacted_line(tmp_path / "h.pdf", font, 10.5, "TO:", name, "")
    line = estimate_width(tmp_path / "h.pdf", 1, box)
    assert line is not None
    assert line.estimate.case == EITHER
    assert line.estimate.lo <= len(name) <= line.estimate.hi
    ranked = fit_candidates(line, [name.title(), "Jo Wu"])
    assert ranked[0].text == name.title()
