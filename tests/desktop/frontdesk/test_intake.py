"""One-stop intake over a real store: the form built from the catalogue, each family accepted offline,
bad input explained in place with nothing stored, same-type warning, and the receipt PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from desktop.context import DeskContext
from desktop.frontdesk import FrontDesk, receipt_actions
from desktop.frontdesk.intake_dialog import IntakeDialog
from domain.calendar import WorkingCalendar
from domain.catalogue import load_catalogue
from local_store import Store
from tests.desktop.support import OFFSCREEN_NOISE, EngineStub, settled

from .conftest import ManualClock, customer_data, make_context, open_card, type_text

pytestmark = OFFSCREEN_NOISE
CONNECTION = {"customer_name": "张伟", "id_number": customer_data(4)["id_number"], "address": "北京市东城区和平里4号",
              "contact_phone": "13900000004", "requested_kw": "8", "phases": "single",
              "preferred_survey_date": "2025-03-10"}
REPAIR = {"fault_address": "北京市东城区和平里4号", "area_class": "urban", "fault_type": "no_power",
          "contact_phone": "13900000004", "arrears_cutoff": True}
COMPLAINT = {"complaint_class": "service", "description": "营业厅排队时间过长"}
SERVICE_REQUEST = {"description": "申请更换表箱锁", "contact_phone": "010-12345678"}


def start_intake(qtbot: QtBot, desk: FrontDesk, customer_id: str = "cust-4") -> IntakeDialog:
    open_card(qtbot, desk, customer_id)
    desk.card.findChild(QPushButton, "newTicket").click()
    dialog = desk.intake_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def fill(qtbot: QtBot, dialog: IntakeDialog, values: dict[str, Any]) -> None:
    for name, value in values.items():
        widget = dialog.findChild(QLineEdit, f"field_{name}") or dialog.findChild(QComboBox, f"field_{name}") \
            or dialog.findChild(QCheckBox, f"field_{name}") or dialog.findChild(QDateEdit, f"field_{name}")
        assert widget is not None, name
        assert widget.accessibleName()
        if isinstance(widget, QDateEdit):  # picked from the calendar
            dialog.form.editor(name).set_value(value or None)
        elif isinstance(widget, QComboBox):
            widget.setCurrentIndex(widget.findData(value))
        elif isinstance(widget, QCheckBox):
            widget.setChecked(value)
        else:
            widget.clear()
            widget.setFocus()
            type_text(qtbot, widget, value)


def tick_materials(dialog: IntakeDialog, *codes: str) -> None:
    for code in codes:
        dialog.findChild(QCheckBox, f"material_{code}").setChecked(True)


def accept(qtbot: QtBot, dialog: IntakeDialog) -> None:
    dialog.findChild(QPushButton, "acceptTicket").click()
    qtbot.waitUntil(lambda: dialog.ticket is not None)


def ticket_mutations(store: Store) -> list[dict[str, Any]]:
    return [m.fields for m in store.pending_mutations() if m.entity == "ticket" and m.op == "create"]


@pytest.mark.parametrize(
    ("type_code", "values", "materials", "due"),
    [
        ("connection_residential", CONNECTION, ("identity", "property_proof"), "2025-03-10 23:59"),
        ("repair", REPAIR, (), "2025-03-03 09:45"),
        ("complaint", COMPLAINT, (), "2025-03-10 23:59"),
        ("service_request_other", SERVICE_REQUEST, (), "2025-03-10 23:59"),
    ],
)
def test_each_family_is_accepted_offline(qtbot: QtBot, desk: FrontDesk, store: Store, engine: EngineStub,
                                         type_code: str, values: dict[str, Any], materials: tuple[str, ...],
                                         due: str) -> None:
    dialog = start_intake(qtbot, desk)
    dialog.form.select_type(type_code)
    fill(qtbot, dialog, values)
    tick_materials(dialog, *materials)
    accept(qtbot, dialog)
    ticket = dialog.ticket
    assert ticket is not None
    assert (ticket.type_code, ticket.customer_id, ticket.account_id) == (type_code, "cust-4", "acct-4")
    assert ticket.provisional_number == "P-D1-1" and ticket.number is None
    assert ticket.materials == list(materials)
    assert ticket.accepted_by == "staff-1" and ticket.channel == "hall"
    [mutation] = ticket_mutations(store)
    assert mutation["id"] == ticket.id and mutation["type_code"] == type_code
    assert [t.id for t in store.customer_tickets("cust-4")] == [ticket.id]
    assert engine.nudges == 1
    done = dialog.findChild(QLabel, "acceptedTicket").text()
    assert "P-D1-1（临时编号" in done
    assert f"承诺办结时限：{due}" in done and "暂定" not in done
    qtbot.waitUntil(lambda: desk.card.tickets_model.rowCount() == 1)  # the card re-read its tickets


def test_the_form_is_built_from_the_catalogue(qtbot: QtBot, desk: FrontDesk) -> None:
    dialog = start_intake(qtbot, desk)
    catalogue = load_catalogue()
    combo = dialog.findChild(QComboBox, "ticketType")
    model = combo.model()
    assert isinstance(model, QStandardItemModel)
    choices = [model.item(row).data(Qt.ItemDataRole.UserRole) for row in range(model.rowCount())
               if model.item(row).isEnabled()]
    headings = [model.item(row).text() for row in range(model.rowCount()) if not model.item(row).isEnabled()]
    assert choices == [t.code for t in catalogue.types_for_channel("hall")]
    assert headings[:3] == ["办电", "变更", "电费"]
    for ticket_type in catalogue.types_for_channel("hall")[:6]:
        dialog.form.select_type(ticket_type.code)
        assert sorted(dialog.form.field_names()) == sorted(f.name for f in ticket_type.fields)
        boxes = dialog.findChildren(QCheckBox)
        material_names = {b.objectName() for b in boxes if b.objectName().startswith("material_")}
        assert material_names == {f"material_{c}" for c in (*ticket_type.materials, *ticket_type.optional_materials)}
    dialog.form.select_type("repair")
    assert isinstance(dialog.findChild(QCheckBox, "field_arrears_cutoff"), QCheckBox)
    assert isinstance(dialog.findChild(QComboBox, "field_fault_type"), QComboBox)
    # The chosen 户号 and the customer's area class are filled in already.
    assert dialog.form.editor("account_number").value() == "3300000004"
    assert dialog.form.editor("area_class").value() == "urban"


def test_the_hotline_offers_only_its_types(qtbot: QtBot, store: Store, engine: EngineStub, clock: ManualClock) -> None:
    screen = FrontDesk(make_context(store, engine, role="hotline"), clock=clock)
    qtbot.addWidget(screen)
    screen.show()
    dialog = start_intake(qtbot, screen)
    with pytest.raises(KeyError):
        dialog.form.select_type("connection_hv_single")  # hall and app only
    dialog.form.select_type("repair")


LABELS = {f.name: f.label_zh for f in load_catalogue().ticket_type("connection_residential").fields}


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("customer_name", "", f"请填写「{LABELS['customer_name']}」"),
        ("id_number", "12345", "身份证号码应为18位，当前为5位"),
        ("id_number", "110101199913450019", "身份证号码中的出生日期不存在"),
        ("address", "", f"请填写「{LABELS['address']}」"),
        ("contact_phone", "12345", "手机号码应为11位，以13至19开头"),
        ("contact_phone", "电话", "电话号码只能包含数字、空格、括号和连字符"),
        ("customer_name", "张伟😀", f"「{LABELS['customer_name']}」不能含有表情符号或控制字符"),
        ("requested_kw", "八千瓦", f"请填写「{LABELS['requested_kw']}」"),  # letters cannot be typed at all
        ("requested_kw", "0", f"「{LABELS['requested_kw']}」不能小于 1"),
        ("requested_kw", "", f"请填写「{LABELS['requested_kw']}」"),
    ],
)
def test_bad_input_is_explained_in_place_and_nothing_is_stored(qtbot: QtBot, desk: FrontDesk, store: Store,
                                                               engine: EngineStub, field: str, typed: str,
                                                               message: str) -> None:
    dialog = start_intake(qtbot, desk)
    dialog.form.select_type("connection_residential")
    fill(qtbot, dialog, CONNECTION | {field: typed})
    tick_materials(dialog, "identity", "property_proof")
    before = store.outbox_size()
    dialog.accept_button.click()
    error = dialog.findChild(QLabel, f"error_{field}")
    qtbot.waitUntil(lambda: error.isVisibleTo(dialog.form))
    assert error.text() == message
    assert dialog.form.error_text(field) == message
    qtbot.waitUntil(dialog.form.editor(field).widget.hasFocus)  # focus lands once the window is active
    assert dialog.ticket is None and store.outbox_size() == before and store.customer_tickets("cust-4") == []
    assert engine.nudges == 0
    # Corrected, it goes through and the message goes away.
    fill(qtbot, dialog, {field: CONNECTION[field]})
    accept(qtbot, dialog)
    assert not error.isVisibleTo(dialog.form)


def test_a_required_choice_left_unselected_is_explained(qtbot: QtBot, desk: FrontDesk, store: Store) -> None:
    dialog = start_intake(qtbot, desk)
    dialog.form.select_type("repair")
    fill(qtbot, dialog, {k: v for k, v in REPAIR.items() if k != "fault_type"})
    dialog.accept_button.click()
    qtbot.waitUntil(lambda: dialog.form.error_text("fault_type") != "")
    assert dialog.form.error_text("fault_type") == "请填写「故障类型」"
    assert store.pending_mutations() == []


def test_a_missing_material_is_explained(qtbot: QtBot, desk: FrontDesk, store: Store) -> None:
    dialog = start_intake(qtbot, desk)
    dialog.form.select_type("connection_residential")
    fill(qtbot, dialog, CONNECTION)
    tick_materials(dialog, "identity")
    dialog.accept_button.click()
    qtbot.waitUntil(lambda: dialog.form.error_text("materials") != "")
    assert dialog.form.error_text("materials") == "缺少材料「房屋产权证明或用电地址使用权证明」"
    assert store.pending_mutations() == []


def test_materials_handed_over_once_are_ticked_for_the_next_request(qtbot: QtBot, desk: FrontDesk) -> None:
    dialog = start_intake(qtbot, desk)
    dialog.form.select_type("connection_residential")
    fill(qtbot, dialog, CONNECTION)
    tick_materials(dialog, "identity", "property_proof")
    accept(qtbot, dialog)
    dialog.findChild(QPushButton, "closeIntake").click()
    second = desk.open_intake()
    second.form.select_type("change_other")
    assert second.form.material_box("identity").isChecked()
    assert not second.form.material_box("change_form").isChecked()


def test_enter_in_the_form_accepts(qtbot: QtBot, desk: FrontDesk, store: Store) -> None:
    dialog = start_intake(qtbot, desk)
    dialog.form.select_type("complaint")
    fill(qtbot, dialog, COMPLAINT)
    qtbot.keyClick(dialog.findChild(QLineEdit, "field_description"), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.ticket is not None)
    assert len(ticket_mutations(store)) == 1


# ---- the same type already open -------------------------------------------------------------------


def test_same_type_open_warns_and_links_as_chase(qtbot: QtBot, desk: FrontDesk, store: Store) -> None:
    dialog = start_intake(qtbot, desk, "cust-0")  # has repair GD20250000 open
    dialog.form.select_type("repair")
    fill(qtbot, dialog, REPAIR)
    dialog.form.summary_edit.setText("还是没电")
    dialog.accept_button.click()
    warning = dialog.findChild(type(dialog.duplicate_box), "duplicateWarning")
    qtbot.waitUntil(lambda: warning.isVisibleTo(dialog))
    assert "GD20250000" in dialog.duplicate_label.text()
    assert store.pending_mutations() == []
    dialog.findChild(QPushButton, "linkAsChase").click()
    qtbot.waitUntil(lambda: dialog.ticket is not None)
    assert dialog.ticket.type_code == "chase"
    assert dialog.ticket.fields == {"chased_ticket": "GD20250000", "content": "还是没电"}
    assert [m["type_code"] for m in ticket_mutations(store)] == ["chase"]


def test_same_type_open_can_be_filed_anyway(qtbot: QtBot, desk: FrontDesk, store: Store) -> None:
    dialog = start_intake(qtbot, desk, "cust-0")
    dialog.form.select_type("repair")
    fill(qtbot, dialog, REPAIR)
    dialog.accept_button.click()
    qtbot.waitUntil(lambda: dialog.duplicate_box.isVisibleTo(dialog))
    dialog.findChild(QPushButton, "fileAnyway").click()
    qtbot.waitUntil(lambda: dialog.ticket is not None)
    assert [m["type_code"] for m in ticket_mutations(store)] == ["repair"]
    assert len([t for t in store.customer_tickets("cust-0") if t.type_code == "repair"]) == 2


# ---- deadline and receipt ---------------------------------------------------------------------------


def test_a_deadline_past_the_known_calendar_is_flagged_provisional(qtbot: QtBot, context: DeskContext,
                                                                   clock: ManualClock) -> None:
    unknown_years = WorkingCalendar.from_records([], [], [])
    screen = FrontDesk(context, clock=clock, calendar=unknown_years)
    qtbot.addWidget(screen)
    screen.show()
    dialog = start_intake(qtbot, screen)
    dialog.form.select_type("complaint")
    fill(qtbot, dialog, COMPLAINT)
    accept(qtbot, dialog)
    assert dialog.deadline is not None and dialog.deadline.provisional
    assert "暂定" in dialog.findChild(QLabel, "acceptedTicket").text()


def test_the_receipt_pdf_is_written(qtbot: QtBot, desk: FrontDesk, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = start_intake(qtbot, desk)
    dialog.form.select_type("connection_residential")
    fill(qtbot, dialog, CONNECTION)
    tick_materials(dialog, "identity", "property_proof")
    accept(qtbot, dialog)
    target = tmp_path / "receipt.pdf"
    asked: list[str] = []
    monkeypatch.setattr(receipt_actions, "ask_receipt_path", lambda _parent, name: asked.append(name) or target)
    saved: list[Path] = []
    dialog.receipt_saved.connect(saved.append)
    dialog.findChild(QPushButton, "saveReceipt").click()
    qtbot.waitUntil(lambda: saved == [target])
    assert asked == ["P-D1-1.pdf"]
    data = target.read_bytes()
    assert data.startswith(b"%PDF") and b"P-D1-1" in data
    receipt = dialog.receipt(dialog.ticket)
    lines = dict(receipt.lines)
    assert lines["工单编号："] == "P-D1-1" and "临时编号" in lines["编号状态："]
    assert lines["承诺办结时限："] == "2025-03-10 23:59" and lines["客户："] == "张**"
    assert receipt.qr_payload == "onewindow:ticket:P-D1-1"


def test_cancelling_the_save_dialog_writes_nothing(qtbot: QtBot, desk: FrontDesk, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = start_intake(qtbot, desk)
    dialog.form.select_type("complaint")
    fill(qtbot, dialog, COMPLAINT)
    accept(qtbot, dialog)
    monkeypatch.setattr(receipt_actions, "ask_receipt_path", lambda _parent, _name: None)
    dialog.receipts.save_pdf()
    settled(qtbot)
    assert list(tmp_path.glob("*.pdf")) == []
