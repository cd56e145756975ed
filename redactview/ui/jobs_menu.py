"""Long jobs from the menus (OCR, detection, compare, export) and Preferences.

Each job runs through the task manager, so it has progress and Cancel in the
status bar and the window stays live. A feature whose module has not landed
yet shows a disabled control that says so, rather than a fake.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu

from redactview.core.model import Release
from redactview.errors import CancelledError, RedactviewError
from redactview.jobs.executor import Executor
from redactview.ui.actions import make_action, unavailable
from redactview.ui.commands import count_stale_steps
from redactview.ui.error_dialog import show_error
from redactview.ui.passwords import PasswordKeeper
from redactview.ui.preferences import (
    Preferences,
    PreferencesDialog,
    apply_appearance,
    apply_tesseract_path,
    save_preferences,
)
from redactview.ui.scan_job import LeakSummary, ScanSummary, check_release_leaks, scan_release
from redactview.ui.session import CaseSession
from redactview.ui.tasks import TaskContext, TaskHandle, TaskManager


def module_available(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


class JobsMixin(QMainWindow):
    session: CaseSession | None
    release_id: int | None
    tasks: TaskManager
    undo: QUndoStack
    prefs: Preferences
    export_menu: QMenu
    passwords: PasswordKeeper
    compare_dialog: Callable[[], None]  # ReviewToolsMixin

    def _reload_views(self) -> None:
        raise NotImplementedError  # provided by MainWindow

    def release_password(self, release: Release) -> str | None:
        """The session's password for a release's PDF (None: it has none)."""
        if self.session is None:
            return None
        try:
            return self.passwords.get(self.session.locate(release.id))
        except RedactviewError:
            return None

    def build_job_actions(self) -> dict[str, QAction]:
        found = {
            "ocr": make_action(
                self,
                "Run &OCR on This Release",
                self.run_ocr_job,
                tip="Read scanned pages with Tesseract (runs in the background)",
            )
            if module_available("redactview.jobs.ocr_run")
            else unavailable(self, "Run &OCR", "OCR runner not available in this build"),
            "scan": make_action(
                self,
                "&Scan for Redactions",
                self.run_scan_job,
                "Ctrl+Shift+S",
                tip="Find the redactions on every page of this release (in the background)",
            ),
            "rescan": make_action(
                self,
                "Scan &Again (Every Page)",
                lambda: self.run_scan_job(rescan=True),
                tip="Detect again on pages already scanned (boxes you moved or recoded "
                "go back to what detection finds; your notes stay)",
            ),
            "leaks": make_action(
                self,
                "Check for &Leaks",
                self.run_leak_job,
                tip="Look for text or images still in the file under the redactions",
            ),
            "compare": make_action(
                self,
                "&Compare Releases…",
                self.compare_dialog,
                tip="Link the redactions of two releases and show them side by side",
            ),
        }
        self.export_menu = QMenu("&Export", self)
        if module_available("redactview.export.service"):
            self._fill_export_menu()
        else:
            self.export_menu.setEnabled(False)
            self.export_menu.setToolTip("Exports have not landed yet")
        return found

    def update_job_actions(self) -> None:
        has_case = self.session is not None
        self.export_menu.setEnabled(has_case and module_available("redactview.export.service"))
        action = getattr(self, "actions_", None)
        writable = has_case and not (self.session is not None and self.session.case.readonly)
        if action is not None and module_available("redactview.jobs.ocr_run"):
            action["ocr"].setEnabled(writable)

    # -- detection -------------------------------------------------------------------------
    def run_scan_job(
        self, executor: Executor | None = None, ocr: bool = True, rescan: bool = False
    ) -> TaskHandle | None:
        if self.session is None or self.release_id is None:
            return None
        session, release = self.session, self.session.release(self.release_id)
        jobs = self.prefs.jobs or None
        password = self.release_password(release)
        tables = self.prefs.jurisdictions

        def work(ctx: TaskContext) -> ScanSummary:
            return scan_release(
                session.case,
                release,
                ctx,
                executor=executor,
                jobs=jobs,
                ocr=ocr,
                password=password,
                rescan=rescan,
                jurisdictions=tables,
            )

        return self._run_writing_job(work, f"Scanning {release.label}", self._on_scan_done)

    def _on_scan_done(self, summary: ScanSummary) -> None:
        warn = f" ({len(summary.warnings)} warnings)" if summary.warnings else ""
        if summary.skipped:
            warn += f"; {summary.skipped} pages were already done"
        self.statusBar().showMessage(
            f"Scan finished: {summary.redactions} redactions on {summary.pages} pages{warn}", 10000
        )

    def run_leak_job(self) -> TaskHandle | None:
        if self.session is None or self.release_id is None:
            return None
        session, release = self.session, self.session.release(self.release_id)
        password = self.release_password(release)

        def work(ctx: TaskContext) -> LeakSummary:
            return check_release_leaks(session.case, release, ctx, password)

        return self._run_writing_job(work, f"Leak check of {release.label}", self._on_leaks_done)

    def _on_leaks_done(self, summary: LeakSummary) -> None:
        self.statusBar().showMessage(
            f"Leak check: {summary.findings} findings; "
            f"{summary.redactions_with_text} redactions have text recovered",
            15000,
        )

    # -- OCR --------------------------------------------------------------------------------
    def run_ocr_job(self, engine: Any = None, jobs: int | None = None) -> TaskHandle | None:
        """OCR the shown release; ``engine``/``jobs`` override the preferences (tests)."""
        if self.session is None or self.release_id is None:
            return None
        from redactview.jobs.ocr_run import OcrOptions, run_ocr
        from redactview.ocr.engine import TesseractEngine

        session, release = self.session, self.session.release(self.release_id)
        options = OcrOptions(
            lang=self.prefs.languages,
            dpi=self.prefs.ocr_dpi,
            jobs=jobs or self.prefs.jobs or None,
            engine=engine or TesseractEngine(self.prefs.tesseract_path or None),
            password=self.release_password(release),
        )

        def work(ctx: TaskContext) -> Any:
            return run_ocr(session.case, release, options, progress=ctx.progress, cancel=ctx.cancel)

        return self._run_writing_job(work, f"OCR of {release.label}", self._on_ocr_done)

    def _on_ocr_done(self, report: Any) -> None:
        failed = f", {len(report.failures)} failed" if report.failures else ""
        state = "cancelled" if report.cancelled else "finished"
        self.statusBar().showMessage(
            f"OCR {state}: {len(report.done)} pages read, {len(report.cached)} from cache{failed}",
            10000,
        )

    def _run_writing_job(self, work: Any, label: str, done: Any) -> TaskHandle | None:
        """A job that writes the case through the session's connection.

        Our own edits are held (``job_writing``) so two transactions never
        interleave on one connection; the views reload when it ends.
        """
        session = self.session
        if session is None:
            return None
        session.job_writing = True

        def finish() -> None:
            session.job_writing = False
            if self.session is session:
                session.reload()

        def ok(result: Any) -> None:
            finish()
            done(result)
            self._report_stale_steps()

        def failed(exc: BaseException) -> None:
            finish()
            if isinstance(exc, CancelledError):
                self.statusBar().showMessage(f"{label}: cancelled; finished pages are kept", 8000)
            else:
                show_error(exc, self)
            self._report_stale_steps()  # pages stored before the stop were rewritten too

        return self.tasks.op(work, label).success(ok).failure(failed).run()

    def stale_steps(self) -> int:
        """Undo/redo steps whose target a job has rewritten since (they will write nothing)."""
        return count_stale_steps(self.undo)

    def _report_stale_steps(self) -> None:
        """Tell at once, not only at the next Ctrl+Z, that some history no longer applies.

        The steps stay on the stack (Qt cannot take one out of the middle);
        each drops itself, writing nothing, when undo or redo reaches it.
        """
        stale = self.stale_steps()
        if stale and self.session is not None:
            said = self.statusBar().currentMessage()
            steps = "1 undo step refers" if stale == 1 else f"{stale} undo steps refer"
            self.statusBar().showMessage(
                f"{said} — {steps} to boxes or links it rewrote; Undo will skip them", 20000
            )

    # -- export -----------------------------------------------------------------------------
    def _fill_export_menu(self) -> None:
        from redactview.export.service import ExportFormat

        names = {
            "pdf": "Report (PDF)…",
            "annotated-pdf": "Annotated PDF of This Release…",
            "csv": "Catalog (CSV)…",
            "vaughn-csv": "Vaughn Index (CSV)…",
            "json": "JSON…",
            "xfdf": "Acrobat Comments (XFDF) of This Release…",
            "html": "Report (HTML)…",
        }
        for fmt in ExportFormat:
            action = self.export_menu.addAction(names.get(fmt.value, fmt.value))
            action.triggered.connect(lambda _=False, f=fmt: self.export_dialog(f))

    def export_dialog(self, fmt: Any) -> None:
        if self.session is None:
            return
        suggested = str(self.session.path.with_suffix(fmt.suffix).name)
        path, _ = QFileDialog.getSaveFileName(self, "Export", suggested)
        if path:
            self.export_to(fmt, Path(path))

    def export_to(self, fmt: Any, out: Path) -> TaskHandle | None:
        from redactview.export.service import export_case

        session = self.session
        if session is None:
            return None
        release = str(self.release_id) if fmt.per_release else None

        def work(ctx: TaskContext) -> Any:
            return export_case(
                session.case, fmt, out, release=release, progress=ctx.progress, cancel=ctx.cancel
            )

        return (
            self.tasks.op(work, f"Exporting {out.name}")
            .success(
                lambda r: self.statusBar().showMessage(
                    f"Exported {r.items} redactions to {r.path}", 10000
                )
            )
            .failure(self._show_failure)
            .run()
        )

    def _show_failure(self, exc: BaseException) -> None:
        if not isinstance(exc, CancelledError):
            show_error(exc, self)

    # -- preferences ------------------------------------------------------------------------
    def show_preferences(self) -> PreferencesDialog:
        dialog = PreferencesDialog(self.prefs, self)
        dialog.accepted.connect(lambda: self._apply_preferences(dialog.result_preferences()))
        dialog.open()  # window-modal without a nested event loop
        return dialog

    def _apply_preferences(self, prefs: Preferences) -> None:
        self.prefs = prefs
        apply_appearance(prefs.appearance)
        apply_tesseract_path(prefs.tesseract_path)
        try:
            save_preferences(prefs)
        except Exception as exc:
            show_error(exc, self)
