"""Selecting, stepping through and editing redactions: the window's review behaviour.

Kept apart from window construction (``main_window``) so each stays readable.
Every edit goes through ``push`` as an undo command; ``push`` refuses while a
background job writes to the case, so nothing ever half-applies.
"""

from __future__ import annotations

import uuid

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMainWindow

from redactview.core.geometry import Box
from redactview.core.model import Annotation, Fill, Redaction, RedactionKind, ReviewStatus
from redactview.ui import commands
from redactview.ui.catalog import CatalogPanel
from redactview.ui.inspector import Inspector
from redactview.ui.page_view import PageView
from redactview.ui.session import CaseSession, Change, ChangeKind


class ReviewMixin(QMainWindow):
    session: CaseSession | None
    release_id: int | None
    undo: QUndoStack
    page_view: PageView
    catalog: CatalogPanel
    inspector: Inspector

    def show_release(self, release_id: int) -> None:  # provided by MainWindow
        raise NotImplementedError

    # -- edits --------------------------------------------------------------------------
    def push(self, command: QUndoCommand) -> bool:
        """Run an edit (saved at once) and make it undoable; False if it must wait."""
        if self.session is None:
            return False
        if self.session.case.readonly:
            self.statusBar().showMessage("This case is open read-only; edits are off.", 5000)
            return False
        if self.session.job_writing:
            self.statusBar().showMessage(
                "A background job is writing the case; try again when it ends.", 5000
            )
            return False
        self.undo.push(command)
        return True

    def _on_box_drawn(self, page: int, box: Box) -> None:
        if self.session is None or self.release_id is None:
            return
        r = Redaction(
            id="m" + uuid.uuid4().hex[:11],  # drawn by hand: never collides with detection ids
            page=page,
            box=box.rounded(2),
            kind=RedactionKind.MANUAL,
            fill=Fill.OTHER,
        )
        if self.push(commands.AddRedactionCommand(self.session, self.release_id, r)):
            self.select_redaction(r.id)

    def _on_box_edited(self, rid: str, box: Box) -> None:
        if self.session is None or self.release_id is None:
            return
        before = self.session.redaction(rid)
        if before is None:
            return
        if not self.push(commands.move_command(self.session, self.release_id, before, box)):
            self.page_view.update_redaction(before, self.session.annotation(rid), rid)

    def delete_selected(self) -> None:
        rid = self.page_view.selected_id()
        if self.session is None or self.release_id is None or not rid:
            return
        r = self.session.redaction(rid)
        if r is not None:
            self.push(commands.DeleteRedactionCommand(self.session, self.release_id, r))

    def set_status(self, status: ReviewStatus) -> None:
        rid = self.page_view.selected_id()
        if self.session is None or not rid:
            return
        before = self.session.annotation(rid)
        if before.status != status:
            self.push(commands.status_command(self.session, before, status))

    # -- selection and navigation ---------------------------------------------------------
    def select_redaction(self, rid: str) -> None:
        """Show a redaction wherever it is: switch release, scroll, select, inspect."""
        if self.session is None:
            return
        release_id = self.session.release_of(rid)
        if release_id is None:
            return
        tabs = getattr(self, "tabs", None)
        if tabs is not None:
            tabs.setCurrentIndex(0)  # the pages, if the compare tab was in front
        if release_id != self.release_id:
            self.show_release(release_id)
        self.page_view.center_on_redaction(rid)
        self._show_in_panels(rid)

    def _on_view_selected(self, rid: str) -> None:
        self._show_in_panels(rid)

    def _show_in_panels(self, rid: str) -> None:
        if self.session is None:
            return
        r = self.session.redaction(rid) if rid else None
        if r is None or self.release_id is None:
            self.inspector.show_redaction(None, None, 0)
            return
        # The redaction's own release: the inspector may show one of another
        # release than the page view (a change picked in the compare tab).
        release_id = self.session.release_of(rid) or self.release_id
        self.inspector.show_redaction(r, self.session.annotation(rid), release_id)
        self.catalog.select(rid)

    def _ordered_ids(self) -> list[str]:
        if self.session is None or self.release_id is None:
            return []
        return [r.id for r in self.session.redactions(self.release_id)]

    def step_redaction(self, delta: int, *, unreviewed_only: bool = False) -> None:
        ids = self._ordered_ids()
        if not ids or self.session is None:
            return
        current = self.page_view.selected_id()
        start = ids.index(current) if current in ids else (-1 if delta > 0 else 0)
        for k in range(1, len(ids) + 1):
            rid = ids[(start + delta * k) % len(ids)]
            if (
                not unreviewed_only
                or self.session.annotation(rid).status is ReviewStatus.UNREVIEWED
            ):
                self.select_redaction(rid)
                return
        self.statusBar().showMessage("Every redaction in this release is reviewed.", 4000)

    # -- refreshing after a change ------------------------------------------------------------
    def _on_step_dropped(self, text: str, direction: str) -> None:
        done = "undone" if direction == "undo" else "redone"
        self.statusBar().showMessage(
            f"Not {done}: “{text}” — what it changed has been rewritten since (a scan, compare "
            "or leak check), so it is left as it is and the step is removed from the history",
            20000,
        )

    def _on_changed(self, change: Change) -> None:
        if self.session is None:
            return
        if change.kind in (ChangeKind.RESET, ChangeKind.RELEASE, ChangeKind.LINK):
            self._reload_views()
            return
        rid = change.redaction_id or ""
        r = self._live_redaction(rid)
        a = self.session.annotation(rid)
        if change.release_id == self.release_id:
            self.page_view.update_redaction(r, a, rid)
        self._refresh_catalog_row(r, a, rid)
        if self.page_view.selected_id() == rid or self.inspector_shows(rid):
            self.inspector.refresh(r, a)

    def inspector_shows(self, rid: str) -> bool:
        shown = self.inspector._redaction
        return shown is not None and shown.id == rid

    def _live_redaction(self, rid: str) -> Redaction | None:
        """The redaction unless it is deleted (deleted rows stay for undo)."""
        if self.session is None:
            return None
        r = self.session.redaction(rid)
        release_id = self.session.release_of(rid)
        if r is None or release_id is None:
            return None
        live = {x.id for x in self.session.redactions(release_id, r.page)}
        return r if rid in live else None

    def _refresh_catalog_row(self, r: Redaction | None, a: Annotation, rid: str) -> None:
        if self.session is None:
            return
        present = self.catalog.model.row_of(rid) is not None
        if r is not None and present:
            row = self.catalog.model.rows[self.catalog.model.row_of(rid) or 0]
            self.catalog.model.update_row(type(row)(row.release, r, a, row.links))
        else:
            self.catalog.set_rows(self.session.catalog_rows())

    def _reload_views(self) -> None:
        raise NotImplementedError  # provided by MainWindow
