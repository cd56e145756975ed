"""``link_releases``: every redaction of A and of B linked to its counterpart.

Forward pass (A → B): each run of adjacent A boxes is located in B by its
context; what B has there decides "both" (B box) or "revealed" (B words, read
as the revealed text). Backward pass (B → A) for the B boxes nobody claimed:
A words there make it "new", an A box makes it "both". Boxes whose context
is not found fall back to geometry on the paired page; what is left is
"unmatched".
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from redactview.analysis.compare.anchors import CONTEXT, Gap, find_gap, index_grams, slot_runs
from redactview.analysis.compare.geometry import Affine, fit_affine, match_by_geometry
from redactview.analysis.compare.model import CompareResult, PageContent
from redactview.analysis.compare.pages import align_pages
from redactview.analysis.compare.stream import SLOT, Stream, build_stream
from redactview.core.geometry import union_all
from redactview.core.model import LinkRef, LinkStatus, Redaction, RedactionLink
from redactview.core.progress import CancelToken

GEOMETRY_CONFIDENCE = 0.6
AffineOf = Callable[[int], Affine | None]


@dataclass(frozen=True, slots=True)
class Found:
    """What the other release has where a redaction stands."""

    other: Redaction | None
    text: str | None
    ref: LinkRef | None
    confidence: float


class _Side:
    """One release prepared for linking: stream, gram index, pages by number."""

    def __init__(self, pages: Sequence[PageContent]) -> None:
        self.pages = {p.number: p for p in pages}
        self.numbers = [p.number for p in pages]
        self.stream = build_stream(pages)
        self.index = index_grams(self.stream)


def link_releases(
    pages_a: Sequence[PageContent],
    pages_b: Sequence[PageContent],
    cancel: CancelToken | None = None,
) -> CompareResult:
    side_a, side_b = _Side(pages_a), _Side(pages_b)
    pairs, _ = align_pages(side_a.stream, side_a.numbers, side_b.stream, side_b.numbers)
    reverse = {b: a for a, b in pairs.items()}
    affines = _Affines(side_a, side_b, pairs)
    forward = locate_all(side_a, side_b, pairs, affines.forward, cancel)
    links = [make_link_from_a(red, found) for red, found in forward]
    claimed = {link.b.redaction_id for link in links if link.b and link.b.redaction_id}
    backward = locate_all(side_b, side_a, reverse, affines.backward, cancel, skip=claimed)
    links += [make_link_from_b(red, found) for red, found in backward]
    links.sort(key=_link_order)
    return CompareResult(tuple(sorted(pairs.items())), tuple(links))


class _Affines:
    """Page-to-page affine maps, fitted lazily once per page pair and direction."""

    def __init__(self, side_a: _Side, side_b: _Side, pairs: Mapping[int, int]) -> None:
        self._a, self._b, self._pairs = side_a, side_b, pairs
        self._cache: dict[tuple[bool, int], Affine | None] = {}

    def forward(self, page: int) -> Affine | None:
        return self._get(True, page)

    def backward(self, page: int) -> Affine | None:
        return self._get(False, page)

    def _get(self, forward: bool, page: int) -> Affine | None:
        key = (forward, page)
        if key not in self._cache:
            src, dst = (self._a, self._b) if forward else (self._b, self._a)
            pairs = self._pairs if forward else {b: a for a, b in self._pairs.items()}
            other = pairs.get(page)
            self._cache[key] = (
                None if other is None else fit_affine(src.pages[page], dst.pages[other])
            )
        return self._cache[key]


def locate_all(
    src: _Side,
    dst: _Side,
    pairs: Mapping[int, int],
    affine_of: AffineOf,
    cancel: CancelToken | None,
    skip: set[str] | None = None,
) -> list[tuple[Redaction, Found | None]]:
    """Each source redaction (not in ``skip``) with what the target has in its place."""
    results: list[tuple[Redaction, Found | None]] = []
    for run in slot_runs(src.stream):
        if cancel is not None:
            cancel.raise_if_cancelled()
        reds = [src.stream.slot_of[p] for p in range(run[0], run[1] + 1)]
        if skip is not None and all(r.id in skip for r in reds):
            continue
        gap = find_gap(src.stream, run, dst.stream, dst.index, pairs)
        shares: list[list[int]] = [[] for _ in reds]
        if gap is not None:
            shares = (
                split_paragraph(src.stream, run, dst.stream, gap)
                or split_by_projection(reds, gap, dst.stream, pairs, affine_of)
                or split_gap(src.stream, run, dst.stream, gap)
            )
        for red, share in zip(reds, shares, strict=True):
            if skip is not None and red.id in skip:
                continue
            found = read_share(dst.stream, share, gap) if gap else None
            if found is None:
                found = locate_by_geometry(red, src, dst, pairs, affine_of)
            results.append((red, found))
    return results


def split_paragraph(
    src: Stream, run: tuple[int, int], dst: Stream, gap: Gap
) -> list[list[int]] | None:
    """A paragraph withheld line by line and printed on as many lines in the target.

    Lines are the surest split: a skewed line's word can lie more in the
    neighbouring line's box than in its own.
    """
    count = run[1] - run[0] + 1
    if count == 1 or not all_on_own_lines(src, run):
        return None
    lines = split_lines(dst, list(range(gap.start, gap.end)))
    return lines if len(lines) == count else None


def split_gap(src: Stream, run: tuple[int, int], dst: Stream, gap: Gap) -> list[list[int]]:
    """Share the target tokens of a gap among the run's boxes, in proportion to widths."""
    positions = list(range(gap.start, gap.end))
    count = run[1] - run[0] + 1
    if count == 1:
        return [positions]
    src_widths = [max(src.boxes[p].width, 1.0) for p in range(run[0], run[1] + 1)]
    bounds, total = [], sum(src_widths)
    acc = 0.0
    for width in src_widths:
        acc += width
        bounds.append(acc / total)
    dst_widths = [max(dst.boxes[p].width, 1.0) for p in positions]
    shares: list[list[int]] = [[] for _ in range(count)]
    acc, total_dst = 0.0, sum(dst_widths) or 1.0
    for pos, width in zip(positions, dst_widths, strict=True):
        middle = (acc + width / 2) / total_dst
        acc += width
        shares[min(i for i, b in enumerate(bounds) if middle <= b + 1e-9)].append(pos)
    for i, share in enumerate(shares):
        if not share and positions:
            # One target box over a name split across two lines serves both halves.
            share.append(
                nearest_share(positions, dst_widths, (bounds[i] + (bounds[i - 1] if i else 0)) / 2)
            )
    return shares


def split_lines(dst: Stream, positions: list[int]) -> list[list[int]]:
    """Target tokens grouped into text lines.

    In the page's reading frame a new line starts where a word begins before
    the previous one (the text wrapped back to the margin). Judging by a jump
    downwards instead splits skewed scans mid-line and joins short lines.
    """
    lines: list[list[int]] = []
    for pos in positions:
        frame = dst.frames[pos]
        if lines:
            prev = dst.frames[lines[-1][-1]]
            same_page = dst.pages[lines[-1][-1]] == dst.pages[pos]
            if same_page and frame.x0 >= prev.x0 - 0.5 * max(prev.height, 1.0):
                lines[-1].append(pos)
                continue
        lines.append([pos])
    return lines


def all_on_own_lines(src: Stream, run: tuple[int, int]) -> bool:
    boxes = [src.boxes[p] for p in range(run[0], run[1] + 1)]
    return all(b.y0 >= a.y1 - 0.5 * a.height for a, b in itertools.pairwise(boxes))


def split_by_projection(
    reds: list[Redaction], gap: Gap, dst: Stream, pairs: Mapping[int, int], affine_of: AffineOf
) -> list[list[int]] | None:
    """Each target token given to the source box it lies in, once carried across.

    Context anchors bracket a slot by words; an OCR slip in the context (a word
    fused with the box, a misread one) moves a bracket by a word, and a
    paragraph shared out by lines or widths can give a line's words to its
    neighbour. Where the paired pages share a layout (an affine map fits), the
    boxes carried across say which words stand in their place: each word goes
    to the box covering most of it (long boxes around skewed lines overlap),
    words no box covers are context, not reveal. None when there is no such
    map, so the context's answer stands.
    """
    other = pairs.get(reds[0].page)
    positions = list(range(gap.start, gap.end))
    if other is None or not positions or any(dst.pages[p] != other for p in positions):
        return None
    affine = affine_of(reds[0].page)
    if affine is None:
        return None
    areas = [affine.map_box(r.box).expanded(1.0) for r in reds]
    shares: list[list[int]] = [[] for _ in reds]
    for pos in positions:
        cover = [dst.boxes[pos].coverage_by(area) for area in areas]
        best = max(range(len(areas)), key=cover.__getitem__)
        if cover[best] >= 0.5:
            shares[best].append(pos)
    # A box nothing lands in: the context bracketed the wrong tokens; its
    # empty share sends it to the geometric match on the paired page.
    return shares


def nearest_share(positions: list[int], widths: list[float], fraction: float) -> int:
    total, acc, best, best_d = sum(widths) or 1.0, 0.0, positions[0], 2.0
    for pos, width in zip(positions, widths, strict=True):
        d = abs((acc + width / 2) / total - fraction)
        acc += width
        if d < best_d:
            best, best_d = pos, d
    return best


def read_share(dst: Stream, share: list[int], gap: Gap) -> Found | None:
    """A target box in the share means "redacted there too"; words mean "printed there"."""
    confidence = min(1.0, gap.score / (2 * CONTEXT)) * (1.0 if gap.two_sided else 0.5)
    slots = [dst.slot_of[p] for p in share if dst.norms[p] == SLOT]
    words = [p for p in share if dst.norms[p] != SLOT]
    text = " ".join(dst.texts[p] for p in words) or None
    if slots:
        other = slots[0]
        return Found(other, text, LinkRef(other.page, other.box, other.id), confidence)
    if words:
        page = dst.pages[words[0]]
        box = union_all(dst.boxes[p] for p in words if dst.pages[p] == page)
        return Found(None, text, LinkRef(page, box), confidence)
    return None


def locate_by_geometry(
    red: Redaction, src: _Side, dst: _Side, pairs: Mapping[int, int], affine_of: AffineOf
) -> Found | None:
    other_page = pairs.get(red.page)
    if other_page is None:
        return None
    affine = affine_of(red.page)
    match = match_by_geometry(red, src.pages[red.page], dst.pages[other_page], affine)
    if match is None:
        return None
    if match.redaction is not None:
        other = match.redaction
        return Found(other, None, LinkRef(other.page, other.box, other.id), GEOMETRY_CONFIDENCE)
    words = match.words
    page = words[0].page
    box = union_all(w.box for w in words if w.page == page)
    text = " ".join(w.text for w in words)
    return Found(None, text, LinkRef(page, box), GEOMETRY_CONFIDENCE)


def make_link_from_a(red: Redaction, found: Found | None) -> RedactionLink:
    a = LinkRef(red.page, red.box, red.id)
    if found is None:
        return RedactionLink(LinkStatus.UNMATCHED, a, None, None, red.exemptions, (), 0.0)
    if found.other is not None:
        return RedactionLink(
            LinkStatus.BOTH, a, found.ref, found.text, red.exemptions,
            found.other.exemptions, found.confidence,
        )  # fmt: skip
    return RedactionLink(
        LinkStatus.REVEALED, a, found.ref, found.text, red.exemptions, (), found.confidence
    )


def make_link_from_b(red: Redaction, found: Found | None) -> RedactionLink:
    b = LinkRef(red.page, red.box, red.id)
    if found is None:
        return RedactionLink(LinkStatus.UNMATCHED, None, b, None, (), red.exemptions, 0.0)
    if found.other is not None:
        return RedactionLink(
            LinkStatus.BOTH, found.ref, b, None, found.other.exemptions,
            red.exemptions, found.confidence,
        )  # fmt: skip
    return RedactionLink(LinkStatus.NEW, found.ref, b, None, (), red.exemptions, found.confidence)


def _link_order(link: RedactionLink) -> tuple[int, int, float, float]:
    ref = link.a or link.b
    assert ref is not None
    return (0 if link.a else 1, ref.page, ref.box.y0, ref.box.x0)
