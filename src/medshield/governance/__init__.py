"""Governance (R3, R8, R9, R31, R32): the organisation and its admin actions, approvals, policy
versions, emergency plans, incidents and drills, and the closed-loop checks.

from medshield.governance import Admin, authorize, vote

admin = Admin(ledger, bundle, "office-01")       # every method authorises and records
request = admin.request("publish_external", {"dataset": "门诊统计"})
vote(ledger, bundle, "office-02", request.id, approve=True)
"""

from medshield.governance.admin import ADMIN_METHODS, Admin
from medshield.governance.approvals import (
    ApprovalRequest,
    all_requests,
    approved_until,
    get_request,
    request_approval,
    require_approved,
    vote,
)
from medshield.governance.authorize import authorize
from medshield.governance.drill import DrillResult, run_drill
from medshield.governance.incidents import Incident, all_incidents, get_incident, open_incident
from medshield.governance.loop import LoopRun, loop_trace, run_checks
from medshield.governance.versions import (
    active_version,
    propose_version,
    require_active,
    version_history,
)

__all__ = [
    "ADMIN_METHODS",
    "Admin",
    "ApprovalRequest",
    "DrillResult",
    "Incident",
    "LoopRun",
    "active_version",
    "all_incidents",
    "all_requests",
    "approved_until",
    "authorize",
    "get_incident",
    "get_request",
    "loop_trace",
    "open_incident",
    "propose_version",
    "request_approval",
    "require_active",
    "require_approved",
    "run_checks",
    "run_drill",
    "version_history",
    "vote",
]
