"""Linking by position where two pages share a layout (same page, other boxes).

Context fails where there is no text around a box (a form field, a page
withheld in full, a signature block). If the paired pages are the same layout,
possibly rescanned — shifted, scaled, slightly rotated — an affine map fitted
on words printed once on both pages carries an A box to B, where B's boxes
and words at that spot decide the status.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from redactview.analysis.compare.model import PageContent
from redactview.analysis.compare.stream import normalise, visible_words
from redactview.core.geometry import Box
from redactview.core.model import Redaction, Word

MIN_ANCHORS = 6
MAX_RESIDUAL_PT = 4.0
MIN_IOU = 0.3
WHOLE_PAGE = 0.4  # a box covering this share of the page stands for the page


@dataclass(frozen=True, slots=True)
class Affine:
    """x' = a·x + b·y + c, y' = d·x + e·y + f."""

    m: tuple[float, float, float, float, float, float]

    def map_box(self, box: Box) -> Box:
        a, b, c, d, e, f = self.m
        xs, ys = [], []
        for x, y in ((box.x0, box.y0), (box.x1, box.y0), (box.x0, box.y1), (box.x1, box.y1)):
            xs.append(a * x + b * y + c)
            ys.append(d * x + e * y + f)
        return Box(min(xs), min(ys), max(xs), max(ys))


@dataclass(frozen=True, slots=True)
class GeometricMatch:
    redaction: Redaction | None  # the target's box at that spot, if any
    words: tuple[Word, ...]  # target words printed at that spot


def unique_words(page: PageContent) -> dict[str, Box]:
    counts: dict[str, int] = {}
    boxes: dict[str, Box] = {}
    for word in visible_words(page):
        key = normalise(word.text)
        if len(key) >= 3:
            counts[key] = counts.get(key, 0) + 1
            boxes[key] = word.box
    return {k: b for k, b in boxes.items() if counts[k] == 1}


def fit_affine(src: PageContent, dst: PageContent) -> Affine | None:
    """Least-squares affine map src → dst on shared unique words, if it fits well."""
    a_words, b_words = unique_words(src), unique_words(dst)
    shared = sorted(set(a_words) & set(b_words))
    if len(shared) < MIN_ANCHORS:
        return None
    p = np.array([a_words[k].center for k in shared])
    q = np.array([b_words[k].center for k in shared])
    design = np.column_stack([p, np.ones(len(shared))])
    coef_x, *_ = np.linalg.lstsq(design, q[:, 0], rcond=None)
    coef_y, *_ = np.linalg.lstsq(design, q[:, 1], rcond=None)
    residual = np.hypot(design @ coef_x - q[:, 0], design @ coef_y - q[:, 1])
    if float(np.median(residual)) > MAX_RESIDUAL_PT:
        return None
    return Affine((*map(float, coef_x), *map(float, coef_y)))  # type: ignore[arg-type]


def match_by_geometry(
    red: Redaction, src: PageContent, dst: PageContent, affine: Affine | None
) -> GeometricMatch | None:
    if affine is not None:
        others = [affine.map_box(r.box) for r in src.redactions if r.id != red.id]
        return match_at(affine.map_box(red.box), dst, others)
    if is_whole_page(red, src):
        return match_whole_page(dst)
    # The other page is withheld in full (a slip sheet): this box is hidden there too.
    whole = [r for r in dst.redactions if is_whole_page(r, dst)]
    return GeometricMatch(whole[0], ()) if whole else None


def is_whole_page(red: Redaction, page: PageContent) -> bool:
    return red.box.area >= WHOLE_PAGE * page.width * page.height


def match_at(box: Box, dst: PageContent, others: list[Box] | None = None) -> GeometricMatch | None:
    """What ``dst`` has at ``box``: a box there, or the words mostly inside it.

    ``others`` are the source page's other boxes carried across: a word they
    cover more (long boxes around skewed lines overlap their neighbours' lines)
    belongs to them.
    """
    best = max(dst.redactions, key=lambda r: r.box.iou(box), default=None)
    if best is not None and best.box.iou(box) >= MIN_IOU:
        return GeometricMatch(best, ())
    area = box.expanded(1.0)
    words = tuple(
        w
        for w in visible_words(dst)
        if (cover := w.box.coverage_by(area)) >= 0.5
        and all(w.box.coverage_by(o.expanded(1.0)) <= cover for o in others or ())
    )
    return GeometricMatch(None, words) if words else None


def match_whole_page(dst: PageContent) -> GeometricMatch | None:
    """A page withheld in full: what the counterpart page prints is revealed; if it
    prints nothing, it is withheld there too."""
    words = tuple(visible_words(dst))
    if words:
        return GeometricMatch(None, words)
    whole = [r for r in dst.redactions if is_whole_page(r, dst)]
    return GeometricMatch(whole[0], ()) if whole else None
