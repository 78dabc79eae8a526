"""An API's query over sources on the real PostgreSQL and MariaDB servers, run by the query
service: bound parameters, read-only, the statement audited once, and the records' dates and
decimals served as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, insert, select

from medshield.audit.query import QueryService
from medshield.gateway.app import DataResponse
from medshield.ledger.events import Event
from medshield.policy import load_bundle
from medshield.service.sources import SourceDirectory, lend_engines, run_api_query
from medshield.synth import build_alliance

TABLES = ("patient", "visit", "department")


def _copy_h1(tmp_path: Path, target: str) -> str:
    manifest = build_alliance(tmp_path / "alliance", bundle=load_bundle(), patients=80, seed=4)
    source = create_engine(manifest.databases["h1"])
    meta = MetaData()
    meta.reflect(source, only=TABLES)
    for table in meta.tables.values():  # SQLite's names (DATETIME) as portable types
        for column in table.columns:
            column.type = column.type.as_generic()
    dest = create_engine(target)
    meta.create_all(dest)
    with source.connect() as src, dest.begin() as out:
        for name in TABLES:
            rows = [dict(r._mapping) for r in src.execute(select(meta.tables[name]))]
            if rows:
                out.execute(insert(meta.tables[name]), rows)
        id_no = src.execute(
            select(meta.tables["patient"].c.id_no)
            .join(meta.tables["visit"], meta.tables["visit"].c.patient_id == meta.tables["patient"].c.patient_id)
            .limit(1)
        ).scalar_one()  # fmt: skip
    source.dispose()
    dest.dispose()
    return str(id_no)


@pytest.mark.parametrize("server", ["postgres_url", "mariadb_url"])
def test_visits_over_a_server(server: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue(server)
    id_no = _copy_h1(tmp_path, url)
    bundle = load_bundle()
    api = next(a for a in bundle.apis if a.id == "patient.visits")
    sources = SourceDirectory({"h1": url})
    queries = QueryService(bundle)
    lend_engines(sources, queries)
    recorded: list[Event] = []

    def run(params: dict[str, object]) -> list[dict[str, object]]:
        return run_api_query(queries, sources, api, params, user="token:t1", role="doctor",
                             scenario="collaborative_care", record=recorded.append).records()  # fmt: skip

    rows = run({"id_no": id_no, "limit": 20, "offset": 0})
    assert rows and all(r["id_no"] == id_no for r in rows)
    body = json.loads(DataResponse({"items": rows}).body)
    assert body["items"][0]["visit_time"][:2] in ("19", "20")
    injected = run({"id_no": "' OR '1'='1", "limit": 20, "offset": 0})
    assert injected == []  # bound, never spliced
    assert len(run({"id_no": id_no, "limit": 1, "offset": 0})) == 1
    # One verdict event for the statement, however many calls ran it.
    assert [e.action for e in recorded] == ["audit.query.statement"]
    assert recorded[0].actor == "token:t1" and recorded[0].outcome == "allow"
    sources.dispose()


def test_data_responses_write_source_values_as_the_standard_library_would() -> None:
    """Dates, times, decimals, bytes, Chinese text and integers beyond 64 bits, compact UTF-8."""
    from datetime import UTC, date, datetime, time
    from decimal import Decimal

    items = [{"name": "张三", "at": datetime(2026, 1, 2, 3, 4, 5, 6), "day": date(2026, 1, 2),
              "t": time(8, 0), "utc": datetime(2026, 1, 1, tzinfo=UTC), "dose": Decimal("1.25"),
              "raw": b"\x01\xff", "n": None, "x": 2.5}]  # fmt: skip
    expected = ('{"items":[{"name":"张三","at":"2026-01-02T03:04:05.000006","day":"2026-01-02",'
                '"t":"08:00:00","utc":"2026-01-01T00:00:00+00:00","dose":1.25,"raw":"01ff",'
                '"n":null,"x":2.5}]}')  # fmt: skip
    assert DataResponse({"items": items}).body.decode("utf-8") == expected
    big = DataResponse({"n": 2**70, "day": date(2026, 1, 2)}).body
    assert big == b'{"n":1180591620717411303424,"day":"2026-01-02"}'
    with pytest.raises(TypeError, match="set is not JSON"):
        DataResponse({"s": {1}})
