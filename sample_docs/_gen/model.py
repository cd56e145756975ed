"""Content model for the sample releases: what is printed, what is hidden, and where.

A page is described once (`PageSpec`) and laid out once per release ("A", "B", "M"),
so the same records can be redacted differently in each release.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Rect = tuple[float, float, float, float]
Color = tuple[float, float, float]

# Short codes used in the content markup, mapped to the canonical exemption form.
CODES: dict[str, str] = {"4": "(b)(4)", "5": "(b)(5)", "6": "(b)(6)", "7C": "(b)(7)(C)"}

FONT_ASCENDER: dict[str, float] = {
    "helv": 1.075,
    "hebo": 1.07,
    "tiro": 1.053,
    "tibo": 1.044,
    "cour": 0.932,
    "cobo": 0.932,
}
FONT_DESCENDER: dict[str, float] = {
    "helv": -0.299,
    "hebo": -0.307,
    "tiro": -0.281,
    "tibo": -0.341,
    "cour": -0.317,
    "cobo": -0.317,
}


@dataclass(frozen=True)
class Hide:
    """A span of text that one or more releases withhold."""

    key: str  # stable across releases, so A and B boxes can be linked
    text: str
    codes: tuple[str, ...]
    style: str = "solid"  # solid | code_inside | bordered_white | grey_code_inside | stippled
    label_pos: str = "right"  # right | inside | stacked | none
    redacted_in: frozenset[str] = frozenset({"A", "B", "M"})
    group: str | None = None  # multi-line blocks share a group key
    label_text: str | None = None  # printed variant, e.g. "(b) (6)"; default joins codes
    applied: bool = True  # False: a box drawn over text that stays in the text layer

    @property
    def label(self) -> str:
        if self.label_pos == "none":
            return ""
        return self.label_text if self.label_text is not None else ";".join(self.codes)


@dataclass(frozen=True)
class At:
    """Move the line cursor to an absolute x (table columns, header values)."""

    x: float


Token = str | Hide | At


@dataclass(frozen=True)
class Line:
    y: float  # baseline
    tokens: tuple[Token, ...]
    x: float = 72.0
    font: str = "helv"
    size: float = 10.5
    color: Color = (0, 0, 0)


@dataclass(frozen=True)
class Shape:
    """A drawn element that is not text; most are redaction look-alikes."""

    kind: str  # logo | table_header | grid | signature | punch_hole | rule | scan_border
    rect: Rect
    lookalike: bool = True


@dataclass(frozen=True)
class PageSpec:
    doc: str
    lines: tuple[Line, ...]
    shapes: tuple[Shape, ...] = ()
    sideways: bool = False
    vector_boxes_in: frozenset[str] = frozenset()  # releases drawing boxes as vectors on the scan
    withheld_in: frozenset[str] = frozenset()  # releases withholding the whole page
    withheld_codes: tuple[str, ...] = ()
    key: str = ""  # stable page key shared by A and B


@dataclass
class Placed:
    """A redaction as laid out on one page (layout coordinates, before any scan transform)."""

    hide: Hide | None
    bbox: Rect
    fill: str
    style: str
    label: str
    label_pos: str
    label_bbox: Rect | None
    font: str | None
    fontsize: float | None
    baseline: float
    group: str | None = None
    kind: str = "raster"
    leak: str | None = None


@dataclass
class Word:
    text: str
    bbox: Rect
    origin: tuple[float, float] = (0.0, 0.0)
    font: str = "helv"
    size: float = 10.5


@dataclass
class Layout:
    """Everything the truth needs from one laid-out page."""

    words: list[Word] = field(default_factory=list)  # visible words
    hidden_words: list[Word] = field(default_factory=list)  # words under redactions
    label_words: list[Word] = field(default_factory=list)
    redactions: list[Placed] = field(default_factory=list)
    revealed: dict[str, Rect] = field(default_factory=dict)  # Hide.key -> printed text bbox
    lookalikes: list[tuple[str, Rect]] = field(default_factory=list)
    markers: list[Placed] = field(default_factory=list)  # painted later, in pixels
