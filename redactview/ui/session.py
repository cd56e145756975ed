"""The open case as the views see it: reads from the store, writes through it.

Every write goes to the case file at once (one transaction each) and then
emits ``changed`` with a ``Change`` saying what changed, so the page view,
catalog and inspector refresh only what they must. Views never hold a
connection; undo commands call the ``save_*``/``delete_*`` methods here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from redactview.core.model import (
    Annotation,
    LinkRef,
    PageInfo,
    Redaction,
    RedactionLink,
    Release,
)
from redactview.errors import RedactviewError
from redactview.store.case import Case


class CaseBusyError(RedactviewError):
    """A background job is writing to the case; edits wait until it ends."""


class ChangeKind(enum.Enum):
    REDACTION = "redaction"  # added, moved, edited, deleted or restored
    ANNOTATION = "annotation"
    RELEASE = "release"  # metadata edited
    RESET = "reset"  # many things at once (a scan finished, a case opened)


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    release_id: int | None = None
    redaction_id: str | None = None


@dataclass(frozen=True, slots=True)
class CatalogRow:
    """One line of the catalog: a redaction with what the user said about it."""

    release: Release
    redaction: Redaction
    annotation: Annotation


@dataclass(frozen=True, slots=True)
class LinkView:
    """A link seen from one redaction: the other release and where it points there."""

    other: Release
    link: RedactionLink
    there: LinkRef | None


class CaseSession(QObject):
    changed = Signal(object)  # Change

    def __init__(self, case: Case, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.case = case
        self._pages: dict[int, list[PageInfo]] = {}
        self._releases: dict[int, Release] = {r.id: r for r in case.releases()}
        # A job (OCR, scan) writing through this same connection: our own writes
        # must not start a transaction inside its transaction, so they wait.
        self.job_writing = False

    @property
    def path(self) -> Path:
        return self.case.path

    # -- reads ------------------------------------------------------------------------
    def releases(self) -> list[Release]:
        return list(self._releases.values())

    def release(self, release_id: int) -> Release:
        return self._releases[release_id]

    def pages(self, release_id: int) -> list[PageInfo]:
        if release_id not in self._pages:
            self._pages[release_id] = self.case.pages(release_id)
        return self._pages[release_id]

    def redactions(self, release_id: int, page: int | None = None) -> list[Redaction]:
        return self.case.redactions.list(release_id, page)

    def redaction(self, redaction_id: str) -> Redaction | None:
        return self.case.redactions.get(redaction_id)

    def release_of(self, redaction_id: str) -> int | None:
        return self.case.redactions.release_of(redaction_id)

    def annotation(self, redaction_id: str) -> Annotation:
        return self.case.annotations.get(redaction_id)

    def links_of(self, redaction_id: str) -> list[LinkView]:
        """Cross-release links stored for one redaction (by the compare step)."""
        mine = self.release_of(redaction_id)
        found = []
        for other in self._releases.values():
            if other.id == mine or mine is None:
                continue
            for a_id, b_id, near, far in ((mine, other.id, "a", "b"), (other.id, mine, "b", "a")):
                for link in self.case.links.between(a_id, b_id):
                    here, there = getattr(link, near), getattr(link, far)
                    if here is not None and here.redaction_id == redaction_id:
                        found.append(LinkView(other, link, there))
        return found

    def tag_names(self) -> list[str]:
        return self.case.annotations.tag_names()

    def catalog_rows(self) -> list[CatalogRow]:
        notes = self.case.annotations.all()
        rows = []
        for release in self._releases.values():
            for r in self.case.redactions.list(release.id):
                rows.append(CatalogRow(release, r, notes.get(r.id) or Annotation(r.id)))
        return rows

    # -- writes (each one saved before it returns) --------------------------------------
    def _check_writable(self) -> None:
        if self.job_writing:
            raise CaseBusyError("A background job is writing to the case; edit when it ends.")

    def save_redaction(self, release_id: int, redaction: Redaction) -> None:
        self._check_writable()
        self.case.redactions.save(release_id, redaction)
        self.changed.emit(Change(ChangeKind.REDACTION, release_id, redaction.id))

    def delete_redaction(self, release_id: int, redaction_id: str) -> None:
        self._check_writable()
        self.case.redactions.delete(redaction_id)
        self.changed.emit(Change(ChangeKind.REDACTION, release_id, redaction_id))

    def restore_redaction(self, release_id: int, redaction_id: str) -> None:
        self._check_writable()
        self.case.redactions.restore(redaction_id)
        self.changed.emit(Change(ChangeKind.REDACTION, release_id, redaction_id))

    def save_annotation(self, annotation: Annotation) -> None:
        self._check_writable()
        self.case.annotations.save(annotation)
        release_id = self.release_of(annotation.redaction_id)
        self.changed.emit(Change(ChangeKind.ANNOTATION, release_id, annotation.redaction_id))

    def update_release(self, release_id: int, **fields: str) -> None:
        self._check_writable()
        self._releases[release_id] = self.case.update_release(release_id, **fields)
        self.changed.emit(Change(ChangeKind.RELEASE, release_id))

    def reload(self) -> None:
        """After work that wrote many rows (a scan, a compare): refresh everything."""
        self._releases = {r.id: r for r in self.case.releases()}
        self._pages.clear()
        self.changed.emit(Change(ChangeKind.RESET))

    def close(self) -> None:
        self.case.close()
