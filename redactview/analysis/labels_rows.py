"""A crop of the view to read for a label, and cutting it into its rows of print.

A code stacked small in two rows beside a box ("(b)(6);" over "(b)(7)(C)") is
read one row at a time (``split_lines``); the rows end where the line's own
print, as tall as both rows, begins (``end_of_stacked_rows``).
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass

import cv2
import numpy as np

from redactview.analysis.labels_image import OCR_SCALE, Binarise


@dataclass(frozen=True, slots=True)
class CropRequest:
    """A crop of the view to read, and where it came from."""

    crop: np.ndarray
    origin: tuple[int, int]  # view pixel of the crop's top-left corner
    invert: bool = False
    scale: float = OCR_SCALE  # OCR pixels per view pixel
    zoom: float = 1.0  # crop pixels per view pixel (a sharp render of the area is > 1)
    keep_right: bool = False  # the right edge cuts through print (see ``erase_edge_debris``)
    small_print: bool = False  # binarised nearer the ink (see ``binarise_small_print``)
    method: Binarise = "otsu"  # a second reading tells print from paper otherwise


def split_lines(request: CropRequest) -> list[CropRequest]:
    """Cut a crop between lines of print, each line its own request.

    A code stacked small in two rows ("(b)(6);" over "(b)(7)(C)") is set so
    tight that the rows touch; Tesseract then takes both for one line of tall
    glyphs and reads neither. A line's x-height band is dense with ink; a row
    whose ink falls under a third of the densest row's, between two such
    bands, is where one line ends and the next begins.
    """
    crop = request.crop
    if crop.size == 0 or crop.shape[0] < 8:
        return [request]
    level, _ = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    dark = crop.astype(np.float32) if request.invert else 255.0 - crop.astype(np.float32)
    # Ink weighs by how far it is past Otsu's level (0 for paper): where two rows
    # touch, the strokes joining them are the blur's lighter grey, and a 100 dpi
    # scan's touching rows ("(b)(6);" over "(b)(7)(C)", 7 px each) counted
    # pixel for pixel had no row under a third of the densest.
    # (Otsu's level is the darker class's lightest grey: it counts as ink.)
    weight = np.clip(dark - (level if request.invert else 255.0 - level) + 1, 0, None)
    whole = weight > 0
    # Only the print nearest the box's edge: further right, the next line's
    # ascenders reach into the crop and would set the densest row.
    columns = np.flatnonzero(whole.any(axis=0))
    left = int(columns[0]) if columns.size else 0
    profile = weight[:, left : left + 2 * crop.shape[0]].sum(axis=1)
    dense = profile >= 0.6 * profile.max()
    cuts = _find_cuts(profile, dense)
    if not cuts:
        # A short code's prose can start inside that width ("(b)(6); / (b)(7)(C)
        # and the team"): the prose's x-height then weighs on the second row
        # only, the first stays under the dense level and no cut is found. The
        # rows' first characters, one crop height wide, are the code's alone.
        near = weight[:, left : left + crop.shape[0]].sum(axis=1)
        near_dense = near >= 0.6 * near.max()
        cuts = _find_cuts(near, near_dense)
        if cuts:
            profile, dense = near, near_dense
    right = end_of_stacked_rows(whole, cuts)
    if right < crop.shape[1]:  # the rows' own print sets where each is trimmed
        profile = weight[:, left : min(right, left + 2 * crop.shape[0])].sum(axis=1)
    # One line is trimmed too: specks of the scan above or below it made
    # Tesseract lay out a line there and lose part of the code ("(5)").
    ox, oy = request.origin
    lines = []
    for a, b in itertools.pairwise([0, *cuts, crop.shape[0]]):
        if not dense[a:b].any():
            continue  # the tops of the next line's letters, not a line of the label
        # Trimmed to its own print: stray tops of the next line below a row made
        # Tesseract take the row for two lines and read neither.
        first, last = _print_run(profile, a, b)
        margin = max(2, (b - a) // 8)
        top, bottom = max(a, first - margin), min(b, last + 1 + margin)
        if bottom - top >= 4:
            origin = (ox, oy + round(top / request.zoom))
            part = np.ascontiguousarray(crop[top:bottom, :right])
            lines.append(dataclasses.replace(request, crop=part, origin=origin))
    return lines or [request]


def _find_cuts(profile: np.ndarray, dense: np.ndarray) -> list[int]:
    """Rows between two dense bands where the ink falls under a third of the densest."""
    cuts: list[int] = []
    last_dense = -1
    for row in (int(r) for r in np.flatnonzero(dense)):
        if last_dense >= 0 and row - last_dense > 1:
            gap = profile[last_dense + 1 : row]
            if gap.min() < profile.max() / 3:
                cuts.append(last_dense + 1 + int(np.argmin(gap)))
        last_dense = row
    return cuts


STRADDLE = 0.25  # share of a word's inked columns crossing a cut: print of the whole line


def end_of_stacked_rows(ink: np.ndarray, cuts: list[int]) -> int:
    """The column where the stacked rows end and the line's own print begins (the
    crop's width when it does not).

    Beside a box in a line of prose ("[box] (b)(6); / (b)(7)(C) , Deputy Chief
    Counsel"), the cut between the two small rows runs through the prose's
    x-height; cut at full width, each row carried the top or bottom half of
    "Deputy Chief", and Tesseract read the row "(b)(6). NM tue Chiaf C" or
    lost the code (release_a p1's first box, on every variant). The rows
    stop at the first word, after one the cuts leave whole, that the cuts
    cross: words are runs of inked columns, apart by more than a letter gap.
    """
    width = ink.shape[1]
    if not cuts:
        return width
    inked: np.ndarray = np.asarray(ink.any(axis=0))
    crossing: np.ndarray = np.asarray(ink[cuts, :].any(axis=0))
    gap = max(3, round(ink.shape[0] / (len(cuts) + 1) * 0.3))  # a word space of the rows
    seen_whole = False
    for start, stop in _column_runs(inked, gap):
        straddles = crossing[start:stop].sum() >= STRADDLE * inked[start:stop].sum()
        if straddles and seen_whole:
            return max(1, start - gap // 2)
        seen_whole = seen_whole or not straddles
    return width


def _column_runs(inked: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """Runs of inked columns, joined across blank runs shorter than ``gap``."""
    columns = np.flatnonzero(inked)
    if columns.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(columns) > gap)
    starts = np.r_[columns[0], columns[breaks + 1]]
    stops = np.r_[columns[breaks] + 1, columns[-1] + 1]
    return list(zip(starts.tolist(), stops.tolist(), strict=True))


def _print_run(profile: np.ndarray, a: int, b: int) -> tuple[int, int]:
    """First and last row of the unbroken run of inked rows, within [a, b), that
    holds the densest row: the line itself, without stray marks cut off by paper."""
    inked = profile > 0
    row = a + int(np.argmax(profile[a:b]))
    first, last = row, row
    while first > a and inked[first - 1]:
        first -= 1
    while last < b - 1 and inked[last + 1]:
        last += 1
    return first, last
