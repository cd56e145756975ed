"""Finding where a redaction of one release sits in the other, by its context.

A redaction (or a run of adjacent ones) in the source stream is a "slot". The
words just before and just after it are looked up in the target stream by
exact 3-word anchors; a pair of anchors a short distance apart brackets the
target's version of the slot — another placeholder (redacted there too), or
the words the target prints in its place (revealed). Ties between repeated
boilerplate are broken by how far the context agrees and by the page pairs.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from redactview.analysis.compare.stream import SLOT, Stream

GRAM = 3
CONTEXT = 8  # words of context compared on each side
MAX_GAP = 40  # target tokens allowed between the two anchors
MAX_HITS = 60  # anchors more frequent than this are boilerplate, not evidence
PAGE_BONUS = 4.0
# Single-word anchors on the paired page: context agreement (2) + page bonus.
MIN_SHORT_SCORE = 2.0 + PAGE_BONUS * 2 - 0.5


@dataclass(frozen=True, slots=True)
class Gap:
    """Target tokens [start, end) that stand where the source slot stands."""

    start: int
    end: int
    score: float
    two_sided: bool


@dataclass(frozen=True, slots=True)
class Index:
    """Where each 3-word gram and each single word occurs in a stream."""

    grams: dict[tuple[str, ...], list[int]]
    words: dict[str, list[int]]


def index_grams(stream: Stream) -> Index:
    """Start positions of every 3-word gram without a placeholder, and of every word."""
    grams: defaultdict[tuple[str, ...], list[int]] = defaultdict(list)
    words: defaultdict[str, list[int]] = defaultdict(list)
    norms = stream.norms
    for i, norm in enumerate(norms):
        if norm != SLOT:
            words[norm].append(i)
        gram = tuple(norms[i : i + GRAM])
        if len(gram) == GRAM and SLOT not in gram:
            grams[gram].append(i)
    return Index(dict(grams), dict(words))


def slot_runs(stream: Stream) -> list[tuple[int, int]]:
    """Maximal runs [first, last] of adjacent placeholders on one page."""
    runs: list[tuple[int, int]] = []
    for pos in sorted(stream.slot_of):
        # A run never spans a page break: the next page may be another document.
        if runs and runs[-1][1] == pos - 1 and stream.pages[pos] == stream.pages[pos - 1]:
            runs[-1] = (runs[-1][0], pos)
        else:
            runs.append((pos, pos))
    return runs


def candidate_starts(src: Stream, first: int, index: Index) -> dict[int, float]:
    """Target positions where the slot would start, judged from the words before it."""
    found: dict[int, float] = {}
    for skip in range(CONTEXT - GRAM + 1):
        lo = first - GRAM - skip
        gram = tuple(src.norms[max(lo, 0) : first - skip])
        if lo < 0 or SLOT in gram:
            break
        hits = index.grams.get(gram, [])
        if len(hits) > MAX_HITS:
            continue
        for hit in hits:
            found.setdefault(hit + GRAM + skip, 0.0)
    return found


def candidate_ends(src: Stream, last: int, index: Index) -> dict[int, float]:
    """Target positions just past the slot, judged from the words after it."""
    found: dict[int, float] = {}
    for skip in range(CONTEXT - GRAM + 1):
        lo = last + 1 + skip
        gram = tuple(src.norms[lo : lo + GRAM])
        if len(gram) < GRAM or SLOT in gram:
            break
        hits = index.grams.get(gram, [])
        if len(hits) > MAX_HITS:
            continue
        for hit in hits:
            found.setdefault(hit - skip, 0.0)
    return found


def agreement(src: Stream, s_pos: int, dst: Stream, d_pos: int, step: int) -> float:
    """Words that agree walking outwards from s_pos/d_pos (placeholders match each other).

    The walk stops at the second disagreement: past a revealed phrase or a
    dropped Bates number the two streams are out of step, and chance matches
    beyond it would pull the gap's edge off by a word. It also stops at the
    source page's edge: across a page break the neighbour may be another
    document (releases reorder documents), which is no evidence for this one.
    """
    score, misses = 0.0, 0
    page = src.pages[min(max(s_pos - step, 0), len(src) - 1)]
    for k in range(CONTEXT):
        i, j = s_pos + step * k, d_pos + step * k
        if not (0 <= i < len(src) and 0 <= j < len(dst)) or src.pages[i] != page:
            break
        if src.norms[i] == dst.norms[j]:
            score += 1.0
        else:
            misses += 1
            if misses == 2:
                break
    return score


def page_bonus(dst: Stream, pos: int, expected: set[int]) -> float:
    if not 0 <= pos < len(dst):
        return 0.0
    page = dst.pages[pos]
    if page in expected:
        return PAGE_BONUS
    return PAGE_BONUS / 2 if (page - 1 in expected or page + 1 in expected) else 0.0


def find_gap(
    src: Stream, run: tuple[int, int], dst: Stream, index: Index, pairs: Mapping[int, int]
) -> Gap | None:
    """The target span standing for a source slot run, or None if the context is not found."""
    first, last = run
    expected = {pairs[src.pages[first]]} if src.pages[first] in pairs else set()
    starts = score_starts(src, first, dst, candidate_starts(src, first, index), expected)
    ends = score_ends(src, last, dst, candidate_ends(src, last, index), expected)
    # A withheld paragraph stands for many words: allow a gap that long.
    widths = sum(src.boxes[p].width for p in range(first, last + 1))
    max_gap = MAX_GAP + int(widths / 12.0)
    best = best_pair(starts, ends, max_gap=max_gap)
    if best is None and expected:
        # Short context (an e-mail header: "From: ███ To:") has no 3-word
        # anchor; single words are enough on the page the pages pair with.
        near = {p + d for p in expected for d in (-1, 0, 1)}
        starts |= score_starts(src, first, dst, near_hits(src, first - 1, 1, index, dst, near),
                               expected)  # fmt: skip
        ends |= score_ends(src, last, dst, near_hits(src, last + 1, 0, index, dst, near), expected)
        best = best_pair(starts, ends, min_score=MIN_SHORT_SCORE, max_gap=max_gap)
    if best is not None:
        return refine(src, run, dst, best, max_gap)
    return best_one_sided(starts, ends, dst)


def refine(src: Stream, run: tuple[int, int], dst: Stream, gap: Gap, max_gap: int) -> Gap:
    """Move the gap's edges to where the context agrees best.

    An anchor found after skipping source words assumes those words stand
    one-for-one in the target; when one of them was itself redacted (or
    revealed) in the target that is off by a few tokens. Agreement of the
    words right next to the slot settles it.
    """
    first, last = run

    def before(s: int) -> tuple[float, int]:
        return agreement(src, first - 1, dst, s - 1, -1), -abs(s - gap.start)

    def after(e: int) -> tuple[float, int]:
        return agreement(src, last + 1, dst, e, +1), -abs(e - gap.end)

    start = max(range(max(gap.end - max_gap, 0), gap.end + 1), key=before)
    end = max(range(start, min(start + max_gap, len(dst)) + 1), key=after)
    return Gap(start, end, gap.score, gap.two_sided)


def score_starts(
    src: Stream, first: int, dst: Stream, starts: Iterable[int], expected: set[int]
) -> dict[int, float]:
    return {
        s: agreement(src, first - 1, dst, s - 1, -1) + page_bonus(dst, s - 1, expected)
        for s in starts
    }


def score_ends(
    src: Stream, last: int, dst: Stream, ends: Iterable[int], expected: set[int]
) -> dict[int, float]:
    return {e: agreement(src, last + 1, dst, e, +1) + page_bonus(dst, e, expected) for e in ends}


def near_hits(
    src: Stream, pos: int, shift: int, index: Index, dst: Stream, pages: set[int]
) -> list[int]:
    """Target positions (+shift) of the single source word at ``pos``, on the given pages."""
    if not 0 <= pos < len(src) or src.norms[pos] == SLOT:
        return []
    hits = index.words.get(src.norms[pos], [])
    return [h + shift for h in hits if dst.pages[h] in pages]


def best_pair(
    starts: dict[int, float],
    ends: dict[int, float],
    min_score: float = 0.0,
    max_gap: int = MAX_GAP,
) -> Gap | None:
    best: Gap | None = None
    end_keys = sorted(ends)
    for start, s_score in starts.items():
        lo = bisect.bisect_left(end_keys, start)
        hi = bisect.bisect_right(end_keys, start + max_gap)
        for end in end_keys[lo:hi]:
            score = s_score + ends[end] - 0.02 * (end - start)
            if score >= min_score and (best is None or score > best.score):
                best = Gap(start, end, score, True)
    return best


def best_one_sided(starts: dict[int, float], ends: dict[int, float], dst: Stream) -> Gap | None:
    """Only one side's context was found: trust it only if a placeholder sits right there.

    The better-scored side wins (page pairs included), so the words before a
    box at the top of a page — the end of whatever document came before —
    do not outvote the words after it.
    """
    best_start = max(starts, key=lambda s: starts[s], default=None)
    best_end = max(ends, key=lambda e: ends[e], default=None)
    if best_start is not None and (best_end is None or starts[best_start] >= ends[best_end]):
        end = best_start
        page = dst.pages[min(best_start, len(dst) - 1)]
        # Placeholders right there, on the anchor's page only (the next page
        # may be another document whose first box is no evidence).
        while end < len(dst) and dst.norms[end] == SLOT and dst.pages[end] == page:
            end += 1
        return Gap(best_start, end, starts[best_start], False)
    if best_end is not None:
        start = best_end
        page = dst.pages[min(best_end, len(dst) - 1)]
        while start > 0 and dst.norms[start - 1] == SLOT and dst.pages[start - 1] == page:
            start -= 1
        return Gap(start, best_end, ends[best_end], False)
    return None
