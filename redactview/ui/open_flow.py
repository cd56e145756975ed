"""Opening files in the window: cases at once, PDFs first page first.

A bare PDF is shown in two steps, both on the PDF lane: a look at page 1
(its size and the page count, milliseconds even for 500 pages), shown at once
with the other pages sized like it; then the full read (hash, every page's
size and text status) that makes or finds its case, after which the real
layout replaces the provisional one at the page the user has reached.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QSpinBox

from redactview.core.model import DocumentInfo, PageInfo
from redactview.errors import CancelledError, EncryptedPdfError
from redactview.ui import opening
from redactview.ui.case_safety import open_case_interactively
from redactview.ui.catalog import CatalogPanel
from redactview.ui.error_dialog import show_error
from redactview.ui.inspector import Inspector
from redactview.ui.page_view import PageView
from redactview.ui.passwords import PasswordKeeper
from redactview.ui.preferences import Preferences, save_preferences
from redactview.ui.releases_panel import ReleasesPanel
from redactview.ui.render_service import RenderService
from redactview.ui.session import CaseSession
from redactview.ui.tasks import TaskContext, TaskHandle, TaskManager
from redactview.ui.thumbnails import ThumbnailPanel

_READ_AFTER_MS = 1000  # the full read waits at most this long for page 1 to be drawn
PDF_FILTER = "PDF files and cases (*.pdf *.rvcase);;PDF files (*.pdf);;Cases (*.rvcase)"


class OpenMixin(QMainWindow):
    case_opened = Signal(object)  # CaseSession
    first_page_shown = Signal(object)  # Path of a PDF whose page 1 is on screen
    session: CaseSession | None
    prefs: Preferences
    tasks: TaskManager
    passwords: PasswordKeeper
    renderer: RenderService
    page_view: PageView
    thumbs: ThumbnailPanel
    inspector: Inspector
    releases: ReleasesPanel
    catalog: CatalogPanel
    page_spin: QSpinBox
    readonly_banner: QLabel
    _reading: TaskHandle | None = None

    # Provided by MainWindow and ReviewMixin (annotations only: a stub here would
    # shadow them, this mixin being first in the window's bases).
    close_case: Callable[[], None]
    show_release: Callable[[int], None]
    _update_title: Callable[[], None]
    _update_actions: Callable[[], None]
    _on_changed: Callable[[Any], None]
    _on_step_dropped: Callable[[str, str], None]

    # -- PDFs -----------------------------------------------------------------------------
    def open_dialog(self) -> None:
        start = str(Path(self.prefs.recent_files[0]).parent) if self.prefs.recent_files else ""
        path, _ = QFileDialog.getOpenFileName(self, "Open a release or case", start, PDF_FILTER)
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path) -> TaskHandle | None:
        """Open a case file now, or a PDF in the background (returns its first task).

        The first task looks at page 1; when it ends, a second one
        (``self._reading``) reads every page and opens the case.
        """
        if opening.is_case_file(path):
            self.open_case(path)
            return None
        self._remember(path)
        return self.run_with_password(
            path,
            f"Opening {path.name}",
            lambda ctx, password: (opening.look_at_first_page(path, ctx, password), password),
            lambda found: self._on_first_look(*found),
            self._on_open_failed,
        )

    def run_with_password(
        self,
        path: Path,
        label: str,
        work: Callable[[TaskContext, str | None], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None],
    ) -> TaskHandle:
        """Run a PDF job; if the PDF wants a password, ask (again if wrong) and rerun it."""
        password = self.passwords.get(path)

        def on_failure(exc: BaseException) -> None:
            if isinstance(exc, EncryptedPdfError) and self.passwords.ask(path, self) is not None:
                self.run_with_password(path, label, work, done, failed)
                return
            failed(exc)

        return (
            self.tasks.op(lambda ctx: work(ctx, password), label)
            .success(done)
            .failure(on_failure)
            .run()
        )

    def _on_first_look(self, look: opening.FirstLook, password: str | None) -> None:
        """Page 1 is known: show it, and read every page once it is drawn.

        The full read holds the GIL for seconds on a large file (MuPDF calls),
        which starved the delivery of page 1's image: so it starts when page 1
        has arrived, or after a second at most.
        """
        self._show_first_look(look)
        key = str(look.path.resolve())
        started = [False]

        def start(*_args: object) -> None:
            if started[0]:
                return
            started[0] = True
            self.renderer.rendered.disconnect(on_rendered)
            self._read_all_pages(look.path, password)

        def on_rendered(rendered_key: Any, _image: object) -> None:
            if rendered_key.path == key and rendered_key.page == 1:
                start()

        self.renderer.rendered.connect(on_rendered)
        QTimer.singleShot(_READ_AFTER_MS, start)

    def _read_all_pages(self, path: Path, password: str | None) -> None:
        self._reading = (
            self.tasks.op(
                lambda ctx: opening.open_pdf_as_case(path, ctx, password),
                f"Reading the pages of {path.name}",
            )
            # The PDF is what the user opened (and is in Recent), not its case.
            .success(
                lambda opened: self.open_case(
                    opened.case_path,
                    opened.release_id,
                    remember=False,
                    verified=path,
                    pages=opened.pages,
                )
            )
            .failure(self._on_open_failed)
            .run()
        )

    def _show_first_look(self, look: opening.FirstLook) -> None:
        """Page 1 on screen now; the real case follows when every page is read."""
        self.close_case()
        pages = look.provisional_pages()
        key = str(look.path.resolve())
        self.page_view.set_document(key, pages)
        # Thumbnails in the next event: building both lists in one go was the
        # longest GUI stall of opening a 500-page scan.
        QTimer.singleShot(0, lambda: self._show_first_thumbnails(key, pages))
        self.page_spin.setMaximum(max(len(pages), 1))
        self.statusBar().showMessage(
            f"{look.path.name}: page 1 of {look.page_count} shown; reading the others…"
        )
        self.first_page_shown.emit(look.path)

    def _show_first_thumbnails(self, key: str, pages: list[PageInfo]) -> None:
        shown = self.page_view.pages[0].path if self.page_view.pages else ""
        # Still this file, and the real pages (the case) have not been listed meanwhile.
        if shown == key and self.thumbs.document() != key:
            self.thumbs.set_document(key, pages)

    def _on_open_failed(self, exc: BaseException) -> None:
        if self.session is None:  # nothing else to show: drop the provisional pages
            self.page_view.set_document("", [])
            self.thumbs.set_document("", [])
        self.statusBar().clearMessage()
        if not isinstance(exc, CancelledError):
            show_error(exc, self)

    # -- cases ----------------------------------------------------------------------------
    def open_case(
        self,
        path: Path,
        release_id: int | None = None,
        *,
        remember: bool = True,
        verified: Path | None = None,
        pages: tuple[PageInfo, ...] = (),
    ) -> None:
        """Open a case; ``verified``: the PDF of ``release_id``, just hashed by the open job,
        ``pages``: that release's pages, just read by it."""
        self.close_case()
        try:
            case = open_case_interactively(path, self)
        except Exception as exc:
            show_error(exc, self)
            return
        if case is None:
            return
        self.session = CaseSession(case, self)
        self.session.changed.connect(self._on_changed)
        self.session.step_dropped.connect(self._on_step_dropped)
        if verified is not None and release_id is not None:
            self.session.mark_located(release_id, verified.resolve())
            if pages:
                self.session.seed_pages(release_id, list(pages))
        if remember:
            self._remember(path)
        self.statusBar().clearMessage()
        self.readonly_banner.setVisible(case.readonly)
        self.readonly_banner.setText(
            f"Read-only: {case.path.name} is shown as it is; nothing you do here is saved."
        )
        self.inspector.set_session(self.session)
        self.releases.set_session(self.session)
        self.catalog.set_rows(self.session.catalog_rows())
        releases = self.session.releases()
        if releases:
            self.show_release(release_id or releases[0].id)
        self._update_title()
        self._update_actions()
        self.case_opened.emit(self.session)

    def add_release_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Add a release to the case", "", "PDF files (*.pdf)"
        )
        if path:
            self.add_release(Path(path))

    def add_release(self, pdf: Path) -> TaskHandle | None:
        if self.session is None:
            return self.open_path(pdf)
        return self.run_with_password(
            pdf,
            f"Adding {pdf.name}",
            lambda ctx, password: opening.inspect_for_case(pdf, ctx, password),
            self._on_release_inspected,
            self._on_open_failed,
        )

    def _on_release_inspected(self, info: DocumentInfo) -> None:
        if self.session is None:
            return
        if self.session.case.readonly:
            self.statusBar().showMessage("This case is open read-only: no release added.", 8000)
            return
        release = self.session.case.add_release(info)
        self.session.reload()
        self.show_release(release.id)

    def _remember(self, path: Path) -> None:
        self.prefs = self.prefs.with_recent(str(path.resolve()))
        try:
            save_preferences(self.prefs)
        except Exception as exc:  # not worth stopping an open for
            self.statusBar().showMessage(str(exc), 8000)
