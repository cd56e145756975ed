"""Take the README's screenshots: ``python -m redactview.ui.shots docs/screenshots``.

Run under ``xvfb-run -a -s "-screen 0 1600x1000x24"`` (or offscreen). Uses
throw-away data and settings folders, opens the sample releases, scans them
and annotates one redaction, so the pictures show what a user sees.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QDockWidget

from redactview.core.model import ReviewStatus
from redactview.ui.app import create_window, make_application
from redactview.ui.main_window import MainWindow
from redactview.ui.tasks import TaskHandle

_SAMPLES = Path(__file__).resolve().parents[2] / "sample_docs"


def _settle(ms: int = 1500) -> None:
    """Let renders arrive so the picture shows sharp pages, not stand-ins."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _run(window: MainWindow, start: Callable[[], TaskHandle | None]) -> None:
    handle = start()
    if handle is not None and not handle.done:
        loop = QEventLoop()

        def on_finished(finished: TaskHandle) -> None:
            if finished is handle:
                loop.quit()

        window.tasks.finished.connect(on_finished)
        loop.exec()


def _open(window: MainWindow, pdf: Path) -> None:
    loop = QEventLoop()
    window.case_opened.connect(lambda _s: loop.quit())
    window.open_path(pdf)
    loop.exec()


def _annotate(window: MainWindow, page: int) -> str:
    """Select a redaction on ``page`` with a label, and give it a note and a tag."""
    assert window.session is not None and window.release_id is not None
    found = window.session.redactions(window.release_id, page)
    target = next((r for r in found if r.exemptions), found[0])
    window.select_redaction(target.id)
    window.set_status(ReviewStatus.CONFIRMED)
    insp = window.inspector
    insp.note.setPlainText("Name of the agent who ran the pilot; appeal: public role.")
    insp.commit_note()
    insp.tags.setText("appeal, names")
    insp._on_tags_edited()
    return target.id


def take(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    window = create_window()
    window.resize(1600, 1000)
    window.show()
    _open(window, _SAMPLES / "release_a.pdf")
    window.releases.edits["agency"].setText("U.S. Immigration and Customs Enforcement")
    window.releases.edits["request_number"].setText("2026-ICFO-01234")
    window.releases.edits["release_date"].setText("2026-03-02")
    window.releases._on_field_edited()
    _run(window, lambda: window.run_scan_job())
    _annotate(window, 4)
    _settle()
    shots = [out / "main_window.png"]
    window.grab().save(str(shots[0]))
    dock = next(d for d in window.findChildren(QDockWidget) if d.windowTitle() == "Inspector")
    shots.append(out / "inspector.png")
    dock.grab().save(str(shots[1]))
    shots.append(_compare(window, out))
    _run(window, lambda: window.add_release(_SAMPLES / "memo_born_digital.pdf"))
    _run(window, lambda: window.run_scan_job())
    _run(window, lambda: window.run_leak_job())
    memo = window.release_id
    rows = [r for r in window.catalog.model.rows if r.redaction.text_under]
    rows.sort(key=lambda row: row.release.id != memo)  # the memo's own leak first
    if rows:
        window.select_redaction(rows[0].redaction.id)
    _settle()
    shots.append(out / "leak_in_inspector.png")
    window.grab().save(str(shots[-1]))
    if memo is not None and window.release_id != memo:
        window.show_release(memo)
    _dock(window, "Leaks").raise_()
    _settle(500)
    shots.append(out / "leaks.png")
    window.grab().save(str(shots[-1]))
    shots.append(_fit(window, out))
    window.close()
    return shots


def _dock(window: MainWindow, title: str) -> QDockWidget:
    return next(d for d in window.findChildren(QDockWidget) if d.windowTitle() == title)


def _compare(window: MainWindow, out: Path) -> Path:
    """Release B added, Tools → Compare run (detection and OCR of B), first reveal shown."""
    from redactview.core.model import LinkStatus

    _run(window, lambda: window.add_release(_SAMPLES / "release_b.pdf"))
    assert window.session is not None
    a, b = window.session.releases()[:2]
    _run(window, lambda: window.run_compare(a, b))
    view = window.compare_view
    assert view is not None
    links = view._result.links
    reveal = next((i for i, k in enumerate(links) if k.status is LinkStatus.REVEALED), 0)
    view.changes.setCurrentRow(reveal)
    _settle()
    path = out / "compare_view.png"
    window.grab().save(str(path))
    window.tabs.setCurrentIndex(0)
    return path


def _fit(window: MainWindow, out: Path) -> Path:
    """A memo redaction with candidates fitted (names from the memo added automatically)."""
    assert window.session is not None and window.release_id is not None
    pages = {p.number: p for p in window.session.pages(window.release_id)}
    found = [
        r
        for r in window.session.redactions(window.release_id)
        if r.box.height < 20 and pages[r.page].text_status.value == "text"
    ]
    window.select_redaction(found[0].id)
    panel = window.inspector.fit
    panel.candidates.setPlainText("Jane Doe\nRobert Smith\nMaria Gonzalez-Fernandez\nAl Li")
    _run(window, lambda: window.run_fit(panel.candidates.toPlainText().splitlines(), True))
    _settle(500)
    path = out / "inspector_fit.png"
    _dock(window, "Inspector").grab().save(str(path))
    return path


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "docs/screenshots").resolve()
    scratch = tempfile.mkdtemp(prefix="redactview-shots-")
    os.environ["REDACTVIEW_DATA_DIR"] = str(Path(scratch) / "data")
    os.environ["REDACTVIEW_CONFIG_DIR"] = str(Path(scratch) / "config")
    make_application([])
    for path in take(out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
