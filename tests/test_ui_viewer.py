"""The viewer driven like a user would: open, scan, pick, annotate, undo, close, reopen.

Offscreen Qt, a fresh data and settings folder per test, the serial executor.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QPoint, Qt
from ui_fixtures import open_and_wait, window_fixture  # noqa: F401

from redactview.core.geometry import Box
from redactview.core.model import Fill, Redaction, RedactionKind, ReviewStatus
from redactview.jobs.executor import SerialExecutor
from redactview.pdf.pages import PageRenderer
from redactview.store.case import Case
from redactview.ui.app import create_window
from redactview.ui.error_dialog import open_dialogs
from redactview.ui.main_window import MainWindow
from redactview.ui.opening import case_path_for

pytestmark = pytest.mark.gui

SAMPLE = Path(__file__).resolve().parents[1] / "sample_docs" / "release_a.pdf"


def make_pdf(path: Path) -> Path:
    """Three pages with words; page 3 is /Rotate 90 with a box at a known spot.

    The box is red, not black, so the test can tell it from the (black) text.
    """
    doc = pymupdf.open()
    for n in range(1, 4):
        page = doc.new_page(width=400, height=300)
        page.insert_text((40, 60), f"Memo page {n} from Jane Example to the director")
        page.insert_text((40, 100), "The witness was interviewed on Tuesday")
    doc[2].draw_rect(pymupdf.Rect(200, 150, 300, 170), color=(1, 0, 0), fill=(1, 0, 0))
    doc[2].set_rotation(90)
    doc.save(path)
    return path


def seed_redactions(w: MainWindow) -> list[Redaction]:
    """Store three redactions the way detection would, then refresh the views."""
    assert w.session is not None and w.release_id is not None
    items = [
        Redaction("ra", 1, Box(60, 50, 120, 64), RedactionKind.VECTOR, Fill.BLACK, ("(b)(6)",)),
        Redaction("rb", 2, Box(60, 90, 160, 104), RedactionKind.VECTOR, Fill.BLACK, ("(b)(5)",)),
        Redaction(
            "rc", 3, Box(200, 150, 300, 170), RedactionKind.VECTOR, Fill.BLACK, ("(b)(7)(C)",)
        ),
    ]
    w.session.case.redactions.replace_detected(w.release_id, items)
    w.session.reload()
    return items


def stored_ids(w: MainWindow) -> set[str]:
    assert w.session is not None and w.release_id is not None
    return {r.id for r in w.session.redactions(w.release_id)}


@pytest.mark.slow
@pytest.mark.skipif(not SAMPLE.exists(), reason="sample release not generated")
def test_sample_open_scan_select_annotate_undo_reopen(qtbot, tmp_path: Path) -> None:
    w = create_window()
    qtbot.addWidget(w)
    w.resize(1300, 850)
    w.show()
    open_and_wait(qtbot, w, SAMPLE)
    assert w.session is not None and len(w.page_view.pages) == 12

    with qtbot.waitSignal(w.tasks.finished, timeout=120000):
        w.run_scan_job(executor=SerialExecutor(), ocr=False)
    rows = w.catalog.model.rows
    assert len(rows) >= 20, "the sample's redactions are found and listed"

    # Pick a redaction far down the release by clicking its row in the catalog.
    target = max(rows, key=lambda r: r.redaction.page).redaction
    view_row = w.catalog.proxy.mapFromSource(
        w.catalog.model.index(w.catalog.model.row_of(target.id) or 0, 0)
    )
    table = w.catalog.table
    table.scrollTo(view_row)
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(view_row).center()
    )
    assert w.page_view.selected_id() == target.id
    assert w.page_view.current_page() == target.page
    assert w.page_view.is_visible(target.id), "the view jumped to the redaction"
    assert w.inspector.title.text().find(f"page {target.page}") >= 0

    # Annotate through the inspector: a note typed, then Confirmed clicked.
    qtbot.mouseClick(w.inspector.note.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(w.inspector.note, "name of the case agent")
    w.inspector.commit_note()
    qtbot.mouseClick(w.inspector.status_buttons[ReviewStatus.CONFIRMED], Qt.MouseButton.LeftButton)
    ann = w.session.annotation(target.id)
    assert ann.note == "name of the case agent" and ann.status is ReviewStatus.CONFIRMED

    w.undo.undo()
    assert w.session.annotation(target.id).status is ReviewStatus.UNREVIEWED
    assert w.inspector.status_buttons[ReviewStatus.UNREVIEWED].isChecked()
    w.undo.redo()
    assert w.session.annotation(target.id).status is ReviewStatus.CONFIRMED
    case_path = w.session.path
    w.close()

    # Reopen the same PDF in a new window: the same case, the annotation intact.
    w2 = create_window()
    qtbot.addWidget(w2)
    w2.show()
    open_and_wait(qtbot, w2, SAMPLE)
    assert w2.session is not None and w2.session.path == case_path
    ann = w2.session.annotation(target.id)
    assert (ann.note, ann.status) == ("name of the case agent", ReviewStatus.CONFIRMED)
    row = w2.catalog.model.rows[w2.catalog.model.row_of(target.id) or 0]
    assert row.annotation.note == "name of the case agent"
    w2.close()


def test_bare_pdf_gets_a_case_in_the_data_folder(qtbot, window: MainWindow, tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "memo.pdf")
    open_and_wait(qtbot, window, pdf)
    assert window.session is not None
    assert window.session.path.parent == tmp_path / "data" / "cases"
    release = window.session.releases()[0]
    assert window.session.path == case_path_for(pdf, release.sha256)
    assert [p.number for p in window.page_view.pages] == [1, 2, 3]
    assert window.windowTitle().startswith("memo — ")


def test_draw_move_delete_with_undo(qtbot, window: MainWindow, tmp_path: Path) -> None:
    open_and_wait(qtbot, window, make_pdf(tmp_path / "memo.pdf"))
    view = window.page_view
    view.fit_page()
    view.go_to_page(1)
    window.actions_["draw"].setChecked(True)
    page = view.pages[0]

    def to_view(x: float, y: float) -> QPoint:
        return view.mapFromScene(page.space.mapToScene(x, y))

    start, end = to_view(100, 200), to_view(220, 240)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(view.viewport(), pos=end)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=end)
    window.actions_["draw"].setChecked(False)
    (new_id,) = stored_ids(window)
    assert window.session is not None
    drawn = window.session.redaction(new_id)
    assert drawn is not None and drawn.kind is RedactionKind.MANUAL and drawn.page == 1
    assert abs(drawn.box.x0 - 100) < 3 and abs(drawn.box.y1 - 240) < 3
    assert view.selected_id() == new_id

    # Drag the selected box 30 pt to the right.
    middle = to_view(160, 220)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=middle)
    qtbot.mouseMove(view.viewport(), pos=to_view(190, 220))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=to_view(190, 220))
    moved = window.session.redaction(new_id)
    assert moved is not None and abs(moved.box.x0 - 130) < 3 and abs(moved.box.width - 120) < 1

    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert stored_ids(window) == set()
    window.undo.undo()  # delete undone
    assert stored_ids(window) == {new_id}
    window.undo.undo()  # move undone
    back = window.session.redaction(new_id)
    assert back is not None and abs(back.box.x0 - 100) < 3
    window.undo.undo()  # drawing undone
    assert stored_ids(window) == set()
    window.undo.redo()
    assert stored_ids(window) == {new_id}
    assert new_id in view.items_by_id


def test_overlay_sits_on_the_box_of_a_rotated_page(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    pdf = make_pdf(tmp_path / "memo.pdf")
    open_and_wait(qtbot, window, pdf)
    seed_redactions(window)
    item = window.page_view.items_by_id["rc"]
    page_item = window.page_view.pages[2]
    shown = page_item.mapRectFromItem(item, item.rect())  # displayed points on page 3
    # Where the box really is on the rendered (rotated) page:
    renderer = PageRenderer(pdf)
    rgb = renderer.render_rgb(3, 1.0)
    renderer.close()
    red = [
        (x, y)
        for y in range(0, rgb.height, 2)
        for x in range(0, rgb.width, 2)
        if rgb.data[y * rgb.stride + 3 * x] > 200 and rgb.data[y * rgb.stride + 3 * x + 1] < 60
    ]
    xs, ys = [p[0] for p in red], [p[1] for p in red]
    box = Box(min(xs), min(ys), max(xs), max(ys))
    assert (rgb.width, rgb.height) == (300, 400)  # rotated 90°: portrait on screen
    assert box.width < box.height, "the box stands upright on the sideways page"
    assert abs(shown.left() - box.x0) < 4 and abs(shown.top() - box.y0) < 4
    assert abs(shown.right() - box.x1) < 4 and abs(shown.bottom() - box.y1) < 4


def test_keys_step_through_and_mark(qtbot, window: MainWindow, tmp_path: Path) -> None:
    open_and_wait(qtbot, window, make_pdf(tmp_path / "memo.pdf"))
    seed_redactions(window)
    view = window.page_view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_N)
    assert view.selected_id() == "ra"
    qtbot.keyClick(view, Qt.Key.Key_C)  # confirm
    qtbot.keyClick(view, Qt.Key.Key_N)
    assert view.selected_id() == "rb" and view.current_page() == 2
    qtbot.keyClick(view, Qt.Key.Key_X)  # false positive
    qtbot.keyClick(view, Qt.Key.Key_P)
    assert view.selected_id() == "ra"
    qtbot.keyClick(view, Qt.Key.Key_U)  # next unreviewed skips rb
    assert view.selected_id() == "rc" and view.current_page() == 3
    assert window.session is not None
    assert window.session.annotation("ra").status is ReviewStatus.CONFIRMED
    assert window.session.annotation("rb").status is ReviewStatus.FALSE_POSITIVE
    row = window.catalog.model.rows[window.catalog.model.row_of("rb") or 0]
    assert row.annotation.status is ReviewStatus.FALSE_POSITIVE


def test_catalog_filters_by_exemption_and_text(qtbot, window: MainWindow, tmp_path: Path) -> None:
    open_and_wait(qtbot, window, make_pdf(tmp_path / "memo.pdf"))
    seed_redactions(window)
    panel = window.catalog
    assert panel.proxy.rowCount() == 3
    panel.code_box.setCurrentText("(b)(7)(C)")
    assert panel.proxy.rowCount() == 1
    panel.code_box.setCurrentIndex(0)
    assert window.session is not None
    ann = window.session.annotation("rb")
    window.session.save_annotation(type(ann)("rb", note="check against release B"))
    qtbot.keyClicks(panel.text_box, "release b")
    assert panel.proxy.rowCount() == 1
    index = panel.proxy.index(0, 0)
    assert panel.model.rows[panel.proxy.mapToSource(index).row()].redaction.id == "rb"


def test_inspector_edits_codes_tags_and_release_metadata(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    open_and_wait(qtbot, window, make_pdf(tmp_path / "memo.pdf"))
    seed_redactions(window)
    window.select_redaction("ra")
    insp = window.inspector
    insp.codes.setFocus()
    insp.codes.selectAll()
    qtbot.keyClicks(insp.codes, "b6; b7c")
    qtbot.keyClick(insp.codes, Qt.Key.Key_Return)
    assert window.session is not None
    stored = window.session.redaction("ra")
    assert stored is not None and stored.exemptions == ("(b)(6)", "(b)(7)(C)")
    assert "Law enforcement" in insp.meanings.text() or "privacy" in insp.meanings.text().lower()
    insp.tags.setFocus()
    qtbot.keyClicks(insp.tags, "appeal, names")
    qtbot.keyClick(insp.tags, Qt.Key.Key_Return)
    assert window.session.annotation("ra").tags == ("appeal", "names")

    agency = window.releases.edits["agency"]
    agency.setFocus()
    qtbot.keyClicks(agency, "FBI")
    qtbot.keyClick(agency, Qt.Key.Key_Return)
    release_id = window.release_id or 0
    assert window.session.release(release_id).agency == "FBI"
    window.undo.undo()
    assert window.session.release(release_id).agency == ""
    window.undo.undo()  # tags
    window.undo.undo()  # codes
    assert window.session.annotation("ra").tags == ()
    assert (window.session.redaction("ra") or stored).exemptions == ("(b)(6)",)


def test_find_highlights_and_steps_through_hits(qtbot, window: MainWindow, tmp_path: Path) -> None:
    open_and_wait(qtbot, window, make_pdf(tmp_path / "memo.pdf"))
    window.actions_["find"].trigger()
    assert window.find_bar.isVisible()
    qtbot.keyClicks(window.find_bar.edit, "Jane Example")
    qtbot.waitUntil(lambda: len(window.finder.hits) == 3, timeout=10000)
    assert [p for p, _ in window.finder.hits] == [1, 2, 3]
    _page, box = window.finder.hits[0]
    assert 60 < box.x0 < 140 and 45 < box.y0 < 62  # the two words on the first line
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    assert window.finder.current == 1 and window.page_view.current_page() == 2
    assert window.find_bar.count.text() == "2 of 3"


def test_unreadable_file_shows_the_error_dialog(qtbot, window: MainWindow, tmp_path: Path) -> None:
    bad = tmp_path / "notes.pdf"
    bad.write_text("this is not a PDF")
    with qtbot.waitSignal(window.tasks.finished, timeout=10000):
        window.open_path(bad)
    dialogs = open_dialogs()
    assert dialogs and "not a PDF" in dialogs[-1].text()
    assert window.session is None
    for d in dialogs:
        d.close()


def test_closing_saves_a_note_being_typed(qtbot, window: MainWindow, tmp_path: Path) -> None:
    open_and_wait(qtbot, window, make_pdf(tmp_path / "memo.pdf"))
    seed_redactions(window)
    window.select_redaction("rb")
    assert window.session is not None
    case_path = window.session.path
    window.inspector.note.setFocus()
    qtbot.keyClicks(window.inspector.note, "typed just before closing")
    window.close()  # before the autosave pause has passed
    with Case.open(case_path) as case:
        assert case.annotations.get("rb").note == "typed just before closing"


MEMO = SAMPLE.with_name("memo_born_digital.pdf")


@pytest.mark.slow
@pytest.mark.skipif(not MEMO.exists(), reason="sample memo not generated")
def test_memo_leaks_show_in_catalog_and_inspector(qtbot, window: MainWindow) -> None:
    import json

    truth = json.loads(MEMO.with_suffix(".truth.json").read_text())
    leaked = {r["hidden_text"] for r in truth["redactions"] if r.get("leak")}
    open_and_wait(qtbot, window, MEMO)
    with qtbot.waitSignal(window.tasks.finished, timeout=120000):
        window.run_scan_job(executor=SerialExecutor(), ocr=False)
    with qtbot.waitSignal(window.tasks.finished, timeout=120000):
        window.run_leak_job()
    assert "Leak check:" in window.statusBar().currentMessage()
    shown = {r.redaction.text_under for r in window.catalog.model.rows if r.redaction.text_under}
    assert len(shown & leaked) >= 4, shown
    row = next(r for r in window.catalog.model.rows if r.redaction.text_under in leaked)
    window.select_redaction(row.redaction.id)
    assert row.redaction.text_under in window.inspector.leak.text()
    assert window.session is not None and not window.session.job_writing


def test_catalog_sorts_in_reading_order(qtbot, window: MainWindow, tmp_path: Path) -> None:
    open_and_wait(qtbot, window, make_pdf(tmp_path / "memo.pdf"))
    seed_redactions(window)
    proxy = window.catalog.proxy
    window.catalog.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    pages = [proxy.index(i, 1).data() for i in range(proxy.rowCount())]
    assert pages == [3, 2, 1]
    window.catalog.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(i, 1).data() for i in range(proxy.rowCount())] == [1, 2, 3]


def test_inspector_lists_links_and_follows_them(qtbot, window: MainWindow, tmp_path: Path) -> None:
    from redactview.core.model import LinkRef, LinkStatus, RedactionLink

    open_and_wait(qtbot, window, make_pdf(tmp_path / "a.pdf"))
    seed_redactions(window)
    b_pdf = make_pdf(tmp_path / "b.pdf")
    with pymupdf.open(b_pdf) as doc:  # a different file: another release of the "records"
        doc[0].insert_text((40, 200), "second release")
        doc.saveIncr()
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        window.add_release(b_pdf)
    assert window.session is not None and len(window.session.releases()) == 2
    b_id = window.release_id or 0
    in_b = Redaction("xb", 2, Box(60, 90, 160, 104), RedactionKind.VECTOR, Fill.BLACK)
    window.session.case.redactions.save(b_id, in_b)
    a_id = window.session.release_of("rb") or 0
    link = RedactionLink(LinkStatus.BOTH, LinkRef(2, in_b.box, "rb"), LinkRef(2, in_b.box, "xb"))
    window.session.case.links.add(a_id, b_id, link)
    window.session.reload()

    window.select_redaction("rb")
    assert window.release_id == a_id
    links = window.inspector.links.list
    assert links.count() == 1
    assert "b, page 2: both" in links.item(0).text()
    links.itemActivated.emit(links.item(0))
    assert window.release_id == b_id and window.page_view.selected_id() == "xb"


def make_scan_pdf(path: Path, pages: int) -> Path:
    """Image-only pages (a scan without a text layer): OCR has work to do."""
    import numpy as np

    doc = pymupdf.open()
    for _ in range(pages):
        pixels = np.full((300, 400), 255, dtype=np.uint8)
        pixels[100:130, 80:300] = 0
        pix = pymupdf.Pixmap(pymupdf.csGRAY, 400, 300, pixels.tobytes(), False)
        page = doc.new_page(width=400, height=300)
        page.insert_image(page.rect, pixmap=pix)
    doc.save(path)
    return path


def test_ocr_job_runs_in_background_and_feeds_find(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    from redactview.ocr.fakes import FakeEngine

    open_and_wait(qtbot, window, make_scan_pdf(tmp_path / "scan.pdf", 3))
    with qtbot.waitSignal(window.tasks.finished, timeout=60000):
        window.run_ocr_job(engine=FakeEngine(), jobs=1)
    assert "OCR finished: 3 pages read" in window.statusBar().currentMessage()
    assert window.session is not None and not window.session.job_writing
    window.actions_["find"].trigger()
    qtbot.keyClicks(window.find_bar.edit, "ink")
    qtbot.waitUntil(lambda: len(window.finder.hits) == 3, timeout=10000)
    _page, box = window.finder.hits[0]
    assert abs(box.x0 - 80) < 3 and abs(box.y0 - 100) < 3  # the fake word boxes the ink


def test_cancel_from_status_bar_keeps_finished_pages(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    from redactview.ocr.fakes import SlowEngine

    open_and_wait(qtbot, window, make_scan_pdf(tmp_path / "scan.pdf", 8))
    handle = window.run_ocr_job(engine=SlowEngine(seconds=0.4), jobs=1)
    assert handle is not None
    qtbot.waitUntil(window.task_status.isVisible, timeout=10000)  # shown after 0.5 s
    # Edits wait while the job writes the case, and say so instead of failing.
    assert window.session is not None and window.session.job_writing
    assert not window.push(commands_status_for(window))
    qtbot.waitUntil(lambda: window.task_status.bar.value() >= 1, timeout=20000)
    with qtbot.waitSignal(window.tasks.finished, timeout=20000):
        qtbot.mouseClick(window.task_status.cancel_button, Qt.MouseButton.LeftButton)
    assert "cancelled" in window.statusBar().currentMessage()
    assert not window.session.job_writing and not window.task_status.isVisible()
    done = window.session.case.search.indexed_pages(window.release_id or 0)
    assert 1 <= len(done) < 8, "pages finished before the cancel are kept, the rest not run"


def commands_status_for(window: MainWindow):  # type: ignore[no-untyped-def]
    from redactview.core.model import Annotation
    from redactview.ui.commands import status_command

    assert window.session is not None
    return status_command(window.session, Annotation("any"), ReviewStatus.CONFIRMED)
