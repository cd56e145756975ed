"""A small case for the export tests: a 3-page PDF, redactions, notes, a leak, a reveal.

Page 1 is upright, page 2 has /Rotate=90, page 3 has a MediaBox that does not
start at (0, 0), so coordinate conversions are exercised on all three.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pymupdf

from redactview.core.geometry import Box
from redactview.core.model import (
    Annotation,
    Fill,
    LeakFinding,
    Redaction,
    RedactionKind,
    ReviewStatus,
    Word,
    make_redaction_id,
)
from redactview.pdf.info import inspect_document
from redactview.store.case import Case

HOSTILE_NOTE = "<script>alert('x')</script> & <b>bold</b> \"quoted\""
BOXES = {
    1: [Box(150, 100, 300, 114), Box(80, 200, 260, 214), Box(80, 300, 400, 330)],
    2: [Box(100, 150, 250, 164)],
    3: [Box(120, 400, 240, 414)],
}
CODES = [("(b)(6)",), ("(b)(6)", "(b)(7)(C)"), ("(b)(5)",), ("(b)(7)(C)",), ()]


@dataclass(frozen=True)
class BuiltCase:
    case_path: Path
    pdf_path: Path
    ids: list[str]  # all redaction ids, in the order above
    false_positive: str  # id of the box marked as not a redaction


def make_release_pdf(path: Path) -> Path:
    doc = pymupdf.open()
    for number in (1, 2, 3):
        page = doc.new_page(width=612, height=792)
        if number == 3:  # before drawing, so the content sits where BOXES says
            page.set_mediabox(pymupdf.Rect(20, 30, 612, 792))
        page.insert_text((72, 60), f"Memorandum page {number}", fontsize=14)
        for box in BOXES[number]:
            page.insert_text((box.x0 - 60, box.y1 - 3), "Name:", fontsize=10)
            page.draw_rect(pymupdf.Rect(box.as_tuple()), color=None, fill=(0, 0, 0))
        page.insert_text((420, 770), f"ABC-2019-00012{number}", fontsize=9)
    doc[1].set_rotation(90)
    doc.save(path)
    doc.close()
    return path


def seed_redactions(case: Case, release_id: int, sha: str) -> list[Redaction]:
    reds = []
    flat = [(p, b) for p in (1, 2, 3) for b in BOXES[p]]
    for i, (page, box) in enumerate(flat):
        reds.append(
            Redaction(
                id=make_redaction_id(sha, page, box),
                page=page,
                box=box,
                kind=RedactionKind.VECTOR,
                fill=Fill.BLACK,
                exemptions=CODES[i],
                label="; ".join(CODES[i]),
                est_chars=(10, 14) if i == 0 else None,
            )
        )
    case.redactions.replace_detected(release_id, reds)
    return reds


def seed_notes(case: Case, reds: list[Redaction]) -> None:
    case.annotations.save(
        Annotation(
            reds[0].id,
            ReviewStatus.CONFIRMED,
            note="Name of the agent",
            tags=("names",),
            justification="Already public in the 2019 press release",
        )
    )
    case.annotations.save(Annotation(reds[1].id, note=HOSTILE_NOTE, tags=("a&b", "<tag>")))
    case.annotations.save(Annotation(reds[2].id, ReviewStatus.FALSE_POSITIVE, note="table bar"))


def seed_words(case: Case, release_id: int) -> None:
    for number in (1, 2, 3):
        case.words.replace_page(
            release_id,
            number,
            [
                Word(number, Box(72, 48, 300, 62), "Memorandum"),
                Word(number, Box(420, 762, 520, 772), f"ABC-2019-00012{number}"),
            ],
        )


def leak_picture() -> bytes:
    """A picture as the leak check stores one: what a box covered, as PNG."""
    doc = pymupdf.open()
    page = doc.new_page(width=150, height=30)
    page.insert_text((5, 20), "HIDDEN NAME", fontsize=16)
    png: bytes = page.get_pixmap(dpi=150).tobytes("png")
    doc.close()
    return png


def seed_leak_and_reveal(case: Case, release_id: int, reds: list[Redaction]) -> None:
    case.findings.replace(
        release_id,
        [
            LeakFinding(1, reds[0].box, "text_under_box", "John Q. Agent", 0.9, reds[0].id),
            LeakFinding(2, reds[3].box, "image_under_box", "", 0.8, reds[3].id, leak_picture()),
        ],
    )
    conn = case.connection  # no LinkRepo yet: written as the schema defines it
    conn.execute(
        "INSERT INTO links (a_release_id, b_release_id, status, a_page, a_x0, a_y0, a_x1, a_y1, "
        "a_redaction_id, b_page, b_x0, b_y0, b_x1, b_y1, revealed_text, exemptions_a) "
        "VALUES (?, ?, 'revealed', 2, 100, 150, 250, 164, ?, 2, 100, 150, 250, 164, "
        "'Jane Roe', '[\"(b)(7)(C)\"]')",
        (release_id, release_id, reds[3].id),
    )


def build_case(tmp: Path) -> BuiltCase:
    pdf = make_release_pdf(tmp / "release.pdf")
    case_path = tmp / "test.rvcase"
    with Case.open(case_path, create=True) as case:
        release = case.add_release(inspect_document(pdf), label="Release A")
        reds = seed_redactions(case, release.id, release.sha256)
        seed_notes(case, reds)
        seed_words(case, release.id)
        seed_leak_and_reveal(case, release.id, reds)
    return BuiltCase(case_path, pdf, [r.id for r in reds], reds[2].id)


def truth_redactions(truth: dict, sha: str) -> tuple[list[Redaction], dict[str, str]]:  # type: ignore[type-arg]
    """The ground truth's redactions as case values, and truth id -> our id."""
    reds, ids = [], {}
    for t in truth["redactions"]:
        box = Box(*t["bbox"])
        rid = make_redaction_id(sha, t["page"], box)
        ids[t["id"]] = rid
        kind = RedactionKind.VECTOR if t["kind"] == "vector" else RedactionKind.RASTER
        fill = {"black": Fill.BLACK, "grey": Fill.GREY, "white": Fill.WHITE}.get(
            t["fill"], Fill.OTHER
        )
        reds.append(
            Redaction(
                rid,
                t["page"],
                box,
                kind,
                fill,
                tuple(t["exemptions"]),
                t["label"] or "",
                est_chars=(t["hidden_chars"], t["hidden_chars"]) if t["hidden_chars"] else None,
            )
        )
    return reds, ids


def build_sample_case(tmp: Path, samples: Path) -> tuple[Path, dict[str, dict[str, str]]]:
    """Releases A and B from sample_docs with their true redactions, a few notes, the reveals."""
    import json

    case_path = tmp / "samples.rvcase"
    id_maps: dict[str, dict[str, str]] = {}
    with Case.open(case_path, create=True) as case:
        rel_ids = {}
        for name in ("release_a", "release_b"):
            truth = json.loads((samples / f"{name}.truth.json").read_text("utf-8"))
            release = case.add_release(inspect_document(samples / f"{name}.pdf"), label=name)
            reds, id_maps[name] = truth_redactions(truth, release.sha256)
            case.redactions.replace_detected(release.id, reds)
            rel_ids[name] = release.id
        a_ids = id_maps["release_a"]
        first = next(iter(a_ids.values()))
        case.annotations.save(
            Annotation(first, note="Name of the deputy director", tags=("names",))
        )
        truth_b = json.loads((samples / "release_b.truth.json").read_text("utf-8"))
        for rv in truth_b["reveals"]:
            x0, y0, x1, y1 = rv["b_bbox"]
            case.connection.execute(
                "INSERT INTO links (a_release_id, b_release_id, status, a_page, a_x0, a_y0, a_x1, "
                "a_y1, a_redaction_id, b_page, b_x0, b_y0, b_x1, b_y1, revealed_text) VALUES "
                "(?, ?, 'revealed', ?, 0, 0, 1, 1, ?, ?, ?, ?, ?, ?, ?)",
                (
                    rel_ids["release_a"],
                    rel_ids["release_b"],
                    rv["a_page"],
                    a_ids[rv["a_id"]],
                    rv["b_page"],
                    x0,
                    y0,
                    x1,
                    y1,
                    rv["text"],
                ),
            )
    return case_path, id_maps
