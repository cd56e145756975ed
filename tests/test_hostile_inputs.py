"""Broken and hostile PDFs through the whole CLI: a clear message, a documented code, no crash.

Every file of ``hostile_corpus.CORPUS`` goes through ``info``, ``scan`` (serial,
into a case), ``leaks``, ``ocr`` and ``report`` of the resulting case, in this
process. Each step must end with 0 or the exit code the README documents for
that kind of damage, and say so in one line on stderr: never a traceback,
never "internal error".
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pymupdf
import pytest
from hostile_corpus import (
    CORPUS,
    NETWORK_EVENTS,
    PROCESS_EVENTS,
    make_encrypted,
    make_javascript_and_actions,
    make_many_pages,
    watch_events,
)

from redactview.cli.main import run
from redactview.errors import ExitCode
from redactview.pdf.document import forget_passwords

Outcome = tuple[int, str]  # exit code, words stderr must hold ("" = stderr empty)
OK: Outcome = (0, "")
COMMANDS = ("info", "scan", "leaks", "ocr")


def same(outcome: Outcome) -> dict[str, Outcome]:
    return dict.fromkeys(COMMANDS, outcome)


def one_bad_page(page: int) -> dict[str, Outcome]:
    """info reads no pixels; the others report the page and go on with the rest."""
    needle = f"page {page}: an image of 40000×40000 pixels"
    return {"info": OK, "scan": (0, needle), "leaks": (0, needle), "ocr": (0, needle)}


EXPECTED: dict[str, dict[str, Outcome]] = {
    "truncated": same(OK),  # MuPDF rebuilds the cross-reference table
    "garbage": same((ExitCode.CORRUPT_PDF, "damaged PDF that cannot be opened")),
    "zero-pages": same((ExitCode.CORRUPT_PDF, "the PDF has no pages")),
    "encrypted": same((ExitCode.ENCRYPTED_PDF, "password-protected (use --password)")),
    # Every command skips the oversized page (never renders it) and says so.
    "huge-page": {
        "info": (
            0,
            "page 1: page size 200000×200000 pt exceeds the 14400 pt limit (page not read)",
        ),
        "scan": (0, "page 1: page size 200000×200000 pt exceeds the 14400 pt limit (page skipped)"),
        "leaks": (0, "exceeds the 14400 pt limit (page not checked)"),
        "ocr": (0, "page 1: page size 200000×200000 pt exceeds the 14400 pt limit (page not read)"),
    },
    "bomb": one_bad_page(1),
    "bomb-under-box": one_bad_page(1),
    "one-bad-page": one_bad_page(2),
    "javascript": same(OK),
    "page-tree-loop": {
        **same((ExitCode.CORRUPT_PDF, "page 1: damaged page")),
        "leaks": (ExitCode.CORRUPT_PDF, "loop.pdf: damaged content"),  # the document part
    },
    "not-a-pdf": same((ExitCode.NOT_A_PDF, "not a PDF file")),
    "html-named-pdf": same((ExitCode.NOT_A_PDF, "not a PDF file")),
    "empty": same((ExitCode.NOT_A_PDF, "the file is empty")),
    "broken-content": same(OK),
    "deep-page-tree": same(OK),
    # MuPDF gives up on the catalog, so it finds no page tree at all.
    "nested-arrays": same((ExitCode.CORRUPT_PDF, "the PDF has no pages")),
}


def test_every_corpus_file_has_an_expectation() -> None:
    assert set(EXPECTED) == set(CORPUS)


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = run(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_clean_stderr(err: str, argv: list[str]) -> None:
    assert "Traceback" not in err, argv
    assert "internal error" not in err, (argv, err)
    assert len(err.strip().splitlines()) <= 1, (argv, err)


def command_argv(command: str, path: Path, case: Path) -> list[str]:
    extra = {
        "info": ["--json"],
        "scan": ["--jobs", "1", "--quiet", "--case", str(case)],
        "leaks": ["--format", "json", "--quiet"],
        "ocr": ["--jobs", "1", "--quiet", "--format", "json"],
    }[command]
    return [command, *extra, str(path)]


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_file_through_every_command(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = CORPUS[name](tmp_path)
    case = tmp_path / "case.rvcase"
    for command in COMMANDS:
        argv = command_argv(command, path, case)
        code, out, err = run_cli(argv, capsys)
        want_code, needle = EXPECTED[name][command]
        assert code == want_code, (argv, err)
        assert_clean_stderr(err, argv)
        if needle:
            assert needle in err, (argv, err)
        else:
            assert err.strip() == "", (argv, err)
        if code == 0:
            json.loads(out)  # stdout is pure JSON even when a page was skipped
        else:
            assert err.startswith("redactview: error: "), err
    assert_case_reports(case, tmp_path, capsys)


def assert_case_reports(case: Path, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Whatever the scan managed to store (maybe nothing), the case exports."""
    code, out, err = run_cli(["report", str(case), "-f", "json"], capsys)
    assert (code, err) == (0, "")
    json.loads(out)
    for fmt, suffix in (("html", "html"), ("pdf", "pdf")):
        target = folder / f"report.{suffix}"
        code, _, err = run_cli(["report", str(case), "-f", fmt, "-o", str(target), "-q"], capsys)
        assert (code, err) == (0, ""), (fmt, err)
        assert target.stat().st_size > 0


def test_one_bad_page_keeps_the_good_pages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = CORPUS["one-bad-page"](tmp_path)
    code, out, err = run_cli(["scan", "--jobs", "1", "--quiet", str(path)], capsys)
    assert code == 0
    assert "(page skipped)" in err
    pages = [r["page"] for r in json.loads(out)["documents"][0]["redactions"]]
    assert pages == [1, 3]


def test_encrypted_with_password(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = make_encrypted(tmp_path)
    case = tmp_path / "enc.rvcase"
    for command in COMMANDS:
        argv = [*command_argv(command, path, case), "--password", "secret"]
        code, out, err = run_cli(argv, capsys)
        assert (code, err) == (0, ""), argv
        if command == "scan":
            assert len(json.loads(out)["documents"][0]["redactions"]) == 1
        if command == "info":
            assert json.loads(out)["documents"][0]["encrypted"] is True
    code, _, err = run_cli(["info", str(path), "--password", "wrong"], capsys)
    assert code == ExitCode.ENCRYPTED_PDF
    assert err.strip() == f"redactview: error: {path}: wrong password"
    code, out, _ = run_cli(["report", str(case), "-f", "json"], capsys)
    assert code == 0 and json.loads(out)


def test_encrypted_release_exports_with_the_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_encrypted(tmp_path)
    case = tmp_path / "enc.rvcase"
    run_cli(
        ["scan", "--jobs", "1", "--quiet", "--password", "secret", "--case", str(case), str(path)],
        capsys,
    )
    out = tmp_path / "r.html"
    code, _, err = run_cli(["report", str(case), "-f", "html", "-o", str(out)], capsys)
    assert code == ExitCode.ENCRYPTED_PDF and "password" in err and not out.exists()
    try:
        code, _, err = run_cli(
            ["report", str(case), "-f", "html", "-o", str(out), "--password", "secret"], capsys
        )
    finally:
        forget_passwords()  # the password lives for the process: do not leak it to others
    assert code == 0, err
    assert out.stat().st_size > 1000


def test_active_content_is_never_run_or_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """JavaScript on open, a launch action, a URI link and a shell-script attachment."""
    marker = Path("/tmp/redactview-pwned")
    existed = marker.exists()
    path = make_javascript_and_actions(tmp_path)
    case = tmp_path / "js.rvcase"
    searchable = tmp_path / "out-searchable.pdf"
    with watch_events(NETWORK_EVENTS | PROCESS_EVENTS) as seen:
        for command in COMMANDS:
            argv = command_argv(command, path, case)
            if command == "ocr":
                argv[1:1] = ["--searchable", str(searchable)]
            code, out, _ = run_cli(argv, capsys)
            assert code == 0
            if command == "leaks":  # the attachment is read as a possible leak, never run
                mechanisms = {f["mechanism"] for f in json.loads(out)["documents"][0]["findings"]}
                assert "embedded_file" in mechanisms
        for fmt in ("pdf", "annotated-pdf", "html", "xfdf"):
            target = tmp_path / f"out-{fmt}"
            assert (
                run_cli(["report", str(case), "-f", fmt, "-o", str(target), "-q"], capsys)[0] == 0
            )
    # Tesseract is the one program redactview may start; nothing else, no socket.
    foreign = [e for e in seen if e[0] in NETWORK_EVENTS or "tesseract" not in e[1]]
    assert foreign == []
    # Copies we write do not pass the scripts and launch action on to their readers.
    for copy in (tmp_path / "out-annotated-pdf", searchable):
        marked = pymupdf.open(copy)
        assert marked.xref_get_key(marked.pdf_catalog(), "OpenAction") == ("null", "null")
        assert [link["kind"] for link in marked[0].get_links()] == [pymupdf.LINK_URI]
        objects = [marked.xref_object(x) for x in range(1, marked.xref_length())]
        assert not any("/JavaScript" in o or "/Launch" in o for o in objects)
        marked.close()
    if not existed:
        assert not marker.exists()


@pytest.mark.slow
def test_ten_thousand_pages_info(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = make_many_pages(tmp_path, 10_000)
    start = time.perf_counter()
    code, out, err = run_cli(["info", "--json", str(path)], capsys)
    seconds = time.perf_counter() - start
    assert (code, err) == (0, "")
    document = json.loads(out)["documents"][0]
    assert document["page_count"] == 10_000
    assert len(document["text_layer_pages"]) == 10_000
    print(f"info on 10,000 pages: {seconds:.1f} s")  # recorded, not asserted (see bench/)


XFDF_HEAD = '<?xml version="1.0" encoding="{enc}"?>'
XFDF_DTD = '<!DOCTYPE xfdf [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
XFDF_BODY = (
    '<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots>'
    '<square page="{page}" rect="100,600,200,620"><contents>{text}</contents></square>'
    '</annots><f href="../../../../tmp/redactview-xfdf-target.pdf"/></xfdf>'
)


def scanned_case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A case with two releases: XFDF goes onto release 1 only."""
    case = tmp_path / "x.rvcase"
    first = CORPUS["javascript"](tmp_path)
    second = CORPUS["broken-content"](tmp_path)
    code, _, _ = run_cli(
        [
            "scan",
            "--jobs",
            "1",
            "--quiet",
            "--no-ocr",
            "--case",
            str(case),
            str(first),
            str(second),
        ],
        capsys,
    )
    assert code == 0
    return case


def case_json(case: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    code, out, _ = run_cli(["report", str(case), "-f", "json"], capsys)
    assert code == 0
    data: dict[str, object] = json.loads(out)
    return data


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_xfdf_with_entities_is_refused_in_any_encoding(
    encoding: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = scanned_case(tmp_path, capsys)
    before = case_json(case, capsys)["redactions"]
    xfdf = tmp_path / "bomb.xfdf"
    text = XFDF_HEAD.format(enc=encoding) + XFDF_DTD + XFDF_BODY.format(page=0, text="&b;")
    xfdf.write_bytes(text.encode(encoding))
    code, _, err = run_cli(
        ["report", str(case), "--import-xfdf", str(xfdf), "--release", "1"], capsys
    )
    assert code != 0 and "DTD or entities is refused" in err
    assert_clean_stderr(err, ["import", encoding])
    assert case_json(case, capsys)["redactions"] == before


def test_xfdf_import_stays_on_its_release(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A square on a page that does not exist is dropped; the href is never opened or written."""
    case = scanned_case(tmp_path, capsys)
    before = case_json(case, capsys)["redactions"]
    assert isinstance(before, list)
    xfdf = tmp_path / "acrobat.xfdf"
    squares = XFDF_BODY.format(page=0, text="(b)(6) imported").replace(
        "</annots>", '<square page="999" rect="1,1,50,50"><contents>x</contents></square></annots>'
    )
    xfdf.write_text(XFDF_HEAD.format(enc="utf-8") + squares, encoding="utf-8")
    files_before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run_cli(
        ["report", str(case), "--import-xfdf", str(xfdf), "--release", "1"], capsys
    )
    assert (code, err) == (0, "")
    summary = json.loads(out)
    assert (summary["read"], summary["created"]) == (1, 1)
    after = case_json(case, capsys)["redactions"]
    assert isinstance(after, list)
    new = [r for r in after if r not in before]
    assert len(new) == 1 and new[0]["release"] == "javascript" and new[0]["page"] == 1
    assert [r for r in after if r["release"] != "javascript"] == [
        r for r in before if r["release"] != "javascript"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == files_before
    assert not Path("/tmp/redactview-xfdf-target.pdf").exists()


def test_skipped_page_is_tried_again_on_resume(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A page skipped for a limit is not marked done: the next run reports and retries it."""
    path = CORPUS["one-bad-page"](tmp_path)
    case = tmp_path / "resume.rvcase"
    argv = ["scan", "--jobs", "1", "--quiet", "--case", str(case), str(path)]
    for _ in range(2):
        code, out, err = run_cli(argv, capsys)
        assert code == 0
        assert "page 2: an image of 40000×40000 pixels" in err
        assert [r["page"] for r in json.loads(out)["documents"][0]["redactions"]] == [1, 3]


def make_huge_middle_page(folder: Path) -> Path:
    """Three pages; the middle one is 20,000 pt wide. Pages 1 and 3 carry a black box."""
    doc = pymupdf.open()
    for width in (612, 20_000, 612):
        page = doc.new_page(width=width, height=792)
        page.insert_text((72, 100), "The agent met with the witness", fontsize=11)
        page.draw_rect(pymupdf.Rect(260, 90, 360, 103), color=None, fill=(0, 0, 0))
    path = folder / "huge-middle.pdf"
    doc.save(path)
    return path


def test_oversized_page_is_skipped_not_the_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """info and scan name page 2 (stderr and JSON) and go on; a resumed scan tries it again."""
    path = make_huge_middle_page(tmp_path)
    reason = "page 2: page size 20000×792 pt exceeds the 14400 pt limit"
    code, out, err = run_cli(["info", "--json", str(path)], capsys)
    assert (code, err) == (0, f"redactview: warning: {reason} (page not read)\n")
    (info,) = json.loads(out)["documents"]
    assert info["page_count"] == 3 and info["skipped_pages"] == [{"page": 2, "reason": reason}]
    assert info["text_layer_pages"] == [1, 3] and info["empty_pages"] == []
    assert info["pages"][1]["skipped"] == reason and info["pages"][1]["width"] == 20000
    case = tmp_path / "c.rvcase"
    argv = ["scan", "--jobs", "1", "--quiet", "--no-ocr", "--case", str(case), str(path)]
    for _ in range(2):  # the second run retries page 2: it was not marked done
        code, out, err = run_cli(argv, capsys)
        assert (code, err) == (0, f"redactview: warning: {reason} (page skipped)\n")
        (doc,) = json.loads(out)["documents"]
        assert doc["skipped_pages"] == [{"page": 2, "reason": reason}]
        assert [r["page"] for r in doc["redactions"]] == [1, 3]
