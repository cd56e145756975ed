"""A redaction that starts mid-line: a box to the end of the line, then boxes from the
start of the next lines, is one redaction (the catalog's group).

Pages are typeset here word by word (Helvetica 11 pt, 14 pt line pitch, a column
from 72 to 540 pt): hidden words are not printed, a black box is drawn over the
run they would fill on each line, as a redaction tool leaves it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pymupdf
import pytest
from test_detect_fixtures import scanned_pdf

from redactview.analysis.pipeline import PageTask, analyze_page
from redactview.core.hashing import sha256_file
from redactview.core.model import Redaction

LEFT, RIGHT = 72.0, 540.0
TOP, LINE, SIZE = 100.0, 14.0, 11.0
FONT = "helv"
PAD = 1.0  # a redaction box reaches this far past its words' ink

PROSE = (
    "The investigators interviewed the regional manager about the contract award and "
    "asked why the evaluation panel had changed its scores after the second round of "
    "bids had closed, and who had asked for the change in the final week before the award."
)


@dataclass
class Typeset:
    """Lines of words placed on a page; ``hidden`` are global word indices."""

    lines: list[list[str]]
    hidden: set[int] = field(default_factory=set)
    justify: bool = True
    left: float = LEFT
    right: float = RIGHT


def split(text: str) -> list[str]:
    return text.split()


def wrap(words: Sequence[str], width: float) -> list[list[str]]:
    """Greedy line breaking, as a word processor sets ragged-right text."""
    space = pymupdf.get_text_length(" ", FONT, SIZE)
    lines: list[list[str]] = [[]]
    used = 0.0
    for word in words:
        w = pymupdf.get_text_length(word, FONT, SIZE)
        if lines[-1] and used + space + w > width:
            lines.append([])
            used = 0.0
        used += (space if lines[-1] else 0.0) + w
        lines[-1].append(word)
    return lines


def typeset(page: pymupdf.Page, text: Typeset, top: float = TOP) -> list[pymupdf.Rect]:
    """Print the lines, drawing a box over each line's run of hidden words; the boxes."""
    boxes = []
    index = 0
    for n, words in enumerate(text.lines):
        base = top + n * LINE
        widths = [pymupdf.get_text_length(w, FONT, SIZE) for w in words]
        space = pymupdf.get_text_length(" ", FONT, SIZE)
        last = n == len(text.lines) - 1
        if text.justify and not last and len(words) > 1:
            space = (text.right - text.left - sum(widths)) / (len(words) - 1)
        x = text.left
        run: list[float] | None = None
        for word, width in zip(words, widths, strict=True):
            if index in text.hidden:
                run = [x, x + width] if run is None else [run[0], x + width]
            else:
                if run is not None:
                    boxes.append(_box(page, run, base))
                    run = None
                page.insert_text((x, base), word, fontname=FONT, fontsize=SIZE)
            x += width + space
            index += 1
        if run is not None:
            boxes.append(_box(page, run, base))
    return boxes


def _box(page: pymupdf.Page, run: list[float], base: float) -> pymupdf.Rect:
    rect = pymupdf.Rect(run[0] - PAD, base - 9.5, run[1] + PAD, base + 2.5)
    page.draw_rect(rect, color=None, fill=(0, 0, 0), width=0)
    return rect


def indices(lines: list[list[str]], first: tuple[int, int], last: tuple[int, int]) -> set[int]:
    """Global indices of the words from (line, word) ``first`` to ``last``, inclusive."""
    starts = [sum(len(line) for line in lines[:n]) for n in range(len(lines))]
    return set(range(starts[first[0]] + first[1], starts[last[0]] + last[1] + 1))


def analyse(path: Path, *, ocr: bool = False) -> list[Redaction]:
    result = analyze_page(PageTask(str(path), 1, sha256_file(path), 150.0, ocr=ocr))
    return sorted(result.redactions, key=lambda r: (r.box.y0, r.box.x0))


def save(tmp_path: Path, name: str, *texts: Typeset) -> tuple[Path, list[pymupdf.Rect]]:
    doc = pymupdf.open()
    page = doc.new_page()
    boxes = []
    top = TOP
    for text in texts:
        boxes += typeset(page, text, top)
        top += LINE * (len(text.lines) + 1)
    doc.save(tmp_path / name)
    return tmp_path / name, boxes


def one_group(found: list[Redaction], n: int) -> bool:
    return (
        len(found) == n
        and found[0].group is not None
        and {r.group for r in found} == {found[0].group}
    )


def passage() -> Typeset:
    """Five justified lines; a sentence hidden from mid-line 2 to mid-line 4."""
    lines = wrap(split(PROSE) * 2, RIGHT - LEFT)
    assert len(lines) >= 5
    return Typeset(lines, indices(lines, (1, 4), (3, 5)))


def test_a_passage_starting_mid_line_over_three_lines_is_one_group(tmp_path: Path) -> None:
    path, drawn = save(tmp_path, "p.pdf", passage())
    assert len(drawn) == 3
    found = analyse(path)
    assert one_group(found, 3)


def broken_name(justify: bool) -> Typeset:
    """'Maria' ends line 1, 'Delgado' starts line 2: the column is set so that
    'Delgado' does not fit after 'Maria' (greedy breaking puts it on line 2)."""
    head = split("The complaint was filed on behalf of the employee by her colleague Maria")
    words = [*head, "Delgado", *split("who had worked in the records unit since the merger")]
    space = pymupdf.get_text_length(" ", FONT, SIZE)
    first = sum(pymupdf.get_text_length(w, FONT, SIZE) for w in head) + space * (len(head) - 1)
    width = first + 0.6 * pymupdf.get_text_length(" Delgado", FONT, SIZE)
    lines = wrap(words + split(PROSE), width)
    assert lines[0][-1] == "Maria" and lines[1][0] == "Delgado"
    hidden = indices(lines, (0, len(lines[0]) - 1), (1, 0))
    return Typeset(lines[:4], hidden, justify=justify, right=LEFT + width)


def test_a_name_broken_at_a_line_end_is_one_group(tmp_path: Path) -> None:
    path, drawn = save(tmp_path, "n.pdf", broken_name(justify=True))
    assert len(drawn) == 2
    found = analyse(path)
    assert one_group(found, 2)


def test_a_name_broken_on_ragged_right_text_is_one_group(tmp_path: Path) -> None:
    """Ragged right: line 1 ends where 'Maria' ends, short of the longest line's end,
    because 'Delgado' did not fit after it."""
    text = broken_name(justify=False)
    path, drawn = save(tmp_path, "r.pdf", text)
    assert drawn[0].x1 < text.right - 5  # the line is short of the column's edge
    found = analyse(path)
    assert one_group(found, 2)


def test_a_ragged_line_ending_far_short_of_the_column_is_not_continued(tmp_path: Path) -> None:
    """A short line (a paragraph's last) ending with a box, above a line starting with
    one: the next line's first word would have fitted, so the line did not break there."""
    lines = [
        split("The panel met twice in March to review the scores of every bid received."),
        split("The second meeting was chaired by Thompson"),
        split("Rivera then wrote to the contractor about the decision of the panel."),
    ]
    hidden = {len(lines[0]) + len(lines[1]) - 1, len(lines[0]) + len(lines[1])}
    path, drawn = save(tmp_path, "s.pdf", Typeset(lines, hidden, justify=False))
    assert len(drawn) == 2
    found = analyse(path)
    assert len(found) == 2 and [r.group for r in found] == [None, None]


def draw_broken_name(page: pymupdf.Page) -> None:
    typeset(page, broken_name(justify=True))


def draw_passage(page: pymupdf.Page) -> None:
    typeset(page, passage())


@pytest.mark.parametrize(("draw", "boxes"), [(draw_broken_name, 2), (draw_passage, 3)])
def test_on_a_scan_read_with_ocr_it_is_one_group(
    tmp_path: Path, draw: Callable[[pymupdf.Page], None], boxes: int
) -> None:
    path = scanned_pdf(draw, tmp_path / "scan.pdf")
    found = analyse(path, ocr=True)
    assert one_group(found, boxes)


def test_without_words_a_line_end_box_is_not_joined_to_the_next_line(tmp_path: Path) -> None:
    """A scan read without OCR: the boxes alone cannot tell a broken name from two names."""
    path = scanned_pdf(draw_broken_name, tmp_path / "scan.pdf")
    found = analyse(path, ocr=False)
    assert len(found) == 2 and [r.group for r in found] == [None, None]


def name_with_codes(tmp_path: Path, first: str, second: str) -> list[Redaction]:
    """The broken name, with ``first`` printed in the margin beside 'Maria''s box and
    ``second`` (if any) printed small right after 'Delgado''s, in the line's text."""
    text = broken_name(justify=True)
    doc = pymupdf.open()
    page = doc.new_page()
    drawn = typeset(page, text)
    page.insert_text((text.right + 16, TOP), first, fontname=FONT, fontsize=8)
    if second:
        page.insert_text((drawn[1].x1 + 2, TOP + LINE), second, fontname=FONT, fontsize=8)
    doc.save(tmp_path / "c.pdf")
    return analyse(tmp_path / "c.pdf")


def test_a_code_in_the_margin_beside_the_first_part_labels_the_whole_name(
    tmp_path: Path,
) -> None:
    found = name_with_codes(tmp_path, "(b)(6)", "")
    assert one_group(found, 2)
    assert [r.exemptions for r in found] == [("(b)(6)",), ("(b)(6)",)]


def test_the_same_code_beside_both_parts_still_joins_them(tmp_path: Path) -> None:
    assert one_group(name_with_codes(tmp_path, "(b)(6)", "(b)(6)"), 2)


def test_two_names_with_different_codes_stay_apart(tmp_path: Path) -> None:
    """A name at the end of one line and another at the start of the next, each with
    its own code: two redactions, whatever their boxes look like."""
    found = name_with_codes(tmp_path, "(b)(6)", "(b)(7)(C)")
    assert len(found) == 2 and [r.group for r in found] == [None, None]
    assert [r.exemptions for r in found] == [("(b)(6)",), ("(b)(7)(C)",)]


def draw_margin_codes(first: str, second: str) -> Callable[[pymupdf.Page], None]:
    """The broken name, with ``first`` in the right margin beside 'Maria''s box and
    ``second`` in the left margin beside 'Delgado''s, as an agency stamps them."""

    def draw(page: pymupdf.Page) -> None:
        text = broken_name(justify=True)
        typeset(page, text)
        page.insert_text((text.right + 16, TOP), first, fontname=FONT, fontsize=8)
        page.insert_text((LEFT - 50, TOP + LINE), second, fontname=FONT, fontsize=8)

    return draw


@pytest.mark.parametrize("skew", [None, 0.0, 2.0, -3.0])
def test_two_names_with_their_codes_in_both_margins_stay_apart(
    tmp_path: Path, skew: float | None
) -> None:
    """Born-digital (None) and scanned: the left margin's code is the second box's
    label ("left"), so the two differ. Before it was read, the second box had no
    code, and on a scan fed askew the two names were joined as one."""
    draw = draw_margin_codes("(b)(6)", "(b)(7)(C)")
    if skew is None:
        doc = pymupdf.open()
        draw(doc.new_page())
        doc.save(tmp_path / "m.pdf")
        found = analyse(tmp_path / "m.pdf")
    else:
        found = analyse(scanned_pdf(draw, tmp_path / "m.pdf", skew=skew), ocr=True)
    maria, delgado = sorted(found, key=lambda r: -r.box.x0)  # -3 deg: 'Delgado' is higher
    assert len(found) == 2 and [r.group for r in found] == [None, None]
    assert (maria.label_position, delgado.label_position) == ("right", "left")
    assert (maria.exemptions, delgado.exemptions) == (("(b)(6)",), ("(b)(7)(C)",))


def test_the_same_code_in_both_margins_still_joins_the_name(tmp_path: Path) -> None:
    path = scanned_pdf(draw_margin_codes("(b)(6)", "(b)(6)"), tmp_path / "m.pdf", skew=2.0)
    found = analyse(path, ocr=True)
    assert one_group(found, 2)
    assert [r.exemptions for r in found] == [("(b)(6)",), ("(b)(6)",)]


def test_a_code_printed_after_the_box_in_the_line_closes_the_redaction(tmp_path: Path) -> None:
    """'... colleague ███ (b)(6)' ends the line: the code is in the text column, after the
    box, so the box's redaction ends there; the box under it is another one."""
    head = split("The complaint was filed on behalf of the employee by her colleague Maria")
    lines = [
        [*head, "(b)(6)"],
        split("Delgado who had worked in the records unit since the merger in the spring"),
        split(PROSE)[:14],
        split(PROSE)[14:28],
    ]
    hidden = {len(head) - 1, len(head) + 1}
    path, drawn = save(tmp_path, "i.pdf", Typeset(lines, hidden))
    assert len(drawn) == 2
    found = analyse(path)
    assert len(found) == 2 and [r.group for r in found] == [None, None]


def test_a_table_cell_above_the_next_rows_first_cell_is_not_continued(tmp_path: Path) -> None:
    """A price list: the last column's cell withheld on one row, the first column's on
    the next. Both boxes sit at the table's edges, but a column gap, not a space,
    parts each from its row's other cells."""
    doc = pymupdf.open()
    page = doc.new_page()
    cols = (72.0, 240.0, 420.0)
    rows = [
        ("Contractor", "Service", "Amount"),
        ("Northfield Logistics", "Freight handling", None),
        (None, "Warehouse leasing", "$48,250.00"),
        ("Harbor Point Supply", "Office equipment", "$12,900.00"),
    ]
    for n, row in enumerate(rows):
        base = TOP + n * LINE
        for x, cell in zip(cols, row, strict=True):
            if cell is None:
                page.draw_rect(pymupdf.Rect(x - 1, base - 9.5, x + 120, base + 2.5), fill=(0, 0, 0))
            else:
                page.insert_text((x, base), cell, fontname=FONT, fontsize=SIZE)
    doc.save(tmp_path / "t.pdf")
    found = analyse(tmp_path / "t.pdf")
    assert len(found) == 2 and [r.group for r in found] == [None, None]


@pytest.mark.parametrize("skew", [-3.0, -2.0, 3.0])
def test_a_name_broken_on_a_scan_fed_askew_is_one_group(tmp_path: Path, skew: float) -> None:
    """Fed 2 degrees askew, a line falls by more than half a line across the column:
    'Delgado' at the left end of line 2 sits barely lower than 'Maria' at the right end
    of line 1. The step between lines is taken along the lines' tilt. At -3 degrees
    'Delgado' sits higher than 'Maria': the boxes are put in reading order with the
    tilt taken out."""
    path = scanned_pdf(draw_broken_name, tmp_path / "skew.pdf", skew=skew)
    found = analyse(path, ocr=True)
    assert one_group(found, 2)


@pytest.mark.parametrize("skew", [-3.0, -2.0, 1.0, 1.5, 3.0])
def test_a_passage_on_a_scan_fed_askew_is_one_group(tmp_path: Path, skew: float) -> None:
    """Fed askew, each long box's upright bbox reaches into the next line. Painted
    whole before the lines were read, the second box's bbox cut the words before
    the first box in half, and the passage fell apart at +1 to +1.5 and at 3
    degrees: a tilted box is painted out as its own rectangle (``blank_box_shapes``)."""
    path = scanned_pdf(draw_passage, tmp_path / "skew.pdf", skew=skew)
    found = analyse(path, ocr=True)
    assert one_group(found, 3)


def test_a_box_two_lines_below_a_line_end_box_is_not_continued(tmp_path: Path) -> None:
    """As on release_b page 6: '... Agent ███' ends a ragged line, 'will be our pilot
    lead.' is the next line, and a signature's name box starts the line after it."""
    lines = [
        split("For internal planning, the pilot will run in two field offices. Agent Whitfield"),
        split("will be our pilot lead."),
        split("Maria Delgado, Section Chief"),
    ]
    hidden = {len(lines[0]) - 1, len(lines[0]) + len(lines[1]), len(lines[0]) + len(lines[1]) + 1}
    path, drawn = save(tmp_path, "g.pdf", Typeset(lines, hidden, justify=False))
    assert len(drawn) == 2
    found = analyse(path)
    assert len(found) == 2 and [r.group for r in found] == [None, None]


def test_a_name_broken_in_each_column_of_a_two_column_page(tmp_path: Path) -> None:
    """Two columns of 220 pt with a 28 pt gutter, a name broken at a line end in each:
    each column's line end continues at the start of its own column's next line, not
    at the start of the other column's."""
    doc = pymupdf.open()
    page = doc.new_page()
    for left in (72.0, 320.0):
        lines = wrap(split(PROSE), 220)
        hidden = indices(lines, (1, len(lines[1]) - 1), (2, 0))
        typeset(page, Typeset(lines[:5], hidden, left=left, right=left + 220))
    doc.save(tmp_path / "two.pdf")
    found = sorted(analyse(tmp_path / "two.pdf"), key=lambda r: r.box.x0 > 300)
    assert len(found) == 4
    left_column, right_column = found[:2], found[2:]
    assert one_group(left_column, 2) and one_group(right_column, 2)
    assert left_column[0].group != right_column[0].group


def test_a_code_right_after_the_box_on_the_longest_line_closes_it(tmp_path: Path) -> None:
    """A signature block (release_a page 3 on a noisy scan): 'Mobile: ███ (b)(6)' is its
    longest line, so the code sticks out past the other lines' ends like a margin code,
    yet it is printed a space after the box. The e-mail address box starting the next
    line, with the same code, is another redaction."""
    lines = [
        split("Derek Ashworth, Account Manager"),
        split("Office: (703) 555-0100 Mobile: (571) 555-0187 (b)(6)"),
        split("derek.ashworth@northwind.example (b)(6)"),
        split("1200 Harbor Way, Arlington, VA 22201"),
    ]
    hidden = indices(lines, (1, 4), (1, 5)) | indices(lines, (2, 0), (2, 0))
    path, drawn = save(tmp_path, "sig.pdf", Typeset(lines, hidden, justify=False))
    assert len(drawn) == 2
    ends = [pymupdf.get_text_length(" ".join(line), FONT, SIZE) for line in lines]
    assert ends[1] == max(ends)  # the code after the box ends the longest line
    found = analyse(path)
    assert len(found) == 2 and [r.exemptions for r in found] == [("(b)(6)",), ("(b)(6)",)]
    assert [r.group for r in found] == [None, None]
