"""Releases, redactions and annotations in a case: saved, found again, never dropped."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from redactview.core.geometry import Box
from redactview.core.model import (
    Annotation,
    Fill,
    Redaction,
    RedactionKind,
    ReviewStatus,
    make_redaction_id,
)
from redactview.errors import ReleaseNotFoundError
from redactview.pdf.info import inspect_document
from redactview.store.case import Case


def make_redaction(sha: str, page: int, x: float, kind: RedactionKind) -> Redaction:
    box = Box(x, 100, x + 50, 112)
    return Redaction(make_redaction_id(sha, page, box), page, box, kind, Fill.BLACK, ("(b)(6)",))


def test_release_round_trip_and_metadata_edit(tmp_path: Path, make_pdf: Callable[..., Path]):
    pdf = make_pdf(pages=("one", "two"))
    with Case.open(tmp_path / "c.rvcase", create=True) as case:
        release = case.add_release(inspect_document(pdf))
        assert release.page_count == 2
        assert case.add_release(inspect_document(pdf)).id == release.id  # same sha256
        case.update_release(release.id, agency="ICE", request_number="2026-ICFO-1")
    with Case.open(tmp_path / "c.rvcase") as case:
        (again,) = case.releases()
        assert (again.agency, again.request_number) == ("ICE", "2026-ICFO-1")
        assert [p.number for p in case.pages(again.id)] == [1, 2]
        with pytest.raises(ValueError):
            case.update_release(again.id, sha256="x")


def test_rescan_keeps_manual_boxes_and_annotations(tmp_path: Path, make_pdf: Callable[..., Path]):
    pdf = make_pdf()
    with Case.open(tmp_path / "c.rvcase", create=True) as case:
        rel = case.add_release(inspect_document(pdf))
        detected = make_redaction(rel.sha256, 1, 100, RedactionKind.RASTER)
        manual = make_redaction(rel.sha256, 1, 300, RedactionKind.MANUAL)
        case.redactions.replace_detected(rel.id, [detected])
        case.redactions.save(rel.id, manual)
        case.annotations.save(
            Annotation(detected.id, ReviewStatus.CONFIRMED, note="name of agent", tags=("agent",))
        )
        case.redactions.replace_detected(rel.id, [])  # a rescan that finds nothing
        assert [r.id for r in case.redactions.list(rel.id)] == [manual.id]
        kept = case.annotations.get(detected.id)
        assert (kept.note, kept.tags, kept.status) == (
            "name of agent",
            ("agent",),
            ReviewStatus.CONFIRMED,
        )


def test_a_failed_write_leaves_nothing_half_done(tmp_path: Path, make_pdf: Callable[..., Path]):
    pdf = make_pdf()
    with Case.open(tmp_path / "c.rvcase", create=True) as case:
        rel = case.add_release(inspect_document(pdf))
        good = make_redaction(rel.sha256, 1, 100, RedactionKind.RASTER)
        case.redactions.replace_detected(rel.id, [good])
        bad = Redaction("x", 0, Box(0, 0, 1, 1), RedactionKind.RASTER, Fill.BLACK)  # page 0
        with pytest.raises(Exception, match="CHECK"):
            case.redactions.replace_detected(rel.id, [bad])
        assert [r.id for r in case.redactions.list(rel.id)] == [good.id]


def test_moved_pdf_is_found_by_content_and_annotations_survive(
    tmp_path: Path, make_pdf: Callable[..., Path]
) -> None:
    pdf = make_pdf("release.pdf")
    case_path = tmp_path / "cases" / "c.rvcase"
    case_path.parent.mkdir()
    with Case.open(case_path, create=True) as case:
        rel = case.add_release(inspect_document(pdf))
        case.annotations.save(Annotation("r-any", note="still here"))
    moved = tmp_path / "elsewhere" / "renamed.pdf"
    moved.parent.mkdir()
    shutil.move(pdf, moved)
    with Case.open(case_path) as case:
        (rel,) = case.releases()
        with pytest.raises(ReleaseNotFoundError, match="locate it"):
            case.locate_release(rel)
        assert case.annotations.get("r-any").note == "still here"
        other = make_pdf("other.pdf", pages=("different content",))
        with pytest.raises(ReleaseNotFoundError, match="not the same file"):
            case.relocate_release(rel.id, other)
        case.relocate_release(rel.id, moved)
        assert case.locate_release(case.release(rel.id)) == moved.resolve()


def test_case_file_is_complete_after_each_write(tmp_path: Path, make_pdf: Callable[..., Path]):
    """No -wal/-journal left beside it: copying the .rvcase alone copies everything."""
    path = tmp_path / "c.rvcase"
    case = Case.open(path, create=True)
    case.add_release(inspect_document(make_pdf()))
    case.annotations.save(Annotation("r1", note="copied"))
    copy = tmp_path / "copy.rvcase"
    shutil.copy(path, copy)  # while the case is still open
    assert not list(tmp_path.glob("c.rvcase-*"))
    with Case.open(copy) as copied:
        assert copied.annotations.get("r1").note == "copied"
    case.close()
