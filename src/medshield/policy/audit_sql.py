"""The SQL-audit keys of ``audit.yaml``: time-limit tiers, row cap, checksum, fail-closed actions.

Kept beside ``schema.py`` so the audit's settings read as one block::

    sql:
      dialect: mysql
      unconfigured_rule: alert   # the action of a rule that has no entry under ``rules``
      large_table_rows: 100000   # the catalogue counts a table as large from here
      row_cap: 1000              # rows the query service returns at most
      checksum: sm3              # of a released result: sha256 or sm3
      tiers: {long: 60, medium: 15, short: 3}
      server_limits: true        # false: the server ignores statement_timeout/max_statement_time
      watchdog_grace: 1          # seconds past the limit before the watchdog stops a statement
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Dialect = Literal["mysql", "postgres", "oracle", "tsql", "sqlite"]


class TierSeconds(BaseModel):
    """Execution-time limit of each tier, in seconds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    long: float = Field(default=60.0, gt=0)  # every predicate column indexed
    medium: float = Field(default=15.0, gt=0)  # some indexed
    short: float = Field(default=3.0, gt=0)  # none indexed (on a small table)


class AuditSqlSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    dialect: Dialect = "mysql"
    unconfigured_rule: Literal["deny", "alert"] = "alert"  # a rule with no entry in ``rules``
    large_table_rows: int = Field(default=100_000, ge=1)
    deny_unindexed_large: bool = True  # no indexed predicate on a large table: deny
    row_cap: int = Field(default=1000, ge=1)
    checksum: Literal["sha256", "sm3"] = "sm3"
    tiers: TierSeconds = TierSeconds()
    # The server's own limit (statement_timeout, max_statement_time) is set unless this is false,
    # for a server or a proxy that ignores it; the watchdog (pg_cancel_backend / KILL QUERY from
    # a second connection) then stops a statement at the limit, else ``watchdog_grace`` after it.
    server_limits: bool = True
    watchdog_grace: float = Field(default=1.0, ge=0)
