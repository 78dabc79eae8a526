"""Privacy budgets per requester, kept in the hub's ledger.

What a requester has spent is the sum of the epsilons of their ``federated.release`` events, so
the account survives restarts and cannot be edited without breaking the chain. A request that
would overspend is refused, and the refusal is a risk signal (``risk.signal``, outcome alert).
"""

from __future__ import annotations

from medshield.errors import PrivacyBudgetExhaustedError
from medshield.ledger import Event, Ledger
from medshield.policy.federated import BudgetDef

RELEASE = "federated.release"
RISK_SIGNAL = "risk.signal"


class PrivacyBudget:
    def __init__(
        self, ledger: Ledger, policy: BudgetDef, policy_version: str | None = None
    ) -> None:
        self.ledger = ledger
        self.policy = policy
        self.policy_version = policy_version

    def spent(self, requester: str) -> float:
        return sum(
            float(r.event.detail.get("epsilon", 0.0))
            for r in self.ledger.records(action_prefix=RELEASE)
            if r.event.action == RELEASE and r.event.actor == requester
        )

    def remaining(self, requester: str) -> float:
        return max(0.0, self.policy.limit(requester) - self.spent(requester))

    def check(self, requester: str, epsilon: float, *, request_id: str) -> None:
        """Refuse, and signal the risk, when ``epsilon`` more would pass the requester's limit."""
        limit, spent = self.policy.limit(requester), self.spent(requester)
        if spent + epsilon <= limit + 1e-9:
            return
        self.ledger.append(
            Event(
                action=RISK_SIGNAL,
                actor=requester,
                outcome="alert",
                policy_version=self.policy_version,
                reasons=("privacy_budget_exhausted",),
                detail={
                    "kind": "privacy_budget_exhausted",
                    "request_id": request_id,
                    "limit": limit,
                    "spent": round(spent, 6),
                    "asked": epsilon,
                },
            )
        )
        raise PrivacyBudgetExhaustedError(
            f"privacy budget of {requester!r} exhausted: spent {spent:g} of {limit:g}, "
            f"this release needs {epsilon:g}",
            where=request_id,
        )
