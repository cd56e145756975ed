"""A corpus of broken and hostile PDFs, made on the fly for the robustness tests.

Each maker writes one file and returns its path. The files are small on disk
even when they describe something enormous (a 10,000-page file, a page the
size of a football field, an image that inflates to gigabytes).

``watch_events`` records the audit events (sockets, processes, browsers) that
code under test raises, so tests can prove nothing was connected or launched.
"""

from __future__ import annotations

import contextlib
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pymupdf

Maker = Callable[[Path], Path]


def _valid(path: Path, text: str = "Agent (b)(6) met the vendor.") -> Path:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 100), text, fontsize=12)
    page.draw_rect(pymupdf.Rect(120, 88, 200, 104), color=None, fill=(0, 0, 0))
    doc.save(path)
    return path


def make_truncated(folder: Path) -> Path:
    good = _valid(folder / "good-for-truncation.pdf").read_bytes()
    path = folder / "truncated.pdf"
    path.write_bytes(good[: len(good) // 2])
    return path


def make_garbage_after_header(folder: Path) -> Path:
    path = folder / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 64)
    return path


def make_zero_pages(folder: Path) -> Path:
    path = folder / "zero-pages.pdf"
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return path


def make_encrypted(folder: Path) -> Path:
    doc = pymupdf.open(_valid(folder / "plain.pdf"))
    path = folder / "encrypted.pdf"
    aes256: int = pymupdf.PDF_ENCRYPT_AES_256  # type: ignore[attr-defined]
    doc.save(path, encryption=aes256, user_pw="secret", owner_pw="owner")
    return path


def make_huge_page(folder: Path) -> Path:
    doc = pymupdf.open()
    doc.new_page(width=200_000, height=200_000)  # far beyond PDF's 14,400 pt limit
    path = folder / "huge-page.pdf"
    doc.save(path)
    return path


def make_many_pages(folder: Path, count: int = 10_000) -> Path:
    """``count`` pages sharing one content stream, written directly (fast)."""
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(count))
    parts = [
        b"%PDF-1.4\n",
        b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n",
        b"2 0 obj<</Type/Pages/Count %d/Kids[%s]>>endobj\n" % (count, kids),
        b"3 0 obj<</Length 44>>stream\n"
        b"BT /F1 12 Tf 72 720 Td (page text) Tj ET\n\nendstream endobj\n",
    ]
    for i in range(count):
        parts.append(
            b"%d 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 3 0 R"
            b"/Resources<</Font<</F1<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>>>>>>>"
            b"endobj\n" % (4 + i)
        )
    parts.append(b"trailer<</Root 1 0 R>>\n%%EOF\n")
    path = folder / f"pages-{count}.pdf"
    path.write_bytes(b"".join(parts))  # no xref table: MuPDF repairs it, as for many real files
    return path


def make_decompression_bomb(folder: Path) -> Path:
    """A 40,000 x 40,000 grey image (1.6 GB raw) in a 24 KB stream.

    Run-length coding (128 zeros per two bytes) under Flate: made in half a
    second without ever holding the 1.6 GB, yet MuPDF really inflates it all.
    """
    side = 40_000
    stream = zlib.compress(b"\x81\x00" * (side * side // 128) + b"\x80", 9)
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]"
        b"/Resources<</XObject<</Im0 4 0 R>>>>/Contents 5 0 R>>endobj\n"
        + b"4 0 obj<</Type/XObject/Subtype/Image/Width %d/Height %d/ColorSpace/DeviceGray"
        % (side, side)
        + b"/BitsPerComponent 8/Filter[/FlateDecode/RunLengthDecode]/Length %d>>stream\n"
        % len(stream)
        + stream
        + b"\nendstream endobj\n"
        b"5 0 obj<</Length 35>>stream\nq 612 0 0 792 0 0 cm /Im0 Do Q\nendstream endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    path = folder / "bomb.pdf"
    path.write_bytes(body)
    return path


def make_javascript_and_actions(folder: Path) -> Path:
    """JavaScript on open, a launch action, a remote link and an embedded file."""
    doc = pymupdf.open(_valid(folder / "plain-js.pdf"))
    page = doc[0]
    page.insert_link(
        {
            "kind": pymupdf.LINK_URI,
            "from": pymupdf.Rect(72, 200, 300, 220),
            "uri": "http://127.0.0.1:9/never-followed",
        }
    )
    page.insert_link(
        {"kind": pymupdf.LINK_LAUNCH, "from": pymupdf.Rect(72, 240, 300, 260), "file": "/bin/sh"}
    )
    doc.embfile_add("payload.sh", b"#!/bin/sh\necho pwned > /tmp/redactview-pwned\n")
    catalog = doc.pdf_catalog()
    js = doc.get_new_xref()
    doc.update_object(js, "<</S/JavaScript/JS(app.launchURL\\('http://127.0.0.1:9/x'\\);)>>")
    doc.xref_set_key(catalog, "OpenAction", f"{js} 0 R")
    path = folder / "javascript.pdf"
    doc.save(path)
    return path


def make_page_tree_loop(folder: Path) -> Path:
    path = folder / "loop.pdf"
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[2 0 R]/Count 1>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return path


def make_not_a_pdf(folder: Path) -> Path:
    path = folder / "photo.pdf"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    return path


def make_empty(folder: Path) -> Path:
    path = folder / "empty.pdf"
    path.write_bytes(b"")
    return path


CORPUS: dict[str, Maker] = {
    "truncated": make_truncated,
    "garbage": make_garbage_after_header,
    "zero-pages": make_zero_pages,
    "encrypted": make_encrypted,
    "huge-page": make_huge_page,
    "bomb": make_decompression_bomb,
    "javascript": make_javascript_and_actions,
    "page-tree-loop": make_page_tree_loop,
    "not-a-pdf": make_not_a_pdf,
    "empty": make_empty,
}


def make_bomb_under_box(folder: Path) -> Path:
    """The decompression bomb with a vector box over it: the leak check looks beneath."""
    doc = pymupdf.open(make_decompression_bomb(folder))
    doc[0].draw_rect(pymupdf.Rect(100, 100, 300, 130), color=None, fill=(0, 0, 0))
    path = folder / "bomb-under-box.pdf"
    doc.save(path)
    return path


def make_one_bad_page(folder: Path) -> Path:
    """Three pages; the middle one places a bomb image. Pages 1 and 3 must still be read."""
    bomb = pymupdf.open(make_decompression_bomb(folder))
    doc = pymupdf.open(_valid(folder / "good-outer.pdf"))
    doc.insert_pdf(bomb)
    doc.insert_pdf(pymupdf.open(_valid(folder / "good-last.pdf", "Second (b)(7)(C) box.")))
    path = folder / "one-bad-page.pdf"
    doc.save(path)
    return path


def make_broken_content_stream(folder: Path) -> Path:
    """A page whose content stream is operator soup and an unterminated string."""
    doc = pymupdf.open(_valid(folder / "plain-content.pdf"))
    xref = doc[0].get_contents()[0]
    doc.update_stream(xref, b"q 1 0 0 RG BT /F9 0 Tf (unterminated 99 99 re f* Do Do ET Q Q Q }}")
    path = folder / "broken-content.pdf"
    doc.save(path)
    return path


def make_html_named_pdf(folder: Path) -> Path:
    path = folder / "download.pdf"
    path.write_bytes(b"<!DOCTYPE html><html><body>Access denied</body></html>\n")
    return path


def make_deep_page_tree(folder: Path, depth: int = 3000) -> Path:
    """One page at the bottom of 3,000 nested /Pages nodes (recursion in a reader)."""
    parts = [b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"]
    for level in range(depth):
        parent = b"" if level == 0 else b"/Parent %d 0 R" % (level + 1)
        parts.append(
            b"%d 0 obj<</Type/Pages/Kids[%d 0 R]/Count 1%s>>endobj\n"
            % (level + 2, level + 3, parent)
        )
    parts.append(
        b"%d 0 obj<</Type/Page/Parent %d 0 R/MediaBox[0 0 612 792]>>endobj\n"
        % (depth + 2, depth + 1)
    )
    parts.append(b"trailer<</Root 1 0 R>>\n%%EOF\n")
    path = folder / "deep-tree.pdf"
    path.write_bytes(b"".join(parts))
    return path


def make_nested_arrays(folder: Path) -> Path:
    """A catalog holding arrays nested 100,000 deep (a parser's stack)."""
    nested = b"[" * 100_000 + b"]" * 100_000
    path = folder / "nested.pdf"
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/X " + nested + b">>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return path


CORPUS.update(
    {
        "deep-page-tree": make_deep_page_tree,
        "nested-arrays": make_nested_arrays,
        "bomb-under-box": make_bomb_under_box,
        "one-bad-page": make_one_bad_page,
        "broken-content": make_broken_content_stream,
        "html-named-pdf": make_html_named_pdf,
    }
)


# Audit events that mean "went on the network" or "ran something".
NETWORK_EVENTS = frozenset(
    {
        "socket.__new__",
        "socket.connect",
        "socket.bind",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.sendto",
        "urllib.Request",
        "http.client.connect",
        "webbrowser.open",
    }
)
PROCESS_EVENTS = frozenset(
    {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.startfile"}
)


class _Recorder:
    """One audit hook for the whole test run (hooks cannot be removed), off by default."""

    def __init__(self) -> None:
        self.watched: frozenset[str] = frozenset()
        self.seen: list[tuple[str, str]] | None = None

    def __call__(self, event: str, args: tuple[Any, ...]) -> None:
        if self.seen is not None and event in self.watched:
            self.seen.append((event, repr(args)[:300]))


_RECORDER: _Recorder | None = None


@contextlib.contextmanager
def watch_events(events: frozenset[str]) -> Iterator[list[tuple[str, str]]]:
    """Collect ``(event, args)`` for every watched audit event raised inside the block."""
    global _RECORDER
    if _RECORDER is None:
        _RECORDER = _Recorder()
        sys.addaudithook(_RECORDER)
    seen: list[tuple[str, str]] = []
    _RECORDER.watched, _RECORDER.seen = events, seen
    try:
        yield seen
    finally:
        _RECORDER.seen = None
