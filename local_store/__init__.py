"""The desk's encrypted offline store: SQLCipher + SQLAlchemy, outbox, sync state, customer search.

Never imports Qt or httpx. The contract with the sync engine is in local_store/README.md.
"""

from local_store.attachments import AttachmentInfo, PendingAttachment
from local_store.errors import KeyringUnavailable, StoreError, StoreLocked
from local_store.keys import key_from_passphrase, load_or_create_store_key, passphrase_store_key
from local_store.queue import ACTIVE_TASK_STATES, OPEN_TICKET_STATES, TicketFilters
from local_store.reading import ConflictEntry, TimelineEntry
from local_store.search import CustomerHit
from local_store.store import Store

open_store = Store.open

__all__ = [
    "ACTIVE_TASK_STATES",
    "OPEN_TICKET_STATES",
    "AttachmentInfo",
    "PendingAttachment",
    "ConflictEntry",
    "CustomerHit",
    "KeyringUnavailable",
    "Store",
    "StoreError",
    "StoreLocked",
    "TicketFilters",
    "TimelineEntry",
    "key_from_passphrase",
    "load_or_create_store_key",
    "open_store",
    "passphrase_store_key",
]
