"""Values shared by the raster detectors: grey levels, parameters, pixel boxes."""

from __future__ import annotations

from dataclasses import dataclass

from redactview.core.model import Fill

PAPER_LEVEL = 205  # darker than this is ink (light-grey boxes are ~175 on scans)
DARK_LEVEL = 110  # black boxes and text ink
# Grey-level interquartile range inside a box above which it is textured (marker,
# photo); flat boxes on noisy scans stay under ~10 even with JPEG artefacts.
MARKER_TEXTURE = 16.0
# Tilt above which a page is straightened before boxes are cut out. Even 0.5°
# lifts one end of a 440 pt paragraph line by ~4 pt, more than the ~2 pt gap
# between the line boxes of a withheld paragraph, which then merge.
MIN_SKEW_DEG = 0.15
# Raw ink share a blob needs once glued-on text is stripped (boxes: ~0.99,
# clumps of bold 7 pt type: ~0.75).
STRIPPED_MIN_INK = 0.9


@dataclass(frozen=True, slots=True)
class RasterParams:
    min_height_pt: float = 7.0  # a redacted line of 6 pt type is ~7 pt tall
    min_width_pt: float = 10.0
    min_rect_fill: float = 0.86  # component area / rotated bounding rectangle area
    min_ink_fill: float = 0.62  # raw ink inside the component (text blobs are ~0.45)
    border_margin_pt: float = 6.0
    photo_min_side_pt: float = 40.0


@dataclass(frozen=True, slots=True)
class PixelBox:
    """A candidate in pixel space of the render it was found in."""

    x0: int
    y0: int
    x1: int
    y1: int
    fill: Fill
    confidence: float
    style: str  # "solid" | "marker" | "bordered"
    inner_ink: bool  # something (a code, a header text) is printed inside
    needs_label: bool = False  # only a redaction if a label is read inside

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0
