"""The platform's own tables (SQLAlchemy) and their migrations (Alembic)."""

from medshield.store.db import connect, upgrade
from medshield.store.models import Base

__all__ = ["Base", "connect", "upgrade"]
