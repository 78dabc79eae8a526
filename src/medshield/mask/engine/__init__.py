"""Static masking engines: database to database, files, and Apache Spark for scale."""

from medshield.mask.engine.database import MaskJobResult, TableResult, mask_database, mask_table
from medshield.mask.engine.frames import (
    OperatorPlan,
    describe_plan,
    mask_frame,
    plan_digest,
    plan_from_rules,
)

__all__ = [
    "OperatorPlan",
    "MaskJobResult",
    "TableResult",
    "describe_plan",
    "mask_database",
    "mask_frame",
    "mask_table",
    "plan_digest",
    "plan_from_rules",
]
