"""Mutated PDFs through open, scan, leak check and report: a result or our error, never a crash.

The seed is a small valid PDF with a text line and a box drawn over part of it,
saved uncompressed so that mutations land in dictionaries and content
operators rather than in opaque Flate data. Hypothesis flips bytes, truncates,
duplicates or removes whole objects and puts extreme numbers where numbers
were. The default run is bounded and deterministic (CI); set
``REDACTVIEW_FUZZ_EXAMPLES=2000`` for a longer, randomised run.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import pymupdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redactview.analysis.leaks import check_document
from redactview.errors import RedactviewError
from redactview.export.rows import build_report
from redactview.export.service import ExportFormat, render_text
from redactview.jobs.executor import SerialExecutor
from redactview.jobs.scan import ScanOptions, scan_document
from redactview.store.case import Case

_LONG_RUN = int(os.environ.get("REDACTVIEW_FUZZ_EXAMPLES", "0"))
_OBJECT = re.compile(rb"\d+ 0 obj.*?endobj\s*", re.S)
_NUMBER = re.compile(rb"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")
# Numbers that break code which trusts a PDF: zero sizes, negatives, overflow, NaN-ish.
EXTREMES = (b"0", b"-1", b"-0.0", b"2147483648", b"99999999999999999999", b"1e308", b"3.4e38")


def make_seed() -> bytes:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 100), "Agent Jane Roe (b)(6) met the vendor.", fontsize=12)
    page.draw_rect(pymupdf.Rect(110, 88, 190, 104), color=None, fill=(0, 0, 0))
    page.insert_text((72, 140), "Second line with (b)(7)(C) beside a box.", fontsize=12)
    page.draw_rect(pymupdf.Rect(300, 128, 400, 144), color=(0, 0, 0), fill=(0.5, 0.5, 0.5))
    data: bytes = doc.tobytes(garbage=0, deflate=False)
    doc.close()
    return data


SEED = make_seed()
OBJECTS = [(m.start(), m.end()) for m in _OBJECT.finditer(SEED)]
NUMBERS = [(m.start(), m.end()) for m in _NUMBER.finditer(SEED)]


def flip_bytes(data: bytes, flips: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for position, value in flips:
        out[position % len(out)] = value
    return bytes(out)


def truncate(data: bytes, keep: float) -> bytes:
    return data[: int(len(data) * keep)]


def duplicate_object(data: bytes, index: int, where: int) -> bytes:
    start, end = OBJECTS[index % len(OBJECTS)]
    at = where % len(data)
    return data[:at] + data[start:end] + data[at:]


def remove_object(data: bytes, index: int) -> bytes:
    start, end = OBJECTS[index % len(OBJECTS)]
    return data[:start] + data[end:]


def replace_numbers(data: bytes, picks: list[tuple[int, bytes]]) -> bytes:
    """Swap some of the seed's numbers (sizes, offsets, coordinates, lengths) for extremes."""
    chosen = {NUMBERS[i % len(NUMBERS)]: value for i, value in picks}
    out, last = [], 0
    for (start, end), value in sorted(chosen.items()):
        out += [data[last:start], value]
        last = end
    return b"".join([*out, data[last:]])


MUTATIONS = st.one_of(
    st.lists(
        st.tuples(st.integers(0, len(SEED) - 1), st.integers(0, 255)), min_size=1, max_size=40
    ).map(lambda flips: flip_bytes(SEED, flips)),
    st.floats(0.05, 0.99).map(lambda keep: truncate(SEED, keep)),
    st.tuples(st.integers(0, 100), st.integers(0, len(SEED))).map(
        lambda a: duplicate_object(SEED, *a)
    ),
    st.integers(0, 100).map(lambda i: remove_object(SEED, i)),
    st.lists(
        st.tuples(st.integers(0, 10_000), st.sampled_from(EXTREMES)), min_size=1, max_size=8
    ).map(lambda picks: replace_numbers(SEED, picks)),
)


def open_scan_report(path: Path) -> None:
    """The whole batch path: scan into a case, leak check, then the JSON report."""
    with Case.open(path.with_suffix(".rvcase"), create=True) as case:
        scan_document(path, options=ScanOptions(ocr=False), case=case, executor=SerialExecutor())
        check_document(path, ocr=False)
        text = render_text(build_report(case), ExportFormat.JSON)
    json.loads(text)


def run_mutant(data: bytes) -> str:
    """'ok' or the RedactviewError's class name; anything else propagates and fails."""
    with tempfile.TemporaryDirectory(prefix="rv-fuzz-") as folder:
        path = Path(folder) / "mutant.pdf"
        path.write_bytes(data)
        try:
            open_scan_report(path)
        except RedactviewError as err:
            assert err.message and "\n" not in err.message
            return type(err).__name__
    return "ok"


def test_seed_scans_clean() -> None:
    """The unmutated seed must work, or every mutant would 'pass' by failing early."""
    assert run_mutant(SEED) == "ok"
    assert len(OBJECTS) >= 6 and len(NUMBERS) >= 30


@pytest.mark.slow
@settings(
    max_examples=_LONG_RUN or 60,
    deadline=None,
    derandomize=not _LONG_RUN,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(MUTATIONS)
def test_mutated_pdf_gives_a_result_or_our_error(data: bytes) -> None:
    run_mutant(data)
