"""A release as one token stream: words and redaction slots in reading order.

Linking works on the whole release at once, not page by page, because a
re-release reflows: a redacted name at the bottom of A's page 4 may sit at the
top of B's page 5. Each redaction becomes one placeholder token at its reading
position; words under a box (labels printed inside, leaked text) and tokens
that differ between releases by design (exemption codes, Bates numbers) are
left out so they never break a context match.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from redactview.analysis.compare.model import PageContent
from redactview.core.geometry import Box
from redactview.core.model import Redaction, Word

# Placeholder for a redaction; a real word never normalises to it.
SLOT = "\x00"

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
# Printed codes: "(b)(6)", "(b)", "(6)", "b7C", "(bX6)", "(b)(7)(C);" …
_CODE = re.compile(
    r"^[\(\[]?[bjkc][\)\]x]?\s*([\(\[]?\d+[\)\]]?)?([\(\[]?[a-f][\)\]]?)?[;,/.]*$|"
    r"^\(\d\)(\([a-f]\))?[;,/.]*$",
    re.IGNORECASE,
)
_LABEL_WORDS = {"REDACTED", "WITHHELD", "NON-RESPONSIVE", "NONRESPONSIVE", "EXEMPT"}
# Bates / control numbers: ABC-2019-000123, DOJ_0001234 …
_BATES = re.compile(r"^[A-Z][A-Z0-9]*([-_][A-Z0-9]+)*[-_]?\d{4,}$")


def normalise(text: str) -> str:
    """Case and punctuation are noise between releases (and between OCR runs)."""
    return _NON_WORD.sub("", text).lower()


@functools.lru_cache(maxsize=1 << 16)
def is_label_token(text: str) -> bool:
    """True for tokens that differ between releases by design, not by content."""
    raw = text.strip()
    return bool(
        _CODE.match(raw)
        or is_garbled_code(raw)
        or raw.rstrip(";:,.") in _LABEL_WORDS
        or _BATES.match(raw.rstrip(".,"))
    )


def is_garbled_code(raw: str) -> bool:
    """Codes as OCR reads them beside a box: "()(6);(0)(71C)", "(by(6);", "(b\\(7(C)".

    Every ";"-separated part is brackets, a few digits and letters that OCR
    makes of "b" and "C"; a part needs two brackets and either a b-like letter
    or two groups, so "(555)" and "(2019)" stay words.
    """
    if not any(c in "()[]{}<>\\|" for c in raw):
        return False  # most words: no need to look closer
    parts = [p for p in _CODE_SEP.split(raw) if p]
    return bool(parts) and all(_is_code_part(p) for p in parts)


_CODE_SEP = re.compile(r"[;,:]")
_CODE_CHARS = re.compile(r"^[()\[\]{}<>\\/|bBoOxXyYcCkKjJdDeEfFaA0-9.]+$")


def _is_code_part(part: str) -> bool:
    brackets = sum(part.count(c) for c in "()[]{}<>\\|")
    digits = sum(c.isdigit() for c in part)
    groups = ")(" in part or "\\(" in part
    b_like = any(c in "bBoO" for c in part)
    return (
        bool(_CODE_CHARS.match(part)) and brackets >= 2 and 1 <= digits <= 3 and (b_like or groups)
    )


@dataclass(slots=True)
class Stream:
    """Parallel arrays, one entry per token; ``slot_of[i]`` is set for placeholders."""

    norms: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    frames: list[Box] = field(default_factory=list)  # boxes in the page's reading frame
    slot_of: dict[int, Redaction] = field(default_factory=dict)
    position_of: dict[str, int] = field(default_factory=dict)  # redaction id -> position

    def __len__(self) -> int:
        return len(self.norms)

    def append(self, norm: str, text: str, page: int, box: Box, frame: Box) -> None:
        self.norms.append(norm)
        self.texts.append(text)
        self.pages.append(page)
        self.boxes.append(box)
        self.frames.append(frame)


def build_stream(pages: Sequence[PageContent]) -> Stream:
    stream = Stream()
    for page in pages:
        append_page(stream, page)
    return stream


def append_page(stream: Stream, page: PageContent) -> None:
    words = visible_words(page)
    to_frame = reading_frame(words)
    frames = to_frame.apply(np.array([w.box.as_tuple() for w in words], dtype=float).reshape(-1, 4))
    slots = [(to_frame(r.box), r) for r in page.redactions]
    inserts = order_slots([(insertion_index(frames, box), box, r) for box, r in slots])
    k = 0
    for i, word in enumerate([*words, None]):
        while k < len(inserts) and inserts[k][0] == i:
            red = inserts[k][2]
            stream.slot_of[len(stream)] = red
            stream.position_of[red.id] = len(stream)
            stream.append(SLOT, "", page.number, red.box, inserts[k][1])
            k += 1
        if word is not None:
            frame = Box.from_seq(frames[i])
            stream.append(normalise(word.text), word.text, page.number, word.box, frame)


Insert = tuple[int, Box, Redaction]


def order_slots(inserts: list[Insert]) -> list[Insert]:
    """Boxes at the same word position in reading order: by line, then along the line."""
    items = sorted(inserts, key=lambda item: (item[0], item[1].center[1]))
    changed = True
    while changed:  # a few boxes per position at most: a bubble pass is enough
        changed = False
        for i in range(len(items) - 1):
            (ia, ba, _), (ib, bb, _) = items[i], items[i + 1]
            if ia == ib and ba.vertical_overlap(bb) >= 0.5 and bb.x0 < ba.x0:
                items[i], items[i + 1] = items[i + 1], items[i]
                changed = True
    return items


def visible_words(page: PageContent) -> list[Word]:
    """Words a reader of this release sees: not under a box, not a code or Bates number."""
    return list(_visible_words(page))


@functools.lru_cache(maxsize=256)
def _visible_words(page: PageContent) -> tuple[Word, ...]:
    # Streams, page pairs and affine fits all ask for the same pages' words.
    return tuple(find_visible_words(page))


def find_visible_words(page: PageContent) -> list[Word]:
    words = [w for w in page.words if normalise(w.text) and not is_label_token(w.text)]
    if not page.redactions or not words:
        return words
    words = [w for w in words if not is_box_debris(w, page.redactions)]
    centers = np.array([w.box.center for w in words], dtype=float)
    hidden = np.zeros(len(words), dtype=bool)
    for red in page.redactions:
        b = red.box
        hidden |= (
            (centers[:, 0] >= b.x0)
            & (centers[:, 0] <= b.x1)
            & (centers[:, 1] >= b.y0)
            & (centers[:, 1] <= b.y1)
        )
    return [w for w, h in zip(words, hidden, strict=True) if not h]


DEBRIS_CONF = 50.0  # Tesseract's confidence below which a word touching a box is noise


def is_box_debris(word: Word, redactions: Sequence[Redaction]) -> bool:
    """An OCR "word" that Tesseract made of a box's edge or the ink next to it.

    Tesseract reads the edges of black boxes and the stipple around them as
    short junk words ("ae", "ann", "ee") at low confidence; in the stream they
    would break the context of the very box they sit on. Only a word on the
    box's line counts (a word on the line above a box is text, however badly
    read). Words of a text layer have full confidence and are never dropped.
    """
    if word.conf >= DEBRIS_CONF:
        return False
    near = word.box.expanded(4.0)
    return any(near.intersects(r.box) and _on_line_of(word.box, r.box) for r in redactions)


def _on_line_of(word: Box, box: Box) -> bool:
    """The word overlaps the box, or sits beside it along its line (either direction)."""
    if word.intersection_area(box) > 0.0:
        return True
    across = _span_overlap(word.x0, word.x1, box.x0, box.x1)
    return word.vertical_overlap(box) >= 0.5 if word.width >= word.height else across >= 0.5


def _span_overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    shorter = min(a1 - a0, b1 - b0)
    return max(0.0, min(a1, b1) - max(a0, b0)) / shorter if shorter > 0 else 0.0


def reading_frame(words: Sequence[Word]) -> _Frame:
    """A map into a frame where text runs along +x and lines go down +y.

    Sideways pages keep their words in unrotated coordinates, so "left of the
    box on its line" must be judged along the direction the words are read;
    that direction is the most common step between consecutive words. A
    skewed scan tilts every line, so the frame is also sheared by the median
    slope between neighbouring words of a line (1.5° is 8 pt over a line).
    Both in NumPy: a 500-page release has 150,000 words.
    """
    boxes = np.array([w.box.as_tuple() for w in words], dtype=float).reshape(-1, 4)
    centers = (boxes[:, :2] + boxes[:, 2:]) / 2.0
    dx, dy = np.diff(centers[:, 0]), np.diff(centers[:, 1])
    along = np.abs(dx) >= np.abs(dy)
    votes = {
        "+x": int(np.sum(along & (dx > 0))),
        "+y": int(np.sum(~along & (dy > 0))),
        "-y": int(np.sum(~along & (dy <= 0))),
        "-x": int(np.sum(along & (dx <= 0))),
    }
    direction = max(votes, key=votes.__getitem__) if len(words) > 1 else "+x"
    turned = _Frame(direction, 0.0).apply(boxes)
    u, v = (turned[:, 0] + turned[:, 2]) / 2.0, (turned[:, 1] + turned[:, 3]) / 2.0
    du, dv = np.diff(u), np.diff(v)
    height = np.maximum(turned[:-1, 3] - turned[:-1, 1], 1.0)
    on_line = (du > 0) & (du < 150) & (np.abs(dv) < 0.5 * height)
    slope = float(np.median(dv[on_line] / du[on_line])) if on_line.sum() >= 5 else 0.0
    return _Frame(direction, slope)


@dataclass(frozen=True, slots=True)
class _Frame:
    direction: str
    slope: float  # dv/du of a text line in the turned frame

    def __call__(self, box: Box) -> Box:
        return Box.from_seq(self.apply(np.array([box.as_tuple()], dtype=float))[0])

    def apply(self, boxes: np.ndarray) -> np.ndarray:
        """Boxes (n × x0, y0, x1, y1) turned and sheared into the frame."""
        out = self._turn(boxes)
        if self.slope:
            shift = self.slope * (out[:, 0] + out[:, 2]) / 2.0
            out[:, 1] -= shift
            out[:, 3] -= shift
        return out

    def _turn(self, b: np.ndarray) -> np.ndarray:
        x0, y0, x1, y1 = b[:, 0], b[:, 1], b[:, 2], b[:, 3]
        d = self.direction
        if d == "+x":
            return b.copy()
        if d == "+y":  # content turned clockwise: lines advance towards -x
            return np.column_stack([y0, -x1, y1, -x0])
        if d == "-y":  # counter-clockwise: lines advance towards +x
            return np.column_stack([-y1, x0, -y0, x1])
        return np.column_stack([-x1, -y1, -x0, -y0])


def insertion_index(frames: np.ndarray, red: Box) -> int:
    """Index of the first word that comes after the box in reading order.

    ``frames`` is words × (x0, y0, x1, y1) in the reading frame. A word comes
    before the box if it is on a line above it, or on its line and to the left.
    """
    if not len(frames):
        return 0
    x0, y0, x1, y1 = frames[:, 0], frames[:, 1], frames[:, 2], frames[:, 3]
    wu, wv = (x0 + x1) / 2.0, (y0 + y1) / 2.0
    overlap = np.minimum(y1, red.y1) - np.maximum(y0, red.y0)
    shorter = np.maximum(np.minimum(y1 - y0, red.height), 1e-6)
    same_line = ((wv >= red.y0) & (wv <= red.y1)) | (overlap / shorter >= 0.5)
    before = (same_line & (wu < (red.x0 + red.x1) / 2.0)) | (~same_line & (wv < red.y0))
    hits = np.flatnonzero(before)
    return int(hits[-1]) + 1 if hits.size else 0
