"""Undoable edits. Each command writes through the session (so through the store).

A command keeps the value before and after; redo writes "after", undo writes
"before". Since the store saves each write in its own transaction, the case
file is always at the state the undo stack shows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from redactview.core.geometry import Box
from redactview.core.model import Annotation, Redaction, RedactionLink, ReviewStatus
from redactview.ui.session import CaseSession, LinkView

_STATUS_TEXT = {
    ReviewStatus.CONFIRMED: "Mark confirmed",
    ReviewStatus.FALSE_POSITIVE: "Mark false positive",
    ReviewStatus.UNREVIEWED: "Mark unreviewed",
}


class GuardedCommand(QUndoCommand):
    """An undo step that writes only over the state it left itself.

    Bulk jobs (a scan re-detecting boxes, a leak check filling ``text_under``,
    a compare rewriting links) change rows behind the undo stack's back. Each
    step remembers what its target looked like after it last ran; if the
    target differs when undo or redo comes, writing the step's old values
    would put stale data over the job's result, so the step writes nothing,
    drops out of the stack (obsolete) and says so through the session.
    """

    def __init__(self, session: CaseSession, text: str) -> None:
        super().__init__(text)
        self._session = session
        self._left: object = None  # the target's state after this step last ran
        self._ran = False

    @property
    def target(self) -> object:
        """What this step writes (steps on one target chain: see ``count_stale_steps``)."""
        raise NotImplementedError

    def _state(self) -> object:
        raise NotImplementedError

    def _apply(self) -> None:
        raise NotImplementedError

    def _revert(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self._ran and not self._holds("redo"):
            return
        self._apply()
        self._left, self._ran = self._state(), True

    def undo(self) -> None:
        if self._holds("undo"):
            self._revert()
            self._left = self._state()

    def still_applies(self) -> bool:
        """Whether the next undo/redo of this step would write (no side effects)."""
        return not self.isObsolete() and self._state() == self._left

    def _holds(self, direction: str) -> bool:
        if self._state() == self._left:
            return True
        self.setObsolete(True)
        self._session.step_dropped.emit(self.text(), direction)
        return False


def count_stale_steps(stack: QUndoStack) -> int:
    """How many steps will drop out, writing nothing, when undo or redo reaches them.

    Steps on one target chain (each left what the next one found), so only the
    step nearest the stack's position can be compared with what is stored now;
    if that one differs, every step on its target drops out in turn.
    """
    steps = [stack.command(i) for i in range(stack.count())]
    by_target: dict[object, list[int]] = {}
    for i, step in enumerate(steps):
        if isinstance(step, GuardedCommand):
            by_target.setdefault(step.target, []).append(i)
    stale = 0
    for positions in by_target.values():
        done = [i for i in positions if i < stack.index()]
        nearest = steps[done[-1] if done else positions[0]]
        if isinstance(nearest, GuardedCommand) and not nearest.still_applies():
            stale += len(positions)
    return stale


class _RedactionStep(GuardedCommand):
    def __init__(self, session: CaseSession, release_id: int, redaction_id: str, text: str):
        super().__init__(session, text)
        self._release_id = release_id
        self._id = redaction_id

    @property
    def target(self) -> object:
        return ("redaction", self._id)

    def _state(self) -> object:
        return self._session.redaction_state(self._id)


class AddRedactionCommand(_RedactionStep):
    def __init__(self, session: CaseSession, release_id: int, redaction: Redaction) -> None:
        super().__init__(
            session, release_id, redaction.id, f"Add redaction on page {redaction.page}"
        )
        self._redaction = redaction

    def _apply(self) -> None:
        if self._ran:
            self._session.restore_redaction(self._release_id, self._id)
        else:
            self._session.save_redaction(self._release_id, self._redaction)

    def _revert(self) -> None:
        self._session.delete_redaction(self._release_id, self._id)


class DeleteRedactionCommand(_RedactionStep):
    def __init__(self, session: CaseSession, release_id: int, redaction: Redaction) -> None:
        super().__init__(
            session, release_id, redaction.id, f"Delete redaction on page {redaction.page}"
        )

    def _apply(self) -> None:
        self._session.delete_redaction(self._release_id, self._id)

    def _revert(self) -> None:
        # Deleting only hides the row, so its annotation comes back with it.
        self._session.restore_redaction(self._release_id, self._id)


class EditRedactionCommand(_RedactionStep):
    """Move/resize a box or change its exemption codes."""

    def __init__(
        self, session: CaseSession, release_id: int, before: Redaction, after: Redaction, text: str
    ) -> None:
        super().__init__(session, release_id, before.id, text)
        self._before = before
        self._after = after

    def _apply(self) -> None:
        self._session.save_redaction(self._release_id, self._after)

    def _revert(self) -> None:
        self._session.save_redaction(self._release_id, self._before)


class EditAnnotationCommand(GuardedCommand):
    def __init__(self, session: CaseSession, before: Annotation, after: Annotation, text: str):
        super().__init__(session, text)
        self._before = before
        self._after = after

    @property
    def target(self) -> object:
        return ("annotation", self._after.redaction_id)

    def _state(self) -> object:
        # Annotations are never rewritten by jobs, but their box can be: a scan
        # that no longer finds it removes the row, and a note put back on a
        # box nobody can see would be a write the user cannot check.
        rid = self._after.redaction_id
        stored = dataclasses.replace(self._session.annotation(rid), updated_at="")
        return stored, self._session.redaction(rid) is not None

    def _apply(self) -> None:
        self._session.save_annotation(self._after)

    def _revert(self) -> None:
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


class EditReleaseCommand(GuardedCommand):
    """Edit a release's metadata (agency, request number, release date, …)."""

    def __init__(
        self, session: CaseSession, release_id: int, before: dict[str, str], after: dict[str, str]
    ) -> None:
        super().__init__(session, "Edit release details")
        self._release_id = release_id
        self._before = before
        self._after = after

    @property
    def target(self) -> object:
        return ("release", self._release_id)

    def _state(self) -> object:
        release = self._session.release(self._release_id)
        return {name: getattr(release, name, None) for name in self._after}

    def _apply(self) -> None:
        self._session.update_release(self._release_id, **self._after)

    def _revert(self) -> None:
        self._session.update_release(self._release_id, **self._before)


class LinkDecisionCommand(GuardedCommand):
    """Confirm, break or draw a cross-release link.

    A decision rewrites links of one pair of releases (breaking one turns it
    into two unmatched sides, a hand-made link replaces the computed ones on
    its boxes), so undo puts back that pair's stored links exactly as they
    were before, and redo exactly as the decision left them. A compare run
    since then rewrote them: putting the old snapshot back would throw its
    result away, so the step drops out (``GuardedCommand``).
    """

    def __init__(
        self, session: CaseSession, text: str, pair: tuple[int, int], decide: Callable[[], object]
    ) -> None:
        super().__init__(session, text)
        self._pair = pair
        self._decide = decide
        self._before = session.links_between(*pair)
        self._after: list[RedactionLink] = []

    @property
    def target(self) -> object:
        return ("links", self._pair)

    def _state(self) -> object:
        return sorted(map(repr, self._session.links_between(*self._pair)))

    def _apply(self) -> None:
        if self._ran:
            self._session.restore_links(*self._pair, self._after)
        else:
            self._decide()
            self._after = self._session.links_between(*self._pair)

    def _revert(self) -> None:
        self._session.restore_links(*self._pair, self._before)


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
