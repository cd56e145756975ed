"""XFDF: structure Acrobat expects, coordinates, refusal of DTDs, export → import round trip."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from redactview.core.model import ReviewStatus
from redactview.export.service import ExportFormat, export_case
from redactview.export.xfdf import NS, XfdfError
from redactview.export.xfdf_import import import_xfdf
from redactview.pdf.info import inspect_document
from redactview.store.case import Case

try:
    from tests.test_export_support import BOXES, HOSTILE_NOTE, BuiltCase, build_case
except ImportError:
    from test_export_support import BOXES, HOSTILE_NOTE, BuiltCase, build_case

X = f"{{{NS}}}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuiltCase:
    return build_case(tmp_path_factory.mktemp("case"))


@pytest.fixture(scope="module")
def xfdf(built: BuiltCase, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out") / "release.xfdf"
    with Case.open(built.case_path, readonly=True) as case:
        export_case(case, ExportFormat.XFDF, out)
    return out


def test_structure_is_what_acrobat_imports(xfdf: Path, built: BuiltCase) -> None:
    root = ET.parse(xfdf).getroot()
    assert root.tag == f"{X}xfdf"
    assert root.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    squares = root.findall(f"{X}annots/{X}square")
    assert len(squares) == 4  # the false positive is left out
    assert {s.get("name") for s in squares} == set(built.ids) - {built.false_positive}
    assert sorted(s.get("page") for s in squares) == ["0", "0", "1", "2"]  # 0-based
    for square in squares:
        contents = square.find(f"{X}contents")
        assert contents is not None and contents.text and contents.text.startswith("Exemptions:")
        assert square.get("subject") == "Redaction" and square.get("color", "").startswith("#")
    f = root.find(f"{X}f")
    assert f is not None and f.get("href") == "release.pdf"


def test_rects_are_bottom_left_pdf_points_from_the_mediabox(xfdf: Path) -> None:
    squares = ET.parse(xfdf).getroot().findall(f"{X}annots/{X}square")
    rects = {s.get("page"): [float(v) for v in s.get("rect", "").split(",")] for s in squares}
    b2 = BOXES[2][0]  # page 2 has /Rotate=90: annotation rects stay in unrotated space
    assert rects["1"] == pytest.approx([b2.x0, 792 - b2.y1, b2.x1, 792 - b2.y0])
    b3 = BOXES[3][0]  # page 3's MediaBox is [20 30 612 792]
    assert rects["2"] == pytest.approx([b3.x0 + 20, 792 - b3.y1, b3.x1 + 20, 792 - b3.y0])


def test_user_markup_is_escaped_in_the_xml(xfdf: Path) -> None:
    raw = xfdf.read_text("utf-8")
    assert "<script>" not in raw and "&lt;script&gt;" in raw
    texts = [c.text for c in ET.parse(xfdf).getroot().iter(f"{X}contents")]
    assert any(t and HOSTILE_NOTE in t for t in texts)  # and parses back to the same text


def test_round_trip_onto_the_same_release_matches_every_box(
    xfdf: Path, built: BuiltCase, tmp_path: Path
) -> None:
    copy = tmp_path / built.case_path.name
    shutil.copy(built.case_path, copy)
    with Case.open(copy) as case:
        before = {rid: case.annotations.get(rid) for rid in built.ids}
        summary = import_xfdf(case, case.releases()[0].id, xfdf)
        after = {rid: case.annotations.get(rid) for rid in built.ids}
        count = len(case.redactions.list(case.releases()[0].id))
    assert (summary.read, summary.matched, summary.created) == (4, 4, 0)
    assert count == 5  # nothing added
    for rid in built.ids:
        old, new = before[rid], after[rid]
        assert (new.note, new.tags, new.status) == (old.note, old.tags, old.status)
        assert new.justification == old.justification


def test_round_trip_onto_an_empty_case_recreates_boxes_and_notes(
    xfdf: Path, built: BuiltCase, tmp_path: Path
) -> None:
    with Case.open(tmp_path / "fresh.rvcase", create=True) as case:
        release = case.add_release(inspect_document(built.pdf_path))
        summary = import_xfdf(case, release.id, xfdf)
        reds = case.redactions.list(release.id)
        notes = case.annotations.all()
    assert (summary.matched, summary.created) == (0, 4)
    got = sorted((r.page, r.box.rounded(1).as_tuple()) for r in reds)
    want = sorted((p, b.as_tuple()) for p in BOXES for b in BOXES[p] if (p, b) != (1, BOXES[1][2]))
    assert got == want
    by_page = {(r.page, r.box.y0): r for r in reds}
    first = by_page[(1, 100.0)]
    assert first.exemptions == ("(b)(6)",)
    assert notes[first.id].note == "Name of the agent"
    assert notes[first.id].tags == ("names",)
    assert notes[first.id].status is ReviewStatus.CONFIRMED
    assert notes[first.id].justification == "Already public in the 2019 press release"
    second = by_page[(1, 200.0)]
    assert second.exemptions == ("(b)(6)", "(b)(7)(C)")
    assert notes[second.id].note == HOSTILE_NOTE
    assert set(notes[second.id].tags) == {"a&b", "<tag>"}


def test_foreign_comment_becomes_the_note(built: BuiltCase, tmp_path: Path) -> None:
    foreign = tmp_path / "acrobat.xfdf"
    foreign.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<xfdf xmlns="http://ns.adobe.com/xfdf/">'
        '<annots><square page="0" rect="150,678,300,692" title="Editor" subject="Square">'
        "<contents>Check this name with the court filing</contents></square>"
        '<square page="9" rect="1,1,5,5"><contents>no such page</contents></square>'
        "</annots></xfdf>",
        "utf-8",
    )
    copy = tmp_path / "c.rvcase"
    shutil.copy(built.case_path, copy)
    with Case.open(copy) as case:
        summary = import_xfdf(case, case.releases()[0].id, foreign)
        note = case.annotations.get(built.ids[0])
    assert (summary.read, summary.matched, summary.created) == (1, 1, 0)
    assert note.note == "Check this name with the court filing"
    assert note.tags == ("names",)  # kept: an import never erases what was there


@pytest.mark.parametrize(
    "payload",
    [
        '<?xml version="1.0"?><!DOCTYPE xfdf [<!ENTITY a "aaaa">]><xfdf>&a;</xfdf>',
        '<?xml version="1.0"?><!doctype xfdf SYSTEM "http://example.com/x.dtd"><xfdf/>',
        "<xfdf><annots><square",
        '<?xml version="1.0"?><html/>',
    ],
)
def test_hostile_or_broken_files_are_refused(
    payload: str, built: BuiltCase, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.xfdf"
    bad.write_text(payload, "utf-8")
    copy = tmp_path / "c.rvcase"
    shutil.copy(built.case_path, copy)
    with Case.open(copy) as case, pytest.raises(XfdfError):
        import_xfdf(case, case.releases()[0].id, bad)
