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
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from redactview.analysis import detect_bordered, detect_raster, detect_vector, labels
from redactview.analysis.context import find_context as context_of
from redactview.analysis.labels import NO_LABEL, Label, View, ViewWord
from redactview.analysis.leaks import fill_text_under
from redactview.core.geometry import Box
from redactview.core.model import (
    Fill,
    Redaction,
    RedactionKind,
    TextStatus,
    Word,
    make_redaction_id,
)
from redactview.errors import OcrUnavailableError
from redactview.pdf import drawings
from redactview.pdf.document import load_page, opened_pdf
from redactview.pdf.render import RenderedPage, render_page
from redactview.pdf.textlayer import classify_text_layer, extract_words, measure_text_layer

DEFAULT_DPI = 150.0
SLIP_SHEET_INK = 0.02  # share of dark pixels under which a page may be a slip sheet


@dataclass(frozen=True, slots=True)
class PageTask:
    path: str
    page: int  # 1-based
    sha256: str  # for stable redaction ids
    dpi: float = DEFAULT_DPI
    password: str | None = None
    ocr: bool = True  # read labels and context on scans with Tesseract


@dataclass(frozen=True, slots=True)
class PageResult:
    page: int
    redactions: tuple[Redaction, ...]
    words: tuple[Word, ...]  # the text layer's words (empty on scans)
    timings: tuple[tuple[str, float], ...]  # (step, seconds)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Candidate:
    """A box on its way to becoming a ``Redaction``; ``view`` is in view pixels."""

    view: Box
    kind: RedactionKind
    fill: Fill
    confidence: float
    inner_ink: bool = False
    needs_label: bool = False
    printed: str = ""  # text-layer text printed on a vector box
    label: Label = NO_LABEL
    group: str | None = None
    context: tuple[str, str] = ("", "")


@dataclass
class PageState:
    """What the steps share for one page (lives only inside the worker)."""

    task: PageTask
    page: drawings.PdfPage
    render: RenderedPage
    text_words: list[Word] = field(default_factory=list)
    view: View | None = None
    words: list[ViewWord] = field(default_factory=list)  # text layer or OCR, view pixels
    candidates: list[Candidate] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ocr_ok(self) -> bool:
        return self.task.ocr and not any("OCR" in w for w in self.warnings)


Step = Callable[[PageState], None]


def page_to_view(state: PageState, box: Box) -> Box:
    x0, y0, x1, y1 = state.render.page_box_to_pixels(box)
    return state.view.to_view(Box(x0, y0, x1, y1)) if state.view else Box(x0, y0, x1, y1)


def view_to_page(state: PageState, box: Box) -> Box:
    render_box = state.view.to_render(box) if state.view else box
    return state.render.pixel_box_to_page(*render_box.as_tuple())


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


def find_withheld_page(state: PageState) -> None:
    """A sheet standing in for a page withheld in full is one page-sized redaction.

    Scans are OCR'd for this only when nothing else was found and the page
    carries little ink (a slip sheet is a few centred lines), to keep the cost
    off ordinary pages.
    """
    if state.candidates:
        return
    pixels = state.render.pixels
    if state.text_words:
        words = [ViewWord(page_to_view(state, w.box), w.text) for w in state.text_words]
    elif state.ocr_ok and float((pixels < 128).mean()) < SLIP_SHEET_INK:
        words = labels.ocr_words(pixels, (0, 0), invert=False, psm=3, scale=1.0)
    else:
        return
    label = labels.read_withheld_sheet(words)
    if label.found:
        h, w = pixels.shape[:2]
        whole = Box(0, 0, w, h)
        state.candidates.append(
            Candidate(whole, RedactionKind.RASTER, Fill.WHITE, 0.9, printed=label.text)
        )


def orient_content(state: PageState) -> None:
    """Turn content printed sideways on the sheet (no /Rotate) so that lines run across."""
    if state.text_words:
        turns = text_turn(state)
    else:
        turns = detect_bordered.find_content_turn([c.view for c in state.candidates])
        if turns and state.ocr_ok:
            turns = pick_readable_turn(state, turns)
    state.view = labels.make_view(state.render.pixels, turns)
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


def pick_readable_turn(state: PageState, turns: int) -> int:
    """Sideways one way or the other: whichever reads with more confidence."""
    tallest = max(state.candidates, key=lambda c: c.view.height).view
    scores = {}
    for k in (turns, (turns + 2) % 4):
        view = labels.make_view(state.render.pixels, k)
        band = _band(view.to_view(tallest), view.pixels.shape, 1.5)
        words = _ocr_band(view.pixels, band, [])
        scores[k] = sum(w.conf for w in words if w.conf > 0 and len(w.text) > 2)
    return max(scores, key=lambda k: scores[k])


def read_words_near_boxes(state: PageState) -> None:
    """Words of the text layer, or OCR of the lines that hold boxes (scans)."""
    if state.text_words:
        state.words = [ViewWord(page_to_view(state, w.box), w.text) for w in state.text_words]
        return
    if not state.candidates or not state.ocr_ok or state.view is None:
        return
    pixels = state.view.pixels
    boxes = [c.view for c in state.candidates]
    lines = [b for b in boxes if b.height < pixels.shape[0] / 3]  # not half/whole pages
    for band in _merge_bands([_band(b, pixels.shape, 1.3) for b in lines]):
        state.words += _ocr_band(pixels, band, boxes)


def _band(box: Box, shape: tuple[int, ...], grow: float) -> Box:
    pad = box.height * grow
    return Box(0, max(0.0, box.y0 - pad), shape[1], min(float(shape[0]), box.y1 + pad))


def _merge_bands(bands: list[Box]) -> list[Box]:
    merged: list[Box] = []
    for band in sorted(bands, key=lambda b: b.y0):
        if merged and band.y0 <= merged[-1].y1:
            merged[-1] = merged[-1].union(band)
        else:
            merged.append(band)
    return merged


def _ocr_band(pixels: np.ndarray, band: Box, boxes: list[Box]) -> list[ViewWord]:
    x0, y0, x1, y1 = (int(v) for v in band.as_tuple())
    crop = pixels[y0:y1, x0:x1].copy()
    for b in boxes:  # blank the boxes: their inside is read on its own, inverted
        crop[
            max(0, int(b.y0) - y0) : max(0, int(b.y1) - y0),
            max(0, int(b.x0) - x0) : max(0, int(b.x1) - x0),
        ] = 255
    return labels.ocr_words(crop, (x0, y0), invert=False, psm=6, scale=2.0)


def attach_labels(state: PageState) -> None:
    kept = []
    for c in state.candidates:
        label = _read_label(state, c)
        if c.needs_label and not label.found:
            continue  # a white bordered box without a code is a form field or a frame
        if c.inner_ink and label.where == "inside" and _is_header_text(label):
            continue  # a filled table header or section bar with its title
        kept.append(dataclasses.replace(c, label=label))
    state.candidates = kept


def _is_header_text(label: Label) -> bool:
    """Words printed inside that are not a code or REDACTED: a header, not a redaction.

    OCR of a plain black box with scanner noise inside yields junk letters at
    low confidence; only a confidently read word counts as printed text.
    """
    if label.found:
        return False
    if not label.words:  # text-layer text printed on a vector box: reliable
        return sum(ch.isalpha() for ch in label.text) >= 3
    return any(w.conf >= 70 and sum(ch.isalpha() for ch in w.text) >= 3 for w in label.words)


def _read_label(state: PageState, c: Candidate) -> Label:
    if c.printed:
        return Label(c.printed, labels.parse_exemptions(c.printed), "inside")
    inside = NO_LABEL
    # A raster box's inside is read from the pixels even on pages with a text
    # layer: an invisible OCR layer holds the words *under* the box, not a label.
    if c.inner_ink and state.text_words and c.kind != RedactionKind.RASTER:
        inside = labels.label_from_inside_words(c.view, state.words)
    elif c.inner_ink and state.ocr_ok and state.view is not None:
        inside = labels.read_inside(state.view.pixels, c.view, c.fill)
    if inside.found:
        return inside
    for reader in (labels.read_beside, labels.read_above_below):
        found = reader(c.view, state.words)
        if found.found:
            return found
    scanned = not state.text_words or c.kind == RedactionKind.RASTER
    if scanned and state.ocr_ok and state.view is not None:
        # The band OCR misses small labels right beside a box; read them close up.
        # A raster box's label is in the pixels even when an OCR layer (which
        # often leaves labels out) gives the page words.
        found = labels.read_right(state.view.pixels, c.view)
        if found.found:
            return found
    return inside


def group_lines(state: PageState) -> None:
    """Boxes stacked line under line with the same left edge are one redaction."""
    ordered = sorted(state.candidates, key=lambda c: (c.view.y0, c.view.x0))
    groups: list[list[Candidate]] = []
    for c in ordered:
        prev = groups[-1][-1] if groups else None
        if prev and _continues(prev.view, c.view) and prev.kind == c.kind:
            groups[-1].append(c)
        else:
            groups.append([c])
    state.candidates = [m for g in groups for m in _share_group(state, g)]


def _continues(prev: Box, box: Box) -> bool:
    gap = box.y0 - prev.y1
    tol = max(3.0, prev.height * 0.25)
    return -1 <= gap < prev.height * 0.6 and abs(box.x0 - prev.x0) < tol


def _share_group(state: PageState, members: list[Candidate]) -> list[Candidate]:
    if len(members) == 1:
        return members
    first_page_box = view_to_page(state, members[0].view)
    gid = "g" + make_redaction_id(state.task.sha256, state.task.page, first_page_box)[1:]
    label = next((m.label for m in members if m.label.found), NO_LABEL)
    return [
        dataclasses.replace(m, group=gid, label=m.label if m.label.found else label)
        for m in members
    ]


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
    timings: list[tuple[str, float]] = []
    with opened_pdf(task.path, task.password) as doc:
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
    return PageResult(
        task.page, redactions, tuple(state.text_words), tuple(timings), tuple(state.warnings)
    )
