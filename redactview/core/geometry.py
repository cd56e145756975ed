"""Axis-aligned boxes in PDF points.

Coordinates follow PyMuPDF's ``get_text("words")``: the page's *unrotated*
coordinate space, origin top-left, y growing downwards. Keeping one convention
everywhere means a redaction lines up with the words under it even on pages
whose /Rotate is set.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    @classmethod
    def from_seq(cls, values: Iterable[float]) -> Box:
        x0, y0, x1, y1 = (float(v) for v in values)
        return cls(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))

    @property
    def width(self) -> float:
        return max(0.0, self.x1 - self.x0)

    @property
    def height(self) -> float:
        return max(0.0, self.y1 - self.y0)

    @property
    def area(self) -> float:
        return self.width * self.height

    @property
    def center(self) -> tuple[float, float]:
        return ((self.x0 + self.x1) / 2.0, (self.y0 + self.y1) / 2.0)

    @property
    def is_empty(self) -> bool:
        return self.width <= 0.0 or self.height <= 0.0

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0, self.x1, self.y1)

    def rounded(self, ndigits: int = 2) -> Box:
        return Box(*(round(v, ndigits) for v in self.as_tuple()))

    def intersection(self, other: Box) -> Box:
        return Box(
            max(self.x0, other.x0),
            max(self.y0, other.y0),
            min(self.x1, other.x1),
            min(self.y1, other.y1),
        )

    def intersection_area(self, other: Box) -> float:
        inter = self.intersection(other)
        return 0.0 if inter.is_empty else inter.area

    def intersects(self, other: Box) -> bool:
        return self.intersection_area(other) > 0.0

    def union(self, other: Box) -> Box:
        return Box(
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )

    def iou(self, other: Box) -> float:
        inter = self.intersection_area(other)
        if inter <= 0.0:
            return 0.0
        return inter / (self.area + other.area - inter)

    def coverage_by(self, other: Box) -> float:
        """Share of *this* box's area that ``other`` covers (0..1)."""
        if self.area <= 0.0:
            return 0.0
        return self.intersection_area(other) / self.area

    def contains_point(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1

    def expanded(self, dx: float, dy: float | None = None) -> Box:
        dy = dx if dy is None else dy
        return Box(self.x0 - dx, self.y0 - dy, self.x1 + dx, self.y1 + dy)

    def scaled(self, factor: float) -> Box:
        return Box(self.x0 * factor, self.y0 * factor, self.x1 * factor, self.y1 * factor)

    def vertical_overlap(self, other: Box) -> float:
        """Overlap of the two boxes' y-ranges as a share of the shorter height."""
        top, bottom = max(self.y0, other.y0), min(self.y1, other.y1)
        shorter = min(self.height, other.height)
        if bottom <= top or shorter <= 0.0:
            return 0.0
        return (bottom - top) / shorter


def union_all(boxes: Iterable[Box]) -> Box:
    it = iter(boxes)
    try:
        acc = next(it)
    except StopIteration:
        raise ValueError("union_all() of no boxes") from None
    for box in it:
        acc = acc.union(box)
    return acc
