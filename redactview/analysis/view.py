"""The view: render pixels turned so that the content reads upright.

Labels, context and widths are read in the view, where "right of the box" and
"the same line" mean what a reader means; boxes go back to render pixels (and
from there to page points) through the same turns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from redactview.core.geometry import Box


@dataclass(frozen=True, slots=True)
class View:
    pixels: np.ndarray  # the render turned by ``turns`` quarter turns counter-clockwise
    turns: int  # 0..3, as np.rot90's k
    render_size: tuple[int, int]  # (width, height) of the unturned render

    def to_view(self, box: Box) -> Box:
        """Render-pixel box -> view-pixel box."""
        w, h = self.render_size
        b = box
        for _ in range(self.turns % 4):
            b = Box(b.y0, w - b.x1, b.y1, w - b.x0)  # one counter-clockwise quarter turn
            w, h = h, w
        return b

    def to_render(self, box: Box) -> Box:
        w, h = self.render_size
        if self.turns % 2:
            w, h = h, w
        b = box
        for _ in range(self.turns % 4):
            b = Box(h - b.y1, b.x0, h - b.y0, b.x1)  # one clockwise quarter turn
            w, h = h, w
        return b


def make_view(render: np.ndarray, turns: int) -> View:
    height, width = render.shape[:2]
    pixels = np.ascontiguousarray(np.rot90(render, turns)) if turns % 4 else render
    return View(pixels, turns % 4, (width, height))
