"""The page's own list of exemptions, for boxes with no code beside them.

Some agencies print no code at each box but list the page's codes once: a
footer line ("Exemptions applied on this page: (b)(6), (b)(7)(C)") or a list
in the margin. A box without a label of its own gets those codes, marked as
coming from the summary (``Label.where == "summary"``) and with less confidence:
the page says which exemptions it used, not which box used which.

Geometry is in the view (see ``labels``): the footer is the bottom of the
upright page, the margins its left and right strips.
"""

from __future__ import annotations

import math
import re

import numpy as np

from redactview.analysis.labels import (
    NO_LABEL,
    CropRequest,
    Label,
    ViewWord,
    group_rows,
    in_reading_order,
)
from redactview.analysis.labels_image import blank_boxes
from redactview.core.exemptions import parse_exemptions
from redactview.core.geometry import Box

FOOTER_SHARE = 0.2  # the bottom fifth of the page holds footers
MARGIN_SHARE = 0.12  # a margin list sits left or right of the text column
# A footer line that names what it lists; "Exemptions", "Exemption(s)", "exempt".
_SUMMARY_WORD = re.compile(r"exem|withheld|applied|redacted", re.IGNORECASE)
# What a code list is made of besides the codes: brackets, separators, "and".
_LIST_FILLER = re.compile(r"^(?:[()\[\]{};,/:.|&-]+|and)$", re.IGNORECASE)


def summary_regions(shape: tuple[int, ...]) -> list[Box]:
    """Where a page lists its codes: the footer band, the left and right margins."""
    h, w = float(shape[0]), float(shape[1])
    top_of_footer = h * (1 - FOOTER_SHARE)
    return [
        Box(0, top_of_footer, w, h),
        Box(0, 0, w * MARGIN_SHARE, top_of_footer),
        Box(w * (1 - MARGIN_SHARE), 0, w, top_of_footer),
    ]


def summary_requests(pixels: np.ndarray, boxes: list[Box]) -> list[CropRequest]:
    """Crops of the summary regions that hold print, the page's boxes blanked."""
    requests = []
    for region in summary_regions(pixels.shape):
        x0, y0, x1, y1 = (int(v) for v in region.as_tuple())
        crop = pixels[y0:y1, x0:x1].copy()
        blank_boxes(crop, boxes, (x0, y0))
        if int((crop < 120).sum()) > 30:  # a blank margin costs no OCR
            requests.append(CropRequest(crop, (x0, y0), scale=2.0))
    return requests


def find_summary_label(words: list[ViewWord], shape: tuple[int, ...]) -> Label:
    """The codes a page lists in its footer or margins, or ``NO_LABEL``.

    A footer line counts when it names what it lists ("Exemptions applied…")
    or is nothing but a code list; margin words count when they are nothing
    but codes. Prose that cites a code (a memo quoting "(b)(5)") and Bates
    numbers are no summary.
    """
    footer, left, right = summary_regions(shape)
    lines = group_rows([w for w in words if w.box.coverage_by(footer) > 0.7])
    taken = [line for line in lines if _is_summary_line(line)]
    for margin in (left, right):
        inside = [w for w in words if w.box.coverage_by(margin) > 0.7]
        if inside and all(_is_list_word(w.text) for w in inside):
            taken.append(in_reading_order(inside))
    used = [w for line in taken for w in line]
    text = " ".join(w.text for w in used)
    codes = parse_exemptions(text)
    return Label(text, codes, "summary", tuple(used)) if codes else NO_LABEL


def _is_summary_line(line: list[ViewWord]) -> bool:
    text = " ".join(w.text for w in line)
    if not parse_exemptions(text):
        return False
    return bool(_SUMMARY_WORD.search(text)) or all(_is_list_word(w.text) for w in line)


def _is_list_word(text: str) -> bool:
    return bool(parse_exemptions(text) or _LIST_FILLER.match(text))


def continues_labelled(boxes: list[Box], labelled: list[bool]) -> list[bool]:
    """For each box, whether it is a further line of a labelled box's paragraph
    (stacked under it, same left edge, one line apart): the paragraph's own
    label goes to it when lines are grouped, not the page's summary."""
    order = sorted(range(len(boxes)), key=lambda i: boxes[i].y0)
    under = list(labelled)
    for k, i in enumerate(order):
        for j in order[:k]:
            if under[j] and is_next_line(boxes[j], boxes[i]):
                under[i] = True
                break
    return [u and not own for u, own in zip(under, labelled, strict=True)]


MAX_TILT = math.radians(5.0)  # pages scanned further askew than this are not expected


def is_next_line(prev: Box, box: Box) -> bool:
    """Whether ``box`` is the line under ``prev`` in one paragraph: same left edge,
    its top or bottom one line lower.

    Boxes are upright bounding boxes. On a page scanned askew a line box's is
    its line height plus the rise of its length (a 440 pt line at 3° rises
    23 pt): the bboxes of a paragraph's lines overlap by most of their height,
    and only the end at the shared left edge steps down by one line. The line
    height is then known only to lie between the bbox's height less the rise
    the box's length allows at ``MAX_TILT``, and the bbox's height.
    """
    if abs(box.x0 - prev.x0) >= max(3.0, prev.height * 0.25):
        return False
    rise = math.sin(MAX_TILT)
    line_low = max(0.0, prev.height - prev.width * rise, box.height - box.width * rise)
    # Half a line, as on a level page; never less than a quarter of the smaller
    # bbox (two boxes at one height are not two lines).
    low = min(0.5 * prev.height, max(0.5 * line_low, 0.25 * min(prev.height, box.height)))
    high = 1.6 * prev.height
    return any(low <= step < high for step in (box.y0 - prev.y0, box.y1 - prev.y1))
