"""Turn a laid-out page into a scanned page image, and map layout boxes onto the scan.

The scan is rotated about the image centre with OpenCV, and every ground-truth box goes
through the same affine matrix (pixel-centre convention), so boxes stay within a fraction
of a pixel of what is drawn.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np
import pymupdf
from PIL import Image

from .model import Placed, Rect


@dataclass(frozen=True)
class ScanGeometry:
    width: float  # layout page size in points
    height: float
    dpi: int
    skew_deg: float  # counter-clockwise, as cv2.getRotationMatrix2D
    sideways: bool = False  # content turned 90° counter-clockwise on a landscape sheet

    @property
    def scale(self) -> float:
        return self.dpi / 72.0

    @property
    def out_size(self) -> tuple[float, float]:
        return (self.height, self.width) if self.sideways else (self.width, self.height)

    @property
    def pixel_size(self) -> tuple[int, int]:
        w, h = self.out_size
        return round(w * self.scale), round(h * self.scale)

    def matrix(self) -> np.ndarray:
        w, h = self.pixel_size
        return cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), self.skew_deg, 1.0)

    def map_point(self, x: float, y: float) -> tuple[float, float]:
        if self.sideways:
            x, y = y, self.width - x  # np.rot90: counter-clockwise quarter turn
        s = self.scale
        px, py = self.matrix() @ np.array([x * s - 0.5, y * s - 0.5, 1.0])
        return (float(px) + 0.5) / s, (float(py) + 0.5) / s

    def map_rect(self, rect: Rect) -> Rect:
        """Axis-aligned bounding box of the four transformed corners."""
        x0, y0, x1, y1 = rect
        pts = [self.map_point(x, y) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        w, h = self.out_size
        return (max(0.0, min(xs)), max(0.0, min(ys)), min(w, max(xs)), min(h, max(ys)))


def render_gray(page: pymupdf.Page, dpi: int) -> np.ndarray:
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
    return np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width).copy()


def paint_marker(img: np.ndarray, placed: Placed, scale: float, rng: np.random.Generator) -> Rect:
    """Hand-applied marker: ragged-edged cross-hatch strokes and stipple, in mid greys.

    Returns the tight layout-space box of the painted pixels.
    """
    x0, y0, x1, y1 = (round(v * scale) for v in placed.bbox)
    dark = np.zeros(img.shape, dtype=np.float32)
    h = y1 - y0
    # Back-and-forth felt-tip passes: wobbly zigzags whose overlaps get darker.
    for _ in range(3):
        xs = np.arange(x0, x1 + 6, 6)
        ys = rng.uniform(y0 + 1, y1 - 1, xs.size) + rng.normal(0, 0.8, xs.size)
        pts = np.stack([xs, ys], axis=1).round().astype(np.int32)
        layer = np.zeros_like(dark)
        cv2.polylines(
            layer,
            [pts],
            False,
            float(rng.uniform(0.35, 0.55)),
            int(rng.integers(max(2, h // 4), max(3, h // 3) + 1)),
        )
        dark = 1 - (1 - dark) * (1 - layer)
    for _ in range(int((x1 - x0) * h / 40)):  # short cross-hatch flicks
        cx, cy = int(rng.integers(x0, x1)), int(rng.integers(y0, y1))
        dx, dy = int(rng.integers(-6, 7)), int(rng.integers(-h // 2, h // 2 + 1))
        cv2.line(dark, (cx, cy), (cx + dx, cy + dy), float(rng.uniform(0.2, 0.4)), 1)
    mask = (np.clip(dark, 0, 0.8) * 255).astype(np.uint8)
    # Ragged ends: each row of the stroke stops at a slightly different x.
    for row in range(y0, y1):
        left = x0 + int(rng.integers(0, 4))
        right = x1 - int(rng.integers(0, 4))
        mask[row, :left] = 0
        mask[row, right:] = 0
    mask[:y0], mask[y1:] = 0, 0
    dots = rng.random((y1 - y0, x1 - x0)) < 0.06  # stipple left by a dry marker tip
    region = mask[y0:y1, x0:x1]
    region[dots] = np.maximum(region[dots], 150)
    np.minimum(img, 255 - mask, out=img)
    ys, xs = np.nonzero(mask)
    return (xs.min() / scale, ys.min() / scale, (xs.max() + 1) / scale, (ys.max() + 1) / scale)


def degrade(
    img: np.ndarray, geom: ScanGeometry, rng: np.random.Generator, border: bool = False
) -> np.ndarray:
    """Rotate, blur, tone, shade and add noise like a mid-range office scanner."""
    if geom.sideways:
        img = np.ascontiguousarray(np.rot90(img))
    w, h = geom.pixel_size
    img = cv2.warpAffine(img, geom.matrix(), (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    f = cv2.GaussianBlur(img.astype(np.float32), (0, 0), 0.6)
    paper, ink = rng.uniform(226, 238), rng.uniform(16, 32)
    f = ink + f / 255.0 * (paper - ink)
    gx = np.linspace(-1, 1, w, dtype=np.float32)[None, :]
    gy = np.linspace(-1, 1, h, dtype=np.float32)[:, None]
    f += rng.uniform(-5, 5) * gx + rng.uniform(-5, 5) * gy  # uneven lamp
    f += rng.normal(0, 3.5, f.shape).astype(np.float32)
    specks = rng.random(f.shape) < 0.0003
    f[specks] = rng.choice(np.array([25.0, 120.0], dtype=np.float32), int(specks.sum()))
    if border:
        paint_border(f, geom, rng)
    return np.clip(f, 0, 255).astype(np.uint8)


def border_rect(geom: ScanGeometry) -> Rect:
    """The dark strip a lid-open scan leaves along the left edge (in output points)."""
    return (0.0, 0.0, 16.0, geom.out_size[1])


def paint_border(f: np.ndarray, geom: ScanGeometry, rng: np.random.Generator) -> None:
    width_px = int(border_rect(geom)[2] * geom.scale)
    h = f.shape[0]
    # A ragged inner edge that wanders a few pixels, never past the truth box.
    edge = width_px - 1 - np.abs(np.cumsum(rng.normal(0, 0.6, h))).clip(0, 6).astype(int)
    cols = np.arange(width_px)[None, :]
    dark = cols <= edge[:, None]
    f[:, :width_px][dark] = rng.uniform(8, 22)


def encode_jpeg(img: np.ndarray, quality: int) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="JPEG", quality=quality, optimize=True)
    return buf.getvalue()


def place_scan(doc: pymupdf.Document, jpeg: bytes, geom: ScanGeometry) -> pymupdf.Page:
    """A new page whose only content is the scan image."""
    w, h = geom.out_size
    page = doc.new_page(width=w, height=h)
    page.insert_image(page.rect, stream=jpeg)
    return page
