"""Leaks outside the page content: metadata, bookmarks, form fields, embedded files,
annotation notes, and earlier revisions kept by incremental saves.

None of these is drawn on a page, so a redaction box cannot cover them. A
finding here is scored by how likely it is to hold withheld text: words that
appear nowhere on the pages (a title naming a person the pages black out) score
higher than a bookmark repeating a heading. Earlier revisions are compared
with the final file page by page: words an update removed are exactly what a
redaction removes, so they score highest.

Document-level findings (metadata, embedded files) carry page 0.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator

import pymupdf

from redactview.core.geometry import Box, union_all
from redactview.core.model import LeakFinding

DOCUMENT_PAGE = 0
_METADATA_KEYS = ("title", "subject", "keywords", "author")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\-]{2,}|\d{3,}")
# An incremental update ends with its own %%EOF; the file up to each one is a revision.
_EOF = re.compile(rb"%%EOF[ \t]*(?:\r\n|\r|\n)?")
_MAX_TEXT = 2000


def iter_pages(doc: pymupdf.Document) -> Iterator[pymupdf.Page]:
    return (doc[i] for i in range(doc.page_count))


def collect_vocabulary(doc: pymupdf.Document) -> set[str]:
    """Lower-case tokens printed on the pages, to tell new information from repeats."""
    words: set[str] = set()
    for page in iter_pages(doc):
        words.update(t.lower() for t in _TOKEN.findall(page.get_text("text")))
    return words


def score_text(text: str, vocabulary: set[str], novel: float, repeat: float) -> float:
    """``novel`` if the text names something the pages never print, else ``repeat``."""
    tokens = {t.lower() for t in _TOKEN.findall(text)}
    return novel if tokens - vocabulary else repeat


def clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"


def find_metadata_leaks(doc: pymupdf.Document, vocabulary: set[str]) -> list[LeakFinding]:
    """Info-dictionary fields a person wrote (not producer/dates)."""
    meta = doc.metadata or {}
    findings = []
    for key in _METADATA_KEYS:
        value = str(meta.get(key) or "").strip()
        if value:
            conf = score_text(value, vocabulary, 0.45, 0.3)
            findings.append(LeakFinding(DOCUMENT_PAGE, None, f"metadata:{key}", clip(value), conf))
    return findings


def find_outline_leaks(doc: pymupdf.Document, vocabulary: set[str]) -> list[LeakFinding]:
    findings = []
    for _level, title, page, *_ in doc.get_toc(simple=True):
        if title.strip():
            conf = score_text(title, vocabulary, 0.45, 0.2)
            findings.append(
                LeakFinding(max(DOCUMENT_PAGE, page), None, "outline", clip(title), conf)
            )
    return findings


def find_form_field_leaks(doc: pymupdf.Document) -> list[LeakFinding]:
    """Filled-in form values: kept in the file even where a box covers the field."""
    findings = []
    for page in iter_pages(doc):
        for widget in page.widgets() or []:
            value = widget.field_value
            if not isinstance(value, str) or value.strip() in ("", "Off"):
                continue
            hidden = bool(widget.field_flags & 1) or bool(widget._annot.flags & 2)
            box = Box.from_seq(widget.rect).rounded()
            text = clip(f"{widget.field_name}: {value}")
            findings.append(
                LeakFinding(page.number + 1, box, "form_field", text, 0.8 if hidden else 0.5)
            )
    return findings


def find_annotation_content_leaks(doc: pymupdf.Document, vocabulary: set[str]) -> list[LeakFinding]:
    """Notes written into annotations (a Redact annotation's note often quotes the text)."""
    findings = []
    for page in iter_pages(doc):
        for annot in page.annots() or []:
            info = annot.info
            text = " ".join(v for v in (info.get("title", ""), info.get("content", "")) if v)
            if not text.strip():
                continue
            novel = 0.7 if annot.type[1] == "Redact" else 0.6
            conf = score_text(text, vocabulary, novel, 0.4)
            box = Box.from_seq(annot.rect).rounded()
            mechanism = f"annotation_contents:{annot.type[1]}"
            findings.append(LeakFinding(page.number + 1, box, mechanism, clip(text), conf))
    return findings


def read_embedded_text(data: bytes) -> str:
    """Readable text of an attachment: a PDF's pages, or the bytes if they decode."""
    if data.startswith(b"%PDF"):
        try:
            with pymupdf.open(stream=data, filetype="pdf") as inner:
                return " ".join(inner[i].get_text("text") for i in range(inner.page_count))
        except (RuntimeError, ValueError):
            return ""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return ""


def find_embedded_file_leaks(doc: pymupdf.Document) -> list[LeakFinding]:
    findings = []
    for name in doc.embfile_names():
        text = read_embedded_text(doc.embfile_get(name))
        label = clip(f"{name}: {text}" if text.strip() else name)
        findings.append(LeakFinding(DOCUMENT_PAGE, None, "embedded_file", label, 0.6))
    return findings


def split_revisions(data: bytes) -> list[bytes]:
    """The file as it stood after each save but the last (oldest first)."""
    ends = [m.end() for m in _EOF.finditer(data)]
    # The final revision is the file itself; trailing junk after it is ignored.
    return [data[:end] for end in ends[:-1]] if len(ends) > 1 else []


def find_removed_words(
    old: pymupdf.Page, new_words: Iterable[str], number: int
) -> list[LeakFinding]:
    """Lines of ``old`` whose words the final revision of the page no longer has."""
    remaining = Counter(new_words)
    lines: dict[tuple[int, int], list[tuple[Box, str]]] = {}
    for x0, y0, x1, y1, text, block, line, _ in old.get_text("words", sort=True):
        if remaining[text] > 0:
            remaining[text] -= 1
        else:
            lines.setdefault((block, line), []).append((Box(x0, y0, x1, y1), text))
    findings = []
    for words in lines.values():
        text = " ".join(t for _, t in words)
        if sum(c.isalnum() for c in text) >= 2:
            box = union_all(b for b, _ in words).rounded()
            findings.append(LeakFinding(number, box, "earlier_revision", text, 0.9))
    return findings


def compare_revision(old_doc: pymupdf.Document, final: pymupdf.Document) -> list[LeakFinding]:
    findings = []
    for index in range(min(old_doc.page_count, final.page_count)):
        new_words = [w[4] for w in final[index].get_text("words")]
        findings += find_removed_words(old_doc[index], new_words, index + 1)
    return findings


def find_revision_leaks(data: bytes, final: pymupdf.Document) -> list[LeakFinding]:
    """Words that an incremental update removed but the file still keeps in an older revision."""
    findings: dict[tuple[int, str], LeakFinding] = {}
    for revision in split_revisions(data):
        try:
            old_doc = pymupdf.open(stream=revision, filetype="pdf")
        except (RuntimeError, ValueError):
            continue  # a cut that is not a complete revision (e.g. a linearized header)
        with old_doc:
            if old_doc.needs_pass:
                continue
            for finding in compare_revision(old_doc, final):
                # The same removed line shows in every older revision: report it once.
                findings.setdefault((finding.page, finding.text), finding)
    return list(findings.values())


def find_document_leaks(doc: pymupdf.Document, data: bytes) -> list[LeakFinding]:
    """Every leak outside the page content. ``data`` is the file's raw bytes."""
    vocabulary = collect_vocabulary(doc)
    return [
        *find_metadata_leaks(doc, vocabulary),
        *find_outline_leaks(doc, vocabulary),
        *find_form_field_leaks(doc),
        *find_annotation_content_leaks(doc, vocabulary),
        *find_embedded_file_leaks(doc),
        *find_revision_leaks(data, doc),
    ]
