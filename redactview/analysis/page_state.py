"""What one page's analysis steps share: the task, the state, the candidates.

``PageTask`` and ``PageResult`` cross the process boundary (small, picklable);
``PageState`` lives only inside the worker. Geometry helpers map between page
points and the *view* (render pixels turned so the content reads upright).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from redactview.analysis.labels import NO_LABEL, Label, ViewWord
from redactview.analysis.view import View
from redactview.core.exemptions import DEFAULT_JURISDICTIONS
from redactview.core.geometry import Box
from redactview.core.model import Fill, Redaction, RedactionKind, Word
from redactview.pdf import drawings
from redactview.pdf.render import RenderedPage

DEFAULT_DPI = 150.0


@dataclass(frozen=True, slots=True)
class PageTask:
    path: str
    page: int  # 1-based
    sha256: str  # for stable redaction ids
    dpi: float = DEFAULT_DPI
    password: str | None = None
    ocr: bool = True  # read labels and context on scans with Tesseract
    # The exemption tables the release cites (``core.exemptions.citing``).
    jurisdictions: tuple[str, ...] = DEFAULT_JURISDICTIONS


@dataclass(frozen=True, slots=True)
class PageResult:
    page: int
    redactions: tuple[Redaction, ...]
    words: tuple[Word, ...]  # the text layer's words (empty on scans)
    timings: tuple[tuple[str, float], ...]  # (step, seconds)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Candidate:
    """A box on its way to becoming a ``Redaction``; ``view`` is in view pixels."""

    view: Box
    kind: RedactionKind
    fill: Fill
    confidence: float
    inner_ink: bool = False
    needs_label: bool = False
    printed: str = ""  # text-layer text printed on a vector box
    label: Label = NO_LABEL
    group: str | None = None
    context: tuple[str, str] = ("", "")


@dataclass
class PageState:
    """What the steps share for one page (lives only inside the worker)."""

    task: PageTask
    page: drawings.PdfPage
    render: RenderedPage
    text_words: list[Word] = field(default_factory=list)
    view: View | None = None
    words: list[ViewWord] = field(default_factory=list)  # text layer or OCR, view pixels
    candidates: list[Candidate] = field(default_factory=list)
    inside: dict[int, list[ViewWord]] = field(default_factory=dict)  # OCR of candidate i's inside
    warnings: list[str] = field(default_factory=list)

    @property
    def ocr_ok(self) -> bool:
        return self.task.ocr and not any("OCR" in w for w in self.warnings)


Step = Callable[[PageState], None]


def page_to_view(state: PageState, box: Box) -> Box:
    x0, y0, x1, y1 = state.render.page_box_to_pixels(box)
    return state.view.to_view(Box(x0, y0, x1, y1)) if state.view else Box(x0, y0, x1, y1)


def view_to_page(state: PageState, box: Box) -> Box:
    render_box = state.view.to_render(box) if state.view else box
    return state.render.pixel_box_to_page(*render_box.as_tuple())
