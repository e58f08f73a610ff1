"""Customer search as you type: exact keys by index, digit prefixes, and Chinese substring search via FTS5 trigram.

This is the hottest read path of the desk (one call per keystroke on a 1M-customer store), so it talks
to the pooled DB-API connection with fixed SQL instead of building SQLAlchemy statements.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

from domain.errors import DomainError
from domain.identity import classify_query, validate_phone
from domain.masking import mask_phone, mask_resident_id
from local_store.base import StoreBase

MatchedOn = Literal[
    "resident_id", "phone", "account_no", "ticket_number", "id_prefix", "phone_prefix", "account_prefix",
    "name", "address", "name_prefix",
]  # fmt: skip

_TOP = "\U0010ffff"  # sorts after every character: [p, p + _TOP) is "starts with p"
_TRIGRAM = 3
# How many FTS candidates are ranked per keystroke: bounds the work on very common substrings.
RANK_WINDOW = 200
_SEPARATORS = re.compile(r"[\s\-]")
_WHITESPACE = re.compile(r"\s")

_HIT = "c.id, c.name, c.id_number, c.phone, c.address"
_CUSTOMER_WHERE = f"SELECT {_HIT} FROM customer AS c WHERE {{}} LIMIT ?"
_BY_ACCOUNT = f"SELECT {_HIT} FROM account AS a JOIN customer AS c ON c.id = a.customer_id WHERE {{}} LIMIT ?"
_BY_TICKET = (
    f"SELECT {_HIT} FROM ticket AS t JOIN customer AS c ON c.id = t.customer_id"
    " WHERE t.number = ? OR t.provisional_number = ? LIMIT ?"
)
_FTS_COUNT = "SELECT count(*) FROM (SELECT rowid FROM customer_fts WHERE customer_fts MATCH ? LIMIT ?)"
# Selective text: bm25 over all matches (few), names weigh ten times addresses.
_FTS_RANKED = (
    f"SELECT {_HIT}, r.score FROM ("
    " SELECT rid, score FROM ("
    "  SELECT rowid AS rid, bm25(customer_fts, 10.0, 1.0) AS score FROM customer_fts"
    "  WHERE customer_fts MATCH ? LIMIT ?"
    " ) ORDER BY score LIMIT ?"
    ") AS r JOIN customer AS c ON c.search_rowid = r.rid ORDER BY r.score"
)
# Common text (e.g. the prefecture's name heading every address): bm25 would have to count every match
# for its IDF, so a bounded window is ranked by "name contains it", then the shortest name and address.
_FTS_WINDOW = (
    f"SELECT {_HIT}, 0.0 FROM customer AS c WHERE c.search_rowid IN ("
    " SELECT rowid FROM customer_fts WHERE customer_fts MATCH ? LIMIT ?"
    ") ORDER BY instr(c.name, ?) = 0, length(c.name), length(c.address) LIMIT ?"
)

Row = tuple[Any, ...]


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


def _clean(text: object) -> str:
    normalized = unicodedata.normalize("NFKC", text if isinstance(text, str) else "")
    # Control and format characters (NUL, zero-width...) never belong to a name, number or address.
    return "".join(" " if unicodedata.category(c)[0] == "C" else c for c in normalized).strip()


def _phone(compact: str) -> str:
    try:
        return validate_phone(compact)
    except DomainError:
        return compact


class _Found:
    """Hits in rank order, first match of each customer wins, up to `limit`."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.rows: dict[str, tuple[Row, MatchedOn]] = {}

    @property
    def full(self) -> bool:
        return len(self.rows) >= self.limit

    def add(self, matched_on: MatchedOn, rows: list[Row]) -> None:
        for row in rows:
            if self.full:
                return
            self.rows.setdefault(row[0], (row, matched_on))


class CustomerSearch(StoreBase):
    def search_customers(self, text: str, limit: int = 50) -> list[CustomerHit]:
        """Customers matching what a clerk typed, best first; never raises on odd input."""
        query = _clean(text)
        if not query or limit <= 0:
            return []
        found = _Found(limit)
        kind = classify_query(query)
        compact = _SEPARATORS.sub("", query).upper()
        with self._raw() as db:
            if kind == "ticket_number":
                number = _WHITESPACE.sub("", query).upper()
                found.add("ticket_number", db.execute(_BY_TICKET, (number, number, limit)).fetchall())
            elif kind == "resident_id":
                found.add("resident_id", self._customers(db, "c.id_number = ?", compact, limit))
            elif kind == "phone":
                found.add("phone", self._customers(db, "c.phone = ?", _phone(compact), limit))
            elif kind == "account_no":
                found.add("account_no", db.execute(_BY_ACCOUNT.format("a.account_no = ?"), (query, limit)).fetchall())
            if kind in ("resident_id", "phone", "account_no", "digits"):
                self._digit_prefixes(db, compact, found)
            if kind == "text":
                self._text(db, query, found)
            return self._hits(db, found)

    @staticmethod
    def _customers(db: Any, where: str, value: str, limit: int) -> list[Row]:
        return db.execute(_CUSTOMER_WHERE.format(where), (value, limit)).fetchall()

    @staticmethod
    def _prefix_rows(db: Any, template: str, column: str, prefix: str, limit: int) -> list[Row]:
        return db.execute(template.format(f"{column} >= ? AND {column} < ?"), (prefix, prefix + _TOP, limit)).fetchall()

    def _digit_prefixes(self, db: Any, digits: str, found: _Found) -> None:
        for matched_on, template, column in (
            ("id_prefix", _CUSTOMER_WHERE, "c.id_number"),
            ("phone_prefix", _CUSTOMER_WHERE, "c.phone"),
            ("account_prefix", _BY_ACCOUNT, "a.account_no"),
        ):
            if found.full:
                return
            found.add(matched_on, self._prefix_rows(db, template, column, digits, found.limit))  # type: ignore[arg-type]

    def _text(self, db: Any, query: str, found: _Found) -> None:
        terms = query.split()
        long_terms = [term for term in terms if len(term) >= _TRIGRAM]
        short_terms = [term for term in terms if len(term) < _TRIGRAM]
        exact = "".join(terms)
        found.add("name", self._customers(db, "c.name = ?", exact, found.limit))
        if not long_terms:
            # Shorter than a trigram: names starting with it (an index range, bounded).
            found.add("name_prefix", self._prefix_rows(db, _CUSTOMER_WHERE, "c.name", terms[0], found.limit))
            return
        match = " AND ".join(_fts_phrase(term) for term in long_terms)
        keep = RANK_WINDOW if short_terms else found.limit
        if db.execute(_FTS_COUNT, (match, RANK_WINDOW + 1)).fetchone()[0] <= RANK_WINDOW:
            rows = db.execute(_FTS_RANKED, (match, RANK_WINDOW, keep)).fetchall()
        else:
            rows = db.execute(_FTS_WINDOW, (match, RANK_WINDOW, long_terms[0], keep)).fetchall()
        if short_terms:
            narrowed = [row for row in rows if all(term in row[1] or term in row[4] for term in short_terms)]
            rows = narrowed
        for row in rows:
            if found.full:
                return
            found.add("name" if any(term in row[1] for term in long_terms) else "address", [row[:5]])

    @staticmethod
    def _hits(db: Any, found: _Found) -> list[CustomerHit]:
        if not found.rows:
            return []
        ids = list(found.rows)
        accounts: dict[str, list[str]] = {}
        placeholders = ", ".join("?" * len(ids))
        account_rows = db.execute(
            f"SELECT customer_id, account_no FROM account WHERE customer_id IN ({placeholders})"
            " ORDER BY account_no",
            ids,
        )
        for customer_id, account_no in account_rows:
            accounts.setdefault(customer_id, []).append(account_no)
        return [
            CustomerHit(
                customer_id=row[0],
                name=row[1],
                id_number_masked=mask_resident_id(row[2]),
                phone_masked=mask_phone(row[3]),
                address=row[4] or "",
                account_nos=tuple(accounts.get(row[0], ())),
                matched_on=matched_on,
            )
            for row, matched_on in found.rows.values()
        ]
