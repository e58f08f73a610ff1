"""Bulk seeding: one transaction, but a new seq every chunk, so pull pages stay bounded."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from backend.bulk import bulk_insert
from backend.db.engine import open_database
from backend.db.migrate import upgrade
from backend.settings import database_url
from backend.sync import pull
from domain.records import Customer, Office
from domain.sync import combine, format_checksum, row_hash

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def test_a_large_seed_arrives_in_bounded_pages(tmp_path: Path) -> None:
    url = database_url(str(tmp_path / "bulk.db"))
    upgrade(url)
    database = open_database(url)
    try:
        records = [Customer(id=f"c-{i:03d}", office_id="o", name=f"客户{i}") for i in range(7)]
        records.insert(3, Office(id="o", office_id="o", code="o", name="o", prefecture=""))
        with database.write() as session:
            assert bulk_insert(session, records, NOW, batch=3) == 8
        pages, cursor = [], 0
        while True:
            page = pull.pull(database, "office:o", cursor, 3)
            pages.append(page)
            cursor = page["cursor"]
            if not page["has_more"]:
                break
    finally:
        database.dispose()
    assert [len(p["changes"]) for p in pages] == [3, 3, 2]
    assert pages[0]["changes"][0]["entity"] == "office"  # parents first, whatever order they came in
    seqs = [{c["seq"] for c in p["changes"]} for p in pages]
    assert all(len(s) == 1 for s in seqs) and len(set.union(*seqs)) == 3
    total = 0
    for change in (c for p in pages for c in p["changes"]):
        total = combine(total, add=row_hash(change["entity"], change["id"], 1))
    assert (pages[-1]["checksum"], pages[-1]["count"]) == (format_checksum(total), 8)
