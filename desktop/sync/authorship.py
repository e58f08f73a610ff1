"""Who made each change saved at this desk (docs/authorship.md): signing in names the author, signing out stops.

The store stamps every mutation with the signed-in staff id in the transaction that queues it; the sync
engine then pushes only that person's changes under their session, and others' changes wait for theirs.
"""

from __future__ import annotations

from typing import Any, Protocol

from desktop.sync.store_thread import run_in_store
from domain.masking import mask_name
from domain.records import Staff


class AuthorStore(Protocol):
    def sign_in_author(self, staff_id: str, label: str) -> None: ...

    def sign_out_author(self) -> None: ...

    def waiting_authors(self, author: str | None) -> list[tuple[str, int]]: ...


def author_label(staff: Staff) -> str:
    """How the next person at the desk is told whose changes wait: masked name and the user name to sign in with."""
    return f"{mask_name(staff.display_name)} ({staff.username})"


async def sign_in_author(store: AuthorStore, staff: dict[str, Any] | Staff) -> list[tuple[str, int]]:
    """Name `staff` the author of what is saved from now on; (who, count) of others' changes still waiting."""
    person = staff if isinstance(staff, Staff) else Staff.model_validate(staff)

    def stamp() -> list[tuple[str, int]]:
        store.sign_in_author(person.id, author_label(person))
        return store.waiting_authors(person.id)

    return await run_in_store(stamp)


async def sign_out_author(store: AuthorStore) -> None:
    await run_in_store(store.sign_out_author)
