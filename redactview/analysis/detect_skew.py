"""How far a page was scanned askew, and turning it straight (pixel space)."""

from __future__ import annotations

import cv2
import numpy as np

from redactview.analysis.detect_bands import external_contours, grow
from redactview.analysis.detect_types import DARK_LEVEL, PixelBox, ink_mask
from redactview.analysis.detect_windows import Region, Seeds

# Paper grey the straightened page's uncovered corners are filled with.
_BORDER_GREY = 235


def estimate_skew(gray: np.ndarray, dpi: float, regions: list[Region] | None = None) -> float:
    """Median tilt (degrees, cv2's sense) of long dark bars: redaction boxes, rules.

    The bars are what a ~2 pt opening of the dark pixels leaves. Its erosion is
    done on the whole page (or in each of ``regions``); its dilation and the
    outline tracing only in the bands of rows the erosion left something in
    (``detect_bands``): the same outlines as the whole-page opening's, at a
    third of the cost.

    The box detector asks only within its windows around solid ink
    (``detect_windows``): the boxes are the bars there. A dark rule thinner
    than a seed block (under ~5 pt) away from any box no longer votes; on the
    samples, their variants and turned copies the angle moved by at most
    0.009° (141 pages with boxes, most by float rounding, ~1e-5°), at half the
    cost.
    """
    size = max(3, round(2.2 * dpi / 72.0)) | 1
    h, w = gray.shape[:2]
    angles = []
    for x0, y0, x1, y1 in regions if regions is not None else [(0, 0, w, h)]:
        core = cv2.erode(ink_mask(gray[y0:y1, x0:x1], DARK_LEVEL), np.ones((size, size), np.uint8))
        angles += _bar_angles(external_contours(grow(core, size, gray.size)), 40 * dpi / 72.0)
    return float(np.median(angles)) if len(angles) >= 2 else 0.0


def _bar_angles(contours: list[np.ndarray], least: float) -> list[float]:
    """The tilt of each outline that is a bar: longer than ``least``, 4x as long as wide."""
    angles = []
    for contour in contours:
        # A side of the rotated rectangle is the points' extent along one
        # direction, no more than their greatest distance, the diagonal of
        # their upright box: most blobs (bold print) are refused on that before
        # fitting the rectangle (a pixel spare for the fit's float rounding).
        _, _, w, h = cv2.boundingRect(contour)
        if (w - 1) ** 2 + (h - 1) ** 2 < (least - 1) ** 2:
            continue
        rect = cv2.minAreaRect(contour)
        rw, rh = sorted(rect[1], reverse=True)
        a = long_side_angle(cv2.boxPoints(rect))
        if rw > 4 * rh and rw > least and abs(a) < 8:
            angles.append(a)
    return angles


def long_side_angle(corners: np.ndarray) -> float:
    """Tilt in degrees of a rectangle's long side, in (-90, 90], y pointing down.

    Taken from the corners rather than ``minAreaRect``'s angle, whose range and
    sign convention changed between OpenCV releases (4.5 moved it from
    [-90, 0) to (0, 90]); a positive tilt (down to the right) is undone by
    ``getRotationMatrix2D`` with the same angle.
    """
    sides = [corners[(k + 1) % 4] - corners[k] for k in range(2)]
    dx, dy = max(sides, key=lambda v: float(np.hypot(*v)))
    angle = float(np.degrees(np.arctan2(dy, dx)))
    return angle - 180.0 if angle > 90 else angle + 180.0 if angle <= -90 else angle


class Straightening:
    """A page turned by ``angle`` about its centre, cut out window by window.

    Turning the whole 150 dpi page costs ~5 ms (nearest neighbour); the boxes
    are looked for only in a few windows (``detect_windows``), and each is
    turned on its own: the same matrix, its translation moved by the window's
    corner, gives the window's pixels of the turned page.
    """

    def __init__(self, gray: np.ndarray, angle: float) -> None:
        h, w = gray.shape[:2]
        self.gray = gray
        self.matrix = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), angle, 1.0)
        self.back = cv2.invertAffineTransform(self.matrix)  # turned page -> scan

    def cut(self, region: Region) -> tuple[np.ndarray, np.ndarray]:
        """The turned page's grey and ink pixels in ``region`` (turned page pixels)."""
        x0, y0, x1, y1 = region
        matrix = self.matrix.copy()
        matrix[:, 2] -= (x0, y0)
        # Nearest-neighbour keeps type as thin as scanned: interpolation smears
        # small letters into clumps that pass for little grey boxes.
        window = cv2.warpAffine(
            self.gray, matrix, (x1 - x0, y1 - y0), flags=cv2.INTER_NEAREST, borderValue=_BORDER_GREY
        )
        return window, ink_mask(window)

    def carry(self, seeds: Seeds) -> Seeds:
        """``seeds`` of the scan, in the turned page's pixels.

        Each cell of the turned page takes the seed of the scan's cell its seed
        point comes from (nearest), and then those of its neighbours: turning
        moves a seed by up to a cell's rounding, and a seed must not be lost.
        """
        h, w = self.gray.shape[:2]
        c = seeds.cell
        # Cells to cells: cell k's seed is at pixel (k + 1.5) * c on either page.
        to_px = np.array([[c, 0, 1.5 * c], [0, c, 1.5 * c], [0, 0, 1]])
        to_cell = np.linalg.inv(to_px)
        back = np.vstack([self.back, [0, 0, 1]])
        matrix = (to_cell @ back @ to_px)[:2]  # turned cell -> scan cell
        rows, cols = seeds.anchors.shape[:2]
        turned = cv2.warpAffine(
            seeds.anchors,
            matrix,
            (cols, rows),
            flags=cv2.INTER_NEAREST | cv2.WARP_INVERSE_MAP,
            borderValue=0,
        )
        anchors = cv2.dilate(turned, np.ones((3, 3), np.uint8))
        areas = []
        for x0, y0, x1, y1 in seeds.areas:
            corners = np.array([[x0, y0], [x1, y0], [x0, y1], [x1, y1]], float)
            moved = corners @ self.matrix[:, :2].T + self.matrix[:, 2]
            low, high = np.floor(moved.min(axis=0)), np.ceil(moved.max(axis=0))
            areas.append(
                (
                    max(0, int(low[0])),
                    max(0, int(low[1])),
                    min(w, int(high[0])),
                    min(h, int(high[1])),
                )
            )
        return Seeds.of(anchors, areas, c)


def map_box(box: PixelBox, matrix: np.ndarray, w: int, h: int) -> PixelBox:
    """The upright box around ``box``'s four corners taken through ``matrix``."""
    corners = np.array([[x, y, 1.0] for x in (box.x0, box.x1) for y in (box.y0, box.y1)])
    pts = corners @ matrix.T
    x0, y0 = max(0, int(pts[:, 0].min())), max(0, int(pts[:, 1].min()))
    x1, y1 = min(w, round(pts[:, 0].max())), min(h, round(pts[:, 1].max()))
    return PixelBox(
        x0, y0, x1, y1, box.fill, box.confidence, box.style, box.inner_ink, box.needs_label
    )
