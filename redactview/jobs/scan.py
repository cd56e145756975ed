"""The batch runner for detection: every page of every release, in worker processes.

Workers run ``analysis.pipeline.analyze_open_page`` on runs of pages (one
task per run, sized by ``jobs.chunks``, the PDF kept open between tasks) and
return values; this coordinating process alone writes to the case (SQLite has
one writer), one transaction per run. A
cancelled run keeps every finished page. With a case, pages whose detection
already finished (``pages.detected_at``) are skipped unless ``rescan`` is set.

Many files go through one task stream (``scan_documents``): one pool (or one
Dask client) serves them all, so a folder of a thousand one-page PDFs keeps
every worker busy instead of starting a pool per file. Files are opened
lazily, as the executor asks for more tasks, so the coordinator inspects the
next file while the workers analyse pages of the previous one. A file that
cannot be opened is recorded as a failure and the others go on.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from redactview.analysis.pipeline import (
    DEFAULT_DPI,
    PageResult,
    PageTask,
    analyze_open_page,
    use_one_thread,
)
from redactview.core.catalog import CatalogDocument
from redactview.core.exemptions import DEFAULT_JURISDICTIONS
from redactview.core.model import DocumentInfo, Redaction, Release
from redactview.core.progress import CancelToken, ProgressSink, ProgressTracker, ignore_progress
from redactview.errors import InputMissingError, PdfError, RedactviewError
from redactview.jobs.chunks import ChunkPlanner
from redactview.jobs.dask_executor import WorkerLostError
from redactview.jobs.executor import Executor, SerialExecutor
from redactview.pdf.document import mupdf_errors
from redactview.pdf.held import PdfDocument, close_held, drop_decoded_images, held_pdf
from redactview.pdf.info import inspect_document
from redactview.store.case import Case


@dataclass(frozen=True, slots=True)
class ScanOptions:
    dpi: float = DEFAULT_DPI
    password: str | None = None
    ocr: bool = True
    rescan: bool = False  # redo pages a case says are done
    jurisdictions: tuple[str, ...] = DEFAULT_JURISDICTIONS  # the tables labels cite


@dataclass(frozen=True, slots=True)
class ScanReport:
    document: CatalogDocument
    # Pages analysed in this run, in page order. Their ``words`` are dropped: the
    # coordinator would otherwise hold every text-layer word of a 10,000-page dump.
    results: tuple[PageResult, ...]
    skipped_pages: tuple[int, ...]  # already detected (resumed from the case)
    warnings: tuple[str, ...]
    # (page, reason): pages that could not be analysed (over a size limit,
    # damaged content). Not marked done, so a resumed run tries them again.
    unread_pages: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ScanFailure:
    """A file that could not be scanned at all (missing, not a PDF, damaged, encrypted)."""

    path: str
    error: RedactviewError


@dataclass(frozen=True, slots=True)
class BatchReport:
    reports: tuple[ScanReport, ...]  # one per scanned file, in input order
    failures: tuple[ScanFailure, ...]  # in input order
    notes: tuple[str, ...] = ()  # e.g. a file skipped as a copy of another


@dataclass(frozen=True, slots=True)
class DocChunkTask:
    """A run of pages of the ``doc``-th file of a batch; small and picklable.

    One task per run of pages, not per page: the worker opens the PDF once for
    the run (and keeps it for the next run of the same file), the pool's
    per-task cost is paid once, and the coordinator stores the run in one
    transaction.
    """

    doc: int
    pages: tuple[PageTask, ...]
    one_thread: bool = True  # in a worker process: OpenCV on one thread


@dataclass(frozen=True, slots=True)
class DocChunkResult:
    doc: int
    results: tuple[PageResult, ...]
    unread: tuple[tuple[int, str], ...] = ()  # (page, reason) of the pages skipped


def analyze_page_or_skip(task: PageTask, doc: PdfDocument) -> tuple[PageResult, str]:
    """One bad page (oversized, a decompression bomb, damaged content) is reported; the run goes on.

    Returns the result and, for a skipped page, why ("" otherwise).
    """
    try:
        with mupdf_errors(f"page {task.page}"):
            return analyze_open_page(task, doc), ""
    except PdfError as exc:
        return PageResult(task.page, (), (), (), (f"{exc.message} (page skipped)",)), exc.message


def analyze_doc_chunk(task: DocChunkTask) -> DocChunkResult:
    """The worker function of a batch: a run of pages of one file, tagged with the file.

    The file is opened (or found open from the previous task) outside the
    per-page guard: a worker that cannot open it at all (a Dask worker
    without the shared disk) stops the run with that error.
    """
    if task.one_thread:
        use_one_thread()
    first = task.pages[0]
    doc = held_pdf(first.path, first.sha256, first.password)
    try:
        done = [analyze_page_or_skip(page, doc) for page in task.pages]
    finally:
        drop_decoded_images()
    unread = tuple((result.page, why) for result, why in done if why)
    return DocChunkResult(task.doc, tuple(result for result, _ in done), unread)


@dataclass
class _OpenDoc:
    """Coordinator-side state of one file of the batch."""

    info: DocumentInfo
    release: Release | None
    skipped: tuple[int, ...]
    results: list[PageResult] = field(default_factory=list)
    unread: list[tuple[int, str]] = field(default_factory=list)


class _Batch:
    def __init__(
        self,
        paths: Sequence[str | Path],
        options: ScanOptions,
        case: Case | None,
        progress: ProgressSink,
        executor: Executor,
    ) -> None:
        self.paths = list(paths)
        self.options = options
        self.case = case
        self.executor = executor
        self.chunks = ChunkPlanner()
        # The total grows as files are opened: it is not known before the last one.
        self.tracker = ProgressTracker(0, progress, "scan")
        self.docs: dict[int, _OpenDoc] = {}
        self.failures: list[ScanFailure] = []
        self.notes: list[str] = []
        self._first_path: dict[str, str] = {}  # sha256 -> path of its first copy
        # Tasks handed out and not stored yet, by (file, first page); and tasks
        # to hand out again first (cut short when a Dask worker was lost).
        self.issued: dict[tuple[int, int], DocChunkTask] = {}
        self.requeued: list[DocChunkTask] = []
        # Pages Dask gave up on while others ran beside them: each is run by
        # itself before it is blamed (``tried_alone``: those that were).
        self.suspects: list[DocChunkTask] = []
        self.tried_alone: set[tuple[int, int]] = set()

    def next_suspect(self) -> DocChunkTask | None:
        """A page to run by itself before the round goes on, if any."""
        if not self.suspects:
            return None
        task = self.suspects.pop(0)
        self.tried_alone.add((task.doc, task.pages[0].page))
        return self.issue(task)

    def round_tasks(self, fresh: Iterator[DocChunkTask]) -> Iterator[DocChunkTask]:
        """The tasks of one executor run: those to redo first, then new ones."""
        while self.requeued:
            yield self.issue(self.requeued.pop(0))
        for task in fresh:
            yield self.issue(task)

    def issue(self, task: DocChunkTask) -> DocChunkTask:
        self.issued[(task.doc, task.pages[0].page)] = task
        return task

    def lose(self, lost: DocChunkTask, reason: str) -> None:
        """Dask's workers kept dying on ``lost``: find the page that kills them.

        The tasks that were out beside it are handed out again. A lost run of
        pages is retried page by page, and a page lost beside others is run by
        itself (Dask gives up on every task a dying worker held, so it may have
        died of a neighbour): only the page that kills its workers when alone
        is given up (skipped with ``reason``, not marked done).
        """
        key = (lost.doc, lost.pages[0].page)
        self.issued.pop(key, None)
        beside = list(self.issued.values())
        self.requeued += beside
        self.issued.clear()
        if len(lost.pages) > 1:
            self.requeued += [dataclasses.replace(lost, pages=(page,)) for page in lost.pages]
            return
        if beside and key not in self.tried_alone:
            self.suspects.append(lost)
            return
        page = lost.pages[0].page
        why = f"page {page}: {reason}"
        result = PageResult(page, (), (), (), (f"{why} (page skipped)",))
        self.store(DocChunkResult(lost.doc, (result,), ((page, why),)))

    def tasks(self) -> Iterator[DocChunkTask]:
        """Open each file when the executor wants more work; yield runs of its pages still to do."""
        for index, path in enumerate(self.paths):
            doc = self.open(path)
            if doc is None:
                continue
            self.docs[index] = doc
            skipped = set(doc.skipped)
            todo = [n for n in range(1, doc.info.page_count + 1) if n not in skipped]
            self.tracker.total += len(todo)
            # Absolute, so that a Dask worker with another working directory finds it.
            where = str(Path(doc.info.path).resolve())
            opts = self.options
            pages = [
                PageTask(
                    where, n, doc.info.sha256, opts.dpi, opts.password, opts.ocr, opts.jurisdictions
                )
                for n in todo
            ]
            start = 0
            while start < len(pages):
                # Sized when the executor asks, so it follows the pace measured so far.
                size = self.chunks.size(len(pages) - start, self.executor.worker_count())
                run = tuple(pages[start : start + size])
                start += size
                yield DocChunkTask(index, run, one_thread=not self.executor.in_process)

    def open(self, path: str | Path) -> _OpenDoc | None:
        try:
            info = inspect_document(path, self.options.password)
        except (PdfError, InputMissingError) as exc:
            self.failures.append(ScanFailure(str(path), exc))
            return None
        first = self._first_path.setdefault(info.sha256, str(path))
        if first != str(path):
            self.notes.append(f"{path}: same content as {first}; scanned once")
            return None
        release = self.case.add_release(info) if self.case is not None else None
        done: set[int] = set()
        if self.case is not None and release is not None and not self.options.rescan:
            done = self.case.redactions.detected_pages(release.id)
        return _OpenDoc(info, release, tuple(sorted(done)))

    def store(self, item: DocChunkResult) -> None:
        """A run of pages into the case, in one transaction; progress page by page."""
        doc = self.docs[item.doc]
        self.issued.pop((item.doc, item.results[0].page), None)
        if self.case is not None and doc.release is not None:
            self.case.redactions.replace_detected_pages(
                doc.release.id, [(r.page, r.redactions, not r.warnings) for r in item.results]
            )
        doc.unread += item.unread
        for result in item.results:
            self.chunks.record(sum(seconds for _, seconds in result.timings))
            doc.results.append(dataclasses.replace(result, words=()))
            self.tracker.step(message=f"{Path(doc.info.path).name} page {result.page}")

    def reports(self) -> tuple[ScanReport, ...]:
        return tuple(self.report(self.docs[i]) for i in sorted(self.docs))

    def report(self, doc: _OpenDoc) -> ScanReport:
        doc.results.sort(key=lambda r: r.page)
        release_id = doc.release.id if doc.release else None
        document = CatalogDocument(
            doc.info.path,
            doc.info.sha256,
            doc.info.page_count,
            _all_redactions(self.case, release_id, doc.results),
            doc.release.label if doc.release else Path(doc.info.path).stem,
            release_id,
        )
        warnings = tuple(dict.fromkeys(w for r in doc.results for w in r.warnings))
        unread = tuple(sorted(doc.unread))
        return ScanReport(document, tuple(doc.results), doc.skipped, warnings, unread)


def scan_documents(
    paths: Sequence[str | Path],
    *,
    options: ScanOptions | None = None,
    case: Case | None = None,
    executor: Executor | None = None,
    progress: ProgressSink = ignore_progress,
    cancel: CancelToken | None = None,
    worker: Callable[[DocChunkTask], DocChunkResult] = analyze_doc_chunk,
) -> BatchReport:
    """Detect redactions on every page of many PDFs through one executor.

    Files that cannot be opened become ``failures``; the others go on. A
    cancel raises ``CancelledError`` once the pages in flight are in; with a
    case every finished page is stored and a later run resumes after it.
    A page on which Dask workers keep dying is skipped; the run goes on.
    ``worker`` is the function the executor runs (a seam for tests).
    """
    executor = executor or SerialExecutor()
    batch = _Batch(paths, options or ScanOptions(), case, progress, executor)
    fresh = batch.tasks()
    try:
        while True:
            try:
                while (suspect := batch.next_suspect()) is not None:
                    for item in executor.map_unordered(worker, [suspect], cancel):
                        batch.store(item)
                for item in executor.map_unordered(worker, batch.round_tasks(fresh), cancel):
                    batch.store(item)
                break
            except WorkerLostError as exc:
                if not isinstance(exc.task, DocChunkTask):
                    raise
                batch.lose(exc.task, "every Dask worker that analysed this page died")
    finally:
        if executor.in_process:
            close_held()  # this process is no worker: do not keep the file open
    return BatchReport(batch.reports(), tuple(batch.failures), tuple(batch.notes))


def scan_document(
    path: str | Path,
    *,
    options: ScanOptions | None = None,
    case: Case | None = None,
    executor: Executor | None = None,
    progress: ProgressSink = ignore_progress,
    cancel: CancelToken | None = None,
) -> ScanReport:
    """Detect redactions on every page of one PDF; store them in ``case`` if given.

    Raises the file's error if it cannot be opened.
    """
    batch = scan_documents(
        [path], options=options, case=case, executor=executor, progress=progress, cancel=cancel
    )
    if batch.failures:
        raise batch.failures[0].error
    return batch.reports[0]


def _all_redactions(
    case: Case | None, release_id: int | None, results: list[PageResult]
) -> tuple[Redaction, ...]:
    """With a case, the catalog is what the case holds: resumed pages and manual boxes too."""
    if case is not None and release_id is not None:
        return tuple(case.redactions.list(release_id))
    return tuple(r for result in results for r in result.redactions)
