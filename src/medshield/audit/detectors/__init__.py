"""Behaviour detectors over log events (one a file), thresholds from ``audit.yaml`` ``logs:``.

ctx = DetectorContext.from_bundle(load_bundle())
audit = LogAudit(SOURCES.get("sshd")(), ctx, DETECTORS)
for item in audit.run(read_file("auth.log")):
    ...   # Finding (recorded as alert.* events), or BadLine
audit.flush()   # open buckets and incidents at the end of a batch
"""

from medshield.audit.detectors.base import Detector, DetectorContext, Finding
from medshield.audit.detectors.batch_modify import BatchModifyDetector
from medshield.audit.detectors.bulk_export import BulkExportDetector
from medshield.audit.detectors.correlation import IncidentCorrelator
from medshield.audit.detectors.login_compromise import LoginCompromiseDetector
from medshield.audit.detectors.login_failures import LoginFailureDetector
from medshield.audit.detectors.pipeline import AuditCounts, LogAudit
from medshield.audit.detectors.query_baseline import QueryBaselineDetector
from medshield.audit.detectors.remote_access import RemoteAccessDetector
from medshield.registry import Registry

BUILTIN_DETECTORS: tuple[type[Detector], ...] = (
    LoginFailureDetector,
    LoginCompromiseDetector,
    RemoteAccessDetector,
    BulkExportDetector,
    BatchModifyDetector,
    QueryBaselineDetector,
)
DETECTORS: Registry[Detector] = Registry("log_detectors", BUILTIN_DETECTORS)

__all__ = [
    "DETECTORS",
    "AuditCounts",
    "Detector",
    "DetectorContext",
    "Finding",
    "IncidentCorrelator",
    "LogAudit",
]
