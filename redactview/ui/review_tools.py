"""Compare, candidate fitting and the Leaks dock, as the window runs them.

Compare and fit use PyMuPDF, so both go through the task manager's PDF lane
(one PyMuPDF job at a time); compare writes links, so it also holds the
window's own edits while it runs, like scan and OCR do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QMainWindow, QTabWidget

from redactview.core.model import RedactionLink, Release
from redactview.errors import CancelledError
from redactview.jobs.compare_run import CompareOptions
from redactview.jobs.ocr_run import OcrOptions
from redactview.ui.compare_job import (
    ChooseReleases,
    CompareDone,
    CompareSides,
    RenderedPages,
    compare_releases,
)
from redactview.ui.compare_view import CompareView
from redactview.ui.error_dialog import show_error
from redactview.ui.fit_job import FitOutcome, FitRequest, fit_redaction
from redactview.ui.inspector import Inspector
from redactview.ui.leaks_panel import LeaksPanel
from redactview.ui.passwords import PasswordKeeper
from redactview.ui.preferences import Preferences
from redactview.ui.render_service import RenderService
from redactview.ui.session import CaseSession
from redactview.ui.tasks import TaskContext, TaskHandle, TaskManager


class ReviewToolsMixin(QMainWindow):
    session: CaseSession | None
    release_id: int | None
    tasks: TaskManager
    prefs: Preferences
    passwords: PasswordKeeper
    renderer: RenderService
    inspector: Inspector
    leaks_panel: LeaksPanel
    tabs: QTabWidget
    compare_view: CompareView | None

    # Provided by JobsMixin and ReviewMixin (annotations, so nothing is shadowed).
    _run_writing_job: Callable[[Any, str, Any], TaskHandle | None]
    release_password: Callable[[Release], str | None]
    select_redaction: Callable[[str], None]
    page_view_go_to: Callable[[int], None]

    # -- compare --------------------------------------------------------------------------
    def compare_dialog(self) -> None:
        if self.session is None:
            return
        releases = self.session.releases()
        if len(releases) < 2:
            self.statusBar().showMessage(
                "Add a second release to the case first (File → Add Release).", 8000
            )
            return
        dialog = ChooseReleases(releases, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and (pair := dialog.chosen()):
            self.run_compare(*pair)

    def run_compare(
        self, a: Release, b: Release, options: CompareOptions | None = None
    ) -> TaskHandle | None:
        session = self.session
        if session is None:
            return None
        path_a, path_b = session.locate(a.id), session.locate(b.id)
        sides = CompareSides(
            a, b, path_a, path_b, self.release_password(a), self.release_password(b)
        )
        options = options or CompareOptions(
            jobs=self.prefs.jobs or None, jurisdictions=self.prefs.jurisdictions
        )

        def work(ctx: TaskContext) -> CompareDone:
            return compare_releases(session.case, sides, options, ctx)

        return self._run_writing_job(
            work, f"Comparing {a.label} with {b.label}", self._on_compare_done
        )

    def _on_compare_done(self, done: CompareDone) -> None:
        if self.session is None:
            return
        s = self.session
        pages_a = RenderedPages(self.renderer, done.sides.path_a, s.pages(done.sides.a.id))
        pages_b = RenderedPages(self.renderer, done.sides.path_b, s.pages(done.sides.b.id))
        self.close_compare()
        view = CompareView(pages_a, pages_b, done.result)
        view.link_selected.connect(self._on_compare_link_selected)
        self.compare_view = view
        index = self.tabs.addTab(view, f"Compare: {done.sides.a.label} ↔ {done.sides.b.label}")
        self.tabs.setCurrentIndex(index)
        self.tabs.tabBar().show()
        self.statusBar().showMessage(f"Compare: {len(done.result.links)} links stored", 10000)
        if done.result.links:
            self._on_compare_link_selected(done.result.links[0])

    def close_compare(self) -> None:
        if self.compare_view is not None:
            self.tabs.removeTab(self.tabs.indexOf(self.compare_view))
            self.compare_view.deleteLater()
            self.compare_view = None
        self.tabs.tabBar().setVisible(self.tabs.count() > 1)

    def _on_compare_link_selected(self, link: RedactionLink) -> None:
        """The inspector follows the change list (A's box, else B's)."""
        s = self.session
        ref = next((r for r in (link.a, link.b) if r is not None and r.redaction_id), None)
        if s is None or ref is None or ref.redaction_id is None:
            return
        r = s.redaction(ref.redaction_id)
        release_id = s.release_of(ref.redaction_id)
        if r is not None and release_id is not None:
            self.inspector.show_redaction(r, s.annotation(r.id), release_id)

    # -- candidate fitting ------------------------------------------------------------------
    def run_fit(self, lines: list[str], auto_names: bool) -> TaskHandle | None:
        s, shown = self.session, self.inspector._redaction
        if s is None or shown is None:
            return None
        release_id = s.release_of(shown.id)
        if release_id is None:
            return None
        release = s.release(release_id)
        request = self._fit_request(release, shown.id, lines, auto_names)
        if request is None:
            return None
        return (
            self.tasks.op(lambda ctx: fit_redaction(request, ctx), "Fitting candidates")
            .success(self._on_fit_done)
            .failure(self._on_fit_failed)
            .run()
        )

    def _fit_request(
        self, release: Release, rid: str, lines: list[str], auto_names: bool
    ) -> FitRequest | None:
        s = self.session
        r = s.redaction(rid) if s is not None else None
        if s is None or r is None:
            return None
        ocr = OcrOptions(
            lang=self.prefs.languages,
            dpi=self.prefs.ocr_dpi,
            password=self.release_password(release),
        )
        pdf = s.locate(release.id)
        return FitRequest(s.case, release, pdf, r, tuple(lines), auto_names, ocr)

    def _on_fit_done(self, outcome: FitOutcome) -> None:
        self.inspector.show_fit(outcome)

    def _on_fit_failed(self, exc: BaseException) -> None:
        if isinstance(exc, CancelledError):
            self.inspector.fit.show_failure("Cancelled.")
            return
        self.inspector.fit.show_failure(str(exc))
        if not hasattr(exc, "exit_code"):
            show_error(exc, self)  # a bug, not a box we cannot measure: say so loudly

    # -- leaks ------------------------------------------------------------------------------
    def refresh_leaks(self) -> None:
        if self.session is None or self.release_id is None:
            self.leaks_panel.set_findings([])
            return
        self.leaks_panel.set_findings(self.session.findings(self.release_id))

    def _on_finding_activated(self, page: int, rid: str) -> None:
        if rid:
            self.select_redaction(rid)
        elif page > 0:
            self.tabs.setCurrentIndex(0)
            self.page_view_go_to(page)
