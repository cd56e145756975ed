"""Shared fixtures: small PDFs made on the fly, and paths to the committed samples."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_docs"


@pytest.fixture(autouse=True)
def _user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own settings and data folders: none touches the real ones."""
    monkeypatch.setenv("REDACTVIEW_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("REDACTVIEW_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture
def samples_dir() -> Path:
    if not (SAMPLES / "release_a.pdf").exists():
        pytest.fail("sample_docs/ is missing its PDFs; run sample_docs/make_samples.py")
    return SAMPLES


@pytest.fixture
def make_pdf(tmp_path: Path) -> Callable[..., Path]:
    """Write a small born-digital PDF: one page per string in ``pages``."""
    import pymupdf

    def make(name: str = "doc.pdf", pages: tuple[str, ...] = ("Hello redactview",)) -> Path:
        doc = pymupdf.open()
        for text in pages:
            page = doc.new_page(width=612, height=792)
            page.insert_textbox(pymupdf.Rect(72, 72, 540, 720), text, fontsize=11)
        path = tmp_path / name
        doc.save(path)
        doc.close()
        return path

    return make
