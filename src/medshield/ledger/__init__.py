"""The ledger remembers: one tamper-evident, append-only record of every event.

from medshield.ledger import Event, DataObject, open_ledger

ledger = open_ledger()                      # the platform store
receipt = ledger.append(Event(action="api.call", actor="u1"))
for record in ledger.records(action_prefix="api."):
    ...
assert ledger.verify().ok
"""

from medshield.ledger.events import DataObject, Event
from medshield.ledger.ledger import Ledger
from medshield.ledger.open import open_ledger
from medshield.ledger.records import Checkpoint, LedgerRecord, RawRecord, Receipt, VerifyReport

__all__ = [
    "Checkpoint",
    "DataObject",
    "Event",
    "Ledger",
    "LedgerRecord",
    "RawRecord",
    "Receipt",
    "VerifyReport",
    "open_ledger",
]
