"""The search box, the kind of key it recognised, and the results; Enter or double-click opens a customer."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.frontdesk import labels
from desktop.frontdesk.search import RESULT_LIMIT, CustomerSearchModel
from desktop.i18n import current_language
from domain.errors import DomainError
from domain.identity import classify_query, validate_resident_id
from local_store import Store

# No column wider than this many Chinese characters (a county, town and street address fits).
COLUMN_MAX_CHARACTERS = 22


class CustomerSearchPanel(QWidget):
    customerChosen = Signal(str)  # customer id

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CustomerSearchModel(store, self)
        self._open_when_ready = False

        self.box = QLineEdit(self)
        self.box.setObjectName("customerSearch")
        self.box.setAccessibleName(self.tr("查找客户"))
        self.box.setPlaceholderText(self.tr("身份证号、户号、手机号、工单号或姓名"))
        self.box.setClearButtonEnabled(True)
        self.kind_label = QLabel(self)
        self.kind_label.setObjectName("searchKind")
        self.kind_label.setAccessibleName(self.tr("识别的查询类型"))
        self.count_label = QLabel(self)
        self.count_label.setObjectName("searchCount")
        self.count_label.setWordWrap(True)
        self.id_problem_label = QLabel(self)  # a mistyped ID number: which check it failed
        self.id_problem_label.setObjectName("searchIdProblem")
        self.id_problem_label.setStyleSheet("color: #b00020;")
        self.id_problem_label.setWordWrap(True)
        self.id_problem_label.hide()

        self.view = QTableView(self)
        self.view.setObjectName("customerResults")
        self.view.setAccessibleName(self.tr("查找结果"))
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        columns = self.view.horizontalHeader()
        columns.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Columns fit the rows in sight, not all of them: measuring every cell's text at each keystroke's
        # results was most of the time from the results to the rows in the view.
        columns.setResizeContentsPrecision(0)
        columns.setStretchLastSection(True)
        # What tells two 张伟 apart at the counter is where they live: the address stands next to the name,
        # the masked ID, phone and 户号 follow; a very long address is cut with … (its tooltip has it whole).
        columns.moveSection(columns.visualIndex(CustomerSearchModel.ADDRESS), 1)
        columns.setMaximumSectionSize(self.fontMetrics().horizontalAdvance("国" * COLUMN_MAX_CHARACTERS))
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)

        top = QHBoxLayout()
        top.addWidget(self.box, 1)
        top.addWidget(self.kind_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.count_label)
        layout.addWidget(self.id_problem_label)
        layout.addWidget(self.view, 1)

        self.box.textChanged.connect(self._on_text_changed)
        self.box.returnPressed.connect(self._on_return)
        self.box.installEventFilter(self)
        self.view.activated.connect(self._open_index)
        self.model.resultsReady.connect(self._on_results)

    def focus_search(self) -> None:
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()

    def _on_text_changed(self, text: str) -> None:
        self.kind_label.setText(self.tr("按{kind}查找").format(kind=labels.query_kind_name(classify_query(text)))
                                if text.strip() else "")
        self.model.search(text)

    def _on_return(self) -> None:
        text = self.box.text()
        if self.model.query == text and self.model.rowCount() > 0:
            current = self.view.currentIndex()
            self._open_index(current if current.isValid() else self.model.index(0, 0))
            return
        self._open_when_ready = True  # Enter before the results came: search at once, open the best hit
        self.model.search_now(text)

    def _on_results(self, text: str, count: int) -> None:
        if not text:
            self.count_label.setText("")
        elif self.model.capped:
            self.count_label.setText(self.tr("显示前{n}位客户（匹配的更多，请输入更完整的信息缩小范围）").format(
                n=RESULT_LIMIT))
        else:
            self.count_label.setText(self.tr("找到{n}位客户").format(n=count))
        problem = self._id_problem(text)
        self.id_problem_label.setText(problem)
        self.id_problem_label.setVisible(bool(problem))
        open_first, self._open_when_ready = self._open_when_ready, False
        if count:
            self.view.setCurrentIndex(self.model.index(0, 0))
            if open_first:
                self._open_index(self.model.index(0, 0))

    def _id_problem(self, text: str) -> str:
        """What is wrong with an ID number as typed (the check it failed), or "" when it is not one or is valid."""
        if classify_query(text) != "resident_id":
            return ""
        try:
            validate_resident_id("".join(text.replace("-", " ").split()))  # as the search reads it: no separators
        except DomainError as error:
            return error.message(current_language())  # e.g. 身份证号码校验位错误: it names the number itself
        return ""

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            customer_id = self.model.data(index, CustomerSearchModel.CustomerIdRole)
            if customer_id:
                self.customerChosen.emit(customer_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down from the box walks into the results, so the whole search works without the mouse.
        if (
            watched is self.box
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
            and self.model.rowCount() > 0
        ):
            self.view.setFocus(Qt.FocusReason.TabFocusReason)
            if not self.view.currentIndex().isValid():
                self.view.setCurrentIndex(self.model.index(0, 0))
            return True
        return super().eventFilter(watched, event)
