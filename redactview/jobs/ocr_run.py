"""Running OCR over a release: parallel, cached, retried once, cancelable.

The coordinator (this process) alone touches the case: it looks pages up in
the OCR cache, hands the rest to the executor one page per task, stores each
result the moment it arrives (so a cancel or a crash keeps every finished
page), retries a failed page once, and reports what still failed.

A worker that dies outright (a segfault) breaks the whole process pool and
takes its in-flight pages with it. Those pages are retried one at a time in
a fresh pool, so a page that crashes again is identified and reported while
the pages that were merely beside it succeed.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from redactview.core.model import PageInfo, Release, TextStatus
from redactview.core.progress import CancelToken, ProgressSink, ProgressTracker, ignore_progress
from redactview.errors import CancelledError, OcrUnavailableError
from redactview.jobs.dask_executor import WorkerLostError
from redactview.jobs.executor import (
    Executor,
    default_jobs,
    make_executor,
)
from redactview.jobs.ocr_page import OcrPageResult, OcrPageTask, ocr_page
from redactview.jobs.page_index import merge_words, read_text_layer, source_of
from redactview.ocr.engine import OcrEngine, TesseractEngine
from redactview.store.case import Case
from redactview.store.ocr_cache import CachedPage, OcrKey

T = TypeVar("T")
R = TypeVar("R")

MAX_ATTEMPTS = 2  # a failed page is retried once, then reported
_CRASHED = "the OCR worker process crashed on this page"
_KILLED = "every Dask worker that read this page died"


class EngineMismatchError(OcrUnavailableError):
    """A worker's OCR engine is not the coordinator's (a Dask worker with another Tesseract)."""


@dataclass(frozen=True, slots=True)
class OcrOptions:
    lang: str = "eng"
    dpi: int = 300
    jobs: int | None = None  # None: one per core
    force: bool = False  # OCR every page (even born-digital ones), ignoring the cache
    timeout_s: float = 180.0  # per page
    engine: OcrEngine = field(default_factory=TesseractEngine)
    password: str | None = None


@dataclass(frozen=True, slots=True)
class PageFailure:
    page: int
    error: str
    attempts: int


@dataclass(frozen=True, slots=True)
class OcrRunReport:
    release_id: int
    engine_version: str
    wanted: tuple[int, ...]  # pages that need (or were forced to) OCR
    done: tuple[int, ...]  # OCR'd in this run
    cached: tuple[int, ...]  # found in the cache
    failures: tuple[PageFailure, ...]
    cancelled: bool
    seconds: float

    @property
    def missing(self) -> tuple[int, ...]:
        """Pages that needed OCR and have no words yet (failed or cancelled)."""
        have = set(self.done) | set(self.cached)
        return tuple(p for p in self.wanted if p not in have)


ExecutorFactory = Callable[[int], Executor]


def select_ocr_pages(pages: list[PageInfo], force: bool) -> list[int]:
    """Pages to OCR: scans, junk layers and mixed pages; every page when forced."""
    if force:
        return [p.number for p in pages]
    wanted = (TextStatus.NEEDS_OCR, TextStatus.MIXED)
    return [p.number for p in pages if p.text_status in wanted]


def ocr_key(release: Release, options: OcrOptions) -> OcrKey:
    return OcrKey(release.sha256, options.engine.version(), options.lang, options.dpi)


def run_ocr(
    case: Case,
    release: Release,
    options: OcrOptions | None = None,
    *,
    progress: ProgressSink = ignore_progress,
    cancel: CancelToken | None = None,
    executor_factory: ExecutorFactory = make_executor,
    pages: Collection[int] | None = None,
) -> OcrRunReport:
    """OCR the pages of ``release`` that need it; returns what was done and what failed.

    ``pages`` limits the run to some pages (1-based); by default all of them.

    Raises ``OcrUnavailableError`` before any work if the engine or a language
    is missing. Cancelling returns a report with ``cancelled`` set; every page
    finished until then is in the case.
    """
    options = options or OcrOptions()
    start = time.monotonic()
    wanted = select_ocr_pages(case.pages(release.id), options.force)
    wanted = [p for p in wanted if pages is None or p in pages]
    if not wanted:  # born-digital: nothing to do, and Tesseract need not even exist
        return OcrRunReport(release.id, "", (), (), (), (), False, time.monotonic() - start)
    options.engine.check(options.lang)
    key = ocr_key(release, options)
    runner = _Runner(case, release, options, key, progress, cancel, executor_factory, wanted)
    cached, todo = runner.split_cached()
    cancelled = False
    try:
        runner.run_all(todo)
    except CancelledError:
        cancelled = True
    return OcrRunReport(
        release.id,
        key.engine_version,
        tuple(runner.wanted),
        tuple(sorted(runner.done)),
        tuple(sorted(cached)),
        tuple(sorted(runner.failures.values(), key=lambda f: f.page)),
        cancelled,
        time.monotonic() - start,
    )


class OneAtATimeExecutor:
    """One worker process, one task in flight: after a crash, the page that died is known.

    The process is kept between tasks and replaced only when it dies.
    """

    in_process = False

    def worker_count(self) -> int:
        return 1

    def __init__(self) -> None:
        self._pool: cf.ProcessPoolExecutor | None = None

    def __enter__(self) -> OneAtATimeExecutor:
        return self

    def __exit__(self, *_: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def map_unordered(
        self, fn: Callable[[T], R], tasks: Iterable[T], cancel: CancelToken | None = None
    ) -> Iterator[R]:
        for task in tasks:
            if cancel is not None:
                cancel.raise_if_cancelled()
            if self._pool is None:
                context = multiprocessing.get_context("spawn")
                self._pool = cf.ProcessPoolExecutor(max_workers=1, mp_context=context)
            try:
                result = self._pool.submit(fn, task).result()
            except BrokenProcessPool:
                self._pool.shutdown(wait=False)
                self._pool = None
                raise
            yield result


@dataclass
class _Round:
    errored: list[tuple[int, str]] = field(default_factory=list)
    crashed: list[int] = field(default_factory=list)
    not_started: list[int] = field(default_factory=list)
    suspects: list[int] = field(default_factory=list)  # Dask gave up on them, not alone


class _Runner:
    """The state of one run: attempts per page, what is done, what failed."""

    def __init__(
        self,
        case: Case,
        release: Release,
        options: OcrOptions,
        key: OcrKey,
        progress: ProgressSink,
        cancel: CancelToken | None,
        executor_factory: ExecutorFactory,
        wanted: list[int],
    ) -> None:
        self.case, self.release, self.options, self.key = case, release, options, key
        self.cancel = cancel
        self.executor_factory = executor_factory
        # Absolute: a Dask worker with another working directory must find it.
        self.pdf_path = str(Path(case.locate_release(release)).resolve())
        self.status = {p.number: p.text_status for p in case.pages(release.id)}
        self.wanted = wanted
        self.attempts: dict[int, int] = {}
        self.done: set[int] = set()
        self.failures: dict[int, PageFailure] = {}
        self.tracker = ProgressTracker(0, progress, "OCR")

    def split_cached(self) -> tuple[list[int], list[int]]:
        """Pages already in the cache (indexed for search if not yet), and the rest."""
        if self.options.force:
            return [], list(self.wanted)
        hits = self.case.ocr_cache.get_many(self.key, self.wanted)
        indexed = self.case.search.indexed_pages(self.release.id)
        for page, cached in hits.items():
            if page not in indexed:
                self.index(cached)
        return sorted(hits), [p for p in self.wanted if p not in hits]

    def run_all(self, todo: list[int]) -> None:
        """Batch rounds until every page succeeded or used up its attempts."""
        self.tracker.total = len(todo)
        batch: list[int] = list(todo)
        isolated: list[int] = []
        alone: list[int] = []
        with OneAtATimeExecutor() as one_at_a_time:
            while batch or isolated or alone:
                if self.cancel is not None:
                    self.cancel.raise_if_cancelled()
                if batch:
                    executor = self.executor_factory(self.jobs_for(batch))
                    outcome = self.run_round(batch, executor)
                    batch = list(outcome.not_started)
                elif alone:
                    # A page Dask gave up on while others ran beside it: the worker
                    # may have died of a neighbour. Run by itself, it is judged.
                    outcome = self.run_round(alone[:1], self.executor_factory(1))
                    alone = alone[1:] + list(outcome.not_started)
                else:
                    # Only a process pool breaks; suspects rerun one at a time in
                    # a pool of their own, so a crash names its page.
                    outcome = self.run_round(isolated, one_at_a_time)
                    isolated = list(outcome.not_started)
                alone += outcome.suspects
                for page, error in outcome.errored:
                    if not self.give_up(page, error):
                        batch.append(page)
                for page in outcome.crashed:
                    if not self.give_up(page, _CRASHED):
                        isolated.append(page)

    def jobs_for(self, pages: list[int]) -> int:
        return max(1, min(self.options.jobs or default_jobs(), len(pages)))

    def run_round(self, pages: list[int], executor: Executor) -> _Round:
        started: list[int] = []
        finished: set[int] = set()
        outcome = _Round()
        try:
            for result in executor.map_unordered(ocr_page, self.tasks(pages, started), self.cancel):
                if result.mismatch:
                    raise EngineMismatchError(result.mismatch)
                finished.add(result.page)
                if result.ok:
                    self.store(result)
                else:
                    outcome.errored.append((result.page, result.error))
        except BrokenProcessPool:
            outcome.crashed = [p for p in started if p not in finished]
            outcome.not_started = [p for p in pages if p not in finished and p not in started]
        except WorkerLostError as exc:
            # Dask already ran this page on other workers and they died too. Run
            # alone, it fails now; with others in flight beside it, a neighbour may
            # have killed those workers (Dask gives up on every task a dying worker
            # held), so it is run again by itself. The others run again.
            lost = exc.task.page if isinstance(exc.task, OcrPageTask) else None
            beside = [p for p in started if p not in finished and p != lost]
            for page in beside:
                self.attempts[page] -= 1  # cut short through no fault of its own
            if lost is not None and beside:
                self.attempts[lost] -= 1
                outcome.suspects = [lost]
            elif lost is not None:
                self.attempts[lost] = MAX_ATTEMPTS
                outcome.errored = [(lost, _KILLED)]
            outcome.not_started = [p for p in pages if p not in finished and p != lost]
        return outcome

    def tasks(self, pages: list[int], started: list[int]) -> Iterator[OcrPageTask]:
        """Tasks made lazily, so ``started`` says which pages a broken pool had taken."""
        for page in pages:
            self.attempts[page] = self.attempts.get(page, 0) + 1
            started.append(page)
            yield OcrPageTask(
                self.pdf_path,
                page,
                self.options.lang,
                self.options.dpi,
                self.options.engine,
                self.options.timeout_s,
                self.attempts[page],
                self.options.password,
                self.key.engine_version,
            )

    def give_up(self, page: int, error: str) -> bool:
        """Record a failed attempt; True if the page has no attempts left."""
        attempts = self.attempts.get(page, 1)
        if attempts < MAX_ATTEMPTS:
            return False
        self.failures[page] = PageFailure(page, error, attempts)
        self.tracker.step(message=f"page {page} failed")
        return True

    def store(self, result: OcrPageResult) -> None:
        cached = CachedPage(result.page, result.words, result.rotation, result.seconds)
        self.case.ocr_cache.put(self.key, cached)
        self.index(cached)
        self.done.add(result.page)
        self.failures.pop(result.page, None)
        self.tracker.step(message=f"page {result.page}")

    def index(self, cached: CachedPage) -> None:
        status = self.status.get(cached.page, TextStatus.NEEDS_OCR)
        words = list(cached.words)
        if status in (TextStatus.MIXED, TextStatus.TEXT):
            text = read_text_layer(self.pdf_path, [cached.page], self.options.password)
            words = merge_words(text[cached.page], words)
        self.case.search.index_page(self.release.id, cached.page, source_of(status, True), words)
