"""The linker's inputs and output: plain frozen values, no documents, no database."""

from __future__ import annotations

from dataclasses import dataclass

from redactview.core.model import LinkStatus, Redaction, RedactionLink, Word


@dataclass(frozen=True, slots=True)
class PageContent:
    """What the linker needs of one page: its words and its redactions.

    Words come in reading order (text layer or OCR), boxes in unrotated page
    points like everything else; ``number`` is 1-based.
    """

    number: int
    words: tuple[Word, ...] = ()
    redactions: tuple[Redaction, ...] = ()
    width: float = 612.0
    height: float = 792.0


@dataclass(frozen=True, slots=True)
class CompareResult:
    """Pages of A paired with pages of B, and one link per redaction (either side)."""

    page_pairs: tuple[tuple[int, int], ...]
    links: tuple[RedactionLink, ...]

    def count_by_status(self) -> dict[str, int]:
        counts = {s.value: 0 for s in LinkStatus}
        for link in self.links:
            counts[link.status.value] += 1
        return counts
