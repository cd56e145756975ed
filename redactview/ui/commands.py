"""Undoable edits. Each command writes through the session (so through the store).

A command keeps the value before and after; redo writes "after", undo writes
"before". Since the store saves each write in its own transaction, the case
file is always at the state the undo stack shows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from redactview.core.geometry import Box
from redactview.core.model import Annotation, Redaction, RedactionLink, ReviewStatus
from redactview.ui.session import CaseSession, LinkView

_STATUS_TEXT = {
    ReviewStatus.CONFIRMED: "Mark confirmed",
    ReviewStatus.FALSE_POSITIVE: "Mark false positive",
    ReviewStatus.UNREVIEWED: "Mark unreviewed",
}


class AddRedactionCommand(QUndoCommand):
    def __init__(self, session: CaseSession, release_id: int, redaction: Redaction) -> None:
        super().__init__(f"Add redaction on page {redaction.page}")
        self._session = session
        self._release_id = release_id
        self._redaction = redaction
        self._added = False

    def redo(self) -> None:
        if self._added:
            self._session.restore_redaction(self._release_id, self._redaction.id)
        else:
            self._session.save_redaction(self._release_id, self._redaction)
            self._added = True

    def undo(self) -> None:
        self._session.delete_redaction(self._release_id, self._redaction.id)


class DeleteRedactionCommand(QUndoCommand):
    def __init__(self, session: CaseSession, release_id: int, redaction: Redaction) -> None:
        super().__init__(f"Delete redaction on page {redaction.page}")
        self._session = session
        self._release_id = release_id
        self._id = redaction.id

    def redo(self) -> None:
        self._session.delete_redaction(self._release_id, self._id)

    def undo(self) -> None:
        # Deleting only hides the row, so its annotation comes back with it.
        self._session.restore_redaction(self._release_id, self._id)


class EditRedactionCommand(QUndoCommand):
    """Move/resize a box or change its exemption codes."""

    def __init__(
        self, session: CaseSession, release_id: int, before: Redaction, after: Redaction, text: str
    ) -> None:
        super().__init__(text)
        self._session = session
        self._release_id = release_id
        self._before = before
        self._after = after

    def redo(self) -> None:
        self._session.save_redaction(self._release_id, self._after)

    def undo(self) -> None:
        self._session.save_redaction(self._release_id, self._before)


class EditAnnotationCommand(QUndoCommand):
    def __init__(self, session: CaseSession, before: Annotation, after: Annotation, text: str):
        super().__init__(text)
        self._session = session
        self._before = before
        self._after = after

    def redo(self) -> None:
        self._session.save_annotation(self._after)

    def undo(self) -> None:
        self._session.save_annotation(self._before)


def move_command(
    session: CaseSession, release_id: int, before: Redaction, box: Box
) -> QUndoCommand:
    after = dataclasses.replace(before, box=box.rounded(2))
    return EditRedactionCommand(session, release_id, before, after, "Move/resize redaction")


def exemptions_command(
    session: CaseSession, release_id: int, before: Redaction, codes: tuple[str, ...]
) -> QUndoCommand:
    after = dataclasses.replace(before, exemptions=codes)
    return EditRedactionCommand(session, release_id, before, after, "Edit exemption codes")


def status_command(session: CaseSession, before: Annotation, status: ReviewStatus) -> QUndoCommand:
    after = dataclasses.replace(before, status=status)
    return EditAnnotationCommand(session, before, after, _STATUS_TEXT[status])


def note_command(session: CaseSession, before: Annotation, note: str) -> QUndoCommand:
    return EditAnnotationCommand(
        session, before, dataclasses.replace(before, note=note), "Edit note"
    )


def tags_command(session: CaseSession, before: Annotation, tags: tuple[str, ...]) -> QUndoCommand:
    return EditAnnotationCommand(
        session, before, dataclasses.replace(before, tags=tags), "Edit tags"
    )


class EditReleaseCommand(QUndoCommand):
    """Edit a release's metadata (agency, request number, release date, …)."""

    def __init__(
        self, session: CaseSession, release_id: int, before: dict[str, str], after: dict[str, str]
    ) -> None:
        super().__init__("Edit release details")
        self._session = session
        self._release_id = release_id
        self._before = before
        self._after = after

    def redo(self) -> None:
        self._session.update_release(self._release_id, **self._after)

    def undo(self) -> None:
        self._session.update_release(self._release_id, **self._before)


class LinkDecisionCommand(QUndoCommand):
    """Confirm, break or draw a cross-release link.

    A decision rewrites links of one pair of releases (breaking one turns it
    into two unmatched sides, a hand-made link replaces the computed ones on
    its boxes), so undo puts back that pair's stored links exactly as they
    were before, and redo exactly as the decision left them.
    """

    def __init__(
        self, session: CaseSession, text: str, pair: tuple[int, int], decide: Callable[[], object]
    ) -> None:
        super().__init__(text)
        self._session = session
        self._pair = pair
        self._decide = decide
        self._before = session.links_between(*pair)
        self._after: list[RedactionLink] | None = None

    def redo(self) -> None:
        if self._after is None:
            self._decide()
            self._after = self._session.links_between(*self._pair)
        elif self._still(self._before):
            self._session.restore_links(*self._pair, self._after)

    def undo(self) -> None:
        if self._after is not None and self._still(self._after):
            self._session.restore_links(*self._pair, self._before)

    def _still(self, expected: list[RedactionLink]) -> bool:
        """Whether the pair's links are as this command left them.

        A compare run since then rewrote them: putting the old snapshot back
        would throw its result away, so the command drops out of the stack
        (obsolete) and writes nothing.
        """
        now = self._session.links_between(*self._pair)
        if sorted(map(repr, now)) == sorted(map(repr, expected)):
            return True
        self.setObsolete(True)
        return False


def confirm_link_command(session: CaseSession, view: LinkView) -> QUndoCommand:
    pair = (view.a_release_id, view.b_release_id)
    return LinkDecisionCommand(session, "Confirm link", pair, lambda: session.confirm_link(view))


def break_link_command(session: CaseSession, view: LinkView) -> QUndoCommand:
    pair = (view.a_release_id, view.b_release_id)
    return LinkDecisionCommand(session, "Break link", pair, lambda: session.break_link(view))


def hand_link_command(session: CaseSession, one: Redaction, other: Redaction) -> QUndoCommand:
    pair = session.hand_link_pair(one, other)  # raises for two boxes of one release
    decide = lambda: session.link_by_hand(one, other)  # noqa: E731
    return LinkDecisionCommand(session, "Link by hand", pair, decide)
