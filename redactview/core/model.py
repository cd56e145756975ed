"""The values that cross package boundaries: small, frozen, picklable.

Worker processes return these; the store persists them; the UI and exports
read them. None of them holds an open document or a database row.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field

from redactview.core.geometry import Box


class TextStatus(enum.StrEnum):
    """Whether a page's text layer can be trusted or it must be OCR'd."""

    TEXT = "text"  # a usable text layer (born-digital or good OCR layer)
    NEEDS_OCR = "ocr"  # no usable text: a scan, or a junk/invisible layer
    MIXED = "mixed"  # real text plus large images that may hold more text
    EMPTY = "empty"  # nothing on the page at all


class RedactionKind(enum.StrEnum):
    RASTER = "raster"  # burned into a page image
    VECTOR = "vector"  # a filled path or solid image in the page content
    ANNOTATION = "annotation"  # a Redact/Square/Ink annotation
    MANUAL = "manual"  # drawn by the user


class Fill(enum.StrEnum):
    BLACK = "black"
    GREY = "grey"
    WHITE = "white"
    OTHER = "other"


class ReviewStatus(enum.StrEnum):
    UNREVIEWED = "unreviewed"
    CONFIRMED = "confirmed"
    FALSE_POSITIVE = "false_positive"


@dataclass(frozen=True, slots=True)
class PageInfo:
    number: int  # 1-based
    width: float  # unrotated page size in points
    height: float
    rotation: int  # /Rotate, one of 0, 90, 180, 270
    text_status: TextStatus
    char_count: int = 0
    image_coverage: float = 0.0  # share of the page covered by images, 0..1


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    path: str
    sha256: str
    page_count: int
    pages: tuple[PageInfo, ...]
    metadata: tuple[tuple[str, str], ...] = ()
    encrypted: bool = False

    def metadata_dict(self) -> dict[str, str]:
        return dict(self.metadata)


@dataclass(frozen=True, slots=True)
class Word:
    """One word with its box on a page, from a text layer or from OCR."""

    page: int  # 1-based
    box: Box
    text: str
    conf: float = 100.0  # 0..100; text layers are 100
    block: int = 0
    line: int = 0
    source: str = "text"  # "text" or "ocr"


@dataclass(frozen=True, slots=True)
class Redaction:
    id: str
    page: int  # 1-based
    box: Box  # unrotated page coordinates, points, origin top-left
    kind: RedactionKind
    fill: Fill
    exemptions: tuple[str, ...] = ()  # canonical codes, e.g. ("(b)(6)", "(b)(7)(C)")
    label: str = ""  # the label as printed (raw OCR/text)
    confidence: float = 1.0
    context_before: str = ""
    context_after: str = ""
    est_chars: tuple[int, int] | None = None
    text_under: str | None = None
    group: str | None = None  # multi-line redactions share a group id
    # Where the codes were read, in detection's words (``analysis.labels.Label.where``):
    # "inside", "right" (beside, same line, or ending that line in the right margin,
    # with any codes stacked there), "stacked" (beside, small in two rows), "above",
    # "below", "left" (first on the line: beside a box that starts its line, or in
    # the left margin with any codes stacked there), or "summary" (the page's
    # footer/margin list, not this box);
    # None when no label was read (and for boxes drawn or coded by hand).
    label_position: str | None = None


def make_redaction_id(sha256: str, page: int, box: Box) -> str:
    """A stable id: the same box on the same page of the same file keeps its id.

    Rounded to whole points so that re-running detection on the same file gives
    the same ids, which is what lets annotations stay attached.
    """
    key = f"{sha256}:{page}:{round(box.x0)}:{round(box.y0)}:{round(box.x1)}:{round(box.y1)}"
    return "r" + hashlib.sha1(key.encode()).hexdigest()[:11]


@dataclass(frozen=True, slots=True)
class Annotation:
    """What a user says about one redaction. Never derived, never discarded."""

    redaction_id: str
    status: ReviewStatus = ReviewStatus.UNREVIEWED
    note: str = ""
    guess: str = ""
    tags: tuple[str, ...] = ()
    justification: str = ""  # Vaughn index: agency's claim / requester's challenge
    updated_at: str = ""


@dataclass(frozen=True, slots=True)
class Release:
    id: int
    path: str
    sha256: str
    page_count: int
    label: str = ""
    agency: str = ""
    request_number: str = ""
    release_date: str = ""
    bates_prefix: str = ""


@dataclass(frozen=True, slots=True)
class LeakFinding:
    page: int  # 1-based
    box: Box | None  # None for document-level findings (metadata, embedded files)
    mechanism: str
    text: str
    confidence: float
    redaction_id: str | None = None
    image_png: bytes | None = field(default=None, repr=False)  # crop of an image beneath


@dataclass(frozen=True, slots=True)
class LinkRef:
    page: int
    box: Box
    redaction_id: str | None = None


class LinkStatus(enum.StrEnum):
    BOTH = "both"
    REVEALED = "revealed"
    NEW = "new"
    UNMATCHED = "unmatched"


@dataclass(frozen=True, slots=True)
class RedactionLink:
    status: LinkStatus
    a: LinkRef | None
    b: LinkRef | None
    revealed_text: str | None = None
    exemptions_a: tuple[str, ...] = ()
    exemptions_b: tuple[str, ...] = ()
    confidence: float = 1.0
    user_set: bool = False
