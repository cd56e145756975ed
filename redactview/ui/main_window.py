"""The main window: page view in the middle, releases/thumbnails left, inspector right,
catalog below, background tasks in the status bar.

Opening is always asynchronous for PDFs (hashing and reading pages may take
seconds on a large scan); a case file opens at once.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QSpinBox,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from redactview import __version__
from redactview.core.model import Annotation, ReviewStatus
from redactview.errors import EncryptedPdfError, ReleaseNotFoundError
from redactview.ui import opening
from redactview.ui.catalog import CatalogPanel
from redactview.ui.error_dialog import show_error
from redactview.ui.find import FindBar
from redactview.ui.finding import FindController
from redactview.ui.inspector import Inspector
from redactview.ui.jobs_menu import JobsMixin
from redactview.ui.leaks_panel import LeaksPanel
from redactview.ui.menus import build_menus
from redactview.ui.open_flow import OpenMixin
from redactview.ui.page_view import PageView
from redactview.ui.passwords import PasswordKeeper
from redactview.ui.preferences import Preferences
from redactview.ui.releases_panel import ReleasesPanel
from redactview.ui.render_service import RenderKey, RenderService
from redactview.ui.review import ReviewMixin
from redactview.ui.review_tools import ReviewToolsMixin
from redactview.ui.session import CaseSession
from redactview.ui.task_status import TaskStatus
from redactview.ui.tasks import TaskManager
from redactview.ui.thumbnails import ThumbnailPanel


class MainWindow(OpenMixin, ReviewToolsMixin, JobsMixin, ReviewMixin):
    def __init__(self, prefs: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prefs = prefs
        self.session: CaseSession | None = None
        self.release_id: int | None = None
        self.undo = QUndoStack(self)
        self.tasks = TaskManager(self)
        self.renderer = RenderService(self)
        self.passwords = PasswordKeeper(self.renderer)
        self._asking = False
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
        self.readonly_banner = QLabel()
        self.readonly_banner.setStyleSheet(
            "background:#FFE08A; color:#3D2B00; padding:6px; font-weight:bold"
        )
        self.readonly_banner.hide()
        layout.addWidget(self.readonly_banner)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.page_view, 1)
        # Tabs: the release's pages, and a compare view once one has run.
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(central, "Pages")
        self.tabs.tabBar().hide()
        self.compare_view = None
        self.setCentralWidget(self.tabs)
        self.leaks_panel = LeaksPanel()
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
        inspector = self._dock("Inspector", self.inspector, Qt.DockWidgetArea.RightDockWidgetArea)
        catalog = self._dock("Catalog", self.catalog, Qt.DockWidgetArea.BottomDockWidgetArea)
        leaks = self._dock("Leaks", self.leaks_panel, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(catalog, leaks)
        catalog.raise_()
        self.resizeDocks([releases, inspector], [260, 400], Qt.Orientation.Horizontal)

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
        self.inspector.fit.fit_requested.connect(self.run_fit)
        self.leaks_panel.finding_activated.connect(self._on_finding_activated)
        self.tasks.error.connect(lambda exc: show_error(exc, self))
        self.renderer.failed.connect(self._on_render_failed)

    # -- opening (see open_flow) and closing --------------------------------------------
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
        self.close_compare()
        self.session.close()
        self.session = None
        self.release_id = None
        self.readonly_banner.hide()
        self.refresh_leaks()
        self._update_title()
        self._update_actions()

    # -- showing a release --------------------------------------------------------------------
    def show_release(self, release_id: int) -> None:
        if self.session is None:
            return
        release = self.session.release(release_id)
        try:
            pdf: Path | None = self.session.locate(release.id)
        except ReleaseNotFoundError as exc:
            pdf = self._ask_to_locate(release_id, exc)
        if pdf is None:
            return
        self.release_id = release_id
        pages = self.session.pages(release_id)
        # The provisional layout of this same file (first page at once) is updated
        # in place, at the page the user reached: rebuilding 500 pages and their
        # thumbnails was the GUI thread's longest stall of an open.
        if not self.page_view.update_pages(str(pdf), pages):
            self.page_view.set_document(str(pdf), pages)
        self._load_overlays()
        if not self.thumbs.update_pages(str(pdf), pages):
            self.thumbs.set_document(str(pdf), pages)
        self.page_spin.setMaximum(max(len(pages), 1))
        self.releases.select_release(release_id)
        self.finder.reset()
        self._on_current_page_changed(self.page_view.current_page() or 1)
        self.refresh_leaks()
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
        self.session.mark_located(release_id, Path(path))
        return Path(path)

    def _on_render_failed(self, key: RenderKey, exc: object) -> None:
        """A page did not render; a release from a case may want its password now."""
        locked = isinstance(exc, EncryptedPdfError)
        # Several pages fail at once; those rendered without a password before
        # one was given are stale, and are just asked for again.
        stale = locked and self.passwords.get(key.path) is not None
        stale = stale and "wrong password" not in str(exc)
        if stale:
            self.page_view.request_visible()
            return
        if locked and key.path not in self.passwords.declined and not self._asking:
            self._asking = True  # several pages fail at once: ask once
            try:
                if self.passwords.ask(key.path, self) is not None:
                    self.page_view.viewport().update()  # their renders are asked again
                    self.page_view.request_visible()
                    return
            finally:
                self._asking = False
        self.statusBar().showMessage(str(exc), 8000)

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
        shown = self.inspector._redaction
        self._show_in_panels(rid or (shown.id if shown is not None else ""))
        self.refresh_leaks()
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
        writable = has_case and not self.readonly
        for name in ("close_case", "find", "prev", "next", "next_unreviewed", "go_to_page"):
            self.actions_[name].setEnabled(has_case)
        # A read-only case (locked elsewhere, or a last good copy): nothing that writes.
        for name in (
            "scan",
            "rescan",
            "leaks",
            "compare",
            "add_release",
            "draw",
            "delete",
            "confirm",
            "false_positive",
            "unreviewed",
        ):
            self.actions_[name].setEnabled(writable)
        self.inspector.set_readonly(self.readonly)
        self.releases.setEnabled(has_case)
        self.update_job_actions()

    @property
    def readonly(self) -> bool:
        return self.session is not None and self.session.case.readonly

    def page_view_go_to(self, page: int) -> None:
        self.page_view.go_to_page(page)

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
