"""Customer search as you type: exact keys by index, digit prefixes, and Chinese substring search via FTS5 trigram."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, select, text

from domain.errors import DomainError
from domain.identity import classify_query, validate_phone
from domain.masking import mask_phone, mask_resident_id
from local_store.base import StoreBase
from local_store.schema import ENTITY_TABLES

MatchedOn = Literal[
    "resident_id", "phone", "account_no", "ticket_number", "id_prefix", "phone_prefix", "account_prefix",
    "name", "address", "name_prefix",
]  # fmt: skip

_customer = ENTITY_TABLES["customer"]
_account = ENTITY_TABLES["account"]
_ticket = ENTITY_TABLES["ticket"]
_TOP = "\U0010ffff"  # sorts after every character: [p, p + _TOP) is "starts with p"
_TRIGRAM = 3
# How many FTS candidates are ranked per keystroke: bounds the work on very common substrings.
RANK_WINDOW = 400
_SEPARATORS = re.compile(r"[\s\-]")

_FTS_RANKED = text(
    "SELECT c.id AS id, c.name AS name, r.score AS score FROM ("
    " SELECT rowid AS rid, bm25(customer_fts, 10.0, 1.0) AS score FROM customer_fts"
    " WHERE customer_fts MATCH :match LIMIT :window"
    ") AS r JOIN customer AS c ON c.search_rowid = r.rid"
)


@dataclass(frozen=True)
class CustomerHit:
    customer_id: str
    name: str
    id_number_masked: str
    phone_masked: str
    address: str
    account_nos: tuple[str, ...]
    matched_on: MatchedOn


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _prefix(column: Any, prefix: str) -> Any:
    return (column >= prefix) & (column < prefix + _TOP)


class CustomerSearch(StoreBase):
    def search_customers(self, text: str, limit: int = 50) -> list[CustomerHit]:
        """Customers matching what a clerk typed, best first; never raises on odd input."""
        normalized = unicodedata.normalize("NFKC", text if isinstance(text, str) else "")
        # Control and format characters (NUL, zero-width...) never belong to a name, number or address.
        query = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in normalized).strip()
        if not query or limit <= 0:
            return []
        found: dict[str, MatchedOn] = {}
        with self._read() as connection:
            kind = classify_query(query)
            compact = _SEPARATORS.sub("", query).upper()
            if kind == "ticket_number":
                self._by_ticket_number(connection, re.sub(r"\s", "", query).upper(), found)
            elif kind == "resident_id":
                self._add(found, "resident_id", self._ids(connection, _customer.c.id_number == compact, limit))
            elif kind == "phone":
                self._add(found, "phone", self._ids(connection, _customer.c.phone == self._phone(compact), limit))
            elif kind == "account_no":
                self._add(found, "account_no", self._account_owners(connection, _account.c.account_no == query, limit))
            if kind in ("resident_id", "phone", "account_no", "digits") and len(found) < limit:
                self._digit_prefixes(connection, compact, found, limit)
            if kind == "text":
                self._text(connection, query, found, limit)
            return self._hits(connection, list(found.items())[:limit])

    # ---- exact keys and prefixes ----------------------------------------------------------------

    @staticmethod
    def _add(found: dict[str, MatchedOn], matched_on: MatchedOn, ids: Iterable[str]) -> None:
        for customer_id in ids:
            found.setdefault(customer_id, matched_on)

    @staticmethod
    def _phone(compact: str) -> str:
        try:
            return validate_phone(compact)
        except DomainError:
            return compact

    @staticmethod
    def _ids(connection: Connection, where: Any, limit: int) -> list[str]:
        return list(connection.execute(select(_customer.c.id).where(where).limit(limit)).scalars())

    @staticmethod
    def _account_owners(connection: Connection, where: Any, limit: int) -> list[str]:
        return list(connection.execute(select(_account.c.customer_id).where(where).limit(limit)).scalars())

    def _by_ticket_number(self, connection: Connection, number: str, found: dict[str, MatchedOn]) -> None:
        rows = connection.execute(
            select(_ticket.c.customer_id).where(
                (_ticket.c.number == number) | (_ticket.c.provisional_number == number),
                _ticket.c.customer_id.is_not(None),
            )
        ).scalars()
        self._add(found, "ticket_number", rows)

    def _digit_prefixes(self, connection: Connection, digits: str, found: dict[str, MatchedOn], limit: int) -> None:
        self._add(found, "id_prefix", self._ids(connection, _prefix(_customer.c.id_number, digits), limit))
        if len(found) < limit:
            self._add(found, "phone_prefix", self._ids(connection, _prefix(_customer.c.phone, digits), limit))
        if len(found) < limit:
            owners = self._account_owners(connection, _prefix(_account.c.account_no, digits), limit)
            self._add(found, "account_prefix", owners)

    # ---- names and addresses ----------------------------------------------------------------------

    def _text(self, connection: Connection, query: str, found: dict[str, MatchedOn], limit: int) -> None:
        terms = query.split()
        long_terms = [term for term in terms if len(term) >= _TRIGRAM]
        short_terms = [term for term in terms if len(term) < _TRIGRAM]
        if not long_terms:
            # Shorter than a trigram: exact name, then names starting with it (an index range, bounded).
            self._add(found, "name", self._ids(connection, _customer.c.name == query, limit))
            self._add(found, "name_prefix", self._ids(connection, _prefix(_customer.c.name, terms[0]), limit))
            return
        exact = query.replace(" ", "")
        self._add(found, "name", self._ids(connection, _customer.c.name == exact, limit))
        match = " AND ".join(_fts_phrase(term) for term in long_terms)
        rows = list(connection.execute(_FTS_RANKED, {"match": match, "window": RANK_WINDOW}))
        if short_terms:
            rows = [row for row in rows if all(term in row.name for term in short_terms)] or rows
        rows.sort(key=lambda row: (row.name != exact, not any(t in row.name for t in long_terms), row.score))
        for row in rows:
            found.setdefault(row.id, "name" if any(term in row.name for term in long_terms) else "address")

    def _hits(self, connection: Connection, ordered: list[tuple[str, MatchedOn]]) -> list[CustomerHit]:
        if not ordered:
            return []
        ids = [customer_id for customer_id, _ in ordered]
        columns = (_customer.c.id, _customer.c.name, _customer.c.id_number, _customer.c.phone, _customer.c.address)
        rows = {row.id: row for row in connection.execute(select(*columns).where(_customer.c.id.in_(ids)))}
        accounts: dict[str, list[str]] = {}
        account_rows = connection.execute(
            select(_account.c.customer_id, _account.c.account_no)
            .where(_account.c.customer_id.in_(ids))
            .order_by(_account.c.account_no)
        )
        for customer_id, account_no in account_rows:
            accounts.setdefault(customer_id, []).append(account_no)
        return [
            CustomerHit(
                customer_id=customer_id,
                name=rows[customer_id].name,
                id_number_masked=mask_resident_id(rows[customer_id].id_number),
                phone_masked=mask_phone(rows[customer_id].phone),
                address=rows[customer_id].address or "",
                account_nos=tuple(accounts.get(customer_id, ())),
                matched_on=matched_on,
            )
            for customer_id, matched_on in ordered
            if customer_id in rows
        ]
