"""Tools → Compare Releases: link two releases of the open case and show them side by side.

The work (detect and read words where the case lacks them, link, store the
links) runs as one writing job in the PDF lane, through the window's own case
(the case lock admits one writer, and that is the window). The compare view
then asks the render process for the pages it shows, upright, one at a time.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QWidget

from redactview.analysis.compare import CompareResult, link_releases
from redactview.core.model import PageInfo, Release
from redactview.jobs.compare_run import CompareOptions, load_contents, prepare_release
from redactview.store.case import Case
from redactview.ui.compare_view import PageImage
from redactview.ui.render_service import RenderService, capped_dpi
from redactview.ui.tasks import TaskContext

COMPARE_DPI = 60.0
_KEEP_PAGES = 24


@dataclass(frozen=True, slots=True)
class CompareSides:
    a: Release
    b: Release
    path_a: Path
    path_b: Path
    password_a: str | None
    password_b: str | None


@dataclass(frozen=True, slots=True)
class CompareDone:
    sides: CompareSides
    result: CompareResult  # links as stored in the case


def compare_releases(
    case: Case, sides: CompareSides, options: CompareOptions, ctx: TaskContext
) -> CompareDone:
    """Detect and read both releases as needed, link them, store the links."""
    run_a = prepare_release(case, sides.path_a, options, sides.password_a, ctx.progress, ctx.cancel)
    run_b = prepare_release(case, sides.path_b, options, sides.password_b, ctx.progress, ctx.cancel)
    result = link_releases(load_contents(case, run_a), load_contents(case, run_b), ctx.cancel)
    stored = case.links.replace_computed(sides.a.id, sides.b.id, result.links)
    return CompareDone(sides, CompareResult(result.page_pairs, tuple(stored)))


class RenderedPages(Mapping[int, PageImage]):
    """A release's pages for the compare view, rendered on first use and kept (LRU).

    Rendering happens in the render process; the GUI waits for one page at a
    time (tens of milliseconds at the compare view's resolution). One image is
    at most ``VIEW_MAX_PIXELS``, as in the page view.
    """

    def __init__(self, renderer: RenderService, path: Path, pages: list[PageInfo]) -> None:
        self._renderer = renderer
        self._path = str(path)
        self._info = {p.number: p for p in pages}
        self._images: OrderedDict[int, PageImage] = OrderedDict()

    def __getitem__(self, number: int) -> PageImage:
        if number not in self._info:
            raise KeyError(number)
        if number in self._images:
            self._images.move_to_end(number)
            return self._images[number]
        info = self._info[number]
        # The page view's 32 MP cap: a huge drawing comes back smaller, not refused.
        dpi = capped_dpi(COMPARE_DPI, info.width, info.height)
        image = self._renderer.render_upright(self._path, number, dpi)
        page = PageImage(image, info.width, info.height)
        self._images[number] = page
        while len(self._images) > _KEEP_PAGES:
            self._images.popitem(last=False)
        return page

    def __iter__(self) -> Iterator[int]:
        return iter(self._info)

    def __len__(self) -> int:
        return len(self._info)


class ChooseReleases(QDialog):
    """Pick release A (earlier) and B (later); the first two by default."""

    def __init__(self, releases: list[Release], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare releases")
        self.releases = releases
        self.a_box, self.b_box = QComboBox(), QComboBox()
        for box in (self.a_box, self.b_box):
            box.addItems([r.label for r in releases])
        self.b_box.setCurrentIndex(min(1, len(releases) - 1))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Release A (earlier)", self.a_box)
        form.addRow("Release B (later)", self.b_box)
        form.addRow(buttons)

    def chosen(self) -> tuple[Release, Release] | None:
        a, b = self.a_box.currentIndex(), self.b_box.currentIndex()
        if a == b or a < 0 or b < 0:
            return None
        return self.releases[a], self.releases[b]
