"""The main window: page view in the middle, releases/thumbnails left, inspector right,
catalog below, background tasks in the status bar.

Opening is always asynchronous for PDFs (hashing and reading pages may take
seconds on a large scan); a case file opens at once.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QSpinBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from redactview import __version__
from redactview.core.model import Annotation, DocumentInfo, ReviewStatus
from redactview.errors import ReleaseNotFoundError
from redactview.store.case import Case
from redactview.ui import opening
from redactview.ui.catalog import CatalogPanel
from redactview.ui.error_dialog import show_error
from redactview.ui.find import FindBar
from redactview.ui.finding import FindController
from redactview.ui.inspector import Inspector
from redactview.ui.jobs_menu import JobsMixin
from redactview.ui.menus import build_menus
from redactview.ui.page_view import PageView
from redactview.ui.preferences import Preferences, save_preferences
from redactview.ui.releases_panel import ReleasesPanel
from redactview.ui.render_service import RenderService
from redactview.ui.review import ReviewMixin
from redactview.ui.session import CaseSession
from redactview.ui.task_status import TaskStatus
from redactview.ui.tasks import TaskHandle, TaskManager
from redactview.ui.thumbnails import ThumbnailPanel

PDF_FILTER = "PDF files and cases (*.pdf *.rvcase);;PDF files (*.pdf);;Cases (*.rvcase)"


class MainWindow(JobsMixin, ReviewMixin):
    case_opened = Signal(object)  # CaseSession

    def __init__(self, prefs: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prefs = prefs
        self.session: CaseSession | None = None
        self.release_id: int | None = None
        self.undo = QUndoStack(self)
        self.tasks = TaskManager(self)
        self.renderer = RenderService(self)
        self._build_widgets()
        self._build_docks()
        self.actions_ = build_menus(self)
        self._build_toolbar()
        self._connect()
        self.setAcceptDrops(True)
        self.resize(1400, 900)
        self._update_title()

    # -- construction ---------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.page_view = PageView(self.renderer)
        self.find_bar = FindBar()
        self.find_bar.hide()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.page_view, 1)
        self.setCentralWidget(central)
        self.catalog = CatalogPanel()
        self.inspector = Inspector(self.push)
        self.releases = ReleasesPanel(self.push)
        self.thumbs = ThumbnailPanel(self.renderer)
        self.page_label = QLabel()
        self.zoom_label = QLabel()
        self.task_status = TaskStatus(self.tasks)
        self.statusBar().addPermanentWidget(self.task_status)
        self.statusBar().addPermanentWidget(self.page_label)
        self.statusBar().addPermanentWidget(self.zoom_label)
        self.finder = FindController(self)

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        left = Qt.DockWidgetArea.LeftDockWidgetArea
        releases = self._dock("Releases", self.releases, left)
        thumbs = self._dock("Pages", self.thumbs, left)
        self.tabifyDockWidget(releases, thumbs)
        releases.raise_()
        self._dock("Inspector", self.inspector, Qt.DockWidgetArea.RightDockWidgetArea)
        self._dock("Catalog", self.catalog, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.resizeDocks([releases], [260], Qt.Orientation.Horizontal)

    def _build_toolbar(self) -> None:
        bar = QToolBar("Main")
        bar.setObjectName("main-toolbar")
        self.addToolBar(bar)
        a = self.actions_
        for name in (
            "open",
            None,
            "zoom_out",
            "zoom_in",
            "fit_width",
            "fit_page",
            "rotate_left",
            "rotate_right",
            None,
        ):
            bar.addSeparator() if name is None else bar.addAction(a[name])
        self.page_spin = QSpinBox(minimum=1, maximum=1, prefix="Page ")
        self.page_spin.setKeyboardTracking(False)
        self.page_spin.setToolTip("Go to page (Ctrl+G)")
        bar.addWidget(self.page_spin)
        for name in (
            None,
            "draw",
            "find",
            None,
            "prev",
            "next",
            "next_unreviewed",
            "confirm",
            "false_positive",
        ):
            bar.addSeparator() if name is None else bar.addAction(a[name])

    def _connect(self) -> None:
        pv = self.page_view
        pv.redaction_selected.connect(self._on_view_selected)
        pv.box_drawn.connect(self._on_box_drawn)
        pv.box_edited.connect(self._on_box_edited)
        pv.current_page_changed.connect(self._on_current_page_changed)
        pv.zoom_changed.connect(lambda z: self.zoom_label.setText(f"{z * 100:.0f}%"))
        self.page_spin.valueChanged.connect(pv.go_to_page)
        self.thumbs.page_chosen.connect(pv.go_to_page)
        self.catalog.redaction_activated.connect(self.select_redaction)
        self.releases.release_chosen.connect(self._on_release_chosen)
        self.inspector.link_activated.connect(self._on_link_activated)
        self.tasks.error.connect(lambda exc: show_error(exc, self))
        self.renderer.failed.connect(lambda _key, exc: self.statusBar().showMessage(str(exc), 8000))

    # -- opening ----------------------------------------------------------------------------
    def open_dialog(self) -> None:
        start = str(Path(self.prefs.recent_files[0]).parent) if self.prefs.recent_files else ""
        path, _ = QFileDialog.getOpenFileName(self, "Open a release or case", start, PDF_FILTER)
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path) -> TaskHandle | None:
        """Open a case file now, or a PDF in the background (returns its task)."""
        if opening.is_case_file(path):
            self.open_case(path)
            return None
        self._remember(path)
        return (
            self.tasks.op(lambda ctx: opening.open_pdf_as_case(path, ctx), f"Opening {path.name}")
            # The PDF is what the user opened (and is in Recent), not its case.
            .success(
                lambda opened: self.open_case(opened.case_path, opened.release_id, remember=False)
            )
            .run()
        )

    def open_case(
        self, path: Path, release_id: int | None = None, *, remember: bool = True
    ) -> None:
        self.close_case()
        try:
            case = Case.open(path)
        except Exception as exc:
            show_error(exc, self)
            return
        self.session = CaseSession(case, self)
        self.session.changed.connect(self._on_changed)
        if remember:
            self._remember(path)
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
        return (
            self.tasks.op(lambda ctx: opening.inspect_for_case(pdf, ctx), f"Adding {pdf.name}")
            .success(self._on_release_inspected)
            .run()
        )

    def _on_release_inspected(self, info: DocumentInfo) -> None:
        if self.session is None:
            return
        release = self.session.case.add_release(info)
        self.session.reload()
        self.show_release(release.id)

    def close_case(self) -> None:
        if self.session is None:
            return
        self.inspector.commit_note()  # a note being typed is saved, not dropped
        self.finder.reset()
        self.undo.clear()
        self.inspector.set_session(None)
        self.releases.set_session(None)
        self.catalog.set_rows([])
        self.page_view.set_document("", [])
        self.thumbs.set_document("", [])
        self.session.close()
        self.session = None
        self.release_id = None
        self._update_title()
        self._update_actions()

    def _remember(self, path: Path) -> None:
        self.prefs = self.prefs.with_recent(str(path.resolve()))
        try:
            save_preferences(self.prefs)
        except Exception as exc:  # not worth stopping an open for
            self.statusBar().showMessage(str(exc), 8000)

    # -- showing a release --------------------------------------------------------------------
    def show_release(self, release_id: int) -> None:
        if self.session is None:
            return
        release = self.session.release(release_id)
        try:
            pdf: Path | None = self.session.case.locate_release(release)
        except ReleaseNotFoundError as exc:
            pdf = self._ask_to_locate(release_id, exc)
        if pdf is None:
            return
        self.release_id = release_id
        pages = self.session.pages(release_id)
        self.page_view.set_document(str(pdf), pages)
        self._load_overlays()
        self.thumbs.set_document(str(pdf), pages)
        self.page_spin.setMaximum(max(len(pages), 1))
        self.releases.select_release(release_id)
        self.finder.reset()
        self._on_current_page_changed(self.page_view.current_page() or 1)
        self._update_title()

    def _ask_to_locate(self, release_id: int, exc: ReleaseNotFoundError) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(self, exc.message, "", "PDF files (*.pdf)")
        if not path or self.session is None:
            return None
        try:
            self.session.case.relocate_release(release_id, path)
        except Exception as err:
            show_error(err, self)
            return None
        self.session.reload()
        return Path(path)

    def _load_overlays(self) -> None:
        if self.session is None or self.release_id is None:
            return
        notes: dict[str, Annotation] = self.session.case.annotations.all()
        self.page_view.set_redactions(self.session.redactions(self.release_id), notes)

    def _reload_views(self) -> None:
        if self.session is None:
            return
        self.releases.refresh(self.release_id)
        self.catalog.set_rows(self.session.catalog_rows())
        self._load_overlays()
        rid = self.page_view.selected_id()
        self._show_in_panels(rid)
        self._update_title()

    def _on_link_activated(self, release_id: int, page: int, redaction_id: str) -> None:
        if redaction_id:
            self.select_redaction(redaction_id)
            return
        if release_id != self.release_id:
            self.show_release(release_id)
        self.page_view.go_to_page(page)

    def _on_release_chosen(self, release_id: int) -> None:
        if release_id != self.release_id:
            self.show_release(release_id)

    def _on_current_page_changed(self, number: int) -> None:
        total = len(self.page_view.pages)
        self.page_label.setText(f"Page {number} of {total}" if total else "")
        self.page_spin.blockSignals(True)
        self.page_spin.setValue(number)
        self.page_spin.blockSignals(False)
        self.thumbs.show_page(number)

    def _update_title(self) -> None:
        name = ""
        if self.session is not None and self.release_id is not None:
            name = f"{self.session.release(self.release_id).label} — {self.session.path.name} — "
        self.setWindowTitle(f"{name}redactview {__version__}")

    def _update_actions(self) -> None:
        has_case = self.session is not None
        for name in (
            "scan",
            "leaks",
            "add_release",
            "close_case",
            "draw",
            "find",
            "delete",
            "prev",
            "next",
            "next_unreviewed",
            "confirm",
            "false_positive",
            "unreviewed",
            "go_to_page",
        ):
            self.actions_[name].setEnabled(has_case)
        self.update_job_actions()

    def focus_page_spin(self) -> None:
        self.page_spin.setFocus()
        self.page_spin.selectAll()

    def mark(self, status: ReviewStatus) -> None:
        self.set_status(status)

    # -- drag and drop, closing -----------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if urls and all(u.toLocalFile().lower().endswith((".pdf", ".rvcase")) for u in urls):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls()]
        first, rest = paths[0], paths[1:]
        if self.session is not None and not opening.is_case_file(first):
            for pdf in paths:  # PDFs dropped on an open case become releases of it
                self.add_release(pdf)
        else:
            self.open_path(first)
            for pdf in rest:
                self.statusBar().showMessage(f"Open {pdf.name} after the case is open", 5000)
        event.acceptProposedAction()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.tasks.cancel_all()
        self.tasks.wait_all()
        self.close_case()
        self.renderer.stop()
        event.accept()

    def shortcut_text(self, name: str) -> str:
        return self.actions_[name].shortcut().toString(QKeySequence.SequenceFormat.NativeText)
