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
import time

import cv2

from redactview.analysis import detect_bordered, detect_raster, detect_vector, labels
from redactview.analysis.context import find_context as context_of
from redactview.analysis.detect_fill import is_coloured_fill
from redactview.analysis.grouping import group_lines
from redactview.analysis.leaks import fill_text_under
from redactview.analysis.page_ocr import (
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
from redactview.core.exemptions import citing
from redactview.core.geometry import Box
from redactview.core.model import Fill, Redaction, RedactionKind, TextStatus, make_redaction_id
from redactview.errors import OcrUnavailableError
from redactview.pdf import drawings
from redactview.pdf.document import load_page, opened_pdf
from redactview.pdf.held import PdfDocument
from redactview.pdf.render import render_clip, render_page
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

COLOUR_DPI = 36.0  # enough to see a box's colour, cheap for a box on a colour scan


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
    calm = detect_raster.calm_dotted_paper(state.render.pixels)
    if calm is not state.render.pixels:  # the labels are read on the calmed page too
        state.render = dataclasses.replace(state.render, pixels=calm)
    gray, dpi = state.render.pixels, state.render.dpi
    found = detect_raster.find_raster_boxes(gray, dpi)  # filled and bordered, one ink mask
    vectors = [c.view for c in state.candidates]  # view == render space at this point
    images = [(page_to_view(state, i.box), i.colour) for i in drawings.read_image_boxes(state.page)]
    for px in found:
        box = Box(px.x0, px.y0, px.x1, px.y1)
        under = [colour for image, colour in images if box.coverage_by(image) > 0.5]
        if not under:
            continue  # drawn in the content (a banner, a header bar): vector's business
        if any(box.iou(v) > 0.5 or box.coverage_by(v) > 0.8 for v in vectors):
            continue  # a vector box over the scan: count it once, as vector
        if px.fill != Fill.WHITE and any(under):
            rgb = render_clip(state.page, view_to_page(state, box), COLOUR_DPI, gray=False)
            if is_coloured_fill(rgb.pixels):
                continue  # a red tag or a blue bar on a colour scan: grey only to the detector
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
    with citing(task.jurisdictions):
        return _analyze_open_page(task, doc)


def _analyze_open_page(task: PageTask, doc: PdfDocument) -> PageResult:
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
