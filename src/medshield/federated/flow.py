"""The request flow: write against mock data, get approval, run on the nodes, release with noise.

1. ``submit``: the researcher's template runs on synthetic mock databases (no budget, no real
   data) and the request is recorded (``federated.request.submit``).
2. the data owners of every node and the committee approve (``ApprovalGate``);
3. ``run``: refused without every approval or with the budget spent; otherwise the hub collects
   the masked shares of all nodes,
4. and the noised result is released and recorded (``federated.release``, with its epsilon).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from medshield.errors import ApprovalMissingError, InputError
from medshield.federated.approvals import ApprovalGate
from medshield.federated.budget import RELEASE, PrivacyBudget
from medshield.federated.hub import Aggregate, Hub, new_id
from medshield.federated.kinds import Release, kind_of
from medshield.federated.local import LocalDatabase
from medshield.ledger import Event, Ledger

SUBMIT = "federated.request.submit"


class FederatedRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(default_factory=lambda: new_id("req"))
    requester: str
    template: str
    purpose: str = ""


@dataclass(frozen=True)
class Outcome:
    request: FederatedRequest
    release: Release
    aggregate: Aggregate  # what the hub saw


class RequestFlow:
    def __init__(self, hub: Hub, ledger: Ledger, gate: ApprovalGate) -> None:
        self.hub = hub
        self.ledger = ledger
        self.gate = gate
        federated = hub.bundle.federated
        self.budget = PrivacyBudget(ledger, federated.budget, hub.bundle.version)

    def submit(self, request: FederatedRequest, mock: Sequence[LocalDatabase]) -> Release:
        """Record the request; answer it on the mock databases so the researcher can check it."""
        template = self.hub.template(request.template)
        kind = kind_of(template.kind)
        totals = [kind.measure(template, db) for db in mock]
        total = [sum(col) for col in zip(*totals, strict=True)]
        preview = kind.release(template, total, self.hub.bundle.federated.confidence)
        self.ledger.append(
            Event(
                action=SUBMIT,
                actor=request.requester,
                policy_version=self.hub.bundle.version,
                detail={
                    "request_id": request.id,
                    "template": template.key,
                    "purpose": request.purpose,
                    "mock_databases": len(mock),
                },
            )
        )
        return preview

    def find(self, request_id: str) -> FederatedRequest:
        for record in self.ledger.records(action_prefix=SUBMIT):
            d = record.event.detail
            if d.get("request_id") == request_id:
                return FederatedRequest(
                    id=request_id,
                    requester=record.event.actor,
                    template=str(d["template"]),
                    purpose=str(d.get("purpose", "")),
                )
        raise InputError(f"no submitted request {request_id!r}", where="request")

    def run(self, request_id: str) -> Outcome:
        request = self.find(request_id)
        template = self.hub.template(request.template)
        missing = self.gate.missing(request.id, self.hub.registry.ids)
        if missing:
            raise ApprovalMissingError(
                f"request {request.id} awaits approval of {', '.join(missing)}", where=request.id
            )
        self.budget.check(request.requester, template.epsilon, request_id=request.id)
        aggregate = self.hub.collect(template.key, request.requester)
        release = kind_of(template.kind).release(
            template, aggregate.total, self.hub.bundle.federated.confidence
        )
        self.ledger.append(
            Event(
                action=RELEASE,
                actor=request.requester,
                outcome="allow",
                policy_version=self.hub.bundle.version,
                detail={
                    "request_id": request.id,
                    "query_id": aggregate.query_id,
                    "template": template.key,
                    "epsilon": template.epsilon,
                    "nodes": list(self.hub.registry.ids),
                    "released": release.model_dump(mode="json"),
                },
            )
        )
        return Outcome(request, release, aggregate)
