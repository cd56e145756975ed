"""The main-window fixture and helpers the GUI test modules share.

Import what a module uses (``from ui_fixtures import open_and_wait, window_fixture``):
pytest finds a fixture in the test module's namespace and knows this one as
``window``; its Python name differs so tests taking ``window`` do not shadow it.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest

from redactview.ui.app import create_window
from redactview.ui.main_window import MainWindow


@pytest.fixture(name="window")
def window_fixture(qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """A shown main window with the user's preferences (isolated per test by conftest)."""
    w = create_window()
    qtbot.addWidget(w)
    w.resize(1300, 850)
    w.show()
    yield w
    w.close()


def open_and_wait(qtbot, w: MainWindow, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Open a PDF or case as the user would, and wait until its case is open."""
    with qtbot.waitSignal(w.case_opened, timeout=30000):
        w.open_path(path)
