"""The small forms a stage or ticket move asks for: a reason, a transfer, a result, the return visit."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.context import DeskContext
from desktop.display import text_counter
from desktop.i18n import current_language
from desktop.operations import Operation, report_failure
from desktop.tickets import labels
from desktop.tickets.evaluation import OUTCOMES, ReturnVisit, peer_rating
from domain.bounds import text_limit
from domain.errors import DomainError
from domain.records import Staff


class _Form(QDialog):
    """A dialog with a form, an error line and OK/Cancel; OK stays off until the form is complete."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = QLabel(self)
        self.error.setObjectName("formError")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    @property
    def ok_button(self) -> Any:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def first_field(self) -> QWidget | None:
        item = self.form.itemAt(0, QFormLayout.ItemRole.FieldRole)
        return item.widget() if item is not None else None

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """The form opens ready to type: focus in its first field, not on a button."""
        super().showEvent(event)
        field = self.first_field()
        if field is not None:
            field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _try_accept(self) -> None:
        try:
            self.collect()
        except DomainError as error:
            self.error.setText(error.message(current_language()))
            return
        self.accept()

    def collect(self) -> Any:
        raise NotImplementedError

    def save(self, context: DeskContext, write: Callable[[], Any], kinds: Iterable[str],
             done: Callable[[Any], None]) -> None:
        """Run `write` on the store thread with OK off; once written, tell the sync engine, hand the result to
        `done` and close; a refused write shows its sentence here and turns OK back on."""
        self.ok_button.setEnabled(False)

        def written(result: Any) -> None:
            context.notify_local_change()
            done(result)
            self.accept()

        Operation(self, write, changes=kinds).success(written).failure(self._refused).run()

    def _refused(self, error: BaseException) -> None:
        self.ok_button.setEnabled(True)
        if isinstance(error, DomainError):
            self.error.setText(error.message(current_language()))
        else:
            report_failure(error)


class ReasonDialog(_Form):
    """For returns, cancellations, escalations and rework: a move that must say why."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName("reasonDialog")
        self.reason = QPlainTextEdit(self)
        self.reason.setObjectName("reason")
        self.reason.setAccessibleName(self.tr("原因"))
        self.reason.setTabChangesFocus(True)
        self.form.addRow(self.tr("原因(&R)"), self.reason)
        self.form.addRow("", text_counter(self.reason, text_limit("transition.reason"), self))
        self.reason.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.ok_button.setEnabled(bool(self.reason.toPlainText().strip()))

    def collect(self) -> str:
        return self.reason.toPlainText().strip()


class TransferDialog(ReasonDialog):
    def __init__(self, staff: Sequence[Staff], parent: QWidget | None = None) -> None:
        super().__init__(self.tr("转派环节任务"), parent)
        self.setObjectName("transferDialog")
        self.receiver = QComboBox(self)
        self.receiver.setObjectName("receiver")
        self.receiver.setAccessibleName(self.tr("接收人"))
        self.receiver.addItem(self.tr("（不指定，退回部门待办）"), None)
        for person in staff:
            department = labels.department_name(person.department, current_language())
            self.receiver.addItem(f"{person.display_name}（{department}）" if department else person.display_name,
                                  person.id)
        self.form.insertRow(0, self.tr("接收人(&P)"), self.receiver)

    def collect_transfer(self) -> tuple[str, str | None]:
        return self.collect(), self.receiver.currentData()


class CompleteDialog(_Form):
    """The stage result; a collaborating department may also rate the lead department (协作互评)."""

    def __init__(self, stage_name: str, lead_department: str | None, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("完成环节：%1").replace("%1", stage_name), parent)
        self.setObjectName("completeDialog")
        self.outcome = QPlainTextEdit(self)
        self.outcome.setObjectName("stageResult")
        self.outcome.setAccessibleName(self.tr("办理结果"))
        self.outcome.setTabChangesFocus(True)
        self.form.addRow(self.tr("办理结果(&O)"), self.outcome)
        self._lead = lead_department
        self.peer_score: QComboBox | None = None
        if lead_department is not None:
            self.peer_score = QComboBox(self)
            self.peer_score.setObjectName("peerScore")
            self.peer_score.setAccessibleName(self.tr("对主责部门的协作评价"))
            self.peer_score.addItem(self.tr("（不评价）"), None)
            for score in range(5, 0, -1):
                self.peer_score.addItem(self.tr("%1 分").replace("%1", str(score)), score)
            label = self.tr("评价主责部门（%1）").replace("%1", labels.department_name(lead_department,
                                                                                       current_language()))
            self.form.addRow(label, self.peer_score)
        self.outcome.textChanged.connect(lambda: self.ok_button.setEnabled(bool(self.outcome.toPlainText().strip())))
        self.ok_button.setEnabled(False)

    def collect(self) -> dict[str, Any]:
        result: dict[str, Any] = {"outcome": self.outcome.toPlainText().strip()}
        if self.peer_score is not None and self._lead is not None and self.peer_score.currentData() is not None:
            result |= peer_rating(self._lead, int(self.peer_score.currentData()))
        return result


class ReturnVisitDialog(_Form):
    """回访: outcome, the customer's satisfaction, and the lead department's ratings of its collaborators."""

    def __init__(self, lead_department: str | None, collaborators: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(self.tr("回访与评价"), parent)
        self.setObjectName("returnVisitDialog")
        self._lead = lead_department
        self.outcome = QComboBox(self)
        self.outcome.setObjectName("visitOutcome")
        self.outcome.setAccessibleName(self.tr("回访结果"))
        lang = current_language()
        for code, names in OUTCOMES.items():
            self.outcome.addItem(names[1] if lang.startswith("en") else names[0], code)
        self.form.addRow(self.tr("回访结果(&V)"), self.outcome)
        self.satisfaction = QSpinBox(self)
        self.satisfaction.setObjectName("satisfaction")
        self.satisfaction.setAccessibleName(self.tr("客户满意度"))
        self.satisfaction.setRange(0, 5)
        self.satisfaction.setSpecialValueText(self.tr("未评"))
        self.satisfaction.setSuffix(self.tr(" 分"))
        self.form.addRow(self.tr("客户满意度(&S)"), self.satisfaction)
        self.ratings: dict[str, QSpinBox] = {}
        for department in collaborators:
            box = QSpinBox(self)
            box.setObjectName(f"leadRating_{department}")
            name = labels.department_name(department, lang)
            box.setAccessibleName(self.tr("主责评价：%1").replace("%1", name))
            box.setRange(0, 5)
            box.setSpecialValueText(self.tr("未评"))
            box.setSuffix(self.tr(" 分"))
            self.ratings[department] = box
            self.form.addRow(self.tr("主责评价：%1").replace("%1", name), box)
        self.comment = QLineEdit(self)
        self.comment.setObjectName("visitComment")
        self.comment.setAccessibleName(self.tr("回访说明"))
        self.form.addRow(self.tr("说明(&C)"), self.comment)

    def collect(self) -> ReturnVisit:
        satisfaction = self.satisfaction.value() or None
        return ReturnVisit(
            outcome=str(self.outcome.currentData()),
            satisfaction=satisfaction,
            comment=self.comment.text(),
            lead_department=self._lead,
            lead_ratings={d: box.value() for d, box in self.ratings.items() if box.value()},
        )
