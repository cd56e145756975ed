"""How far a page was scanned askew, and turning it straight (pixel space)."""

from __future__ import annotations

import cv2
import numpy as np

from redactview.analysis.detect_bands import external_contours, grow_in_bands
from redactview.analysis.detect_types import DARK_LEVEL, PixelBox, ink_mask

# Paper grey the straightened page's uncovered corners are filled with.
_BORDER_GREY = 235


def estimate_skew(gray: np.ndarray, dpi: float) -> float:
    """Median tilt (degrees, cv2's sense) of long dark bars: redaction boxes, rules.

    The bars are what a ~2 pt opening of the dark pixels leaves. Its erosion is
    done on the whole page; its dilation and the outline tracing only in the
    bands of rows the erosion left something in (``detect_bands``): the same
    outlines as the whole-page opening's, at a third of the cost.
    """
    size = max(3, round(2.2 * dpi / 72.0)) | 1
    kernel = np.ones((size, size), np.uint8)
    core = cv2.erode(ink_mask(gray, DARK_LEVEL), kernel)
    least = 40 * dpi / 72.0
    angles = []
    for contour in external_contours(grow_in_bands(core, size)):
        # A bar must be longer than ``least``. A side of the rotated rectangle is
        # the points' extent along one direction, no more than their greatest
        # distance, the diagonal of their upright box: most blobs (bold print)
        # are refused on that before fitting the rectangle (a pixel spare for
        # the fit's float rounding).
        _, _, w, h = cv2.boundingRect(contour)
        if (w - 1) ** 2 + (h - 1) ** 2 < (least - 1) ** 2:
            continue
        rect = cv2.minAreaRect(contour)
        rw, rh = sorted(rect[1], reverse=True)
        a = long_side_angle(cv2.boxPoints(rect))
        if rw > 4 * rh and rw > least and abs(a) < 8:
            angles.append(a)
    return float(np.median(angles)) if len(angles) >= 2 else 0.0


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


def straighten(gray: np.ndarray, angle: float) -> tuple[np.ndarray, np.ndarray]:
    """The page turned by ``angle`` about its centre, and the matrix taking the
    turned page's pixels back to the scan's."""
    h, w = gray.shape[:2]
    matrix = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), angle, 1.0)
    # Nearest-neighbour keeps type as thin as scanned: interpolation smears
    # small letters into clumps that pass for little grey boxes.
    straight = cv2.warpAffine(
        gray, matrix, (w, h), flags=cv2.INTER_NEAREST, borderValue=_BORDER_GREY
    )
    return straight, cv2.invertAffineTransform(matrix)


def map_box(box: PixelBox, matrix: np.ndarray, w: int, h: int) -> PixelBox:
    """The upright box around ``box``'s four corners taken through ``matrix``."""
    corners = np.array([[x, y, 1.0] for x in (box.x0, box.x1) for y in (box.y0, box.y1)])
    pts = corners @ matrix.T
    x0, y0 = max(0, int(pts[:, 0].min())), max(0, int(pts[:, 1].min()))
    x1, y1 = min(w, round(pts[:, 0].max())), min(h, round(pts[:, 1].max()))
    return PixelBox(
        x0, y0, x1, y1, box.fill, box.confidence, box.style, box.inner_ink, box.needs_label
    )
