"""XFDF: the XML annotation format Acrobat imports (Comments → Import Data File).

Export writes one ``<square>`` per redaction with the same note as the
annotated PDF. Rectangles are PDF user space (origin bottom-left of the
MediaBox), pages 0-based. Import reads squares (and redact annotations) back
onto a release of a case: our own squares find their redaction again by name,
foreign ones by position, or become manual redactions. Import writes to the
case only.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from redactview.core.geometry import Box
from redactview.errors import ExitCode, InputMissingError, LimitExceededError, RedactviewError
from redactview.export.notes import compose_note, compose_title
from redactview.export.rows import ReportRow
from redactview.pdf.annotate import PageSpace

NS = "http://ns.adobe.com/xfdf/"
_XML_NS = "http://www.w3.org/XML/1998/namespace"
_IMPORTED_KINDS = ("square", "redact")
MAX_XFDF_BYTES = 50 * 1024 * 1024
SUBJECT = "Redaction"
_COLOR = "#D91A1A"


class XfdfError(RedactviewError):
    """The XFDF file is not one we can (or should) read."""

    # The file the user named cannot be used: the same answer as an unreadable input.
    exit_code = ExitCode.INPUT_MISSING


@dataclass(frozen=True, slots=True)
class XfdfSquare:
    page: int  # 1-based, like everything else in redactview
    box: Box  # our coordinates (unrotated, origin top-left)
    name: str
    title: str
    subject: str
    contents: str


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def pdf_date(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    return now.strftime("D:%Y%m%d%H%M%SZ")


def build_xfdf(rows: Sequence[ReportRow], spaces: dict[int, PageSpace], href: str) -> bytes:
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}xfdf", {f"{{{_XML_NS}}}space": "preserve"})
    annots = ET.SubElement(root, f"{{{NS}}}annots")
    date = pdf_date()
    for row in rows:
        rect = spaces[row.page].box_to_pdf(row.box)
        square = ET.SubElement(
            annots,
            f"{{{NS}}}square",
            {
                "page": str(row.page - 1),
                "rect": ",".join(_fmt(v) for v in rect),
                "name": row.redaction.id,
                "title": compose_title(row),
                "subject": SUBJECT,
                "color": _COLOR,
                "width": "1.5",
                "flags": "print",
                "date": date,
            },
        )
        ET.SubElement(square, f"{{{NS}}}contents").text = compose_note(row)
    ET.SubElement(root, f"{{{NS}}}f", {"href": href})
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body


def read_xfdf_bytes(path: Path) -> bytes:
    if not path.is_file():
        raise InputMissingError(f"{path}: no such file")
    if path.stat().st_size > MAX_XFDF_BYTES:
        raise LimitExceededError(f"{path}: larger than {MAX_XFDF_BYTES // 2**20} MB")
    data = path.read_bytes()
    upper = data.upper()
    # No DTDs, no entities: the stdlib parser would expand internal entities
    # (billion laughs). A real XFDF never needs either.
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper or has_dtd(data):
        raise XfdfError(f"{path}: XFDF with a DTD or entities is refused")
    return data


def has_dtd(data: bytes) -> bool:
    """Whether expat meets a DTD, in whatever encoding the file declares.

    The byte test above misses a UTF-16 file, whose "<!DOCTYPE" is spread over
    two bytes a character; expat decodes it and would expand its entities.
    """
    parser = expat.ParserCreate()

    def on_doctype(*_: object) -> None:
        raise _DtdFound  # stop before any entity is declared, let alone expanded

    parser.StartDoctypeDeclHandler = on_doctype
    try:
        parser.Parse(data, True)
    except _DtdFound:
        return True
    except expat.ExpatError:
        return False  # malformed XML is reported by the real parse
    return False


class _DtdFound(Exception):
    pass


def parse_xfdf(path: str | Path, spaces: dict[int, PageSpace]) -> list[XfdfSquare]:
    """The squares of an XFDF file, on pages that exist, in our coordinates."""
    path = Path(path)
    try:
        root = ET.fromstring(read_xfdf_bytes(path))
    except ET.ParseError as exc:
        raise XfdfError(f"{path}: not well-formed XML ({exc})") from exc
    if local_name(root.tag) != "xfdf":
        raise XfdfError(f"{path}: not an XFDF file (root element <{local_name(root.tag)}>)")
    found = []
    for element in root.iter():
        if local_name(element.tag) not in _IMPORTED_KINDS:
            continue
        square = to_square(element, spaces)
        if square is not None:
            found.append(square)
    return found


def local_name(tag: str) -> str:
    return tag.rpartition("}")[2]


def to_square(element: ET.Element, spaces: dict[int, PageSpace]) -> XfdfSquare | None:
    """One annotation element, or None if its page or rectangle is unusable."""
    try:
        page = int(element.get("page", "")) + 1
        rect = [float(v) for v in element.get("rect", "").split(",")]
    except ValueError:
        return None
    if page not in spaces or len(rect) != 4:
        return None
    box = spaces[page].box_from_pdf(rect)
    if box.is_empty:
        return None
    contents = ""
    for child in element:
        if local_name(child.tag) == "contents":
            contents = child.text or ""
    return XfdfSquare(
        page=page,
        box=box,
        name=element.get("name", ""),
        title=element.get("title", ""),
        subject=element.get("subject", ""),
        contents=contents,
    )
