"""The demo's steps, in order. A capability adds one file here and one line below."""

from medshield.demo.runner import DemoStep
from medshield.demo.steps.audit_sql import AuditSqlStep
from medshield.demo.steps.console import ConsoleStep
from medshield.demo.steps.destroy import DestroyStep
from medshield.demo.steps.detect import DetectStep
from medshield.demo.steps.dynamic_mask import DynamicMaskStep
from medshield.demo.steps.federated import FederatedStep
from medshield.demo.steps.gateway import GatewayStep
from medshield.demo.steps.governance import GovernanceStep
from medshield.demo.steps.ledger import LedgerStep
from medshield.demo.steps.levels import LevelsStep
from medshield.demo.steps.lineage import LineageStep
from medshield.demo.steps.log_audit import LogAuditStep
from medshield.demo.steps.mask import MaskStep
from medshield.demo.steps.policy import PolicyStep
from medshield.demo.steps.reports import ReportsStep
from medshield.demo.steps.scan import ScanStep
from medshield.demo.steps.synth import SynthStep

STEPS: tuple[type[DemoStep], ...] = (
    PolicyStep,
    SynthStep,
    ScanStep,
    MaskStep,
    DynamicMaskStep,
    LevelsStep,
    LineageStep,
    DestroyStep,
    DetectStep,
    AuditSqlStep,
    LogAuditStep,
    GatewayStep,
    FederatedStep,
    GovernanceStep,
    ConsoleStep,
    ReportsStep,
    LedgerStep,  # keep last: it verifies what every step before it recorded
)
