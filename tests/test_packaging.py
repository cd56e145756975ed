"""Packaging: desktop entry, MIME type, icons, build.spec, About dialog, smoke hook.

The frozen build itself is tested by scripts/smoke_frozen.sh; the last test
here runs it when REDACTVIEW_FROZEN_SMOKE=1 (it builds for minutes).
"""

from __future__ import annotations

import ast
import configparser
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from importlib import metadata
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


def read_desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string((RESOURCES / "redactview.desktop").read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


def test_desktop_entry_opens_pdfs_and_cases() -> None:
    entry = read_desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Icon"] == "redactview"
    assert entry["Terminal"] == "false"
    mime_types = [m for m in entry["MimeType"].split(";") if m]
    assert mime_types == ["application/pdf", "application/x-redactview-case"]
    assert entry["MimeType"].endswith(";"), "the spec wants lists closed by ';'"
    # %F: the app takes several local files (more PDFs become releases of one case).
    assert re.fullmatch(r"redactview %F", entry["Exec"])
    assert "Office" in entry["Categories"].split(";")


def test_mime_type_matches_a_real_case_file(tmp_path: Path) -> None:
    from redactview.store.case import Case

    root = ET.parse(RESOURCES / "redactview-mime.xml").getroot()
    mime = root.find(f"{MIME_NS}mime-type")
    assert mime is not None and mime.get("type") == "application/x-redactview-case"
    globs = [g.get("pattern") for g in mime.iter(f"{MIME_NS}glob")]
    assert globs == ["*.rvcase"]
    outer = mime.find(f"{MIME_NS}magic/{MIME_NS}match")
    assert outer is not None
    inner = outer.find(f"{MIME_NS}match")
    assert inner is not None

    # The magic must match what the store really writes into a case's header.
    case = Case.open(tmp_path / "x.rvcase", create=True)
    case.close()
    header = (tmp_path / "x.rvcase").read_bytes()[:100]
    for match in (outer, inner):
        offset, value = int(match.get("offset", "-1")), match.get("value", "").encode()
        assert header[offset : offset + len(value)] == value, match.attrib


@pytest.mark.parametrize("size", ICON_SIZES)
def test_icon_png_has_its_size_and_a_visible_drawing(size: int) -> None:
    with Image.open(RESOURCES / "icons" / f"redactview-{size}.png") as image:
        assert image.size == (size, size)
        assert image.mode == "RGBA"
        alpha = image.getchannel("A")
        # Transparent corners around an opaque page: a drawing, not an empty square.
        assert alpha.getpixel((0, 0)) == 0
        assert alpha.getpixel((size // 2, size // 2)) == 255
        pixels = np.asarray(image, dtype=np.int32)
        dark = (pixels[..., 3] > 200) & (pixels[..., :3].sum(axis=2) < 150)
        # The bars cover ~7 % of the 256 px drawing; antialiasing thins them at 48 px.
        assert dark.mean() > 0.04, "the black redaction bars must show"


def test_windows_icon_holds_every_size() -> None:
    with Image.open(RESOURCES / "redactview.ico") as ico:
        assert {s for s, _ in ico.info["sizes"]} == set(ICON_SIZES)


def test_svg_icon_is_square_and_valid() -> None:
    root = ET.parse(RESOURCES / "redactview.svg").getroot()
    assert root.get("viewBox") == "0 0 256 256"


def spec_assignments() -> dict[str, object]:
    """Literal top-level assignments of build.spec (PyInstaller is not needed to read them)."""
    tree = ast.parse((ROOT / "build.spec").read_text(encoding="utf-8"), "build.spec")
    values: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            try:
                values[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                continue
    return values


def test_build_spec_bundles_the_data_folders() -> None:
    values = spec_assignments()
    folders = dict(values["DATA_FOLDERS"])  # type: ignore[call-overload]
    assert folders == {
        "redactview/data": "redactview/data",
        "redactview/store/migrations": "redactview/store/migrations",
        "resources": "resources",
    }
    assert list((ROOT / "redactview/store/migrations").glob("*.sql"))
    assert list((ROOT / "redactview/data").rglob("*.csv"))
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert "scripts/pyi_rth_redactview.py" in spec.replace('" / "', "/")
    assert (ROOT / "scripts" / "pyi_rth_redactview.py").is_file()


def test_build_spec_excludes_no_module_the_app_imports() -> None:
    qt_unused = spec_assignments()["QT_UNUSED"]
    assert isinstance(qt_unused, list) and "QtNetwork" in qt_unused
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "redactview").rglob("*.py"))
    used = set(re.findall(r"PySide6\.(Qt\w+)", sources))
    assert used, "the scan found no Qt imports at all"
    assert not used & set(qt_unused), (
        f"build.spec excludes Qt modules in use: {used & set(qt_unused)}"
    )


def test_build_spec_copies_metadata_of_every_about_component() -> None:
    wanted = {name.lower() for name in spec_assignments()["METADATA_OF"]}  # type: ignore[attr-defined]
    about = (ROOT / "redactview" / "ui" / "about.py").read_text(encoding="utf-8")
    # Every distribution the About dialog reads, except alternatives not installed here.
    read = {m.lower() for m in re.findall(r'distribution_version\(\s*"([^"]+)"', about)}
    assert read <= wanted, f"build.spec misses metadata of {read - wanted}"


@pytest.mark.gui
def test_about_dialog_lists_every_component(qtbot) -> None:  # type: ignore[no-untyped-def]
    from redactview import __version__
    from redactview.ocr.tesseract import find_tesseract
    from redactview.ui.about import NOT_FOUND, AboutDialog

    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert __version__ in dialog.title.text()
    table = dialog.table

    def cell(row: int, col: int) -> str:
        item = table.item(row, col)
        assert item is not None, (row, col)
        return item.text()

    rows = {cell(r, 0): (cell(r, 1), cell(r, 2)) for r in range(table.rowCount())}
    licenses = {name: lic for name, (_v, lic) in rows.items()}
    assert licenses == {
        "Python": "PSF-2.0",
        "Qt": "LGPL-3.0",
        "PySide6 / Shiboken6": "LGPL-3.0",
        "PyMuPDF (with MuPDF)": "AGPL-3.0",
        "Pillow": "MIT-CMU (HPND)",
        "NumPy": "BSD-3-Clause",
        "OpenCV": "Apache-2.0",
        "pytesseract": "Apache-2.0",
        "Tesseract OCR": "Apache-2.0",
        "platformdirs": "MIT",
    }
    for name, (version, _lic) in rows.items():
        if name == "Tesseract OCR" and find_tesseract() is None:
            continue
        assert version and not version.startswith(NOT_FOUND), name
    assert rows["NumPy"][0] == metadata.version("numpy")
    assert rows["Python"][0] == ".".join(map(str, sys.version_info[:3]))


SMOKE_APP = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
from redactview.ui.smoke import start_quit_watchdog
assert start_quit_watchdog()          # before the app exists, as the frozen hook does
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("smoke window")
window.show()
sys.exit(app.exec())
"""


@pytest.mark.gui
def test_quit_watchdog_closes_the_app_and_reports(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "REDACTVIEW_QUIT_AFTER_MS": "300"}
    env["REDACTVIEW_SMOKE_REPORT"] = str(report)
    done = subprocess.run(
        [sys.executable, "-c", SMOKE_APP], env=env, timeout=60, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["windows"] == [{"class": "QMainWindow", "title": "smoke window"}]
    assert data["platform"] == "offscreen"
    assert {c["name"] for c in data["components"]} >= {"Qt", "PyMuPDF (with MuPDF)"}


def test_quit_watchdog_does_nothing_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    from redactview.ui import smoke

    monkeypatch.delenv(smoke.QUIT_ENV, raising=False)
    assert smoke.quit_delay_ms() is None
    assert smoke.start_quit_watchdog() is False
    monkeypatch.setenv(smoke.QUIT_ENV, "soon")
    assert smoke.quit_delay_ms() is None
    monkeypatch.setenv(smoke.QUIT_ENV, "250")
    assert smoke.quit_delay_ms() == 250


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("REDACTVIEW_FROZEN_SMOKE") != "1",
    reason="builds and runs the frozen app (minutes); set REDACTVIEW_FROZEN_SMOKE=1",
)
def test_frozen_app_smoke() -> None:
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "smoke_frozen.sh")],
        timeout=3600,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^\d+ passed, 0 failed$", done.stdout, re.MULTILINE), done.stdout


def test_tesseract_found_without_path_as_from_a_desktop_launcher(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A launcher or Finder may start the frozen app with a bare PATH."""
    from redactview.ocr.tesseract import find_tesseract

    system = Path("/usr/bin/tesseract")
    if not system.is_file():
        pytest.skip("no /usr/bin/tesseract on this machine")
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("REDACTVIEW_TESSERACT", raising=False)
    assert find_tesseract() == str(system)
