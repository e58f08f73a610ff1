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
from local_store import search_stats
from local_store.base import StoreBase
from local_store.replay import driver

MatchedOn = Literal[
    "resident_id", "phone", "account_no", "ticket_number", "id_prefix", "phone_prefix", "account_prefix",
    "name", "address", "name_prefix",
]  # fmt: skip

_TOP = "\U0010ffff"  # sorts after every character: [p, p + _TOP) is "starts with p"
_TRIGRAM = 3
# How many verified FTS matches are ranked per keystroke: bounds the work on very common substrings.
RANK_WINDOW = 200
# A query MATCHes at most this many of its trigrams, the rarest ones; instr() then checks the whole text.
MATCHED_TRIGRAMS = 3
_SEPARATORS = re.compile(r"[\s\-]")
_WHITESPACE = re.compile(r"\s")

_HIT = "c.id, c.name, c.id_number, c.phone, c.address, c.office_id, c.id_type"
_CUSTOMER_WHERE = f"SELECT {_HIT} FROM customer AS c WHERE {{}} LIMIT ?"
_BY_ACCOUNT = f"SELECT {_HIT} FROM account AS a JOIN customer AS c ON c.id = a.customer_id WHERE {{}} LIMIT ?"
_BY_TICKET = (
    f"SELECT {_HIT} FROM ticket AS t JOIN customer AS c ON c.id = t.customer_id"
    " WHERE t.number = ? OR t.provisional_number = ? LIMIT ?"
)
# Candidates of the rarest trigrams, each verified against every term, in rowid order (CROSS JOIN: FTS drives).
_FTS_VERIFIED = (
    f"SELECT {_HIT}, c.search_rowid FROM customer_fts AS f CROSS JOIN customer AS c ON c.search_rowid = f.rowid"
    " WHERE customer_fts MATCH ? AND {} LIMIT ?"
)
_TERM_FOUND = "(instr(lower(c.name), ?) > 0 OR instr(lower(coalesce(c.address, '')), ?) > 0)"

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
    id_type: str = "resident"  # an organisation's name (credit_code) is shown whole


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
    """Hits in rank order, first match of each customer wins, up to `limit`; only customers of `offices`
    (the signed-in session's) when given."""

    def __init__(self, limit: int, offices: frozenset[str] | None = None) -> None:
        self.limit = limit
        self.offices = offices
        self.rows: dict[str, tuple[Row, MatchedOn]] = {}

    @property
    def full(self) -> bool:
        return len(self.rows) >= self.limit

    def add(self, matched_on: MatchedOn, rows: list[Row]) -> None:
        for row in rows:
            if self.full:
                return
            if self.offices is None or row[5] in self.offices:
                self.rows.setdefault(row[0], (row, matched_on))


def _ascii_lower(text: str) -> str:
    """Lower-case ASCII only, as SQLite's lower() does (CJK has no case)."""
    return text.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _rank(row: Row, primary: str) -> tuple[Any, ...]:
    name, address = _ascii_lower(row[1]), _ascii_lower(row[4] or "")
    return (primary not in name, not name.startswith(primary), not address.startswith(primary), len(name),
            len(address), row[7])


class CustomerSearch(StoreBase):
    _trigram_cache: tuple[str | None, dict[str, int]] | None = None

    def search_customers(self, text: str, limit: int = 50) -> list[CustomerHit]:
        """Customers matching what a clerk typed, best first; never raises on odd input."""
        query = _clean(text)
        if not query or limit <= 0:
            return []
        found = _Found(limit, self._session_offices)
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
        exact = "".join(terms)
        found.add("name", self._customers(db, "c.name = ?", exact, found.limit))
        if not long_terms:
            # Shorter than a trigram: names starting with it (an index range, bounded).
            found.add("name_prefix", self._prefix_rows(db, _CUSTOMER_WHERE, "c.name", terms[0], found.limit))
            return
        if len(terms) == 1:
            found.add("name", self._prefix_rows(db, _CUSTOMER_WHERE, "c.name", exact, found.limit))
        if found.full:
            return
        folded = [_ascii_lower(term) for term in terms]
        match = " AND ".join(_fts_phrase(term) for term in self._rarest_trigrams(db, long_terms))
        sql = _FTS_VERIFIED.format(" AND ".join([_TERM_FOUND] * len(folded)))
        parameters = [match, *(term for term in folded for _ in range(2)), RANK_WINDOW]
        rows = db.execute(sql, parameters).fetchall()
        # Cheap ranking: names containing the text first, then names and addresses starting with it, then short.
        primary = _ascii_lower(long_terms[0])
        rows.sort(key=lambda row: _rank(row, primary))
        for row in rows:
            if found.full:
                return
            name = _ascii_lower(row[1])
            found.add("name" if any(term in name for term in folded if len(term) >= _TRIGRAM) else "address", [row[:7]])

    def _rarest_trigrams(self, db: Any, terms: list[str]) -> list[str]:
        docs = self._trigram_docs(db)
        # (count, term, start) of every trigram; unknown trigrams are rare ones (only common ones are counted).
        ranked = sorted(
            (docs.get(term[i : i + _TRIGRAM].lower(), 0), n, i)
            for n, term in enumerate(terms)
            for i in range(len(term) - _TRIGRAM + 1)
        )
        chosen: list[tuple[int, int]] = []
        # Overlapping trigrams mostly repeat each other's information: prefer ones that do not overlap.
        for _, n, i in ranked:
            if len(chosen) < MATCHED_TRIGRAMS and all(n != m or abs(i - j) >= _TRIGRAM for m, j in chosen):
                chosen.append((n, i))
        for _, n, i in ranked:
            if len(chosen) < MATCHED_TRIGRAMS and (n, i) not in chosen:
                chosen.append((n, i))
        return list(dict.fromkeys(terms[n][i : i + _TRIGRAM] for n, i in chosen))

    def _trigram_docs(self, db: Any) -> dict[str, int]:
        """The trigram counts, reloaded when another write refreshed them (one small read per keystroke)."""
        marker = search_stats.marker(db)
        cached = self._trigram_cache
        if cached is None or cached[0] != marker:
            cached = (marker, search_stats.load(db))
            self._trigram_cache = cached
        return cached[1]

    def refresh_search_statistics(self) -> None:
        """Recount trigram frequencies now (after a bulk load; pulls do it by themselves as the store grows)."""
        with self._write() as connection:
            search_stats.refresh(driver(connection))

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
                id_type=row[6] or "resident",
            )
            for row, matched_on in found.rows.values()
        ]
