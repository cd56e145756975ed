"""Render resources/redactview.svg to the PNG sizes desktops ask for, and a Windows .ico.

Run it after editing the SVG and commit the results (the build does not run
it, so a build machine needs no SVG renderer):

    .venv/bin/python resources/make_icons.py

PNGs come from Qt's own SVG renderer (QtSvg ships in PySide6-Essentials), so
they look exactly like the icon the app draws from the SVG at run time. The
.ico holds several PNG-rendered sizes, written with Pillow, so Windows picks a
sharp one for each place (taskbar, Explorer, title bar).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
SVG = HERE / "redactview.svg"
# Small sizes get their own, simpler drawing: thin lines blur into grey below 48 px.
SMALL_SVG = HERE / "redactview-small.svg"
SMALL_MAX = 32
ICON_DIR = HERE / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def png_path(size: int) -> Path:
    return ICON_DIR / f"redactview-{size}.png"


def render_png(renderer: QSvgRenderer, size: int, target: Path) -> None:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    if not image.save(str(target)):  # format from the .png suffix
        raise OSError(f"could not write {target}")


def write_ico(target: Path) -> None:
    """One .ico with every size; Pillow downsamples from the largest frame given."""
    largest = Image.open(png_path(max(ICO_SIZES))).convert("RGBA")
    frames = [Image.open(png_path(s)).convert("RGBA") for s in ICO_SIZES]
    largest.save(target, format="ICO", sizes=[(s, s) for s in ICO_SIZES], append_images=frames)


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderers = {svg: QSvgRenderer(str(svg)) for svg in (SVG, SMALL_SVG)}
    for svg, renderer in renderers.items():
        if not renderer.isValid():
            print(f"make_icons: {svg} is not a valid SVG", file=sys.stderr)
            return 1
    ICON_DIR.mkdir(exist_ok=True)
    for size in SIZES:
        source = SMALL_SVG if size <= SMALL_MAX else SVG
        render_png(renderers[source], size, png_path(size))
    write_ico(HERE / "redactview.ico")
    del app
    print(f"make_icons: wrote {len(SIZES)} PNGs to {ICON_DIR} and redactview.ico", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
