"""All platform tables. Each capability keeps its tables in a module of its own here."""

from medshield.store.models.base import Base
from medshield.store.models.catalog import CatalogColumn as CatalogColumn
from medshield.store.models.core import PolicyVersion
from medshield.store.models.gateway import GatewayToken as GatewayToken
from medshield.store.models.ledger import LedgerHeadRow as LedgerHeadRow
from medshield.store.models.mask_jobs import MaskJob as MaskJob
from medshield.store.models.masking import MaskingDictionaryBatch as MaskingDictionaryBatch

__all__ = ["Base", "PolicyVersion"]
