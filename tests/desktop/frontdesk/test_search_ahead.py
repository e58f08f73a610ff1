"""Search as you type asks the store while the pause in typing is waited out: when the pause ends, the rows
of the text in the box are shown at once; rows fetched for an earlier text (or an earlier typing of the
same text) are never shown for a later one, and only one query runs ahead at a time."""

from __future__ import annotations

from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop.frontdesk.search import CustomerSearchModel
from local_store import Store
from tests.desktop.support import OFFSCREEN_NOISE

pytestmark = OFFSCREEN_NOISE

LONG_PAUSE_MS = 600_000  # the pause never ends by itself: the test ends it (`end_pause`)


class Asked:
    """Records every text the model asks the real store for (the store answers as usual)."""

    def __init__(self, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
        self.texts: list[str] = []
        search = store.search_customers

        def recorded(text: str, limit: int = 50) -> Any:
            self.texts.append(text)
            return search(text, limit)

        monkeypatch.setattr(store, "search_customers", recorded)


@pytest.fixture
def model(qtbot: QtBot, store: Store) -> CustomerSearchModel:
    return CustomerSearchModel(store, debounce_ms=LONG_PAUSE_MS)


def end_pause(model: CustomerSearchModel) -> None:
    """The pause in typing ran out (the debounce timer's timeout, as Qt would fire it)."""
    model._debounce.stop()
    model._debounce.timeout.emit()


def test_the_rows_are_fetched_during_the_pause_and_shown_when_it_ends(
    qtbot: QtBot, store: Store, model: CustomerSearchModel, monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = Asked(store, monkeypatch)
    model.search("李建国")
    qtbot.waitUntil(lambda: model._ahead is not None)  # the store answered while the pause runs
    assert asked.texts == ["李建国"] and model.query == "" and model.rowCount() == 0
    end_pause(model)
    assert model.query == "李建国" and model.rowCount() == 1  # at once: no second trip to the store
    assert model.data(model.index(0, 0), CustomerSearchModel.CustomerIdRole) == "cust-2"
    assert asked.texts == ["李建国"]


def test_rows_of_an_earlier_keystroke_are_never_shown_for_a_later_one(
    qtbot: QtBot, store: Store, model: CustomerSearchModel, monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = Asked(store, monkeypatch)
    model.search("李建")
    model.search("李建国")  # typed while the first query runs: it is asked next, not alongside
    assert model._ahead_running is not None and model._ahead_running[0] == "李建"
    qtbot.waitUntil(lambda: model._ahead is not None)
    assert asked.texts == ["李建", "李建国"]
    end_pause(model)
    assert model.query == "李建国" and model.rowCount() == 1


def test_the_same_text_typed_again_is_asked_again(
    qtbot: QtBot, store: Store, model: CustomerSearchModel, monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = Asked(store, monkeypatch)
    model.search("李建国")
    qtbot.waitUntil(lambda: model._ahead is not None)
    model.search("")  # cleared, then the same name typed again: the earlier rows may be stale now
    model.search("李建国")
    shown: list[str] = []
    model.resultsReady.connect(lambda text, _n: shown.append(text))
    end_pause(model)
    qtbot.waitUntil(lambda: shown == ["李建国"])
    assert asked.texts == ["李建国", "李建国"]
    assert model.rowCount() == 1


def test_the_pause_ending_before_the_query_waits_for_it_and_asks_nothing_more(
    qtbot: QtBot, store: Store, model: CustomerSearchModel, monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = Asked(store, monkeypatch)
    shown: list[str] = []
    model.resultsReady.connect(lambda text, _n: shown.append(text))
    model.search("13900000001")
    end_pause(model)  # before the store thread answered
    qtbot.waitUntil(lambda: shown == ["13900000001"])
    assert asked.texts == ["13900000001"] and model.rowCount() == 1


def test_search_now_asks_afresh(
    qtbot: QtBot, store: Store, model: CustomerSearchModel, monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = Asked(store, monkeypatch)
    model.search("李建国")
    qtbot.waitUntil(lambda: model._ahead is not None)
    model.search_now("李建国")  # Enter: a fresh answer, not the one fetched ahead
    qtbot.waitUntil(lambda: model.query == "李建国")
    assert asked.texts == ["李建国", "李建国"]
