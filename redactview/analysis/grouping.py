"""Which boxes are one redaction: a passage withheld over several lines.

Agencies black out a passage one box per line. Two shapes are joined into one
group (the catalog's ``group``: one id, one shared label):

* a paragraph withheld line by line: boxes stacked at one left edge
  (``_continues_paragraph``);
* a passage that starts mid-line: a box from the middle of a line to the end
  of the text column, then a box from the column's left edge on the next line
  (``_continues_midline``). A name broken at a line end ("Maria" / "Delgado")
  is the two-line case.

Geometry is in the view (render pixels turned upright), where lines run
across. Words are the text layer's or OCR's; a scan read without OCR has none,
and then only the paragraph shape is joined, by the boxes alone.
"""

from __future__ import annotations

import dataclasses

from redactview.analysis.context import find_context as context_of
from redactview.analysis.grouping_text import (
    PageText,
    level,
    may_be_line_below,
    printed_words,
    read_page_text,
)
from redactview.analysis.labels import NO_LABEL, Label
from redactview.analysis.labels_summary import is_next_line
from redactview.analysis.page_ocr import SUMMARY_CONFIDENCE
from redactview.analysis.page_state import Candidate, PageState, view_to_page
from redactview.core.model import make_redaction_id


def group_lines(state: PageState) -> None:
    """Join each box to the redaction whose last line it continues, if any."""
    boxes = [c.view for c in state.candidates]
    label_words = [w for c in state.candidates for w in c.label.words]
    words = printed_words(state.words)
    text = read_page_text(state.words, label_words, boxes)
    # Boxes in reading order with the page's tilt taken out: fed 3 degrees askew, a
    # line's right end lies more than a line lower than its left, and a name
    # broken there ("Maria" ending one line) came after its second part. (The
    # tilt, fitted from the page's words, costs ~2-4 ms a page: not for one box.)
    tilt = text.tilt() if len(state.candidates) > 1 else 0.0
    ordered = sorted(state.candidates, key=lambda c: (level(c.view, tilt).y0, c.view.x0))

    def starts_line(c: Candidate) -> bool:
        return not context_of(c.view, words, skip=label_words, covered=boxes, n=1)[0]

    width = (state.view.pixels if state.view is not None else state.render.pixels).shape[1]
    groups: list[list[Candidate]] = []
    last: list[Candidate] = []  # the group the previous box in reading order went to

    def next_paragraph_line(c: Candidate) -> bool:
        """The paragraph rule, against the previous box in reading order only; a line
        printed between them (a 3 deg scan: a block's first line, then "will be our
        pilot lead.", then a signature's name box) parts them."""
        prev = last[-1].view
        return (
            _continues_paragraph(last[-1], c, width)
            and starts_line(c)
            and not text.has_line_between(prev, c.view, c.view.x0, prev.x1)
        )

    for c in ordered:
        # A passage's next line may come after other boxes on its first line's line:
        # all open groups are tried.
        group = last if last and next_paragraph_line(c) else _midline_group(groups, c, text)
        if group is None:
            group = []
            groups.append(group)
        group.append(c)
        last = group
    state.candidates = [m for g in groups for m in _share_group(state, g)]


def _midline_group(
    groups: list[list[Candidate]], c: Candidate, text: PageText
) -> list[Candidate] | None:
    """The latest group whose last box ``c`` continues as a passage's next line."""
    return next((g for g in reversed(groups) if _continues_midline(g[-1], c, text)), None)


def _continues_paragraph(prev: Candidate, c: Candidate, view_width: int) -> bool:
    """Whether ``c`` is the next line of ``prev``'s paragraph, by the boxes alone.

    The lines of a paragraph above its last are full lines, so ``prev`` spans a
    good part of the page: short boxes stacked at one left edge are fields or
    cells (a table's column of prices). The caller also wants ``c`` to start its
    line: words before it make it a field of its own (the "Cc:" address under
    the "To:" one). Without words, as on a scan read without OCR, only the
    boxes decide.
    """
    return (
        prev.kind == c.kind
        and prev.view.width >= 0.25 * view_width
        and is_next_line(prev.view, c.view)
    )


def _continues_midline(prev: Candidate, c: Candidate, text: PageText) -> bool:
    """Whether ``c`` carries on a passage whose first box ``prev`` starts mid-line.

    ``prev`` ends its line: no print after it, and it reaches the column's right
    edge (other lines' ends, less what the next line's first word would have
    needed on ragged text); ``c`` starts the next line at the column's left edge.
    Both sit in running text (the nearest words are a space or two away), which
    parts them from table cells. Words decide: without any, a box at a line's end
    above one at the next line's start is left alone. Two boxes whose codes,
    each read at its own box, differ are two redactions.
    """
    if prev.kind != c.kind or not text.words or c.view.x0 >= prev.view.x0:
        return False
    if not may_be_line_below(prev.view, c.view) or not text.may_continue(prev.view, c.view):
        return False
    column = text.column_around(prev.view, c.view)
    return (
        column is not None
        and text.is_line_below(prev.view, c.view, column)
        and text.ends_column_line(prev.view, c.view, column)
        and text.starts_column_line(c.view, column)
        and not _codes_differ(prev.label, c.label)
    )


def _codes_differ(a: Label, b: Label) -> bool:
    """Both boxes carry a code of their own (not the page's summary), and not the same."""
    own = [lb for lb in (a, b) if lb.found and lb.where != "summary"]
    return len(own) == 2 and set(a.exemptions) != set(b.exemptions)


def _share_group(state: PageState, members: list[Candidate]) -> list[Candidate]:
    if len(members) == 1:
        return members
    first_page_box = view_to_page(state, members[0].view)
    gid = "g" + make_redaction_id(state.task.sha256, state.task.page, first_page_box)[1:]
    label = group_label(members)
    return [take_group_label(dataclasses.replace(m, group=gid), label) for m in members]


def group_label(members: list[Candidate]) -> Label:
    """The label a group's members share: one read at a box beats the page's summary."""
    found = [m.label for m in members if m.label.found]
    return next((lb for lb in found if lb.where != "summary"), found[0] if found else NO_LABEL)


def take_group_label(member: Candidate, label: Label) -> Candidate:
    """A member without a label of its own, or with only the page's summary, takes the
    group's; leaving the summary gives back the confidence the summary cost it."""
    own = member.label
    if own.found and (own.where != "summary" or label.where == "summary"):
        return member
    if own.where == "summary" and label.found:
        confidence = min(1.0, round(member.confidence / SUMMARY_CONFIDENCE, 3))
        return dataclasses.replace(member, label=label, confidence=confidence)
    return dataclasses.replace(member, label=label)
