"""The font and the word spacing of a scanned line, fitted to the OCR'd words around it.

A scan has no font table: the generic family (serif, sans, monospace, real
base-14 metrics) and the scale (≈ size in points) that best explain the OCR'd
words' ink widths stand in for it. A page region is mostly one body font at one
size, so the fit uses the words of the lines within a few box heights that are
set at the box line's size and in its family, not just the few words of the
box's own line: with three words a line cannot tell Times from Helvetica
reliably, with thirty it can. Not the whole page: pages mix fonts (an email's
Helvetica header over a Times body).

Word spacing is the other half of a hidden width (the gap holds the hidden text
*and* a space each side). It is measured from runs of words (start of the first
word to end of the last, less the words' widths in the fitted font): only a
run's two outer ink edges enter, not every word's, and ink edges are where a
scan blurs (a thin serif or the end of an "e" lost, a dark scan's bleed). Runs
lean on the fitted size, so where they disagree with the plain gaps the gaps
win. Left-aligned text has one space width throughout; justified text has one
per line: the neighbourhood's value is used unless the box's line clearly differs.
"""

from __future__ import annotations

import functools
import itertools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from redactview.analysis.width import LineWord, is_label
from redactview.core.geometry import Box
from redactview.pdf.fonts import FontMeasure, generic_measure

_FAMILIES = ("serif", "sans", "mono")
# Fewer non-label words than this on a line: fit the font to nearby lines too.
MIN_FONT_WORDS, _NEAR_FONT_WORDS = 3, 12
# Text hidden by a box is at most this many box heights in size.
_MAX_SIZE_PER_HEIGHT = 1.6
# Page words whose size (measured in one reference table) lies within this
# share of the box line's are taken to be set in the line's font: body text at
# 10 pt against 12 pt headings or 8 pt footers differs by 20% or more.
_SIZE_WINDOW = 0.15
# A line of this many words or more tells its own family apart (for dropping
# lines of another font from a page's body).
_LINE_FONT_WORDS = 4
# Body words within this share of the seed's own fitted size (in the chosen family).
_SEED_AGREE = 0.04
# The font is fitted to the lines within this many box heights of the box (about
# three lines of text each way): a page region is one font, a page often is not
# (an email's Helvetica header over a Times body, a bold title). On the sample
# releases' degraded scans the whole page ranked the true name in the top 3 (tie-
# aware) for 25% of boxes, its own line 44%, this neighbourhood 49%.
_REACH = 4.0
# Runs' and plain gaps' page spacing further apart than this share of a space:
# the fitted size is off, and the gaps (which do not depend on it) are used.
_SCALE_DOUBT = 0.1
# A line's own spaces this much wider or narrower than the page's (a share of a
# space) are its own (a justified line); below the lower bound, noise.
_SAME_SPACE, _JUSTIFIED = 0.1, 0.25


@dataclass(frozen=True, slots=True)
class GenericFit:
    family: str
    scale: float  # ≈ font size in points
    spread: float  # relative spread of the per-word scales
    misfit: float  # median relative deviation of the words' scales: lower fits better


def fit_generic(line: Sequence[LineWord]) -> tuple[str, float, float]:
    """The generic family, scale (≈ font size in points) and per-word spread of OCR'd words."""
    fits = rank_generic(line)
    return (fits[0].family, fits[0].scale, fits[0].spread) if fits else ("serif", 10.0, 0.1)


def usable_words(words: Sequence[LineWord]) -> list[LineWord]:
    """Words that can calibrate a font: no labels, two characters or more, a letter,
    and no field names unless nothing else is left.

    A field name ("From:", "Sent:", "Name:") is often set bolder than its value: on
    the sample e-mail headers, Helvetica Bold names beside Helvetica values fitted
    Times at 12 pt for Helvetica 10.5 (without them: Helvetica 10.5). A line whose
    only other marks are OCR junk ("_]", "|") keeps its field names.
    """
    plain = [w for w in words if not is_label(w.text)] or list(words)
    lettered = [w for w in plain if len(w.text) >= 2 and any(c.isalpha() for c in w.text)]
    values = [w for w in lettered if not w.text.endswith(":")]
    return values or lettered or plain


@functools.lru_cache(maxsize=65536)
def ink_width(family: str, text: str) -> float:
    """``text``'s ink width in the generic ``family`` at 1 pt (pages repeat words)."""
    return generic_measure(family, ink=True).width(text)


def rank_generic(line: Sequence[LineWord]) -> list[GenericFit]:
    """See ``rank_words``; cached, as every box of a page ranks the same body words."""
    return list(_rank_cached(tuple(line)))


@functools.lru_cache(maxsize=64)
def _rank_cached(line: tuple[LineWord, ...]) -> tuple[GenericFit, ...]:
    return tuple(rank_words(line))


def rank_words(line: Sequence[LineWord]) -> list[GenericFit]:
    """Generic families by how well they explain the words' ink widths, best first.

    Robust to a misread word or two ("Bio" for a smudge, a bold header): the
    families are compared by median deviation of the per-word scales, and the
    scale is fitted to the words within 20% of their median. The scale is the
    least-squares slope through the origin (Σ printed × table / Σ table²): long
    words weigh more, and rightly so, since a word's two blurred ink edges are a
    smaller share of a long word's width (a plain ratio of sums ran 0.4% small
    on thin-serif Times, 0.2 pt over a name).
    """
    usable = usable_words(line)
    fits = []
    for family in _FAMILIES:
        pairs = [(w.box.width, b) for w in usable if (b := ink_width(family, w.text)) > 0]
        if not pairs:
            continue
        middle = statistics.median(a / b for a, b in pairs)
        kept = [(a, b) for a, b in pairs if abs(a / b / middle - 1) < 0.2] or pairs
        scale = sum(a * b for a, b in kept) / sum(b * b for _, b in kept)
        spread = _pstdev([a / b / scale for a, b in kept]) if len(kept) > 1 else 0.1
        # With fewer than 3 words no family is told apart: keep the table order.
        misfit = statistics.median(abs(a / b / middle - 1) for a, b in pairs)
        fits.append(GenericFit(family, scale, spread, misfit if len(pairs) >= 3 else 1.0))
    return sorted(fits, key=lambda f: f.misfit)


def _pstdev(values: Sequence[float]) -> float:
    """Population standard deviation in floats (``statistics.pstdev`` is exact, and slow)."""
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


def drop_oversized(words: Sequence[LineWord], box: Box) -> list[LineWord]:
    """Words too wide for any font the box could hide (a table rule read as "[annual"):
    a box covers its text's ascenders to descenders, so that text is at most
    ``_MAX_SIZE_PER_HEIGHT`` box heights in size."""
    limit = _MAX_SIZE_PER_HEIGHT * box.height
    return [w for w in words if (s := size_proxy(w)) is not None and s < limit]


def guess_from_height(box: Box) -> list[GenericFit]:
    """No word to fit: a size from the box's height (≈ 1.2 em), sans or serif alike."""
    size = box.height / 1.2
    return [GenericFit(f, size, 0.15, 1.0) for f in ("sans", "serif")]


def pick_font_words(
    line: Sequence[LineWord], words: Sequence[LineWord], box: Box
) -> list[LineWord]:
    """The box line's own words, or with too few of those (a header line
    "To: [box] (b)(6)"), also the words of the lines just above and below,
    nearest first, of the same height as the line's."""
    own = [w for w in line if not is_label(w.text) and len(w.text) >= 2]
    if len(own) >= MIN_FONT_WORDS:
        return list(line)
    height = statistics.median(w.box.height for w in own) if own else box.height
    reach = _REACH * max(box.height, height)
    near = [
        w
        for w in words
        if w not in line
        and not is_label(w.text)
        and len(w.text) >= 2
        and abs(w.box.center[1] - box.center[1]) < reach
        and 0.6 * height < w.box.height < 1.6 * height
    ]
    near.sort(key=lambda w: abs(w.box.center[1] - box.center[1]))
    return [*line, *near[:_NEAR_FONT_WORDS]]


def size_proxy(word: LineWord) -> float | None:
    """The word's size measured in one reference table (sans ink widths): not its true
    size in another family, but the same bias for every word of that family, so
    words of one font and size agree on it."""
    table = ink_width("sans", word.text)
    return word.box.width / table if table > 0 else None


def pick_body_words(seed: Sequence[LineWord], words: Sequence[LineWord]) -> list[LineWord]:
    """``seed`` (the box line's font words) and every other usable page word of the
    seed's size: the page's body text, when the box sits in it.

    A heading or a footer in another size stays out (outside ``_SIZE_WINDOW``);
    a page whose lines are all one size calibrates on all of them.
    """
    sizes = [s for w in usable_words(seed) if (s := size_proxy(w)) is not None]
    if not sizes:
        return list(seed)
    centre, mine = statistics.median(sizes), set(seed)
    extra = [
        w
        for w in usable_words(words)
        if w not in mine and (s := size_proxy(w)) is not None and abs(s / centre - 1) < _SIZE_WINDOW
    ]
    return [*seed, *extra]


def fit_page_font(
    seed: Sequence[LineWord], words: Sequence[LineWord], box: Box
) -> tuple[list[GenericFit], list[LineWord]]:
    """Generic fits for the box's line, best first, and the body words they were fitted
    to (``seed`` and the page's words of its size and font)."""
    near = [w for w in words if abs(w.box.center[1] - box.center[1]) < _REACH * box.height]
    body = pick_body_words(seed, near)
    family = choose_family(seed, body, box)
    if family is None:
        return [], body
    body = drop_other_fonts(seed, body, words, family)
    body = agree_with_seed(seed, body, family, box)
    fits = rank_generic(drop_oversized(body, box))
    return sorted(fits, key=lambda f: f.family != family), body


def agree_with_seed(
    seed: Sequence[LineWord], body: Sequence[LineWord], family: str, box: Box
) -> list[LineWord]:
    """``body`` words whose size in ``family`` is within ``_SEED_AGREE`` of the seed's
    own fitted size: a page's other font of a similar size (an email's Times body
    under its Helvetica header) stays out even where its lines are too short or too
    blurred to show their family."""
    own = next((f for f in rank_generic(drop_oversized(seed, box)) if f.family == family), None)
    if own is None:
        return list(body)
    mine = set(seed)
    return [
        w
        for w in body
        if w in mine
        or (
            (b := ink_width(family, w.text)) > 0
            and abs(w.box.width / b / own.scale - 1) < _SEED_AGREE
        )
    ]


def choose_family(seed: Sequence[LineWord], body: Sequence[LineWord], box: Box) -> str | None:
    """The family of the box's line: the page's body words', unless the line's own
    words (three or more) clearly prefer another (a typed form entry on a printed
    page)."""
    page = rank_generic(drop_oversized(body, box))
    own = rank_generic(drop_oversized(seed, box))
    if not page or not own or len(usable_words(seed)) < MIN_FONT_WORDS:
        return (page or own)[0].family if page or own else None
    return own[0].family if clearly_other(own, page[0].family) else page[0].family


def clearly_other(fits: Sequence[GenericFit], family: str) -> bool:
    """Words whose best family fits them more than twice as well as ``family`` does."""
    theirs = next(f for f in fits if f.family == family)
    return fits[0].family != family and theirs.misfit > 2.0 * max(fits[0].misfit, 0.01)


def drop_other_fonts(
    seed: Sequence[LineWord], body: Sequence[LineWord], words: Sequence[LineWord], family: str
) -> list[LineWord]:
    """``body`` without the lines of ``words`` set in another family at a similar size
    (an email's Times body under its Helvetica header: Times words read as
    Helvetica look 10% small and pass the size window, then spoil the scale and
    the spacing). A line is judged on all its words, and only with
    ``_LINE_FONT_WORDS`` or more; shorter lines stay."""
    mine, chosen = set(seed), set(body)
    kept = list(seed)
    for row in group_lines(words):
        fits = rank_generic(row) if len(usable_words(row)) >= _LINE_FONT_WORDS else []
        if not (fits and clearly_other(fits, family)):
            kept += [w for w in row if w in chosen and w not in mine]
    return kept


def split_runs(line: Sequence[LineWord], fallback: float, box: Box | None) -> list[list[LineWord]]:
    """A line's words cut into runs joined by single spaces: cut at a gap that is no
    space (a box, a column, a tab), at a label, and across ``box``."""
    runs: list[list[LineWord]] = []
    for w in line:
        if is_label(w.text):
            runs.append([])
            continue
        if runs and runs[-1]:
            a = runs[-1][-1]
            gap = w.box.x0 - a.box.x1
            across = box is not None and a.box.x1 <= box.center[0] <= w.box.x0
            if not across and 0.3 * fallback < gap < 3.0 * fallback:
                runs[-1].append(w)
                continue
        runs.append([w])
    return [r for r in runs if len(r) >= 2]


def run_spaces(
    line: Sequence[LineWord], base: FontMeasure, scale: float, fallback: float, box: Box | None
) -> list[tuple[float, int]]:
    """(space width, number of spaces) of each run of words on an advance-box line.

    The run's extent less its words' widths in the fitted font, shared among its
    spaces: inner words' blurred ink edges do not enter, only the run's two ends.
    """
    out = []
    for run in split_runs(line, fallback, box):
        words = sum(scale * base.width(w.text) for w in run)
        space = (run[-1].box.x1 - run[0].box.x0 - words) / (len(run) - 1)
        if 0.3 * fallback < space < 3.0 * fallback:
            out.append((space, len(run) - 1))
    return out


def group_lines(words: Sequence[LineWord]) -> list[list[LineWord]]:
    """Words grouped into text lines (half their height overlapping), left to right."""
    return [list(row) for row in _group_cached(tuple(words))]


@functools.lru_cache(maxsize=64)
def _group_cached(words: tuple[LineWord, ...]) -> tuple[tuple[LineWord, ...], ...]:
    rows: list[list[LineWord]] = []
    for w in sorted(words, key=lambda w: w.box.center[1]):
        row = next((r for r in rows if w.box.vertical_overlap(r[0].box) >= 0.5), None)
        if row is None:
            rows.append([w])
        else:
            row.append(w)
    return tuple(tuple(sorted(r, key=lambda w: w.box.x0)) for r in rows)


def pool_spaces(values: Sequence[tuple[float, int]], fallback: float) -> float:
    """The page's space width: the mean over its runs, each weighed by its number of
    spaces, of the runs within a fifth of a space of their median (a misread word
    in a run, a justified line, does not pull it)."""
    middle = statistics.median(v for v, k in values for _ in range(k))
    near = [(v, k) for v, k in values if abs(v - middle) < 0.2 * fallback]
    return weighted_mean(near or values)


def fit_space(
    line: Sequence[LineWord],
    others: Sequence[Sequence[LineWord]],
    base: FontMeasure,
    scale: float,
    box: Box,
) -> float:
    """The space width on the box's line (advance boxes throughout), points.

    Left-aligned text spaces every line alike: the page's runs give a value far
    less noisy than the two or three gaps of one line. Justified text stretches
    a line's spaces, commonly by a quarter or more, and then both the line's runs
    and its plain gaps show it. Each alone misleads: a run's value needs its words
    read right ("-" read as "-—" makes them too wide), a gap's needs its two ink
    edges (an "e" or a serif lost moves a single gap by ~10%). So the line's value
    is whichever of the two lies nearer the page's; more than ``_JUSTIFIED`` of a
    space off, it is the line's own; below ``_SAME_SPACE``, noise; blended between.
    """
    fallback = base.width(" ") * scale
    gaps = line_gaps(line, fallback, box)
    page_runs = [r for other in others for r in run_spaces(other, base, scale, fallback, None)]
    own_runs = run_spaces(line, base, scale, fallback, box)
    if not page_runs and not own_runs:
        return statistics.median(gaps) if gaps else fallback
    page = pool_spaces([*page_runs, *own_runs], fallback)
    page_gaps = [g for other in others for g in line_gaps(other, fallback, None)] + gaps
    if page_gaps and abs(statistics.median(page_gaps) / page - 1) > _SCALE_DOUBT:
        # Runs lean on the fitted size (their words' widths), plain gaps do not:
        # far apart, the size is off (a degraded scan's bleed or blur changes every
        # word's width by 1-3%) and the gaps are used.
        page = statistics.median(page_gaps)
    readings = [statistics.median(gaps)] if gaps else []
    readings += [weighted_mean(own_runs)] if own_runs else []
    if not readings:
        return page
    mine = min(readings, key=lambda v: abs(v - page))
    off = abs(mine / page - 1)
    weight = min(1.0, max(0.0, (off - _SAME_SPACE) / (_JUSTIFIED - _SAME_SPACE)))
    return weight * mine + (1 - weight) * page


def line_gaps(line: Sequence[LineWord], fallback: float, box: Box | None) -> list[float]:
    """The gaps between neighbouring words of the box's line that are one space wide
    (not across the box, not a tab or a column's edge, not at a label)."""
    return [
        gap
        for run in split_runs(line, fallback, box)
        for a, b in itertools.pairwise(run)
        if 0.3 * fallback < (gap := b.box.x0 - a.box.x1) < 3.0 * fallback
    ]


def weighted_mean(values: Sequence[tuple[float, int]]) -> float:
    return sum(v * k for v, k in values) / sum(k for _, k in values)
