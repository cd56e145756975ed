"""The page steps that read text on scans with Tesseract: labels, the words of the
lines that hold boxes, a slip sheet standing in for a withheld page, which way
sideways content reads.

Tesseract runs are few and batched: the line bands and the insides of all the
page's boxes are read as one sheet, the crops right of still unlabelled boxes
as a second (``labels.read_sheet``): starting Tesseract costs more than
reading a small crop.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np

from redactview.analysis import (
    labels,
    labels_margin,
    labels_reread,
    labels_summary,
    labels_withheld,
)
from redactview.analysis.labels import NO_LABEL, CropRequest, Label, ViewWord
from redactview.analysis.labels_image import blank_box_shapes, blank_boxes, undo_upscaling
from redactview.analysis.page_state import Candidate, PageState, page_to_view, view_to_page
from redactview.analysis.view import make_view
from redactview.core.exemptions import marker_share, names_a_reason
from redactview.core.geometry import Box
from redactview.core.model import Fill, RedactionKind
from redactview.errors import RedactviewError
from redactview.pdf.render import render_clip

SLIP_SHEET_INK = 0.02  # share of dark pixels under which a page may be a slip sheet
SHARP_ZOOM = 2.0  # small print beside a box is rendered again at twice the page's dpi
SHARP_SCALE = 4.0  # and read at four times: upscaled smoothly, not in MuPDF's blocks
SUMMARY_CONFIDENCE = 0.8  # a box labelled from the page's summary line
JUNK_WORDS = 5  # words a page's bands must hold before their reading is judged
JUNK_CONF = 50  # median confidence under which that reading is junk
MARKER_SHARE = 0.6  # letters of a box's inside that a marker word must make up


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
    label = labels_withheld.read_withheld_sheet(words)
    if label is not None:
        h, w = pixels.shape[:2]
        whole = Box(0, 0, w, h)
        state.candidates.append(
            Candidate(whole, RedactionKind.RASTER, Fill.WHITE, 0.9, label=label)
        )


def pick_readable_turn(state: PageState, turns: int) -> int:
    """Sideways one way or the other: whichever reads with more confidence."""
    tallest = max(state.candidates, key=lambda c: c.view.height).view
    scores = {}
    for k in (turns, (turns + 2) % 4):
        view = make_view(state.render.pixels, k)
        band = _band(view.to_view(tallest), view.pixels.shape, 1.5)
        words = _ocr_band(view.pixels, band, [])
        scores[k] = _reading_score(words)
    return max(scores, key=lambda k: scores[k])


def read_words_near_boxes(state: PageState) -> None:
    """Words of the text layer, or OCR of the lines that hold boxes (scans); the
    insides of boxes with print in them are read in the same Tesseract run."""
    if state.text_words:
        state.words = [ViewWord(page_to_view(state, w.box), w.text) for w in state.text_words]
    if not state.candidates or not state.ocr_ok or state.view is None:
        return
    words, inside = _read_near_boxes(state)
    if not state.text_words and _reads_as_junk(words):
        # A sheet fed upside down: its print reads as junk; turned over, as words.
        upright = _turned_over(state)
        again, inside_again = _read_near_boxes(upright)
        if _reading_score(again) > _reading_score(words):
            state.view, state.candidates = upright.view, upright.candidates
            words, inside = again, inside_again
    state.words += words
    state.inside = inside


def _read_near_boxes(state: PageState) -> tuple[list[ViewWord], dict[int, list[ViewWord]]]:
    """OCR of the line bands holding boxes (scans), and of the boxes' insides, in
    one Tesseract run: the bands' words and each read inside by candidate."""
    assert state.view is not None
    pixels = state.view.pixels
    boxes = [c.view for c in state.candidates]
    requests: list[CropRequest] = []
    if not state.text_words:
        lines = [b for b in boxes if b.height < pixels.shape[0] / 3]  # not half/whole pages
        bands = _merge_bands([_band(b, pixels.shape, 1.3) for b in lines])
        requests += [_band_request(pixels, band, boxes) for band in bands]
    n_bands = len(requests)
    insides: list[int] = []
    for i, c in enumerate(state.candidates):
        request = labels.inside_request(pixels, c.view, c.fill) if _reads_inside(state, c) else None
        if request is not None:
            insides.append(i)
            requests.append(request)
    read = labels.read_sheet(requests)
    words = [w for words in read[:n_bands] for w in words]
    return words, {i: read[n_bands + k] for k, i in enumerate(insides)}


def _reading_score(words: list[ViewWord]) -> float:
    """How well a reading went: the confidence summed over its longer words."""
    return sum(w.conf for w in words if w.conf > 0 and len(w.text) > 2)


def _reads_as_junk(words: list[ViewWord]) -> bool:
    """Whether a page's bands read as junk: most of their longer words read at
    under half confidence (print read upside down; upright body text reads at
    90% and more)."""
    longer = [w.conf for w in words if len(w.text) > 2]
    return len(longer) >= JUNK_WORDS and float(np.median(longer)) < JUNK_CONF


def _turned_over(state: PageState) -> PageState:
    """The page state with its view (and the candidates in it) turned half round."""
    assert state.view is not None
    view = make_view(state.render.pixels, (state.view.turns + 2) % 4)
    candidates = [
        dataclasses.replace(c, view=view.to_view(state.view.to_render(c.view)))
        for c in state.candidates
    ]
    return dataclasses.replace(state, view=view, candidates=candidates)


def _reads_inside(state: PageState, c: Candidate) -> bool:
    """Whether the box's inside is OCR'd. A raster box's inside is read from the
    pixels even on pages with a text layer: an invisible OCR layer holds the
    words *under* the box, not a label."""
    if c.printed:
        return False
    if not c.inner_ink and not _other_fill_with_print(state, c):
        return False
    return not (state.text_words and c.kind != RedactionKind.RASTER)


def _other_fill_with_print(state: PageState, c: Candidate) -> bool:
    """A raster box whose fill the detector could not name (a grey box on a
    grainy scan is not flat enough to be called grey) is not tested for print
    inside there; dark print on it is looked for here."""
    if c.kind != RedactionKind.RASTER or c.fill != Fill.OTHER or state.view is None:
        return False
    return labels.has_dark_print_inside(state.view.pixels, c.view)


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


def _band_request(pixels: np.ndarray, band: Box, boxes: list[Box]) -> CropRequest:
    x0, y0, x1, y1 = (int(v) for v in band.as_tuple())
    crop = pixels[y0:y1, x0:x1].copy()
    blank_box_shapes(crop, boxes, (x0, y0))  # their inside is read on its own, inverted
    return CropRequest(crop, (x0, y0), scale=2.0)


def _ocr_band(pixels: np.ndarray, band: Box, boxes: list[Box]) -> list[ViewWord]:
    return labels.read_sheet([_band_request(pixels, band, boxes)])[0]


def attach_labels(state: PageState) -> None:
    found = [_label_without_ocr(state, i, c) for i, c in enumerate(state.candidates)]
    # The band OCR misses small labels right beside a box; read them close up,
    # all in one run. A raster box's label is in the pixels even when an OCR
    # layer (which often leaves labels out) gives the page words.
    todo: list[int] = []  # candidate index of each request (a crop's lines are requests)
    requests: list[CropRequest] = []
    stacked: list[bool] = []  # each request: a row of a stacked code (``_full_rows``)
    in_margin: list[int] = []  # candidate index of each request of a margin
    margins: list[CropRequest] = []
    if state.ocr_ok and state.view is not None:
        width = state.view.pixels.shape[1]
        for i, c in enumerate(state.candidates):
            if state.text_words and c.kind != RedactionKind.RASTER:
                continue  # a vector box on a page with words: its label is in them
            others = [o.view for o in state.candidates if o is not c]
            if _worth_rereading(found[i]):
                request = labels.right_request(state.view.pixels, c.view, others)
                if request is not None:
                    lines = labels.split_lines(_sharpen(state, request, others))
                    todo += [i] * len(lines)
                    requests += lines
                    stacked += _full_rows(lines)
            for side in _margins_worth_reading(found[i], width):
                margin = labels_margin.margin_request(state.view.pixels, c.view, others, side)
                if margin is not None:
                    in_margin.append(i)
                    margins.append(margin)
    # The page's footer and margins go on the same sheet, in case a box is left
    # without a code: some agencies list the page's codes only there.
    summary = _summary_requests(state, found)
    sheet = labels.read_sheet(requests + margins + summary)
    # Rows and insides that looked like a code and parsed as none are read once more.
    inside = _unread_insides(state, found)
    again = labels_reread.read_again(
        requests + [r for r, _ in inside.values()],
        sheet[: len(todo)] + [words for _, words in inside.values()],
        stacked + [False] * len(inside),
    )
    beside = again[: len(todo)]
    for (i, (_, first)), words in zip(inside.items(), again[len(todo) :], strict=True):
        if words is not first:  # read_again kept a second reading only if it is better
            found[i] = labels.label_inside(words)
    read: dict[int, list[ViewWord]] = {}
    for i, words in zip(todo, beside, strict=True):
        read.setdefault(i, []).extend(words)
    for i, words in read.items():
        found[i] = _better(found[i], labels.read_beside(state.candidates[i].view, words))
    _read_margins(state, found, in_margin, sheet[len(todo) : len(todo) + len(margins)])
    summary_words = sheet[len(todo) + len(margins) :]
    found = _fall_back_on_summary(state, found, [w for ws in summary_words for w in ws])
    kept = []
    for c, label in zip(state.candidates, found, strict=True):
        if c.needs_label and not label.found:
            continue  # a white bordered box without a code is a form field or a frame
        if c.inner_ink and label.where == "inside" and _is_header_text(label):
            continue  # a filled table header or section bar with its title
        if label.where == "summary":  # the page's codes, not necessarily this box's
            c = dataclasses.replace(c, confidence=round(c.confidence * SUMMARY_CONFIDENCE, 3))
        kept.append(dataclasses.replace(c, label=label))
    state.candidates = kept


def _read_margins(
    state: PageState, found: list[Label], todo: list[int], read: list[list[ViewWord]]
) -> None:
    """Codes stacked in a margin beside boxes, read close up
    (``labels_margin.margin_request``): they label a box when they hold more codes
    than what it has, or as many read more surely (the line band read a
    cable's "(b)(3)" as "(B)(8)" and "(b)(1)" as "(byt)", the close-up read
    both right)."""
    words: dict[int, list[ViewWord]] = {}
    for i, line in zip(todo, read, strict=True):
        words.setdefault(i, []).extend(line)
    view = state.view.pixels if state.view is not None else None
    for i, margin in words.items():
        box, had = state.candidates[i].view, found[i]
        # A label read in one margin is read again there only: on a page fed
        # askew the close-up of the other margin holds the next line's codes.
        readers = [
            reader
            for reader, where in (
                (labels_margin.read_line_end, "right"),
                (labels_margin.read_line_start, "left"),
            )
            if not had.found or had.where == where
        ]
        for reader in readers:
            again = reader(box, margin, view)
            if again.found and _surer(again) > _surer(found[i]):
                found[i] = again


def _surer(label: Label) -> tuple[int, int, float]:
    """How much a label holds, then how surely it was read: its codes, those with
    a subparagraph ("(b)(7)(C)" read close up as "(b)(7)" is less), then its
    words' mean OCR confidence."""
    conf = float(np.mean([w.conf for w in label.words])) if label.words else 0.0
    return len(label.exemptions), sum(c.count("(") > 2 for c in label.exemptions), conf


def _margins_worth_reading(label: Label, width: int) -> tuple[int, ...]:
    """Which margins (1 right, -1 left) to read close up beside a box: both with
    no label yet; the one the line band read its label in (a stack of codes
    there is often read only in part: "6-1" over "b7C -1")."""
    if not label.found:
        return (1, -1)
    right, left = labels_margin.MARGIN_FROM * width, (1 - labels_margin.MARGIN_FROM) * width
    if label.where == "right" and label.words and label.words[0].box.x0 >= right:
        return (1,)
    if label.where == "left" and label.words and label.words[-1].box.x1 <= left:
        return (-1,)
    return ()


def _full_rows(lines: list[CropRequest]) -> list[bool]:
    """Which of a crop's lines are rows of a stacked code: one of two or more,
    and near as high as the highest (a sliver is the edge of a line around)."""
    tallest = max(line.crop.shape[0] for line in lines)
    return [len(lines) > 1 and line.crop.shape[0] >= 0.6 * tallest for line in lines]


def _unread_insides(
    state: PageState, found: list[Label]
) -> dict[int, tuple[CropRequest, list[ViewWord]]]:
    """Boxes whose inside read as a code's shape and parsed as none ("(6X5)" for
    "(b)(5)" in a photocopied black bar) or in part, or as a code whose digit is
    in doubt ("(bX8)" in white on a soft scan, for "(bX6)"), and that have no
    code from beside them: their inside crop and first words, to read again
    (``labels_reread``)."""
    if state.view is None:
        return {}
    out = {}
    for i, words in state.inside.items():
        elsewhere = found[i].exemptions and found[i].where != "inside"
        if elsewhere or not words:
            continue
        if not (labels_reread.looks_unread(words) or labels_reread.looks_doubtful(words)):
            continue
        c = state.candidates[i]
        request = labels.inside_request(state.view.pixels, c.view, c.fill)
        if request is not None:
            out[i] = (request, words)
    return out


def _summary_requests(state: PageState, found: list[Label]) -> list[CropRequest]:
    """OCR crops of the footer and margins of a scan with a box still unlabelled."""
    if state.text_words or not state.ocr_ok or state.view is None:
        return []  # a text layer has the footer's words already
    if all(label.found for label in found):
        return []
    return labels_summary.summary_requests(state.view.pixels, [c.view for c in state.candidates])


def _fall_back_on_summary(
    state: PageState, found: list[Label], summary_words: list[ViewWord]
) -> list[Label]:
    """Boxes without a label of their own take the page's summary line, if any.

    Not a white bordered box (it counts only with a code inside), and not a
    further line of a labelled paragraph (grouping gives it the paragraph's).
    """
    if all(label.found for label in found):
        return found
    shape = state.render.pixels.shape if state.view is None else state.view.pixels.shape
    words = summary_words if not state.text_words else state.words
    summary = labels_summary.find_summary_label(words, shape)
    if not summary.found:
        return found
    boxes = [c.view for c in state.candidates]
    follows = labels_summary.continues_labelled(boxes, [label.found for label in found])
    return [
        summary if not label.found and not c.needs_label and not after else label
        for c, label, after in zip(state.candidates, found, follows, strict=True)
    ]


def _worth_rereading(label: Label) -> bool:
    """No label yet, or one read beside the box in the line band: small print
    there (a code stacked in two rows) is often read only in part, or its two
    rows as one line of tall glyphs."""
    return not label.found or label.where in ("right", "stacked")


def _better(first: Label, again: Label) -> Label:
    """The close-up read wins when it finds more codes than the line band did."""
    if not first.found or len(again.exemptions) > len(first.exemptions):
        return again if again.found else first
    return first


def _sharpen(state: PageState, request: CropRequest, others: list[Box]) -> CropRequest:
    """The same crop, rendered sharp from the PDF: small print is ~10 px tall at
    page resolution, and upscaling those pixels cannot restore the strokes that a
    render at Tesseract's scale (from a 200-300 dpi scan) still has."""
    assert state.view is not None
    h, w = request.crop.shape[:2]
    ox, oy = request.origin
    area = Box(ox, oy, ox + w, oy + h)
    zoom = SHARP_ZOOM
    try:
        clip = render_clip(state.page, view_to_page(state, area), state.render.dpi * zoom)
    except RedactviewError:
        return request
    pixels = np.rot90(clip.pixels, state.view.turns) if state.view.turns else clip.pixels
    # A scan coarser than the sharp render comes back in blocks: its own pixels
    # are what there is to read.
    crop, zoom = undo_upscaling(np.ascontiguousarray(pixels), zoom)
    blank_boxes(crop, others, (ox, oy), zoom)  # blanked as in the page-resolution crop
    return dataclasses.replace(request, crop=crop, zoom=zoom, scale=SHARP_SCALE, small_print=True)


def _is_header_text(label: Label) -> bool:
    """Words printed inside that are not a code or REDACTED: a header, not a redaction.

    OCR of a plain black box with scanner noise inside yields junk letters at
    low confidence; only a confidently read word counts as printed text. A
    marker word labels a box only when it is most of what is printed there:
    a header bar "RECORDS WITHHELD BY OTHER AGENCIES" merely mentions one. A
    reason instead of a code ("Redacted - Privileged", "PII") is a redaction's
    (``names_a_reason``).
    """
    if label.exemptions or (label.found and marker_share(label.text) >= MARKER_SHARE):
        return False
    # Text-layer text printed on a vector box is reliable; OCR's, where read surely.
    printed = [w.text for w in label.words if w.conf >= 70] if label.words else [label.text]
    if names_a_reason(" ".join(printed)):
        return False
    return any(sum(ch.isalpha() for ch in text) >= 3 for text in printed)


def _label_without_ocr(state: PageState, index: int, c: Candidate) -> Label:
    """Printed on a vector box, read inside (already OCR'd), beside, above or below,
    left of a box that starts its line (in the margin), or at the end of its line
    (in the right margin). A box found with its label (a withheld page's slip
    sheet) keeps it."""
    if c.label.found:
        return c.label
    if c.printed:
        return Label(c.printed, labels.parse_exemptions(c.printed), "inside")
    inside = NO_LABEL
    if c.inner_ink and state.text_words and c.kind != RedactionKind.RASTER:
        inside = labels.label_from_inside_words(c.view, state.words)
    elif index in state.inside:
        inside = labels.label_inside(state.inside[index])
    if inside.found:
        return inside
    others = [o.view for o in state.candidates if o is not c]
    view = state.view.pixels if state.view is not None else None
    readers: tuple[Callable[[Box, list[ViewWord]], Label], ...] = (
        labels.read_beside,
        labels.read_above_below,
        lambda box, words: labels.read_left(box, words, others),
        lambda box, words: labels_margin.read_line_end(box, words, view),
        lambda box, words: labels_margin.read_line_start(box, words, view),
    )
    for reader in readers:
        label = reader(c.view, state.words)
        if label.found:
            return label
    return inside
