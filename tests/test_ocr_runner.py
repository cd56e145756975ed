"""The OCR runner at the engine seam: fake, crashing and slow engines, cache, cancel."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_ocr_support import make_born_digital_pdf, make_scanned_pdf

from redactview.core.model import Release
from redactview.core.progress import CancelToken, Progress
from redactview.errors import OcrUnavailableError
from redactview.jobs.executor import ProcessPoolExecutor, SerialExecutor
from redactview.jobs.ocr_run import OcrOptions, ocr_key, run_ocr
from redactview.jobs.words import page_words
from redactview.ocr.fakes import CrashingEngine, FakeEngine, SlowEngine
from redactview.pdf.info import inspect_document
from redactview.store.case import Case


def serial(_: int) -> SerialExecutor:
    return SerialExecutor()


@pytest.fixture
def case(tmp_path: Path) -> Iterator[Case]:
    opened = Case.open(tmp_path / "t.rvcase", create=True)
    yield opened
    opened.close()


def add(case: Case, path: Path) -> Release:
    return case.add_release(inspect_document(path))


def options(engine: object = None, **kw: object) -> OcrOptions:
    return OcrOptions(dpi=50, engine=engine or FakeEngine(), **kw)  # type: ignore[arg-type]


def test_fake_engine_words_land_on_the_ink_in_page_points(case: Case, tmp_path: Path) -> None:
    release = add(case, make_scanned_pdf(tmp_path / "s.pdf", 3))
    report = run_ocr(case, release, options(), executor_factory=serial)
    assert report.done == (1, 2, 3) and not report.failures and not report.cancelled
    [word] = page_words(case, release, 2, options())
    # The printed lines start at x=72 pt, first baseline at y=110 pt and the
    # last line ends near y=240 pt: the fake's one word boxes that ink.
    assert word.source == "ocr" and word.page == 2
    assert 70 <= word.box.x0 <= 75 and 95 <= word.box.y0 <= 102
    assert 230 <= word.box.y1 <= 250 and word.box.x1 > 300


def test_second_run_reads_nothing_and_cache_key_has_dpi_and_languages(
    case: Case, tmp_path: Path
) -> None:
    release = add(case, make_scanned_pdf(tmp_path / "s.pdf", 2))
    run_ocr(case, release, options(), executor_factory=serial)
    again = run_ocr(case, release, options(), executor_factory=serial)
    assert again.done == () and again.cached == (1, 2)
    other_dpi = run_ocr(
        case, release, OcrOptions(dpi=60, engine=FakeEngine()), executor_factory=serial
    )
    assert other_dpi.done == (1, 2)
    spa = FakeEngine(languages=("eng", "spa"))
    assert run_ocr(case, release, options(spa, lang="eng+spa"), executor_factory=serial).done == (
        1,
        2,
    )
    assert case.ocr_cache.count(release.sha256) == 6


def test_cache_survives_reopening_the_case(tmp_path: Path) -> None:
    pdf = make_scanned_pdf(tmp_path / "s.pdf", 2)
    with Case.open(tmp_path / "c.rvcase", create=True) as first:
        run_ocr(first, add(first, pdf), options(), executor_factory=serial)
    with Case.open(tmp_path / "c.rvcase") as second:
        report = run_ocr(second, add(second, pdf), options(), executor_factory=serial)
    assert report.cached == (1, 2) and report.done == ()


def test_failing_page_is_retried_once_and_then_reported(case: Case, tmp_path: Path) -> None:
    release = add(case, make_scanned_pdf(tmp_path / "s.pdf", 3, dark_page=2))
    engine = CrashingEngine(state_dir=str(tmp_path), fail_times=99)
    report = run_ocr(case, release, options(engine), executor_factory=serial)
    assert report.done == (1, 3)
    [failure] = report.failures
    assert failure.page == 2 and failure.attempts == 2 and "crashed" in failure.error
    assert report.missing == (2,)


def test_page_that_fails_once_succeeds_on_retry(case: Case, tmp_path: Path) -> None:
    release = add(case, make_scanned_pdf(tmp_path / "s.pdf", 3, dark_page=2))
    engine = CrashingEngine(state_dir=str(tmp_path), fail_times=1)
    report = run_ocr(case, release, options(engine), executor_factory=serial)
    assert report.done == (1, 2, 3) and not report.failures


def test_hung_engine_is_stopped_by_the_page_timeout(case: Case, tmp_path: Path) -> None:
    release = add(case, make_scanned_pdf(tmp_path / "s.pdf", 1))
    report = run_ocr(
        case, release, options(SlowEngine(seconds=30), timeout_s=0.4), executor_factory=serial
    )
    [failure] = report.failures
    assert "timed out" in failure.error and failure.attempts == 2
    assert report.seconds < 10


def test_cancel_keeps_the_finished_pages(case: Case, tmp_path: Path) -> None:
    release = add(case, make_scanned_pdf(tmp_path / "s.pdf", 4))
    token = CancelToken()
    seen: list[Progress] = []

    def on_progress(progress: Progress) -> None:
        seen.append(progress)
        if progress.done == 2:
            token.cancel()

    report = run_ocr(
        case, release, options(), progress=on_progress, cancel=token, executor_factory=serial
    )
    assert report.cancelled and report.done == (1, 2) and report.missing == (3, 4)
    assert [p.total for p in seen] == [4, 4] and seen[0].eta_s is not None
    assert case.ocr_cache.get_many(ocr_key(release, options()), [1, 2, 3, 4]).keys() == {1, 2}
    resumed = run_ocr(case, release, options(), executor_factory=serial)
    assert resumed.cached == (1, 2) and resumed.done == (3, 4)


def test_missing_language_is_refused_before_any_work(case: Case, tmp_path: Path) -> None:
    release = add(case, make_scanned_pdf(tmp_path / "s.pdf", 1))
    with pytest.raises(OcrUnavailableError, match="spa"):
        run_ocr(case, release, options(lang="eng+spa"), executor_factory=serial)
    assert case.ocr_cache.count(release.sha256) == 0


def test_born_digital_needs_no_engine_unless_forced(case: Case, tmp_path: Path) -> None:
    release = add(case, make_born_digital_pdf(tmp_path / "d.pdf"))
    unusable = FakeEngine(languages=())  # check() raises for every language
    report = run_ocr(case, release, options(unusable), executor_factory=serial)
    assert report.wanted == () and report.done == ()
    words = page_words(case, release, 1, options(unusable))
    assert words[0].text == "MEMORANDUM" and words[0].source == "text"
    forced = run_ocr(case, release, options(force=True), executor_factory=serial)
    assert forced.done == (1,)


@pytest.mark.slow
def test_worker_process_crash_is_isolated_to_its_page(case: Case, tmp_path: Path) -> None:
    release = add(case, make_scanned_pdf(tmp_path / "s.pdf", 4, dark_page=3))
    engine = CrashingEngine(hard=True)
    report = run_ocr(case, release, options(engine, jobs=2), executor_factory=ProcessPoolExecutor)
    assert report.done == (1, 2, 4)
    [failure] = report.failures
    assert failure.page == 3 and "process crashed" in failure.error
