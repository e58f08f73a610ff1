"""Customer search as you type: a table model over `store.search_customers`, debounced, latest query wins.

The debounce decides when the rows change (not at every keystroke, so the list does not flicker while a
clerk types), not when the store is asked: each keystroke's query already runs on the store thread while
the pause is being waited out (one at a time, the latest text next), so when the pause ends its rows are
usually there and the model shows them at once, instead of starting a round trip to the store thread then.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from desktop.display import plain_tooltip
from desktop.frontdesk import labels
from desktop.operations import Operation
from domain.masking import mask_customer_name
from local_store import CustomerHit, Store

Index = QModelIndex | QPersistentModelIndex
DEBOUNCE_MS = 120
RESULT_LIMIT = 50
"""Rows a search shows at most; one more is asked for, so the panel can say the list was cut."""


class CustomerSearchModel(QAbstractTableModel):
    """Rows are CustomerHits, personal data masked; a newer query's results always replace an older one's."""

    NAME, ID_NUMBER, PHONE, ACCOUNTS, ADDRESS, MATCHED_ON = range(6)
    HitRole = Qt.ItemDataRole.UserRole + 1
    CustomerIdRole = Qt.ItemDataRole.UserRole + 2

    _ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, HitRole, CustomerIdRole})

    # the query whose results are now shown, and how many rows it gave
    resultsReady = Signal(str, int)

    def __init__(self, store: Store, parent: QObject | None = None, *, debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self._store = store
        self._hits: list[CustomerHit] = []
        self._texts: list[tuple[str, ...]] = []  # each row's cells, made once per result (the view asks often)
        self._generation = 0
        self._pending_text = ""
        self._query = ""
        self.capped = False  # more customers matched than the rows show
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse timer may end the pause 5 % late
        self._debounce.setInterval(debounce_ms)
        self._debounce.timeout.connect(self._run_pending)
        # Queries run ahead of the debounce: (text, generation) in flight, the next one typed meanwhile, and
        # the last one's rows. Rows are shown only for the generation they were asked at (nothing typed since).
        self._ahead_running: tuple[str, int] | None = None
        self._ahead_next: tuple[str, int] | None = None
        self._ahead: tuple[str, int, list[CustomerHit]] | None = None
        self._waiting_ahead = False  # the pause ended while its query was still running

    # ---- queries ----------------------------------------------------------------------------------

    @property
    def query(self) -> str:
        """The query whose results the rows show."""
        return self._query

    def search(self, text: str) -> None:
        """Search after a short pause in typing."""
        self._pending_text = text
        self._generation += 1  # results of anything typed earlier are stale from now on
        if not text.strip():
            self._debounce.stop()
            self._show("", [], self._generation)
            return
        self._debounce.start()
        self._run_ahead(text, self._generation)

    def search_now(self, text: str) -> None:
        """Search at once, with a fresh query (Enter before the rows came)."""
        self._debounce.stop()
        self._pending_text = text
        self._generation += 1
        self._ask(text, self._generation)

    def stop(self) -> None:
        """Forget what was typed and not searched yet (the screen is going)."""
        self._debounce.stop()
        self._generation += 1  # a search already on its way shows nothing
        self._ahead = self._ahead_next = None
        self._waiting_ahead = False

    def is_pending(self) -> bool:
        return self._debounce.isActive() or self._pending_text != self._query

    def _run_pending(self) -> None:
        """The pause in typing ended: show the rows of the text in the box (usually already fetched)."""
        text = self._pending_text
        generation = self._generation
        if not text.strip():
            self._show("", [], generation)
            return
        ahead = self._ahead
        if ahead is not None and ahead[:2] == (text, generation):
            self._ahead = None
            self._show(text, ahead[2], generation)
        elif self._ahead_running == (text, generation):
            self._waiting_ahead = True  # its rows are shown when they come
        else:
            self._ask(text, generation)

    def _ask(self, text: str, generation: int) -> None:
        if not text.strip():
            self._show("", [], generation)
            return
        if self._ahead_next is not None and self._ahead_next[0] == text:
            self._ahead_next = None  # asked here: not ahead as well
        store = self._store
        Operation(self, lambda: store.search_customers(text, limit=RESULT_LIMIT + 1)).success(
            lambda hits: self._show(text, hits, generation)
        ).run()

    def _run_ahead(self, text: str, generation: int) -> None:
        """Ask the store for `text` now, while the pause is waited out; one query at a time, the latest next."""
        if self._ahead_running is not None:
            self._ahead_next = (text, generation)
            return
        self._ahead_running = (text, generation)
        store = self._store
        Operation(self, lambda: store.search_customers(text, limit=RESULT_LIMIT + 1)).success(
            lambda hits: self._ahead_done(text, generation, hits)
        ).failure(lambda _exc: self._ahead_done(text, generation, None)).run()

    def _ahead_done(self, text: str, generation: int, hits: list[CustomerHit] | None) -> None:
        self._ahead_running = None
        waiting, self._waiting_ahead = self._waiting_ahead, False
        current = generation == self._generation
        self._ahead = (text, generation, hits) if hits is not None and current else None
        if waiting and current:
            if hits is not None:
                self._ahead = None
                self._show(text, hits, generation)
            else:
                self._ask(text, generation)  # it failed ahead: asked again, its failure is reported
        following, self._ahead_next = self._ahead_next, None
        if following is not None and following[1] == self._generation:  # still what the box holds
            self._run_ahead(*following)

    def _show(self, text: str, hits: list[CustomerHit], generation: int) -> None:
        if generation != self._generation:
            return  # a later keystroke has asked for something else
        self.beginResetModel()
        self.capped = len(hits) > RESULT_LIMIT
        self._hits = list(hits[:RESULT_LIMIT])
        self._texts = [tuple(self._text(hit, column) for column in range(6)) for hit in self._hits]
        self._query = text
        self.endResetModel()
        self.resultsReady.emit(text, len(self._hits))

    def hit(self, row: int) -> CustomerHit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    # ---- the model ----------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 6

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The view asks each cell for a handful of roles at every reset (its columns fit their contents):
        # the roles shown here are answered from the cells made in `_show`, every other one at once.
        if role not in self._ROLES or not index.isValid():
            return None
        row = index.row()
        if not 0 <= row < len(self._hits):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            return self._texts[row][column] if 0 <= column < 6 else ""
        if role == self.CustomerIdRole:
            return self._hits[row].customer_id
        if role == self.HitRole:
            return self._hits[row]
        column = index.column()
        return plain_tooltip(self._texts[row][column] if 0 <= column < 6 else "")  # an address may look like HTML

    def _text(self, hit: Any, column: int) -> str:
        if column == self.NAME:
            return mask_customer_name(hit.name, hit.id_type)
        if column == self.ID_NUMBER:
            return hit.id_number_masked or ""
        if column == self.PHONE:
            return hit.phone_masked or ""
        if column == self.ACCOUNTS:
            return "、".join(hit.account_nos)
        if column == self.ADDRESS:
            return hit.address or ""
        if column == self.MATCHED_ON:
            return labels.matched_on_name(hit.matched_on)
        return ""

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = (
            self.tr("姓名"), self.tr("证件号码"), self.tr("电话"), self.tr("户号"), self.tr("地址"), self.tr("匹配项"),
        )  # fmt: skip
        return titles[section] if 0 <= section < len(titles) else None
