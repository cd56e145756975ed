"""The per-page analysis step that runs in worker processes.

``analyze_page(PageTask) -> PageResult``. The task is small and picklable and
names the PDF by path; the worker opens its own document (PyMuPDF handles are
never shared). The page goes through verb-named steps, each taking and
returning the page's state, so later work (the leak check filling
``text_under``, the width estimate filling ``est_chars``) is one more step
appended to ``STEPS``:

    render_and_read → find_vector_boxes → find_dark_boxes → orient_content
    → read_words_near_boxes → attach_labels → group_lines → find_context
"""

from __future__ import annotations

import dataclasses
import itertools
import statistics
import time

import cv2

from redactview.analysis import detect_bordered, detect_raster, detect_vector, labels
from redactview.analysis.context import find_context as context_of
from redactview.analysis.labels import NO_LABEL, Label, ViewWord
from redactview.analysis.labels_summary import is_next_line
from redactview.analysis.leaks import fill_text_under
from redactview.analysis.page_ocr import (
    SUMMARY_CONFIDENCE,
    attach_labels,
    find_withheld_page,
    pick_readable_turn,
    read_words_near_boxes,
)
from redactview.analysis.page_state import (
    DEFAULT_DPI,
    Candidate,
    PageResult,
    PageState,
    PageTask,
    Step,
    page_to_view,
    view_to_page,
)
from redactview.analysis.page_width import fill_est_chars
from redactview.analysis.view import make_view
from redactview.core.geometry import Box
from redactview.core.model import Redaction, RedactionKind, TextStatus, make_redaction_id
from redactview.errors import OcrUnavailableError
from redactview.pdf import drawings
from redactview.pdf.document import load_page, opened_pdf
from redactview.pdf.held import PdfDocument
from redactview.pdf.render import render_page
from redactview.pdf.textlayer import classify_text_layer, extract_words, measure_text_layer

# Workers and callers import the task and result from here.
__all__ = [
    "DEFAULT_DPI",
    "PageResult",
    "PageTask",
    "analyze_open_page",
    "analyze_page",
    "use_one_thread",
]


def find_vector_boxes(state: PageState) -> None:
    page = state.page
    page_box = drawings.read_page_box(page)
    found = detect_vector.find_vector_boxes(
        page_box,
        drawings.read_filled_shapes(page),
        drawings.read_annotations(page),
        drawings.read_solid_images(page),
        drawings.read_text_spans(page),
    )
    for v in found:
        state.candidates.append(
            Candidate(
                page_to_view(state, v.box),
                v.kind,
                v.fill,
                v.confidence,
                bool(v.printed),
                v.needs_label,
                v.printed,
            )
        )


def find_dark_boxes(state: PageState) -> None:
    gray, dpi = state.render.pixels, state.render.dpi
    found = detect_raster.find_dark_boxes(gray, dpi) + detect_bordered.find_bordered_boxes(
        gray, dpi
    )
    vectors = [c.view for c in state.candidates]  # view == render space at this point
    images = [page_to_view(state, b) for b in drawings.read_image_boxes(state.page)]
    for px in found:
        box = Box(px.x0, px.y0, px.x1, px.y1)
        if not any(box.coverage_by(i) > 0.5 for i in images):
            continue  # drawn in the content (a banner, a header bar): vector's business
        if any(box.iou(v) > 0.5 or box.coverage_by(v) > 0.8 for v in vectors):
            continue  # a vector box over the scan: count it once, as vector
        state.candidates.append(
            Candidate(
                box, RedactionKind.RASTER, px.fill, px.confidence, px.inner_ink, px.needs_label
            )
        )


def orient_content(state: PageState) -> None:
    """Turn content printed sideways on the sheet (no /Rotate) so that lines run across."""
    if state.text_words:
        turns = text_turn(state)
    else:
        turns = detect_bordered.find_content_turn([c.view for c in state.candidates])
        if turns and state.ocr_ok:
            turns = pick_readable_turn(state, turns)
    state.view = make_view(state.render.pixels, turns)
    state.candidates = [
        dataclasses.replace(c, view=state.view.to_view(c.view)) for c in state.candidates
    ]


def text_turn(state: PageState) -> int:
    """Quarter turns that make the text layer's lines run left to right on screen."""
    boxes = [page_to_view(state, w.box) for w in state.text_words if len(w.text) >= 3]
    tall = sum(1 for b in boxes if b.height > b.width)
    if len(boxes) < 3 or tall < 0.6 * len(boxes):
        return 0
    words = [page_to_view(state, w.box) for w in state.text_words]
    down = sum(1 for a, b in itertools.pairwise(words) if b.y0 > a.y0)
    # Reading downwards: a counter-clockwise turn makes "down" point right.
    return 1 if down >= len(words) / 2 else 3


def group_lines(state: PageState) -> None:
    """Boxes stacked line under line with the same left edge are one redaction
    when they are a paragraph withheld line by line (see ``_continues_paragraph``)."""
    ordered = sorted(state.candidates, key=lambda c: (c.view.y0, c.view.x0))
    boxes = [c.view for c in ordered]
    label_words = [w for c in ordered for w in c.label.words]
    words = _printed_words(state.words)

    def starts_line(box: Box) -> bool:
        return not context_of(box, words, skip=label_words, covered=boxes, n=1)[0]

    width = (state.view.pixels if state.view is not None else state.render.pixels).shape[1]
    groups: list[list[Candidate]] = []
    for c in ordered:
        prev = groups[-1][-1] if groups else None
        if prev and _continues_paragraph(prev, c, width) and starts_line(c.view):
            groups[-1].append(c)
        else:
            groups.append([c])
    state.candidates = [m for g in groups for m in _share_group(state, g)]


def _printed_words(words: list[ViewWord]) -> list[ViewWord]:
    """The words that are print: with a letter or digit, and at least half as tall as
    the page's median word. On a photocopied scan OCR reads toner dust in the margin
    as "co" or "es" a point high, which would pass for a field name before a box."""
    texts = [w for w in words if any(ch.isalnum() for ch in w.text)]
    if not texts:
        return []
    least = 0.5 * statistics.median(w.box.height for w in texts)
    return [w for w in texts if w.box.height >= least]


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


def _share_group(state: PageState, members: list[Candidate]) -> list[Candidate]:
    if len(members) == 1:
        return members
    first_page_box = view_to_page(state, members[0].view)
    gid = "g" + make_redaction_id(state.task.sha256, state.task.page, first_page_box)[1:]
    label = _group_label(members)
    return [_take_group_label(dataclasses.replace(m, group=gid), label) for m in members]


def _group_label(members: list[Candidate]) -> Label:
    """The label a group's members share: one read at a box beats the page's summary."""
    found = [m.label for m in members if m.label.found]
    return next((lb for lb in found if lb.where != "summary"), found[0] if found else NO_LABEL)


def _take_group_label(member: Candidate, label: Label) -> Candidate:
    """A member without a label of its own, or with only the page's summary, takes the
    group's; leaving the summary gives back the confidence the summary cost it."""
    own = member.label
    if own.found and (own.where != "summary" or label.where == "summary"):
        return member
    if own.where == "summary" and label.found:
        confidence = min(1.0, round(member.confidence / SUMMARY_CONFIDENCE, 3))
        return dataclasses.replace(member, label=label, confidence=confidence)
    return dataclasses.replace(member, label=label)


def find_context(state: PageState) -> None:
    boxes = [c.view for c in state.candidates]
    label_words = [w for c in state.candidates for w in c.label.words]
    state.candidates = [
        dataclasses.replace(
            c, context=context_of(c.view, state.words, skip=label_words, covered=boxes)
        )
        for c in state.candidates
    ]


STEPS: list[tuple[str, Step]] = [
    ("vector", find_vector_boxes),
    ("raster", find_dark_boxes),
    ("withheld", find_withheld_page),
    ("orient", orient_content),
    ("words", read_words_near_boxes),
    ("labels", attach_labels),
    ("group", group_lines),
    ("context", find_context),
]


def to_redaction(state: PageState, c: Candidate) -> Redaction:
    box = view_to_page(state, c.view).rounded(2)
    return Redaction(
        id=make_redaction_id(state.task.sha256, state.task.page, box),
        page=state.task.page,
        box=box,
        kind=c.kind,
        fill=c.fill,
        exemptions=c.label.exemptions,
        label=c.label.text if c.label.found else "",
        confidence=c.confidence,
        context_before=c.context[0],
        context_after=c.context[1],
        group=c.group,
        label_position=c.label.where if c.label.found else None,
    )


def render_and_read(task: PageTask, page: drawings.PdfPage) -> PageState:
    state = PageState(task, page, render_page(page, task.dpi))
    if classify_text_layer(measure_text_layer(page)) in (TextStatus.TEXT, TextStatus.MIXED):
        state.text_words = extract_words(page, task.page)
    if task.ocr:
        try:
            labels.probe_ocr()
        except OcrUnavailableError as exc:
            state.warnings.append(f"OCR unavailable, labels on scans not read: {exc.message}")
    return state


def analyze_page(task: PageTask) -> PageResult:
    """Open the task's PDF, analyse its page, close it (one-off callers, tests)."""
    with opened_pdf(task.path, task.password) as doc:
        return analyze_open_page(task, doc)


def analyze_open_page(task: PageTask, doc: PdfDocument) -> PageResult:
    """Analyse page ``task.page`` of an already open ``doc`` (a batch worker keeps it open)."""
    timings: list[tuple[str, float]] = []
    start = time.perf_counter()
    state = render_and_read(task, load_page(doc, task.page))
    timings.append(("render", time.perf_counter() - start))
    for name, step in STEPS:
        start = time.perf_counter()
        step(state)
        timings.append((name, time.perf_counter() - start))
    redactions = tuple(to_redaction(state, c) for c in state.candidates)
    # Last step, the leak check: what each box fails to hide fills its text_under.
    start = time.perf_counter()
    redactions = tuple(fill_text_under(state.page, task.page, redactions, ocr=state.ocr_ok))
    timings.append(("leaks", time.perf_counter() - start))
    # Then the width estimate: how many characters each box on a text line hides.
    start = time.perf_counter()
    redactions = tuple(fill_est_chars(state, redactions))
    timings.append(("width", time.perf_counter() - start))
    return PageResult(
        task.page, redactions, tuple(state.text_words), tuple(timings), tuple(state.warnings)
    )


def use_one_thread() -> None:
    """One OpenCV thread in a batch worker: the batch runs one worker per core already.

    OpenCV starts a thread per core for each filter; with one worker per core
    that makes twice as many busy threads as cores, and the switching cost
    ~10% of a page's CPU time (measured on 2 cores). Serial runs keep the
    default, where those threads use an otherwise idle core.
    """
    cv2.setNumThreads(1)
