"""Reading a whole (masked) table into Polars, for verification."""

from __future__ import annotations

import polars as pl
import sqlalchemy as sa
from sqlalchemy.exc import NoSuchTableError, SQLAlchemyError

from medshield.errors import StoreError, UnknownNameError
from medshield.mask.engine.database import read_batches, safe_url
from medshield.store.existing import one_line, require_existing


def read_table(url: str, name: str, *, batch_rows: int = 50_000) -> pl.DataFrame:
    """The table ``name`` of the database at ``url`` as one DataFrame (never creating one)."""
    require_existing(url, safe_url(url))
    engine = sa.create_engine(url)
    try:
        owner, _, bare = name.rpartition(".")
        table = sa.Table(bare, sa.MetaData(), schema=owner or None, autoload_with=engine)
        with engine.connect() as connection:
            frames = list(read_batches(connection, table, batch_rows))
    except NoSuchTableError:
        raise UnknownNameError(f"no table {name!r}", where=safe_url(url)) from None
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot read {name!r}: {one_line(exc)}", where=safe_url(url)) from None
    finally:
        engine.dispose()
    if not frames:
        return pl.DataFrame({c.name: [] for c in table.columns})
    return pl.concat(frames, how="vertical_relaxed")
