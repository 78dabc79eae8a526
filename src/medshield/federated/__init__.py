"""Federated statistics: raw data never leaves its institution (原始数据不出域、数据可用不可见).

Each institution runs a node beside its own HIS database. A node answers only the approved
templates of the policy (count, sum, mean, histogram, quantiles, cross-tabulation), computing
them in its database and answering an integer vector masked by pairwise secrets, so the hub
learns the alliance total and no single institution's value. Released results carry OpenDP
noise charged to the requester's privacy budget; PSI counts shared patients; every answer is
an event in the node's own ledger, every release an event in the hub's.
"""

from medshield.federated.approvals import ApprovalGate, LedgerApprovals
from medshield.federated.flow import FederatedRequest, Outcome, RequestFlow
from medshield.federated.hub import Aggregate, Hub, PsiResult
from medshield.federated.kinds import Release
from medshield.federated.setup import Federation, setup_federation

__all__ = [
    "Aggregate",
    "ApprovalGate",
    "FederatedRequest",
    "Federation",
    "Hub",
    "LedgerApprovals",
    "Outcome",
    "PsiResult",
    "Release",
    "RequestFlow",
    "setup_federation",
]
