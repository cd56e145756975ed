"""Scan estimates calibrated on the whole page: font, scale and word spacing.

Generated pages of body text in one font and size, a few names hidden by black
boxes, rasterised at 200 dpi (no text layer) and OCR'd by the real Tesseract.
The true name must rank among the first three of candidates of similar length.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pymupdf
import pytest

from redactview.analysis.fit import fit_candidates
from redactview.analysis.width import LineWord
from redactview.analysis.width_calibrate import fit_generic, fit_space, group_lines
from redactview.analysis.width_ocr import estimate_ocr, to_advance_boxes
from redactview.analysis.width_page import estimate_boxes, estimate_width
from redactview.core.geometry import Box
from redactview.ocr.tesseract import find_tesseract
from redactview.pdf.fonts import generic_measure

without_tesseract = pytest.mark.skipif(find_tesseract() is None, reason="needs tesseract")

PROSE = (
    "The office received the request in writing and assigned it to a case officer.",
    "Records were searched in the main file room and in two regional offices.",
    "Several pages were withheld in part to protect the privacy of third parties.",
    "A copy of the final determination letter was sent to the requester by mail.",
    "The appeal must be filed within ninety days of the date of this letter.",
    "Questions about this response may be directed to the public liaison.",
)
# Names of 11-13 characters: the candidates the true names are ranked among.
NAMES = (
    "Joseph Scott", "William Wu", "Sandra White", "James Adams", "Karen Flores",
    "Susan Harris", "Nancy Baker", "Betty Allen", "Mark Carter", "Emily Baker",
    "Lisa Nguyen", "Paul Okafor", "Linda Adams", "Chris Young", "David Clark",
    "Brian Lewis", "Helen Moore", "Kevin Scott", "Laura Green", "Ryan Hill",
    "Sarah Davis", "Jason Ito", "Amy Roberts", "Omar Rivera", "Ivy Jackson",
    "Raj Thompson", "Ana Sanchez", "Zoe Ramirez", "Li Campbell", "Eric Torres",
)  # fmt: skip


@dataclass(frozen=True)
class Hidden:
    box: Box
    name: str
    width: float  # the name's true width in the page's font, points


def write_page(
    path: Path, font: str, size: float, lines: list[tuple[str, str, str]], stretch: float = 0.0
) -> list[Hidden]:
    """Prose in ``font`` at ``size``, then one line per (before, name, after) with the
    name under a black box; rasterised at 200 dpi into ``path``. ``stretch``: points
    added to every space of the last line (a justified line), the hidden name's too."""
    doc = pymupdf.open()
    page = doc.new_page()

    def length(text: str) -> float:
        return pymupdf.get_text_length(text, fontname=font, fontsize=size)

    y, hidden = 72.0, []
    for text in PROSE:
        page.insert_text((72, y), text, fontname=font, fontsize=size)
        y += 1.6 * size
    for i, (before, name, after) in enumerate(lines):
        extra = stretch if i == len(lines) - 1 else 0.0
        x, spans = 72.0, []
        for word in f"{before} {name} {after}".split():
            page.insert_text((x, y), word, fontname=font, fontsize=size)
            spans.append((x, x + length(word)))
            x += length(word + " ") + extra
        first = len(before.split())
        x0, x1 = spans[first][0], spans[first + len(name.split()) - 1][1]
        rect = pymupdf.Rect(x0 - 0.5, y - 0.9 * size, x1 + 0.5, y + 0.25 * size)
        page.draw_rect(rect, fill=(0, 0, 0), color=None)
        hidden.append(Hidden(Box(rect.x0, rect.y0, rect.x1, rect.y1), name, x1 - x0))
        y += 1.6 * size
    scan = pymupdf.open()
    out = scan.new_page()
    out.insert_image(out.rect, pixmap=page.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY))
    scan.save(path)
    return hidden


def ranks_on(path: Path, hidden: list[Hidden]) -> list[tuple[int, str, float]]:
    """(rank of the true name, fitted font, hidden width error in points) per box."""
    with pymupdf.open(path) as doc:
        fits = estimate_boxes(doc[0], [h.box for h in hidden])
    out = []
    for h, fit in zip(hidden, fits, strict=True):
        assert fit is not None
        ranked = fit_candidates(fit, NAMES)
        mine = next(c for c in ranked if c.text == h.name)
        out.append((mine.rank, fit.estimate.font, fit.estimate.hidden_width - h.width))
    return out


# Lines as FOIA memos have them: a label word, the box, a few words after.
MEMO_LINES = [
    ("Witness", "Joseph Scott", "stated that"),
    ("Cc:", "William Wu", "stated that"),
    ("Contact", "James Adams", "(see attached)."),
    ("Signed by", "Karen Flores", "and the supervisor."),
]


@pytest.mark.tesseract
@without_tesseract
@pytest.mark.parametrize(("font", "family"), [("helv", "generic-sans"), ("tiro", "generic-serif")])
def test_short_line_takes_the_page_font(tmp_path: Path, font: str, family: str) -> None:
    """Three words beside a box ("Cc: [box] stated that") cannot tell Times from
    Helvetica: they picked the wrong family (rank 11 in Helvetica, 26 in Times, of
    30). The page's body text, one font at one size, decides it."""
    hidden = write_page(tmp_path / "page.pdf", font, 9.0, MEMO_LINES)
    for rank, fitted, _error in ranks_on(tmp_path / "page.pdf", hidden):
        assert fitted == family
        assert rank <= 3


@pytest.mark.tesseract
@without_tesseract
def test_page_spacing_and_scale_rank_the_true_name(tmp_path: Path) -> None:
    """The font's scale and the space width from the page's runs of words, not from the
    line's two or three gaps (Times 9 pt: the true name ranked 7th and 4th)."""
    hidden = write_page(tmp_path / "page.pdf", "tiro", 9.0, MEMO_LINES)
    results = ranks_on(tmp_path / "page.pdf", hidden)
    assert all(rank <= 3 for rank, _font, _error in results)
    assert max(abs(error) for _rank, _font, error in results) < 0.5


@pytest.mark.tesseract
@without_tesseract
def test_justified_line_keeps_its_own_spaces(tmp_path: Path) -> None:
    """A justified line stretches its spaces (here by 1.5 pt, over half a space): its
    own runs set them, and the page's left-aligned lines keep theirs (the justified
    line holds most of the page's read spaces: pooled, it set every line's)."""
    lines = [*MEMO_LINES[:3], ("Signed by", "Karen Flores", "and the supervisor today.")]
    hidden = write_page(tmp_path / "page.pdf", "helv", 10.0, lines, stretch=1.5)
    for rank, _font, error in ranks_on(tmp_path / "page.pdf", hidden):
        assert abs(error) < 0.5
        assert rank <= 3


def test_short_words_blurred_edges_do_not_drag_the_scale() -> None:
    """A light scan loses ink at every letter's edge (0.12 pt a side, thin serifs):
    a short word loses a larger share of its width. Weighing words by length keeps
    the fitted size within 1% (a plain ratio of sums: 1.5% small)."""
    serif = generic_measure("serif", ink=True)
    text = "It is up to us to go by the records of an office in the main file room or at the"
    words, x = [], 72.0
    for word in [*text.split(), "regional", "headquarters", "administration"]:
        width = 10.0 * serif.width(word) - 0.24
        words.append(LineWord(Box(x, 100.0, x + width, 107.0), word))
        x += width + 3.0
    family, scale, _spread = fit_generic(words)
    assert family == "serif"
    assert abs(scale - 10.0) < 0.1


def ink_words(texts: list[str], x: float, y: float, family: str, size: float) -> list[LineWord]:
    """Words set at ``x`` on the line at ``y`` as OCR reports them (ink boxes, from the
    real metrics), one ``family`` space apart."""
    adv, ink = generic_measure(family), generic_measure(family, ink=True)
    words = []
    for text in texts:
        lsb = adv.side_bearings(text[0], text[-1])[0] * size
        words.append(LineWord(Box(x + lsb, y, x + lsb + ink.width(text) * size, y + 8), text))
        x += (adv.width(text) + adv.width(" ")) * size
    return words


def test_misread_word_does_not_set_the_line_spacing() -> None:
    """OCR read the dash after the box as "-—": the run "-— no further action." looks
    too wide for its spaces, but its gaps are plain spaces; the line is no justified
    line and keeps the page's spacing (the run's value gave Courier spaces of 4.8 pt
    instead of 7.2, and the hidden width came out 4.8 pt too wide)."""
    size, name = 12.0, "Ashley Brown"
    mono = generic_measure("mono")
    page = [
        w
        for i, line in enumerate(PROSE[:4])
        for w in ink_words(line.split()[:6], 72.0, 100.0 + 20 * i, "mono", size)
    ]
    y = 200.0
    before = ink_words(["Witness"], 72.0, y, "mono", size)
    start = 72.0 + mono.width("Witness ") * size
    box = Box(start - 0.5, y - 2, start + mono.width(name) * size + 0.5, y + 10)
    after_x = start + mono.width(name + " ") * size
    after = ink_words(["-", "no", "further", "action."], after_x, y, "mono", size)
    dash = after[0]
    misread = [LineWord(dash.box, "-—"), *after[1:]]
    fit = estimate_ocr(box, [*page, *before, *misread])
    assert fit is not None
    assert abs(fit.estimate.hidden_width - mono.width(name) * size) < 0.5
    assert fit.estimate.lo <= len(name) <= fit.estimate.hi


FIRST = (
    "Mary", "Margaret", "Ana", "Susan", "Robert", "Thomas", "Linda", "Daniel", "Karen",
    "Joseph", "Nancy", "Steven",
)  # fmt: skip
LAST = (
    "Harris", "Anderson", "Garcia", "Martinez", "Robinson", "Walker", "Thompson", "White",
    "Lewis", "Clark",
)  # fmt: skip


@pytest.mark.tesseract
@without_tesseract
def test_one_box_alone_is_fitted_to_the_lines_around_it(tmp_path: Path) -> None:
    """`fit --bbox` without a case OCRs the page around one box only (its line and
    four box heights above and below, the reach the font is fitted over). Each box
    fitted alone: the hidden width within 0.4 pt, the true name within 0.8 pt and
    among the first five of its similar-length names (rank 4, three tied at -0.46 pt,
    for "Margaret Harris")."""
    lines = [
        ("Call from", "Anthony Fitzgerald", "reported the incident."),
        ("Agent", "Mark Hernandez", "reported the incident."),
        ("Call from", "Margaret Harris", "reported the incident."),
        ("Contact", "Ana Anderson", "will follow up."),
    ]
    hidden = write_page(tmp_path / "page.pdf", "tiro", 10.5, lines)
    names = [f"{first} {last}" for first in FIRST for last in LAST]
    for h in hidden:
        fit = estimate_width(tmp_path / "page.pdf", 1, h.box)
        assert fit is not None
        assert abs(fit.estimate.hidden_width - h.width) < 0.4
        similar = {n for n in names if abs(len(n) - len(h.name)) <= 2} | {h.name}
        mine = next(c for c in fit_candidates(fit, sorted(similar)) if c.text == h.name)
        assert abs(mine.residual) < 0.8
        assert mine.rank <= 5


def page_of(family: str, size: float, top: float, lines: int = 6) -> list[LineWord]:
    """``lines`` lines of prose as OCR'd ink boxes, from ``top`` down."""
    return [
        w
        for i, text in enumerate((PROSE * 2)[:lines])
        for w in ink_words(text.split(), 72.0, top + 1.8 * size * i, family, size)
    ]


def boxed_line(
    family: str, size: float, y: float, before: list[str], name: str, after: list[str]
) -> tuple[list[LineWord], Box]:
    """One OCR'd line with ``name`` hidden by a box, set as a typesetter would."""
    adv = generic_measure(family)
    words = ink_words(before, 72.0, y, family, size)
    start = 72.0 + adv.width(" ".join(before) + " ") * size
    box = Box(start - 0.5, y - 2, start + adv.width(name) * size + 0.5, y + 1.2 * size)
    words += ink_words(after, start + adv.width(name + " ") * size, y, family, size)
    return words, box


def test_heading_in_another_size_keeps_its_own_size() -> None:
    """A 14 pt heading over 10 pt body text: the body calibrates body lines, and a
    box in the heading is measured at the heading's size (words within 15% of its
    line's size), not the body's."""
    body = page_of("sans", 10.0, 200.0)
    heading, box = boxed_line("sans", 14.0, 120.0, ["Memorandum", "for"], "Dana Whitcombe",
                              ["and", "staff", "members"])  # fmt: skip
    fit = estimate_ocr(box, [*heading, *body])
    assert fit is not None and abs(fit.estimate.size - 14.0) < 0.15
    assert (
        abs(fit.estimate.hidden_width - 14.0 * generic_measure("sans").width("Dana Whitcombe"))
        < 0.3
    )


def test_typed_entry_on_a_printed_page_keeps_its_family() -> None:
    """A form printed in Times with a typewritten (Courier) entry line: the line's own
    four words fit Courier far better than the page's family, so they keep it."""
    body = page_of("serif", 10.0, 200.0)
    typed, box = boxed_line("mono", 10.0, 120.0, ["Name", "of", "officer:"], "Dana Whitcombe",
                            ["badge", "4471"])  # fmt: skip
    fit = estimate_ocr(box, [*typed, *body])
    assert fit is not None and fit.estimate.font == "generic-mono"
    assert fit.estimate.lo <= len("Dana Whitcombe") <= fit.estimate.hi


def test_body_in_another_font_does_not_set_the_header_spacing() -> None:
    """An email printout: a Helvetica 10.5 pt header over a Times 11 pt body. Times
    words read in Helvetica's table look about 10% small and pass the size window;
    measured as Helvetica, the body's runs gave the header line spaces of 1.4 pt for
    2.9. Lines that clearly fit another family stay out of the page's calibration."""
    body = page_of("serif", 11.0, 200.0, lines=6)
    header, box = boxed_line("sans", 10.5, 120.0, ["To:"], "Maria Delgado", ["today"])
    date = ["Sent:", "Monday,", "March", "31,", "2025", "6:20", "PM"]
    sent = ink_words(date, 72.0, 140.0, "sans", 10.5)
    fit = estimate_ocr(box, [*header, *sent, *body])
    assert fit is not None and fit.estimate.font == "generic-sans"
    assert abs(fit.estimate.space - 10.5 * generic_measure("sans").width(" ")) < 0.3
    assert (
        abs(fit.estimate.hidden_width - 10.5 * generic_measure("sans").width("Maria Delgado")) < 0.4
    )


def test_bleed_that_widens_every_word_does_not_set_the_spacing() -> None:
    """A dark scan's ink bleeds 0.25 pt past every letter's edge: every word reads 2-3%
    wide, the fitted size with it, and the spaces read 0.4 pt short. The two errors
    cancel in the hidden width, which is measured between the same bled edges."""
    size, bleed = 10.0, 0.25
    words = [
        LineWord(Box(w.box.x0 - bleed, w.box.y0, w.box.x1 + bleed, w.box.y1), w.text)
        for w in page_of("sans", size, 140.0, lines=3)
    ]
    line, box = boxed_line("sans", size, 120.0, ["Report", "filed", "by"], "Dana Whitcombe",
                           ["on", "the", "second", "floor"])  # fmt: skip
    line = [LineWord(Box(w.box.x0 - bleed, w.box.y0, w.box.x1 + bleed, w.box.y1), w.text)
            for w in line]  # fmt: skip
    fit = estimate_ocr(box, [*line, *words])
    assert fit is not None
    sans = generic_measure("sans")
    # Gaps between bled words are a space less twice the bleed: the hidden width,
    # which subtracts two of them from a gap that lost the same, comes out right.
    assert abs(fit.estimate.hidden_width - size * sans.width("Dana Whitcombe")) < 0.4


@pytest.mark.parametrize("scale", [9.7, 10.3, 10.6])
def test_a_size_fitted_wrong_does_not_set_the_spacing(scale: float) -> None:
    """Runs of words give a space as the run's length less its words' widths at the
    fitted size: with the size 3% off (a degraded scan's bleed or blur), a six-word
    run's words are off by more than its five spaces can absorb (2.06 pt for 2.78 at
    +3%). Plain gaps do not depend on the size; far apart, the gaps set the spacing."""
    sans = generic_measure("sans")
    rows = group_lines(page_of("sans", 10.0, 140.0, lines=3))
    line, box = boxed_line("sans", 10.0, 120.0, ["Report", "filed", "by"], "Dana Whitcombe",
                           ["on", "the", "second", "floor"])  # fmt: skip
    space = fit_space(
        to_advance_boxes(line, sans, scale),
        [to_advance_boxes(row, sans, scale) for row in rows],
        sans,
        scale,
        box,
    )
    assert abs(space - 10.0 * sans.width(" ")) < 0.1


@pytest.mark.tesseract
@without_tesseract
@pytest.mark.parametrize("font", ["helv", "tiro"])
def test_one_box_alone_reads_the_lines_around_it(tmp_path: Path, font: str) -> None:
    """An address line ("To: [box]") has one word beside the box: fitted on its own
    band, the font's size stayed loose and the count range spanned 7-8 characters
    (11-19 for a 15-character name). Read with the lines around it, the range spans
    at most 5 and still holds the true count."""
    lines = [("To:", "Margaret Harris", ""), ("Cc:", "Thomas Walker", "")]
    hidden = write_page(tmp_path / "page.pdf", font, 11.0, lines)
    for h in hidden:
        fit = estimate_width(tmp_path / "page.pdf", 1, h.box)
        assert fit is not None
        assert fit.estimate.lo <= len(h.name) <= fit.estimate.hi
        assert fit.estimate.hi - fit.estimate.lo <= 5


def test_bold_field_names_do_not_set_the_header_font() -> None:
    """An e-mail header: field names in Helvetica Bold ("From:", "Sent:"), values in
    Helvetica 10.5. Bold names read wide for their size: fitted with the values, they
    made the header Times 12 pt (the release_a sample's "From: [box]" line). The
    values alone fit Helvetica 10.5."""
    size, y = 10.5, 100.0
    words: list[LineWord] = []
    sent = ["Wednesday,", "January", "22,", "2025", "11:05", "AM"]
    subject = ["RE:", "Northwind", "FaceMatch", "-", "evaluation", "tenant", "for", "HID"]
    fields = [("From:", []), ("Sent:", sent), ("To:", []), ("Subject:", subject)]
    for i, (name, value) in enumerate(fields):
        top = y + 14.0 * i
        bold = pymupdf.get_text_length(name, fontname="hebo", fontsize=size)
        words.append(LineWord(Box(72.0, top, 72.0 + bold, top + 8), name))
        words += ink_words(value, 144.0, top, "sans", size)
    box = Box(143.5, y - 2, 212.0, y + 1.2 * size)
    fit = estimate_ocr(box, words)
    assert fit is not None and fit.estimate.font == "generic-sans"
    assert abs(fit.estimate.size - size) < 0.2
