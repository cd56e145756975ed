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
    LeakFinding,
    LinkRef,
    LinkStatus,
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
    LINK = "link"  # a cross-release link confirmed, broken or drawn by hand
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
    links: str = ""  # the redaction in other releases, e.g. "revealed: John Smith"


@dataclass(frozen=True, slots=True)
class LinkView:
    """A link seen from one redaction: the other release and where it points there."""

    other: Release
    link: RedactionLink
    there: LinkRef | None
    a_release_id: int = 0  # the direction the link is stored in
    b_release_id: int = 0


class CaseSession(QObject):
    changed = Signal(object)  # Change
    # An undo/redo step found what it changed rewritten since (a scan, a compare,
    # a leak check) and wrote nothing: (the step's text, "undo" or "redo").
    step_dropped = Signal(str, str)

    def __init__(self, case: Case, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.case = case
        self._pages: dict[int, list[PageInfo]] = {}
        self._releases: dict[int, Release] = {r.id: r for r in case.releases()}
        # A job (OCR, scan) writing through this same connection: our own writes
        # must not start a transaction inside its transaction, so they wait.
        self.job_writing = False
        # Release PDFs already checked by content this session: hashing a
        # 100 MB scan again each time a release is shown would stall the GUI.
        self._located: dict[int, Path] = {}

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

    def seed_pages(self, release_id: int, pages: list[PageInfo]) -> None:
        """A job has just read this release's pages from the case: use them (no re-read)."""
        self._pages[release_id] = pages

    def locate(self, release_id: int) -> Path:
        """The release's PDF (``Case.locate_release``), hashed once per session."""
        found = self._located.get(release_id)
        if found is None or not found.is_file():
            found = self.case.locate_release(self.release(release_id))
            self._located[release_id] = found
        return found

    def mark_located(self, release_id: int, path: Path) -> None:
        """A job has just hashed this file for this release (opening it): trust that."""
        self._located[release_id] = path

    def redactions(self, release_id: int, page: int | None = None) -> list[Redaction]:
        return self.case.redactions.list(release_id, page)

    def redaction(self, redaction_id: str) -> Redaction | None:
        return self.case.redactions.get(redaction_id)

    def release_of(self, redaction_id: str) -> int | None:
        return self.case.redactions.release_of(redaction_id)

    def redaction_state(self, redaction_id: str) -> tuple[Redaction | None, bool]:
        """The stored row (deleted ones too) and whether it is live (not deleted).

        Undo steps compare this with what they left, so a row a scan replaced
        (or removed, or brought back) is never overwritten with stale data.
        """
        stored = self.case.redactions.get(redaction_id)
        release_id = self.release_of(redaction_id)
        if stored is None or release_id is None:
            return None, False
        live = self.case.redactions.list(release_id, stored.page)
        return stored, any(r.id == redaction_id for r in live)

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
                        found.append(LinkView(other, link, there, a_id, b_id))
        return found

    def link_summaries(self) -> dict[str, str]:
        """Per redaction id, what the stored links say of it (for the catalog)."""
        found: dict[str, list[str]] = {}
        ids = list(self._releases)
        for a_id in ids:
            for b_id in ids:
                if a_id == b_id:
                    continue
                for link in self.case.links.between(a_id, b_id):
                    text = link.status.value
                    if link.status is LinkStatus.REVEALED and link.revealed_text:
                        text += f": {link.revealed_text}"
                    for ref in (link.a, link.b):
                        if ref is not None and ref.redaction_id:
                            found.setdefault(ref.redaction_id, []).append(text)
        return {rid: "; ".join(dict.fromkeys(texts)) for rid, texts in found.items()}

    def findings_of(self, redaction_id: str) -> list[LeakFinding]:
        return self.case.findings.for_redaction(redaction_id)

    def findings(self, release_id: int) -> list[LeakFinding]:
        return self.case.findings.list(release_id)

    def tag_names(self) -> list[str]:
        return self.case.annotations.tag_names()

    def catalog_rows(self) -> list[CatalogRow]:
        notes = self.case.annotations.all()
        links = self.link_summaries()
        rows = []
        for release in self._releases.values():
            for r in self.case.redactions.list(release.id):
                note = notes.get(r.id) or Annotation(r.id)
                rows.append(CatalogRow(release, r, note, links.get(r.id, "")))
        return rows

    # -- writes (each one saved before it returns) --------------------------------------
    def _check_writable(self) -> None:
        if self.case.readonly:
            raise CaseBusyError("This case is open read-only; edits are off.")
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

    def confirm_link(self, view: LinkView) -> None:
        self._check_writable()
        self.case.links.confirm(view.a_release_id, view.b_release_id, view.link)
        self.changed.emit(Change(ChangeKind.LINK))

    def break_link(self, view: LinkView) -> None:
        self._check_writable()
        self.case.links.break_link(view.a_release_id, view.b_release_id, view.link)
        self.changed.emit(Change(ChangeKind.LINK))

    def hand_link_pair(self, one: Redaction, other: Redaction) -> tuple[int, int]:
        """The (A, B) release pair a hand-made link between these two is stored under."""
        one_release, other_release = self.release_of(one.id), self.release_of(other.id)
        if one_release is None or other_release is None or one_release == other_release:
            raise RedactviewError("Link a redaction to one in another release of the case.")
        # Keep the direction computed links already use between the two releases.
        if self.case.links.between(other_release, one_release):
            return other_release, one_release
        low, high = sorted((one_release, other_release))
        return low, high

    def link_by_hand(self, one: Redaction, other: Redaction) -> RedactionLink:
        """Link two redactions of two releases as the same one (a user-set link)."""
        self._check_writable()
        a_id, b_id = self.hand_link_pair(one, other)
        a, b = (one, other) if a_id == self.release_of(one.id) else (other, one)
        link = RedactionLink(
            LinkStatus.BOTH,
            LinkRef(a.page, a.box, a.id),
            LinkRef(b.page, b.box, b.id),
            None,
            a.exemptions,
            b.exemptions,
        )
        stored = self.case.links.add(a_id, b_id, link)
        self.changed.emit(Change(ChangeKind.LINK))
        return stored

    def links_between(self, a_release_id: int, b_release_id: int) -> list[RedactionLink]:
        return self.case.links.between(a_release_id, b_release_id)

    def restore_links(
        self, a_release_id: int, b_release_id: int, links: list[RedactionLink]
    ) -> None:
        """Put back exactly these links between two releases (undo/redo of a decision)."""
        self._check_writable()
        self.case.links.restore_pair(a_release_id, b_release_id, links)
        self.changed.emit(Change(ChangeKind.LINK))

    def reload(self) -> None:
        """After work that wrote many rows (a scan, a compare): refresh everything."""
        self._releases = {r.id: r for r in self.case.releases()}
        self._pages.clear()
        self.changed.emit(Change(ChangeKind.RESET))

    def close(self) -> None:
        self.case.close()
