"""The console's catalogue page over a large catalogue: paginated, answered in milliseconds.

300,000 columns (3,000 tables of 100) in a SQLite store; each figure is the best of a few
requests through the whole app (session, role check, query, template), beside a bare Starlette
page that renders 50 rows from memory in the same run. Target: under 300 ms a page.
"""

from __future__ import annotations

import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from bench.harness import Row, best_of
from medshield.ledger import open_ledger
from medshield.policy import load_bundle
from medshield.store.db import connect, upgrade
from medshield.store.models.catalog import CatalogColumn, CatalogSource, CatalogTable
from medshield.web.app import build_console
from medshield.web.auth import hash_password
from medshield.web.views import ConsoleContext

MEMBER, PASSWORD = "office-01", "bench-password-01"


def _fill(url: str, tables: int, per_table: int) -> None:
    engine = connect(url)
    now = datetime.now(UTC)
    versions = {"classifier_version": "c", "detector_version": "d", "policy_version": "p"}
    with engine.begin() as conn:
        conn.execute(CatalogSource.__table__.insert(), [
            {"id": 1, "name": "postgresql://hub/emr", "dialect": "postgresql",
             "first_scanned_at": now, "last_scanned_at": now}])  # fmt: skip
        conn.execute(CatalogTable.__table__.insert(), [
            {"id": t + 1, "source_id": 1, "schema_name": "public", "name": f"t{t:05d}",
             "fingerprint": "f", "sampled": 0, "scanned_at": now, **versions}
            for t in range(tables)])  # fmt: skip
        levels = ("public", "normal", "sensitive", "important", "controlled")
        for t in range(tables):
            conn.execute(CatalogColumn.__table__.insert(), [
                {"table_id": t + 1, "name": f"c{c:03d}", "position": c, "type": "varchar",
                 "element": "id_card" if c == 0 else None, "category": None,
                 "level": levels[(t + c) % 5], "level_trace": "bench", "confidence": 0.5 + (c % 50) / 100,
                 "evidence": {}, "updated_at": now, **versions}
                for c in range(per_table)])  # fmt: skip
    engine.dispose()


def _baseline_app(rows: list[dict[str, str]]) -> Starlette:
    async def page(_request: Request) -> HTMLResponse:
        body = "".join(f"<tr><td>{r['table']}</td><td>{r['column']}</td></tr>" for r in rows)
        return HTMLResponse(f"<table>{body}</table>")

    return Starlette(routes=[Route("/", page)])


def run(quick: bool = False) -> list[Row]:
    tables, per_table = (300, 100) if quick else (3000, 100)
    columns = tables * per_table
    bundle = load_bundle()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'store.db'}"
        upgrade(url)
        _fill(url, tables, per_table)
        store = connect(url)
        ledger = open_ledger(url, bundle=bundle)
        ctx = ConsoleContext(bundle=bundle, store=store, ledger=ledger,
                             passwords={MEMBER: hash_password(PASSWORD)})  # fmt: skip
        client = TestClient(build_console(ctx, secret="b" * 32), follow_redirects=False)
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
        assert token
        client.post("/login", data={"csrf": token.group(1), "member": MEMBER, "password": PASSWORD})
        first = client.get("/catalog")
        assert f'id="total">{columns}<' in first.text, "the catalogue page does not count all"
        shown = first.text.count("<tr>") - 1
        assert shown == 50, f"the page shows {shown} rows, not one page"
        baseline = TestClient(_baseline_app(
            [{"table": f"t{i}", "column": f"c{i}"} for i in range(50)]))  # fmt: skip
        base_ms = best_of(lambda: baseline.get("/"), 5) * 1000
        cases = {
            "first page": "/catalog",
            "middle page": f"/catalog?page={columns // 100}",
            "last page": f"/catalog?page={columns // 50}",
            "search by table": "/catalog?table=t00042",
            "filter by level": "/catalog/rows?level=controlled",
            "review queue": "/review",
        }
        out = []
        for label, path in cases.items():
            assert client.get(path).status_code == 200, path
            ms = best_of(lambda p=path: client.get(p), 3) * 1000
            out.append(Row(f"console catalogue, {label} ({columns:,} columns)", ms, "ms",
                           "bare Starlette page", base_ms, target="< 300 ms, 50 rows a page",
                           corpus="synthetic catalogue"))  # fmt: skip
        ledger.close(checkpoint=False)
        store.dispose()
    return out
