"""Width estimates on born-digital lines after a true redaction (apply_redactions)."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from redactview.analysis.width import count_range
from redactview.analysis.width_page import estimate_width, rotate_box
from redactview.core.geometry import Box


def redacted_line(path: Path, font: str, size: float, name: str, after: str) -> Box:
    """One line 'Contact <name> <after>' with the name truly redacted; returns the box."""
    doc = pymupdf.open()
    page = doc.new_page()

    def length(text: str) -> float:
        return pymupdf.get_text_length(text, fontname=font, fontsize=size)

    page.insert_text((72, 100), "Contact", fontname=font, fontsize=size)
    x = 72 + length("Contact ")
    page.insert_text((x, 100), name, fontname=font, fontsize=size)
    page.insert_text((x + length(name + " "), 100), after, fontname=font, fontsize=size)
    rect = pymupdf.Rect(x - 0.5, 100 - 0.9 * size, x + length(name) + 0.5, 100 + 0.25 * size)
    page.add_redact_annot(rect, fill=(0, 0, 0))
    page.apply_redactions()
    assert name.split()[0] not in page.get_text()  # the name is really gone
    doc.save(path)
    return Box(*rect)


@pytest.mark.parametrize(
    ("font", "size", "name"),
    [("tiro", 11, "John Smith"), ("helv", 9, "Maria Gonzalez-Ruiz"), ("cour", 10, "Li Wu")],
)
def test_true_length_inside_range_and_width_exact(
    tmp_path: Path, font: str, size: float, name: str
) -> None:
    box = redacted_line(tmp_path / "a.pdf", font, size, name, "at the office today.")
    line = estimate_width(tmp_path / "a.pdf", 1, box)
    assert line is not None
    est = line.estimate
    assert est.basis == "text" and est.bounded
    assert est.lo <= len(name) <= est.hi
    true_width = pymupdf.get_text_length(name, fontname=font, fontsize=size)
    assert est.hidden_width == pytest.approx(true_width, abs=0.05)


def test_monospace_range_is_exact(tmp_path: Path) -> None:
    box = redacted_line(tmp_path / "m.pdf", "cour", 10, "Li Wu", "reported it.")
    line = estimate_width(tmp_path / "m.pdf", 1, box)
    assert line is not None and (line.estimate.lo, line.estimate.hi) == (5, 5)


def test_punctuation_after_box_takes_no_space(tmp_path: Path) -> None:
    box = redacted_line(tmp_path / "p.pdf", "tiro", 11, "John Smith", ", who called.")
    # insert_text put a real space before ","; the estimator must not subtract one
    # more than the text had, so the hidden width includes that space.
    line = estimate_width(tmp_path / "p.pdf", 1, box)
    assert line is not None
    expected = pymupdf.get_text_length("John Smith ", fontname="tiro", fontsize=11)
    assert line.estimate.hidden_width == pytest.approx(expected, abs=0.05)


def test_box_off_any_line_gives_none(tmp_path: Path) -> None:
    redacted_line(tmp_path / "n.pdf", "tiro", 11, "John Smith", "left.")
    assert estimate_width(tmp_path / "n.pdf", 1, Box(300, 400, 380, 412)) is None


def test_count_range_grows_with_width_and_uncertainty() -> None:
    assert count_range(50.0, 0.4, 5.0, 0.0) == (10, 10)
    lo, hi = count_range(50.0, 0.4, 5.0, 2.0)
    assert lo < 10 < hi
    wide_lo, wide_hi = count_range(50.0, 5.0, 5.0, 2.0)
    assert wide_lo <= lo and wide_hi >= hi


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_rotate_box_matches_pymupdf(rotation: int) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.set_rotation(rotation)
    box = Box(100, 200, 150, 220)
    expected = Box.from_seq(pymupdf.Rect(box.as_tuple()) * page.rotation_matrix)
    got = rotate_box(box, rotation, 612, 792)
    assert got.rounded(3) == expected.rounded(3)
