"""All platform tables. Each capability keeps its tables in a module of its own here."""

from medshield.store.models.base import Base
from medshield.store.models.core import PolicyVersion
from medshield.store.models.ledger import LedgerHeadRow as LedgerHeadRow
from medshield.store.models.mask_jobs import MaskJob as MaskJob

__all__ = ["Base", "PolicyVersion"]
