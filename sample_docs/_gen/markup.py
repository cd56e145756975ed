"""A tiny markup for writing pages: plain text with `{hidden text|codes|style|pos|rel|label}`.

codes: comma list of short codes (6, 7C, 4, 5); style: s=solid, ci=code_inside,
bw=bordered_white, gc=grey_code_inside, st=stippled; pos: r=right, i=inside, st=stacked,
n=none; rel: the releases that redact the span (default all of them).
"""

from __future__ import annotations

import re

from .layout import text_length
from .model import CODES, At, Color, Hide, Line, PageSpec, Shape, Token

STYLES = {
    "s": "solid",
    "ci": "code_inside",
    "bw": "bordered_white",
    "gc": "grey_code_inside",
    "st": "stippled",
}
POSITIONS = {"r": "right", "i": "inside", "st": "stacked", "n": "none"}
MARK = re.compile(r"\{([^}]*)\}")


class PageBuilder:
    """Collects lines top to bottom; every `{...}` becomes a `Hide` with a stable key."""

    def __init__(self, key: str, doc: str, rel: str = "AB", top: float = 72.0) -> None:
        self.key, self.doc, self.rel = key, doc, rel
        self.y = top
        self.lines: list[Line] = []
        self.shapes: list[Shape] = []
        self.count = 0

    def hide(self, spec: str) -> Hide:
        parts = spec.split("|")
        text, codes = parts[0], tuple(CODES[c.strip()] for c in parts[1].split(","))
        style = STYLES[parts[2]] if len(parts) > 2 and parts[2] else "solid"
        pos = (
            POSITIONS[parts[3]]
            if len(parts) > 3 and parts[3]
            else (
                "inside"
                if style in ("code_inside", "bordered_white", "grey_code_inside")
                else "none"
                if style == "stippled"
                else "right"
            )
        )
        rel = parts[4] if len(parts) > 4 and parts[4] else self.rel
        applied = not rel.endswith("!")  # "M!": drawn over the text, never applied
        label = parts[5] if len(parts) > 5 and parts[5] else None
        self.count += 1
        return Hide(
            f"{self.key}-h{self.count:02d}",
            text,
            codes,
            style,
            pos,
            frozenset(rel.rstrip("!")),
            label_text=label,
            applied=applied,
        )

    def tokens(self, markup: str) -> list[Token]:
        out: list[Token] = []
        pos = 0
        for m in MARK.finditer(markup):
            if markup[pos : m.start()].strip():
                out.append(markup[pos : m.start()].strip())
            out.append(self.hide(m.group(1)))
            pos = m.end()
        if markup[pos:].strip():
            out.append(markup[pos:].strip())
        return out

    def line(
        self,
        markup: str,
        x: float = 72.0,
        font: str = "helv",
        size: float = 10.5,
        lead: float | None = None,
        color: Color = (0, 0, 0),
        at: float | None = None,
    ) -> None:
        toks: list[Token] = self.tokens(markup)
        if at is not None:
            toks = [At(at), *toks]
        self.lines.append(Line(self.y, tuple(toks), x, font, size, color))
        self.y += lead if lead is not None else size * 1.3

    def field(
        self, label: str, markup: str, size: float = 10.5, x: float = 72.0, value_x: float = 150.0
    ) -> None:
        """An e-mail header: bold label, plain value on the same baseline."""
        self.lines.append(Line(self.y, (label,), x, "hebo", size))
        self.line(markup, x=value_x, size=size)

    def para(
        self,
        markup: str,
        x: float = 72.0,
        width: float = 440.0,
        font: str = "tiro",
        size: float = 11.0,
        after: float = 6.0,
    ) -> None:
        for toks in wrap(self.tokens(markup), width, font, size):
            self.lines.append(Line(self.y, tuple(toks), x, font, size))
            self.y += size * 1.3
        self.y += after

    def block(
        self,
        text: str,
        codes: str,
        rel: str,
        x: float = 72.0,
        width: float = 440.0,
        font: str = "tiro",
        size: float = 11.0,
        after: float = 6.0,
    ) -> None:
        """A paragraph withheld line by line: one box per line, one group, one label."""
        self.count += 1
        group = f"{self.key}-g{self.count:02d}"
        lines = wrap(text.split(), width, font, size)
        for i, toks in enumerate(lines):
            line_text = " ".join(str(t) for t in toks)
            pos = "right" if i == 0 else "none"
            hide = Hide(
                f"{group}-L{i + 1}",
                line_text,
                tuple(CODES[c] for c in codes.split(",")),
                "solid",
                pos,
                frozenset(rel),
                group=group,
            )
            self.lines.append(Line(self.y, (hide,), x, font, size))
            self.y += size * 1.3
        self.y += after

    def gap(self, dy: float) -> None:
        self.y += dy

    def shape(
        self, kind: str, rect: tuple[float, float, float, float], lookalike: bool = True
    ) -> None:
        self.shapes.append(Shape(kind, rect, lookalike))

    def build(self, **kw: object) -> PageSpec:
        return PageSpec(self.doc, tuple(self.lines), tuple(self.shapes), key=self.key, **kw)  # type: ignore[arg-type]


def token_width(tok: Token, font: str, size: float) -> float:
    if isinstance(tok, str):
        return text_length(tok, font, size)
    if isinstance(tok, Hide):
        label = text_length(tok.label, "hebo", size * 0.9) + 4 if tok.label_pos == "right" else 0
        return text_length(tok.text, font, size) + label
    return 0.0


def wrap(tokens: list[Token], width: float, font: str, size: float) -> list[list[Token]]:
    """Greedy wrap; plain words re-joined so each run prints as one string."""
    units: list[Token] = []
    for tok in tokens:
        units += tok.split() if isinstance(tok, str) else [tok]
    lines: list[list[Token]] = [[]]
    used, space = 0.0, text_length(" ", font, size)
    for unit in units:
        w = token_width(unit, font, size)
        if lines[-1] and used + w > width:
            lines.append([])
            used = 0.0
        lines[-1].append(unit)
        used += w + space
    return [join_words(line) for line in lines]


def join_words(units: list[Token]) -> list[Token]:
    out: list[Token] = []
    for unit in units:
        if isinstance(unit, str) and out and isinstance(out[-1], str):
            out[-1] = out[-1] + " " + unit
        else:
            out.append(unit)
    return out
