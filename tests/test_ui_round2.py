"""Viewer, second round: the PDF lane, passwords, damaged and locked cases, first page
at once, candidate fitting, leak findings, compare and links, est. chars.

Offscreen Qt, a fresh data and settings folder per test, PDFs made here.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading
import time
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QColor, QImage
from ui_fixtures import open_and_wait, window_fixture  # noqa: F401

from redactview.core.geometry import Box
from redactview.core.model import Fill, LeakFinding, Redaction, RedactionKind
from redactview.store.case import Case
from redactview.store.safety import backup_path
from redactview.ui import case_safety, passwords
from redactview.ui.main_window import MainWindow
from redactview.ui.task_status import TaskStatus
from redactview.ui.tasks import TaskContext, TaskManager

pytestmark = pytest.mark.gui


def make_pdf(path: Path, pages: int = 3, **save: object) -> Path:
    doc = pymupdf.open()
    for n in range(1, pages + 1):
        page = doc.new_page(width=400, height=300)
        page.insert_text((40, 60), f"Memo page {n} from Jane Example to the director")
    doc.save(path, **save)
    return path


def put(w: MainWindow, *items: Redaction) -> None:
    assert w.session is not None and w.release_id is not None
    for r in items:
        w.session.case.redactions.save(w.release_id, r)
    w.session.reload()


# -- the PDF lane ----------------------------------------
def test_pdf_tasks_never_overlap_but_concurrent_ones_do(qtbot) -> None:
    tasks = TaskManager()
    inside: list[str] = []
    overlaps: list[tuple[str, ...]] = []
    lock = threading.Lock()

    def work(name: str):  # type: ignore[no-untyped-def]
        def run(ctx: TaskContext) -> str:
            with lock:
                inside.append(name)
                overlaps.append(tuple(inside))
            time.sleep(0.3)
            with lock:
                inside.remove(name)
            return name

        return run

    done: list[str] = []
    status = TaskStatus(tasks)
    handles = [tasks.op(work(f"pdf{i}"), f"pdf{i}").success(done.append).run() for i in range(3)]
    assert not handles[0].waiting and handles[1].waiting and handles[2].waiting
    assert status.label.text() == "pdf2 (waiting)"  # the status bar says why it has not begun
    free = tasks.op(work("free"), "free").concurrent().success(done.append).run()
    assert not free.waiting
    qtbot.waitUntil(lambda: len(done) == 4, timeout=10000)
    pdf_sets = [o for o in overlaps if sum(n.startswith("pdf") for n in o) > 1]
    assert pdf_sets == []  # two PyMuPDF jobs were never inside at once
    assert any("free" in o and len(o) > 1 for o in overlaps)  # the free lane ran beside
    assert done.index("pdf0") < done.index("pdf1") < done.index("pdf2")  # in start order


# -- passwords ----------------------------------------
def test_encrypted_pdf_asks_retries_and_renders_without_storing_it(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = make_pdf(
        tmp_path / "locked.pdf",
        encryption=pymupdf.PDF_ENCRYPT_AES_256,
        user_pw="s3cret-pw",
        owner_pw="owner-pw",
    )
    answers = iter([("wrong", True), ("s3cret-pw", True), ("s3cret-pw", True)])
    asked: list[str] = []

    def fake_get_text(_parent, _title, prompt, echo):  # type: ignore[no-untyped-def]
        asked.append(prompt)
        assert echo == passwords.QLineEdit.EchoMode.Password
        return next(answers)

    monkeypatch.setattr(passwords.QInputDialog, "getText", fake_get_text)
    open_and_wait(qtbot, window, pdf)
    assert len(asked) == 2 and asked[1].startswith("Wrong password")
    assert window.session is not None and len(window.page_view.pages) == 3
    # The render process got the password: page 1 arrives sharp.
    qtbot.waitUntil(lambda: window.renderer.cache.get(_wanted(window)) is not None, timeout=20000)
    # Find reads the text layer with it too (a job in the PDF lane).
    window.finder.open()
    window.find_bar.edit.setText("director")
    qtbot.waitUntil(lambda: len(window.finder.hits) == 3, timeout=20000)
    # And so do the jobs: a leak check opens the PDF with it (a failure would
    # open the error dialog instead of the status message).
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        window.run_leak_job()
    assert window.statusBar().currentMessage().startswith("Leak check:")
    case_file = window.session.path
    window.close_case()
    for stored in (case_file, *Path(os.environ["REDACTVIEW_CONFIG_DIR"]).glob("*")):
        assert b"s3cret-pw" not in stored.read_bytes()
    # The case again, in a session that does not know the password: the first
    # render meets the lock and asks, then the page renders.
    window.passwords.forget(pdf)
    window.renderer.cache = type(window.renderer.cache)()
    window.open_case(case_file)
    qtbot.waitUntil(lambda: len(asked) == 3, timeout=20000)
    qtbot.waitUntil(lambda: window.renderer.cache.get(_wanted(window)) is not None, timeout=20000)


def test_cancelling_the_password_opens_nothing(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = make_pdf(tmp_path / "locked.pdf", encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="x")
    monkeypatch.setattr(passwords.QInputDialog, "getText", lambda *a: ("", False))
    shown: list[BaseException] = []
    monkeypatch.setattr("redactview.ui.open_flow.show_error", lambda exc, _p: shown.append(exc))
    with qtbot.waitSignal(window.tasks.finished, timeout=20000):
        window.open_path(pdf)
    assert window.session is None and not window.tasks.running
    assert shown and "password" in str(shown[0])  # said plainly, nothing opened


def _wanted(w: MainWindow):  # type: ignore[no-untyped-def]
    return w.page_view.pages[0].wanted_key(w.page_view.zoom * w.page_view.devicePixelRatioF())


# -- damaged and locked cases ----------------------------------------
def make_case(tmp_path: Path) -> Path:
    pdf = make_pdf(tmp_path / "rel.pdf")
    path = tmp_path / "work.rvcase"
    from redactview.pdf.info import inspect_document

    with Case.open(path, create=True) as case:
        release = case.add_release(inspect_document(pdf))
        case.redactions.save(
            release.id, Redaction("r1", 1, Box(40, 50, 120, 64), RedactionKind.VECTOR, Fill.BLACK)
        )
    with Case.open(path):  # a clean open refreshes the last good copy
        pass
    return path


def damage(path: Path) -> bytes:
    data = bytearray(path.read_bytes())
    for offset in range(100, len(data), 997):
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))
    return bytes(data)


def test_damaged_case_opens_its_last_good_copy_read_only(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_case(tmp_path)
    damaged = damage(path)
    offered: list[list[str]] = []

    def pick(_parent, _title, text, choices):  # type: ignore[no-untyped-def]
        offered.append(choices)
        assert str(backup_path(path)) in text
        return case_safety.LAST_GOOD_READ_ONLY

    monkeypatch.setattr(case_safety, "choose", pick)
    window.open_case(path)
    assert offered and case_safety.LAST_GOOD_COPY in offered[0]
    assert window.session is not None and window.session.case.readonly
    assert window.session.path == backup_path(path)
    assert not window.readonly_banner.isHidden() and "Read-only" in window.readonly_banner.text()
    assert not window.actions_["draw"].isEnabled() and not window.actions_["scan"].isEnabled()
    assert not window.inspector.codes.isEnabled()
    window.select_redaction("r1")
    assert window.inspector._redaction is not None  # reading works
    window.mark(window.session.annotation("r1").status.CONFIRMED)
    assert window.session.annotation("r1").status.value == "unreviewed"  # nothing written
    window.close_case()
    assert path.read_bytes() == damaged  # the damaged file was never touched


def test_damaged_case_copied_to_a_new_name_opens_writable(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_case(tmp_path)
    damaged = damage(path)
    monkeypatch.setattr(case_safety, "choose", lambda *a: case_safety.LAST_GOOD_COPY)
    # Picking the damaged file itself as the target is refused.
    monkeypatch.setattr(case_safety, "ask_copy_target", lambda *a: path)
    shown: list[BaseException] = []
    monkeypatch.setattr("redactview.ui.open_flow.show_error", lambda exc, _p: shown.append(exc))
    window.open_case(path)
    assert window.session is None and shown and "new name" in str(shown[0])
    target = tmp_path / "recovered.rvcase"
    monkeypatch.setattr(case_safety, "ask_copy_target", lambda *a: target)
    window.open_case(path)
    assert window.session is not None and not window.session.case.readonly
    assert window.session.path == target and window.readonly_banner.isHidden()
    assert [r.id for r in window.session.redactions(window.release_id or 0)] == ["r1"]
    assert path.read_bytes() == damaged


def test_locked_case_offers_read_only(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_case(tmp_path)
    monkeypatch.setattr(case_safety, "choose", lambda *a: case_safety.READ_ONLY)
    with Case.open(path):  # another writer holds the lock
        window.open_case(path)
        assert window.session is not None and window.session.case.readonly
        assert not window.readonly_banner.isHidden()
        assert not window.actions_["confirm"].isEnabled()
        assert not window.inspector.links.add_button.isEnabled()


# -- first page at once ----------------------------------------
def test_first_page_shows_before_the_other_pages_are_read(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    doc = pymupdf.open()
    doc.new_page(width=300, height=400).insert_text((40, 60), "first")
    for n in range(2, 41):
        doc.new_page(width=500, height=250).insert_text((40, 60), f"page {n}")
    pdf = tmp_path / "mixed.pdf"
    doc.save(pdf)
    seen: dict[str, object] = {}

    def on_first(_path: object) -> None:
        seen["session"] = window.session
        seen["pages"] = [(p.info.width, p.info.height) for p in window.page_view.pages]

    window.first_page_shown.connect(on_first)
    open_and_wait(qtbot, window, pdf)
    assert "pages" in seen and seen["session"] is None  # shown before any case existed
    provisional = seen["pages"]
    assert isinstance(provisional, list) and len(provisional) == 40
    assert provisional[0] == (300, 400) and provisional[1] == (300, 400)  # sized like page 1
    real = [(p.info.width, p.info.height) for p in window.page_view.pages]
    assert real[0] == (300, 400) and real[1] == (500, 250)  # the real sizes replaced them


# -- candidate fitting ----------------------------------------
def make_fit_pdf(path: Path) -> tuple[Path, Box]:
    """A born-digital line with "Jane Example" left out and a black box in its place.

    Set in two pieces at the positions the whole line would have (applying a
    PyMuPDF redaction would shift the words after it).
    """
    doc = pymupdf.open()
    page = doc.new_page(width=500, height=300)
    before, hidden = "The report was sent to ", "Jane Example"
    x_hidden = 40 + pymupdf.get_text_length(before, fontname="helv", fontsize=11)
    x_after = x_hidden + pymupdf.get_text_length(hidden + " ", fontname="helv", fontsize=11)
    page.insert_text((40, 100), before.rstrip(), fontsize=11)
    page.insert_text((x_after, 100), "on Tuesday.", fontsize=11)
    page.insert_text((40, 160), "Copies: Jane Example, Harold Pennington.", fontsize=11)
    x_end = x_hidden + pymupdf.get_text_length(hidden, fontname="helv", fontsize=11)
    box = Box(x_hidden, 88.2, x_end, 103.3)
    page.draw_rect(pymupdf.Rect(*box.as_tuple()), color=(0, 0, 0), fill=(0, 0, 0))
    doc.save(path)
    return path, box


def test_fit_ranks_candidates_in_the_background(qtbot, window: MainWindow, tmp_path: Path) -> None:
    pdf, box = make_fit_pdf(tmp_path / "fit.pdf")
    open_and_wait(qtbot, window, pdf)
    put(window, Redaction("rf", 1, box, RedactionKind.VECTOR, Fill.BLACK))
    window.select_redaction("rf")
    panel = window.inspector.fit
    assert panel.fit_button.isEnabled()
    panel.candidates.setPlainText("Bo Li\nJane Example\nMaximiliana Throckmorton-Smythe\n")
    panel.auto_names.setChecked(False)
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        panel.fit_button.click()
    table = panel.results
    assert table.rowCount() == 3
    assert table.item(0, 0).text() == "Jane Example"
    assert abs(float(table.item(0, 2).text())) < 2.0  # residual in points
    long_row = next(i for i in range(3) if table.item(i, 0).text().startswith("Maximiliana"))
    assert table.item(long_row, 3).text() == "cannot fit"
    assert "characters" in panel.summary.text() and "box" in panel.summary.text()


def test_fit_offers_the_names_the_release_shows(qtbot, window: MainWindow, tmp_path: Path) -> None:
    pdf, box = make_fit_pdf(tmp_path / "fit.pdf")
    open_and_wait(qtbot, window, pdf)
    put(window, Redaction("rf", 1, box, RedactionKind.VECTOR, Fill.BLACK))
    window.select_redaction("rf")
    panel = window.inspector.fit
    assert panel.auto_names.isChecked()  # on by default
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        panel.fit_button.click()
    names = [panel.results.item(i, 0).text() for i in range(panel.results.rowCount())]
    assert names[0] == "Jane Example" and "Harold Pennington" in names
    assert "names from the release" in panel.summary.text()


def test_fit_says_when_the_box_is_on_no_text_line(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    open_and_wait(qtbot, window, make_pdf(tmp_path / "a.pdf"))
    put(window, Redaction("rz", 1, Box(100, 200, 200, 215), RedactionKind.VECTOR, Fill.BLACK))
    window.select_redaction("rz")
    window.inspector.fit.auto_names.setChecked(False)
    window.inspector.fit.candidates.setPlainText("Anyone")
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        window.inspector.fit.fit_button.click()
    assert "not on a line" in window.inspector.fit.summary.text()
    assert window.inspector.fit.fit_button.isEnabled()


# -- leaks and est. chars ----------------------------------------
def png_bytes(colour: str) -> bytes:
    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


def test_leak_findings_show_in_inspector_and_leaks_dock(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    open_and_wait(qtbot, window, make_pdf(tmp_path / "a.pdf"))
    box = Box(40, 50, 120, 64)
    put(
        window,
        Redaction("rl", 1, box, RedactionKind.VECTOR, Fill.BLACK, est_chars=(9, 12)),
    )
    assert window.session is not None and window.release_id is not None
    window.session.case.findings.replace(
        window.release_id,
        [
            LeakFinding(1, box, "image_under_box", "", 0.9, "rl", png_bytes("red")),
            LeakFinding(0, None, "metadata", "Author: J. Example", 1.0),
        ],
    )
    window.session.reload()
    panel = window.leaks_panel
    assert panel.table.rowCount() == 2
    assert panel.table.item(0, 0).text() == "document"  # document-level first
    assert "Author" in panel.table.item(0, 2).text()
    panel.table.setCurrentCell(1, 0)
    assert panel.crop.pixmap() is not None and not panel.crop.pixmap().isNull()
    panel.table.cellActivated.emit(1, 0)
    assert window.page_view.selected_id() == "rl"
    insp = window.inspector
    assert not insp.leak_image.isHidden()
    assert insp.leak_image.pixmap().toImage().pixelColor(5, 5).red() > 200
    assert "9–12" in insp.estimate.text()  # est_chars once detection fills it
    row = window.catalog.model.row_of("rl")
    assert row is not None
    assert window.catalog.model.index(row, 7).data() == "9–12"


def test_what_is_printed_at_a_box_shows_in_inspector_and_catalog(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    # A reason without a code, a code with its statute, and a box with nothing read.
    open_and_wait(qtbot, window, make_pdf(tmp_path / "a.pdf"))
    reason = Redaction(
        "rr", 1, Box(40, 50, 120, 64), RedactionKind.RASTER, Fill.BLACK,
        label="Attorney-Client Privilege", label_position="inside",
    )  # fmt: skip
    statute = Redaction(
        "rs", 1, Box(40, 90, 120, 104), RedactionKind.RASTER, Fill.BLACK,
        exemptions=("(b)(3)",), label="(b)(3):50 USC 3024(i)", label_position="right",
    )  # fmt: skip
    bare = Redaction("rb", 1, Box(40, 130, 120, 144), RedactionKind.RASTER, Fill.BLACK)
    drawn = Redaction("rm", 1, Box(40, 170, 120, 184), RedactionKind.MANUAL, Fill.BLACK)
    put(window, reason, statute, bare, drawn)
    shown = {}
    for rid in ("rr", "rs", "rb", "rm"):
        window.select_redaction(rid)
        shown[rid] = window.inspector.printed.text()
    assert shown == {
        "rr": "“Attorney-Client Privilege” inside the box",
        "rs": "“(b)(3):50 USC 3024(i)” right of the box",
        "rb": "nothing read at the box",
        "rm": "drawn by hand",
    }
    model = window.catalog.model
    labels = {rid: model.index(model.row_of(rid) or 0, 3).data() for rid in ("rr", "rs", "rb")}
    assert labels == {"rr": "Attorney-Client Privilege", "rs": "(b)(3):50 USC 3024(i)", "rb": ""}
    assert model.headerData(3, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) == "Label"


# -- upright renders for the compare view ----------------------------------------
def test_upright_render_puts_a_rotated_page_box_where_its_points_say(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=400, height=300)
    page.draw_rect(pymupdf.Rect(200, 150, 300, 170), color=(1, 0, 0), fill=(1, 0, 0))
    page.set_rotation(90)
    pdf = tmp_path / "turned.pdf"
    doc.save(pdf)
    image = window.renderer.render_upright(str(pdf), 1, 72)
    assert (image.width(), image.height()) == (400, 300)  # unrotated page space
    inside = image.pixelColor(250, 160)
    assert inside.red() > 200 and inside.green() < 60
    assert image.pixelColor(100, 60).green() > 200  # white elsewhere


# -- compare and links ----------------------------------------
LINES = (
    ("The witness named ", "Jane Example", " as the driver of the truck that night."),
    ("Agent in charge ", "Robert Miles", " signed the report on the following Monday."),
    ("Copies were sent to the field office in Denver and to headquarters.", "", ""),
)


def make_release(path: Path, reveal: set[str]) -> Path:
    """Lines with names boxed (the text left out), except names in ``reveal``."""
    doc = pymupdf.open()
    page = doc.new_page(width=500, height=400)
    for i, (before, name, after) in enumerate(LINES):
        y = 80 + 40 * i
        if not name or name in reveal:
            page.insert_text((40, y), before + name + after, fontsize=11)
            continue
        x_name = 40 + pymupdf.get_text_length(before, fontname="helv", fontsize=11)
        x_after = x_name + pymupdf.get_text_length(name, fontname="helv", fontsize=11)
        page.insert_text((40, y), before.rstrip(), fontsize=11)
        page.insert_text((x_after + 3, y), after.strip(), fontsize=11)
        rect = pymupdf.Rect(x_name, y - 11, x_after, y + 3)
        page.draw_rect(rect, color=(0, 0, 0), fill=(0, 0, 0))
    doc.save(path)
    return path


def test_compare_tab_links_inspector_and_catalog(qtbot, window: MainWindow, tmp_path: Path) -> None:
    from redactview.core.model import LinkStatus
    from redactview.jobs.compare_run import CompareOptions

    a_pdf = make_release(tmp_path / "a.pdf", set())
    b_pdf = make_release(tmp_path / "b.pdf", {"Jane Example"})
    open_and_wait(qtbot, window, a_pdf)
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        window.add_release(b_pdf)
    assert window.session is not None
    a, b = window.session.releases()
    assert window.actions_["compare"].isEnabled()
    with qtbot.waitSignal(window.tasks.finished, timeout=120000):
        window.run_compare(a, b, CompareOptions(jobs=1, ocr=False))
    view = window.compare_view
    assert view is not None and window.tabs.currentWidget() is view
    links = view._result.links
    reveal = next(i for i, k in enumerate(links) if k.status is LinkStatus.REVEALED)
    assert links[reveal].revealed_text == "Jane Example"
    view.changes.setCurrentRow(reveal)
    assert view.title_a.text().endswith("1") and view.title_b.text().endswith("1")
    assert view.view_a.page is not None and view.view_b.page is not None  # both pages shown
    # The inspector follows the change list and lists the link under Other releases.
    a_id = links[reveal].a.redaction_id if links[reveal].a else None
    assert a_id and window.inspector._redaction is not None
    assert window.inspector._redaction.id == a_id
    panel = window.inspector.links
    assert panel.list.count() == 1 and "revealed" in panel.list.item(0).text()
    row = window.catalog.model.row_of(a_id)
    assert row is not None
    assert window.catalog.model.index(row, 9).data() == "revealed: Jane Example"
    # Confirm by hand: stored as the user's decision.
    panel.confirm_current()
    stored = window.session.case.links.between(a.id, b.id)
    assert any(k.user_set and k.a and k.a.redaction_id == a_id for k in stored)
    assert "set by you" in window.inspector.links.list.item(0).text()
    # Break the other (both-redacted) link: each side becomes unmatched, kept.
    both = next(k for k in stored if k.status is LinkStatus.BOTH)
    assert both.a is not None and both.a.redaction_id
    window.select_redaction(both.a.redaction_id)
    assert window.tabs.currentIndex() == 0  # back on the pages
    window.inspector.links.break_current()
    after = window.session.case.links.between(a.id, b.id)
    assert not any(k.status is LinkStatus.BOTH for k in after)
    assert sum(k.status is LinkStatus.UNMATCHED and k.user_set for k in after) == 2
    # And link them again by hand.
    target = next(r for _t, r in window.inspector.links.targets() if r.id == both.b.redaction_id)
    window.inspector.links.link_to(target)
    again = window.session.case.links.between(a.id, b.id)
    assert any(
        k.status is LinkStatus.BOTH and k.user_set and k.b and k.b.redaction_id == target.id
        for k in again
    )
