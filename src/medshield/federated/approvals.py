"""Approval of a federated request by the data owners and the committee.

``ApprovalGate`` is the one interface the request flow uses. ``LedgerApprovals`` records each
approval as a ``federated.request.approve`` event in the hub's ledger and reads them back; the
governance approval workflow can take its place behind the same two methods.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol

from medshield.errors import InputError
from medshield.ledger import Event, Ledger

APPROVE = "federated.request.approve"
Role = Literal["owner", "committee"]


class ApprovalGate(Protocol):
    def approve(
        self, request_id: str, approver: str, role: Role, institution: str | None = None
    ) -> None: ...

    def missing(self, request_id: str, owners: Sequence[str]) -> list[str]:
        """Who still has to approve: ``owner:<institution>`` and ``committee:<member>``."""
        ...


class LedgerApprovals:
    def __init__(self, ledger: Ledger, committee: Sequence[str]) -> None:
        self.ledger = ledger
        self.committee = tuple(committee)

    def approve(
        self, request_id: str, approver: str, role: Role, institution: str | None = None
    ) -> None:
        if role == "owner" and not institution:
            raise InputError("an owner approves for an institution", where="--institution")
        if role == "committee" and approver not in self.committee:
            raise InputError(
                f"{approver!r} is not on the committee ({', '.join(self.committee)})",
                where="--approver",
            )
        self.ledger.append(
            Event(
                action=APPROVE,
                actor=approver,
                institution=institution,
                outcome="allow",
                detail={"request_id": request_id, "role": role},
            )
        )

    def missing(self, request_id: str, owners: Sequence[str]) -> list[str]:
        given: set[str] = set()
        for record in self.ledger.records(action_prefix=APPROVE):
            event = record.event
            if event.detail.get("request_id") != request_id:
                continue
            if event.detail.get("role") == "owner":
                given.add(f"owner:{event.institution}")
            else:
                given.add(f"committee:{event.actor}")
        needed = [f"owner:{o}" for o in owners] + [f"committee:{c}" for c in self.committee]
        return [n for n in needed if n not in given]
