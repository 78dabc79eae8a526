"""Where an API's records come from (R23): its parameterised query over a registered source
database, or its upstream URL.

``run_api_query`` is the one place an API's declared query runs: bound parameters only,
read-only (SQLite opened read-only; other servers in a transaction that is rolled back). The
ad-hoc query service can take its place there. ``fetch_upstream`` calls a proxy API's upstream.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from sqlalchemy import Engine, TextClause, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from medshield.errors import ServiceUnavailableError, UnknownNameError
from medshield.policy.schema import ApiDef
from medshield.store.sources import source_url


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

    def engine(self, source: str) -> Engine:
        found = self._engines.get(source)
        if found is not None:
            return found
        url = self.urls.get(source)
        if url is None:
            raise UnknownNameError(f"no registered source {source!r}", where="source")
        with self._lock:
            if source not in self._engines:
                self._engines[source] = _read_only_engine(url)
            return self._engines[source]

    def dispose(self) -> None:
        for engine in self._engines.values():
            engine.dispose()


def _read_only_engine(url: str) -> Engine:
    target = source_url(url)  # a malformed URL or a missing SQLite file is refused here
    if make_url(target).get_backend_name() == "sqlite":
        return create_engine(target, connect_args={"check_same_thread": False})
    return create_engine(target, pool_pre_ping=True)


@lru_cache(maxsize=1024)
def _statement(query: str) -> TextClause:
    return text(query)


def run_api_query(
    sources: SourceDirectory, api: ApiDef, params: Mapping[str, Any], *, max_rows: int = 10_000
) -> list[dict[str, Any]]:
    """The rows of the API's parameterised query with ``params`` bound, read-only."""
    if api.source is None or api.query is None:
        raise UnknownNameError(f"API {api.id!r} is not query-backed", where=api.id)
    engine = sources.engine(api.source)
    try:
        with engine.connect() as conn:
            result = conn.execute(_statement(api.query), dict(params))
            names = list(result.keys())
            rows = [dict(zip(names, row, strict=True)) for row in result.fetchmany(max_rows)]
            conn.rollback()
    except SQLAlchemyError as exc:
        raise ServiceUnavailableError(
            f"source {api.source!r} failed: {type(exc).__name__}", where=api.id
        ) from None
    return rows


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


def fetch_rows(
    sources: SourceDirectory, client: httpx.Client, api: ApiDef, params: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """The records of one call of ``api``, whatever its kind."""
    if api.kind == "proxy":
        return fetch_upstream(client, api, params)
    return run_api_query(sources, api, params)
