"""Issue 14, true authorship (docs/authorship.md): a session delivers only its own staff member's changes;
the ledger keeps the verified author and the delivering session."""

from __future__ import annotations

from collections.abc import Callable

from backend.settings import database_url
from tests.backend.desk import Desk
from tests.backend.ledger import deliveries
from tests.backend.server_process import ServerProcess

DeskFactory = Callable[[str], Desk]


def _customer(desk: Desk, name: str, phone: str, **extra: object) -> dict[str, object]:
    return desk.mutation("customer", "create", fields={"name": name, "phone": phone, "area_class": "urban"}, **extra)


def test_a_change_by_another_author_is_refused_and_never_applied(desk: DeskFactory, server: ServerProcess) -> None:
    clerk, hotline = desk("clerk_a"), desk("hotline_a")
    hers = _customer(clerk, "周九", "13900005555", author=hotline.session["staff"]["id"])
    (refused,) = clerk.push(hers)
    assert refused["status"] == "rejected" and refused["code"] == "author_mismatch"
    rows, _ = clerk.pull_all(f"office:{clerk.office}")
    assert ("customer", hers["entity_id"]) not in rows
    # Her own session delivers it (the same change, another desk's copy of it): applied under her name.
    (applied,) = hotline.push({**hers, "client_id": hotline.client_id})
    assert applied["status"] == "applied"
    (delivery,) = deliveries(database_url(server.db), [str(hers["mutation_id"])]).values()
    assert delivery.author == delivery.staff_id == delivery.session_staff_id == hotline.session["staff"]["id"]


def test_an_own_change_keeps_author_and_session_and_a_change_naming_none_its_deliverer(
    desk: DeskFactory, server: ServerProcess
) -> None:
    clerk = desk("clerk_a")
    me = clerk.session["staff"]["id"]
    own = _customer(clerk, "吴十", "13900006666", author=me)
    unnamed = _customer(clerk, "郑一", "13900007777")  # a desk of an older version names no author
    assert [r["status"] for r in clerk.push(own, unnamed)] == ["applied", "applied"]
    found = deliveries(database_url(server.db), [str(own["mutation_id"]), str(unnamed["mutation_id"])])
    mine, older = found[str(own["mutation_id"])], found[str(unnamed["mutation_id"])]
    assert (mine.author, mine.staff_id, mine.session_staff_id) == (me, me, me)
    assert (older.author, older.staff_id, older.session_staff_id) == (None, me, me)
    assert mine.session_id == older.session_id is not None
    # A replay of the authored change is answered from the ledger, unchanged.
    (again,) = clerk.push(own)
    assert again["status"] == "applied" and again["entity_id"] == own["entity_id"]
