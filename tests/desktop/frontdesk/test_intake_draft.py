"""A customer's intake form closed unaccepted comes back when 受理新业务 is opened again in the same visit
(issue 12: "a draft is kept for the visit"); accepting, clearing it or signing out drops it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from desktop.context import DeskContext
from desktop.frontdesk import FrontDesk, intake_form
from desktop.frontdesk.intake_dialog import IntakeDialog
from local_store import Store
from tests.desktop.frontdesk.test_intake import CONNECTION, accept, fill, start_intake, tick_materials
from tests.desktop.support import OFFSCREEN_NOISE, EngineStub

from .conftest import ManualClock, make_context

pytestmark = OFFSCREEN_NOISE

TYPED = CONNECTION | {"requested_kw": "12", "preferred_survey_date": "2025-03-12"}


@pytest.fixture(autouse=True)
def _close_when_asked(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    asked: list[bool] = []
    monkeypatch.setattr(intake_form, "ask_discard", lambda _parent: asked.append(True) or True)
    return asked


def _type_a_connection(qtbot: QtBot, dialog: IntakeDialog) -> None:
    dialog.form.select_type("connection_residential")
    fill(qtbot, dialog, TYPED)
    tick_materials(dialog, "identity")
    dialog.form.summary_edit.setText("客户下午再来补产权证明")


def _close(qtbot: QtBot, dialog: IntakeDialog) -> None:
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def _restored(dialog: IntakeDialog) -> bool:
    return dialog.findChild(QLabel, "intakeDraftRestored").isVisibleTo(dialog)


def test_a_closed_form_comes_back_for_the_same_customer(qtbot: QtBot, desk: FrontDesk,
                                                         _close_when_asked: list[bool]) -> None:
    dialog = start_intake(qtbot, desk)
    assert not _restored(dialog)
    _type_a_connection(qtbot, dialog)
    _close(qtbot, dialog)
    assert _close_when_asked == [True]  # a filled form still asks first

    again = start_intake(qtbot, desk)
    assert again is not dialog and _restored(again)
    form = again.form
    assert form.ticket_type.code == "connection_residential"
    assert form.summary == "客户下午再来补产权证明"
    assert {name: form.editor(name).value() for name in TYPED} == TYPED | {"requested_kw": 12}
    assert form.checked_materials() == ["identity"]
    assert form.is_filled()  # closing it again asks again


def test_another_customer_gets_a_fresh_form(qtbot: QtBot, desk: FrontDesk) -> None:
    dialog = start_intake(qtbot, desk, "cust-4")
    _type_a_connection(qtbot, dialog)
    _close(qtbot, dialog)
    other = start_intake(qtbot, desk, "cust-3")
    assert not _restored(other) and not other.form.is_filled()
    _close(qtbot, other)
    back = start_intake(qtbot, desk, "cust-4")  # the first customer's draft is still there
    assert _restored(back) and back.form.summary == "客户下午再来补产权证明"


def test_accepting_drops_the_draft(qtbot: QtBot, desk: FrontDesk) -> None:
    dialog = start_intake(qtbot, desk)
    _type_a_connection(qtbot, dialog)
    _close(qtbot, dialog)
    again = start_intake(qtbot, desk)
    tick_materials(again, "property_proof")
    accept(qtbot, again)
    again.done_page.findChild(QPushButton, "closeIntake").click()
    assert not again.isVisible()
    fresh = start_intake(qtbot, desk)
    assert not _restored(fresh) and not fresh.form.is_filled()


def test_clearing_the_draft_gives_a_fresh_form_and_forgets_it(qtbot: QtBot, desk: FrontDesk) -> None:
    dialog = start_intake(qtbot, desk)
    _type_a_connection(qtbot, dialog)
    _close(qtbot, dialog)
    again = start_intake(qtbot, desk)
    again.findChild(QPushButton, "clearIntakeDraft").click()
    assert not _restored(again) and not again.form.is_filled() and again.form.summary == ""
    _close(qtbot, again)  # nothing typed: no draft kept
    assert not _restored(start_intake(qtbot, desk))


def test_signing_out_drops_every_draft(qtbot: QtBot, desk: FrontDesk, store: Store, clock: ManualClock) -> None:
    dialog = start_intake(qtbot, desk)
    _type_a_connection(qtbot, dialog)
    _close(qtbot, dialog)
    # Signing in again builds a new context and a new front desk (desktop.app): the old drafts are gone.
    context: DeskContext = make_context(store, EngineStub())
    next_session = FrontDesk(context, clock=clock)
    qtbot.addWidget(next_session)
    next_session.show()
    assert not _restored(start_intake(qtbot, next_session))
