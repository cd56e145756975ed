"""The generic-font fit behind scan estimates, on OCR-like words built from real metrics.

Words are laid out as OCR reports them (ink boxes: advance less the side bearings),
in Helvetica at 10 pt, so the truth is known exactly.
"""

from __future__ import annotations

from redactview.analysis.width import LineWord
from redactview.analysis.width_calibrate import fit_generic
from redactview.analysis.width_ocr import estimate_ocr
from redactview.core.geometry import Box
from redactview.pdf.fonts import generic_measure

SIZE = 10.0


def ocr_line(texts: list[str], x: float, y: float) -> tuple[list[LineWord], float]:
    """Words at ``x`` on baseline band ``y`` as ink boxes; returns the words and the end x."""
    sans = generic_measure("sans")
    words = []
    for text in texts:
        advance = sans.width(text) * SIZE
        lsb, rsb = sans.side_bearings(text[0], text[-1])
        words.append(LineWord(Box(x + lsb * SIZE, y, x + advance - rsb * SIZE, y + 7.2), text))
        x += advance + sans.width(" ") * SIZE
    return words, x


def line_with_hidden(hidden: str) -> tuple[list[LineWord], Box]:
    """'Report filed by <hidden> on the second floor today' with <hidden> boxed."""
    before, x = ocr_line(["Report", "filed", "by"], 72.0, 100.0)
    width = generic_measure("sans").width(hidden) * SIZE
    box = Box(x - 0.5, 98.0, x + width + 0.5, 110.0)
    after, _ = ocr_line(["on", "the", "second", "floor", "today"], box.x1 + 0.5 + 2.78, 100.0)
    return before + after, box


def test_fit_finds_family_and_size() -> None:
    words, _box = line_with_hidden("Dana Whitcombe")
    family, scale, _spread = fit_generic(words)
    assert family == "sans"
    assert abs(scale - SIZE) < 0.15


def test_misread_word_does_not_set_the_scale() -> None:
    words, _box = line_with_hidden("Dana Whitcombe")
    smudge = LineWord(Box(300, 100, 360, 107.2), "Bio")  # a smudge read as a short word
    family, scale, _spread = fit_generic([*words, smudge])
    assert family == "sans" and abs(scale - SIZE) < 0.15


def test_hidden_count_in_range_with_a_rule_read_into_a_word() -> None:
    words, box = line_with_hidden("Dana Whitcombe")
    fit = estimate_ocr(box, words)
    assert fit is not None and fit.estimate.lo <= 14 <= fit.estimate.hi
    # A table rule glued to a word makes it far too wide for any size the box allows.
    glued = [
        LineWord(Box(w.box.x0 - 40, w.box.y0, w.box.x1, w.box.y1), "[" + w.text) for w in words
    ]
    fit = estimate_ocr(box, glued)
    assert fit is not None
    assert fit.estimate.size < 1.6 * box.height
    assert fit.estimate.lo <= 14 <= fit.estimate.hi


def test_labels_never_calibrate_the_font() -> None:
    words, _x = ocr_line(["Agent", "filed", "today"], 72.0, 100.0)
    # Codes stamped larger than the text, as they often are.
    labels = [
        LineWord(Box(200, 99, 262, 109), "(b)(6)"),
        LineWord(Box(270, 99, 360, 109), "(b)(7)(C)"),
        LineWord(Box(370, 99, 432, 109), "(b)(5)"),
        LineWord(Box(440, 99, 530, 109), "(b)(7)(E)"),
    ]  # more labels than words: only leaving them out keeps the fit on the text
    _family, scale, _spread = fit_generic([*words, *labels])
    assert abs(scale - SIZE) < 0.3
