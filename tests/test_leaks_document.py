"""Leaks outside the page content, each with a clean twin."""

from __future__ import annotations

import io
from pathlib import Path

import pymupdf

from redactview.core.model import LeakFinding
from redactview.pdf.leaks_document import find_document_leaks, split_revisions

NAME = "Johnathan Informant"


def plain_doc() -> pymupdf.Document:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "Report of the meeting held on Tuesday.", fontsize=11)
    page.insert_text((72, 100), f"Present: {NAME} and the agent.", fontsize=11)
    return doc


def leaks_of(doc: pymupdf.Document) -> list[LeakFinding]:
    data = doc.tobytes()
    with pymupdf.open(stream=data, filetype="pdf") as reopened:
        return find_document_leaks(reopened, data)


def mechanisms(findings: list[LeakFinding]) -> set[str]:
    return {f.mechanism for f in findings}


def test_clean_document_has_no_document_level_findings() -> None:
    assert leaks_of(plain_doc()) == []


def test_metadata_title_naming_what_the_pages_never_print_scores_higher() -> None:
    doc = plain_doc()
    doc.set_metadata({"title": "Interview of Maria Delgado", "producer": "ignored"})
    (finding,) = leaks_of(doc)
    assert finding.mechanism == "metadata:title" and finding.page == 0 and finding.box is None
    repeat = plain_doc()
    repeat.set_metadata({"title": "Report of the meeting"})
    (same,) = leaks_of(repeat)
    assert finding.confidence > same.confidence


def test_outline_title_is_reported_with_its_page() -> None:
    doc = plain_doc()
    doc.set_toc([[1, "Source: Maria Delgado", 1]])
    (finding,) = leaks_of(doc)
    assert (finding.mechanism, finding.page, finding.text) == (
        "outline",
        1,
        "Source: Maria Delgado",
    )


def test_form_field_value_is_reported_and_an_empty_field_is_not() -> None:
    for value, expected in (("123-45-6789", 1), ("", 0)):
        doc = plain_doc()
        widget = pymupdf.Widget()
        widget.field_name = "ssn"
        widget.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT  # type: ignore[attr-defined]
        widget.rect = pymupdf.Rect(300, 300, 400, 320)
        widget.field_value = value
        doc[0].add_widget(widget)
        found = [f for f in leaks_of(doc) if f.mechanism == "form_field"]
        assert len(found) == expected
        if expected:
            assert found[0].text == "ssn: 123-45-6789" and found[0].page == 1


def test_embedded_file_text_is_read() -> None:
    doc = plain_doc()
    doc.embfile_add("notes.txt", b"Real name of the source: Maria Delgado")
    (finding,) = leaks_of(doc)
    assert finding.mechanism == "embedded_file"
    assert "Maria Delgado" in finding.text and finding.text.startswith("notes.txt")


def test_annotation_note_is_reported() -> None:
    doc = plain_doc()
    doc[0].add_text_annot((400, 400), "name under the box: Maria Delgado")
    (finding,) = leaks_of(doc)
    assert finding.mechanism == "annotation_contents:Text" and "Maria Delgado" in finding.text


def save_then_redact_incrementally(tmp_path: Path, redact: bool) -> bytes:
    path = tmp_path / "incremental.pdf"
    plain_doc().save(path)
    doc = pymupdf.open(path)
    page = doc[0]
    if redact:
        page.add_redact_annot(page.search_for(NAME)[0])
        page.apply_redactions()
    else:
        page.add_text_annot((500, 500), "")  # an update that removes nothing
    doc.save(path, incremental=True, encryption=pymupdf.PDF_ENCRYPT_KEEP)  # type: ignore[attr-defined]
    doc.close()
    return path.read_bytes()


def test_earlier_revision_still_holds_the_redacted_words(tmp_path: Path) -> None:
    data = save_then_redact_incrementally(tmp_path, redact=True)
    assert len(split_revisions(data)) == 1
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        assert NAME not in doc[0].get_text()  # the final file really is redacted
        found = [f for f in find_document_leaks(doc, data) if f.mechanism == "earlier_revision"]
    assert [f.text for f in found] == [NAME]
    assert found[0].page == 1 and found[0].box is not None and found[0].confidence >= 0.9


def test_incremental_update_that_removes_nothing_is_clean(tmp_path: Path) -> None:
    data = save_then_redact_incrementally(tmp_path, redact=False)
    assert len(split_revisions(data)) == 1
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        assert "earlier_revision" not in mechanisms(find_document_leaks(doc, data))


def test_single_revision_file_has_no_earlier_revisions() -> None:
    buf = io.BytesIO()
    plain_doc().save(buf)
    assert split_revisions(buf.getvalue()) == []
