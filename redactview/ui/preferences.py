"""User preferences: a JSON file under platformdirs (never inside a case).

``REDACTVIEW_CONFIG_DIR`` overrides the folder (tests, portable installs).
An unreadable or partly wrong file falls back to defaults field by field, so
a hand-edited typo never stops the app from starting.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from redactview.core.exemptions import CA_ATIA, DEFAULT_JURISDICTIONS, JURISDICTIONS, UK_FOI
from redactview.errors import RedactviewError

APPEARANCES = ("system", "light", "dark")
# The exemption tables a scan reads labels against: the releases the user works with.
TABLE_CHOICES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("US: FOIA and Privacy Act", DEFAULT_JURISDICTIONS),
    ("UK: Freedom of Information Act 2000", (UK_FOI,)),
    ("Canada: Access to Information Act", (CA_ATIA,)),
)
_MAX_RECENT = 10


@dataclass(frozen=True, slots=True)
class Preferences:
    tesseract_path: str = ""
    languages: str = "eng"
    ocr_dpi: int = 300
    jobs: int = 0  # 0 = one per CPU core
    appearance: str = "system"
    recent_files: tuple[str, ...] = field(default_factory=tuple)
    jurisdictions: tuple[str, ...] = DEFAULT_JURISDICTIONS  # exemption tables scans cite

    def with_recent(self, path: str) -> Preferences:
        recent = (path, *(p for p in self.recent_files if p != path))[:_MAX_RECENT]
        return dataclasses.replace(self, recent_files=recent)


def config_dir() -> Path:
    override = os.environ.get("REDACTVIEW_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir("redactview"))


def data_dir() -> Path:
    """Where cases for bare PDFs live; ``REDACTVIEW_DATA_DIR`` overrides it."""
    override = os.environ.get("REDACTVIEW_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir("redactview"))


def settings_path() -> Path:
    return config_dir() / "settings.json"


def _coerce(name: str, value: Any, default: Any) -> Any:
    if name == "recent_files":
        return tuple(str(v) for v in value) if isinstance(value, list) else default
    if name == "jurisdictions":
        ok = isinstance(value, list) and value and all(v in JURISDICTIONS for v in value)
        return tuple(value) if ok else default
    if isinstance(default, bool) or not isinstance(value, type(default)):
        return default
    if name == "appearance" and value not in APPEARANCES:
        return default
    if name in ("ocr_dpi", "jobs") and not 0 <= value <= 1200:
        return default
    return value


def load_preferences(path: Path | None = None) -> Preferences:
    path = path or settings_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Preferences()
    if not isinstance(raw, dict):
        return Preferences()
    defaults = Preferences()
    values = {
        f.name: _coerce(f.name, raw.get(f.name), getattr(defaults, f.name))
        for f in dataclasses.fields(Preferences)
        if f.name in raw
    }
    return dataclasses.replace(defaults, **values)


def save_preferences(prefs: Preferences, path: Path | None = None) -> None:
    path = path or settings_path()
    data = dataclasses.asdict(prefs)
    data["recent_files"] = list(prefs.recent_files)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
        tmp.replace(path)  # atomic: a crash never leaves half a settings file
    except OSError as exc:
        raise RedactviewError(f"cannot save preferences to {path}: {exc.strerror}") from exc


def apply_tesseract_path(path: str) -> None:
    """Make a configured Tesseract visible to every OCR caller, worker processes too.

    ``ocr.tesseract.find_tesseract`` reads ``REDACTVIEW_TESSERACT``; spawned
    workers inherit the environment, so detection and OCR both use this path.
    """
    if path:
        os.environ["REDACTVIEW_TESSERACT"] = path


def apply_appearance(appearance: str) -> None:
    """Follow the system's light/dark mode, or force one."""
    hints = QGuiApplication.styleHints()
    scheme = {
        "light": Qt.ColorScheme.Light,
        "dark": Qt.ColorScheme.Dark,
    }.get(appearance, Qt.ColorScheme.Unknown)
    if hasattr(hints, "setColorScheme"):
        hints.setColorScheme(scheme)


class PreferencesDialog(QDialog):
    def __init__(self, prefs: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self._prefs = prefs
        self.tesseract = QLineEdit(prefs.tesseract_path, placeholderText="found on PATH")
        self.tesseract_status = QLabel(wordWrap=True)
        self.languages = QLineEdit(prefs.languages)
        self.dpi = QSpinBox(minimum=72, maximum=1200, singleStep=50, value=prefs.ocr_dpi)
        self.jobs = QSpinBox(minimum=0, maximum=64, value=prefs.jobs)
        self.jobs.setSpecialValueText("one per core")
        self.appearance = QComboBox()
        self.appearance.addItems(["Follow the system", "Light", "Dark"])
        self.appearance.setCurrentIndex(APPEARANCES.index(prefs.appearance))
        self.tables = QComboBox()
        self.tables.setToolTip("The act the releases cite: their labels are read against its codes")
        # Kept here, not as item data: Qt does not compare Python tuples by value.
        self._table_choices = [tables for _, tables in TABLE_CHOICES]
        self.tables.addItems([text for text, _ in TABLE_CHOICES])
        if prefs.jurisdictions not in self._table_choices:  # combined by hand in settings.json
            self._table_choices.append(prefs.jurisdictions)
            self.tables.addItem(" + ".join(prefs.jurisdictions))
        self.tables.setCurrentIndex(self._table_choices.index(prefs.jurisdictions))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Tesseract program", self.tesseract)
        form.addRow("", self.tesseract_status)
        form.addRow("OCR languages", self.languages)
        form.addRow("OCR resolution (dpi)", self.dpi)
        form.addRow("Parallel jobs", self.jobs)
        form.addRow("Exemption codes", self.tables)
        form.addRow("Appearance", self.appearance)
        form.addRow(buttons)
        self.tesseract.editingFinished.connect(self._probe)
        self._probe()

    def _probe(self) -> None:
        from redactview.ocr.tesseract import probe

        try:
            info = probe(self.tesseract.text().strip() or None)
        except RedactviewError as exc:
            self.tesseract_status.setText(f"<span style='color:#C0392B'>{exc.message}</span>")
            return
        self.tesseract_status.setText(
            f"Tesseract {info.version} at {info.path}; languages: {', '.join(info.languages)}"
        )

    def result_preferences(self) -> Preferences:
        return dataclasses.replace(
            self._prefs,
            tesseract_path=self.tesseract.text().strip(),
            languages=self.languages.text().strip() or "eng",
            ocr_dpi=self.dpi.value(),
            jobs=self.jobs.value(),
            appearance=APPEARANCES[self.appearance.currentIndex()],
            jurisdictions=self._table_choices[self.tables.currentIndex()],
        )
