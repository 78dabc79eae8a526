"""Where an API's records come from (R23): its parameterised query over a registered source
database, or its upstream URL.

``run_api_query`` is the one place an API's declared query runs, and it runs it through the
ad-hoc query service (``QueryService.run_bound``): the SQL audit's verdict on the statement
(taken once per statement, role and scenario), bound parameters only, read-only, its tier's time
limit and a row cap. ``fetch_upstream`` calls a proxy API's upstream.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from medshield.audit.query import QueryService
from medshield.audit.sql.execute import dispose, read_only_sqlite
from medshield.errors import ServiceUnavailableError, UnknownNameError
from medshield.ledger.events import Event
from medshield.policy.schema import ApiDef
from medshield.store.sources import source_url


class _Missing(Enum):
    MISSING = "MISSING"


MISSING = _Missing.MISSING  # a proxy's record without a column


@dataclass(frozen=True)
class SourceRows:
    """What a source gave for one call: its column names and a tuple of them per row. A proxy's
    record without one of the columns holds ``MISSING`` there, and the rows are not
    ``complete``."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    complete: bool = True

    @classmethod
    def of_records(cls, records: Sequence[Mapping[str, Any]]) -> SourceRows:
        columns = tuple(dict.fromkeys(name for record in records for name in record))
        rows = [tuple(r.get(c, MISSING) for c in columns) for r in records]
        return cls(columns, rows, all(len(r) == len(columns) for r in records))

    @cached_property
    def index(self) -> dict[str, int]:
        """Column name -> its place in a row (the last, if a name comes twice)."""
        return {name: i for i, name in enumerate(self.columns)}

    def records(self) -> list[dict[str, Any]]:
        return [
            {c: v for c, v in zip(self.columns, row, strict=True) if v is not MISSING}
            for row in self.rows
        ]


class SourceDirectory:
    """Source name (an institution id) -> database URL, with one read-only engine each."""

    def __init__(self, urls: Mapping[str, str]) -> None:
        self.urls = dict(urls)
        self._engines: dict[str, Engine] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_alliance(cls, folder: Path) -> SourceDirectory:
        """The databases of a synthetic alliance built in ``folder``."""
        from medshield.synth.manifest import AllianceManifest

        return cls(AllianceManifest.read(folder).databases)

    def url(self, source: str) -> str:
        url = self.urls.get(source)
        if url is None:
            raise UnknownNameError(f"no registered source {source!r}", where="source")
        return url

    def engine(self, source: str) -> Engine:
        found = self._engines.get(source)
        if found is not None:
            return found
        url = self.url(source)
        with self._lock:
            if source not in self._engines:
                self._engines[source] = _read_only_engine(url)
            return self._engines[source]

    def dispose(self) -> None:
        for engine in self._engines.values():
            dispose(engine)


def _read_only_engine(url: str) -> Engine:
    target = source_url(url)  # a malformed URL or a missing SQLite file is refused here
    if make_url(target).get_backend_name() == "sqlite":
        return read_only_sqlite(create_engine(target, connect_args={"check_same_thread": False}))
    return create_engine(target, pool_pre_ping=True)


def lend_engines(sources: SourceDirectory, queries: QueryService) -> None:
    """Let the query service run on the directory's engines (one pool per source)."""
    for source, url in sources.urls.items():
        queries.use_engine(url, sources.engine(source))


def run_api_query(
    queries: QueryService, sources: SourceDirectory, api: ApiDef, params: Mapping[str, Any], *,
    user: str, role: str, scenario: str | None, max_rows: int = 10_000,
    record: Callable[[Event], None] | None = None,
) -> SourceRows:  # fmt: skip
    """The rows of the API's parameterised query with ``params`` bound, through the query
    service: audited, read-only, under its tier's time limit."""
    if api.source is None or api.query is None:
        raise UnknownNameError(f"API {api.id!r} is not query-backed", where=api.id)
    bound = queries.run_bound(
        sources.url(api.source), api.query, params, user=user, role=role, scenario=scenario,
        row_cap=max_rows, record=record,
    )  # fmt: skip
    return SourceRows(bound.columns, bound.rows)


def fetch_upstream(
    client: httpx.Client, api: ApiDef, params: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """The records of a proxy API: GET its upstream URL, path parameters filled in, the others
    sent as the query; the answer is a JSON list of records or ``{"items": [...]}``."""
    if api.upstream is None:
        raise UnknownNameError(f"API {api.id!r} is not a proxy", where=api.id)
    in_path = {p.name for p in api.params if p.where == "path"}
    url = api.upstream.format(**{k: quote(str(params[k]), safe="") for k in in_path})
    query = {k: v for k, v in params.items() if k not in in_path and v is not None}
    try:
        response = client.get(url, params=query)
        response.raise_for_status()
        body = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise ServiceUnavailableError(
            f"upstream of {api.id!r} failed: {type(exc).__name__}", where=api.id
        ) from None
    items = body.get("items") if isinstance(body, dict) else body
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ServiceUnavailableError(f"upstream of {api.id!r} sent no records", where=api.id)
    return items
