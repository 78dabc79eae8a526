"""The ledger remembers: one tamper-evident, append-only record of every event."""

from medshield.ledger.events import DataObject, Event

__all__ = ["DataObject", "Event"]
