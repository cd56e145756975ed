"""The catalog panel: every redaction of the case in a sortable, filterable table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from redactview.ui.exemption_info import colour_for, known_codes
from redactview.ui.session import CatalogRow

COLUMNS = (
    "Release",
    "Page",
    "Exemptions",
    "Label",
    "Status",
    "Tags",
    "Note",
    "Est. chars",
    "Leak",
    "Other releases",
)
_PAGE, _CODES, _LABEL, _EST = (
    COLUMNS.index(c) for c in ("Page", "Exemptions", "Label", "Est. chars")
)
# Long texts: their cells show the whole text as a tooltip.
_LONG = tuple(COLUMNS.index(c) for c in ("Label", "Note", "Leak", "Other releases"))
_LABEL_MAX_PX = 240
_ALL = "All exemptions"
_NONE = "(no code)"
Index = QModelIndex | QPersistentModelIndex


def _cell(row: CatalogRow, column: int) -> Any:
    r, a = row.redaction, row.annotation
    values: tuple[Any, ...] = (
        row.release.label,
        r.page,
        "; ".join(r.exemptions),
        r.label,
        a.status.value.replace("_", " "),
        ", ".join(a.tags),
        a.note,
        f"{r.est_chars[0]}–{r.est_chars[1]}" if r.est_chars else "",
        r.text_under or "",
        row.links,
    )
    return values[column]


def _sort_key(row: CatalogRow, column: int) -> Any:
    """A scalar Qt can compare (a Python tuple in a QVariant does not sort)."""
    r = row.redaction
    if column == _PAGE:  # reading order: release, page, then top to bottom, left to right
        return f"{row.release.id:06d}{r.page:06d}{r.box.y0:010.2f}{r.box.x0:010.2f}"
    if column == _EST:
        return r.est_chars[0] if r.est_chars else -1
    return str(_cell(row, column)).lower()


class CatalogModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[CatalogRow] = []
        self._row_of: dict[str, int] = {}

    def set_rows(self, rows: list[CatalogRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self._row_of = {r.redaction.id: i for i, r in enumerate(rows)}
        self.endResetModel()

    def update_row(self, row: CatalogRow) -> bool:
        """Refresh one redaction in place; False if it is not in the table."""
        i = self._row_of.get(row.redaction.id)
        if i is None:
            return False
        self.rows[i] = row
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))
        return True

    def row_of(self, rid: str) -> int | None:
        return self._row_of.get(rid)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(row, index.column())
        if role == Qt.ItemDataRole.UserRole:
            return _sort_key(row, index.column())
        if role == Qt.ItemDataRole.DecorationRole and index.column() == _CODES:
            return colour_for(row.redaction.exemptions)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in _LONG:
            return _cell(row, index.column()) or None
        return None


class CatalogFilter(QSortFilterProxyModel):
    def __init__(self) -> None:
        super().__init__()
        self.code = ""
        self.text = ""
        self.setSortRole(Qt.ItemDataRole.UserRole)

    def set_filter(self, code: str, text: str) -> None:
        self.beginFilterChange()
        self.code, self.text = code, text.strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, CatalogModel)
        row = model.rows[source_row]
        codes = row.redaction.exemptions
        if self.code == _NONE and codes:
            return False
        if self.code not in ("", _NONE) and self.code not in codes:
            return False
        if self.text:
            hay = " ".join(str(_cell(row, c)) for c in range(len(COLUMNS)))
            r = row.redaction
            hay += f" {r.label} {r.context_before} {r.context_after}"
            return self.text in hay.lower()
        return True


class CatalogPanel(QWidget):
    redaction_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CatalogModel()
        self.proxy = CatalogFilter()
        self.proxy.setSourceModel(self.model)
        self.code_box = QComboBox()
        self.code_box.setToolTip("Show only redactions citing this exemption")
        self.text_box = QLineEdit(placeholderText="Filter by text, note, tag…")
        self.text_box.setClearButtonEnabled(True)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(_PAGE, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self._build_layout()
        self.code_box.currentTextChanged.connect(self._on_filter_changed)
        self.text_box.textChanged.connect(self._on_filter_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self._syncing = False

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.code_box)
        bar.addWidget(self.text_box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(bar)
        layout.addWidget(self.table)

    def set_rows(self, rows: list[CatalogRow]) -> None:
        current = self.code_box.currentText()
        self.model.set_rows(rows)
        codes = sorted({c for r in rows for c in r.redaction.exemptions} | set(known_codes()))
        self.code_box.blockSignals(True)
        self.code_box.clear()
        self.code_box.addItems([_ALL, _NONE, *codes])
        self.code_box.setCurrentText(current or _ALL)
        self.code_box.blockSignals(False)
        self.table.resizeColumnsToContents()
        # A slip sheet's statement or a statute is a long label: its tooltip has it whole.
        self.table.setColumnWidth(_LABEL, min(self.table.columnWidth(_LABEL), _LABEL_MAX_PX))

    def select(self, rid: str) -> None:
        """Follow a selection made elsewhere, without echoing it back."""
        row = self.model.row_of(rid)
        if row is None:
            self.table.clearSelection()
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return
        self._syncing = True
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)
        self._syncing = False

    def _on_filter_changed(self) -> None:
        code = self.code_box.currentText()
        self.proxy.set_filter("" if code == _ALL else code, self.text_box.text())

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing or not current.isValid():
            return
        source = self.proxy.mapToSource(current)
        self.redaction_activated.emit(self.model.rows[source.row()].redaction.id)
