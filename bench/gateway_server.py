"""The two servers bench_gateway measures, one process each: ``python -m bench.gateway_server
bare|gateway ALLIANCE HOME PORT``.

bare: a Starlette endpoint that runs the same query over the same source and returns the same
20 rows as JSON, nothing else. gateway: the full gateway (auth, address, rate limit, scope,
masking, inspection, batched events, lineage).
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import uvicorn
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from medshield.gateway.app import DataResponse, build_app
from medshield.ledger.open import open_ledger
from medshield.policy import load_bundle
from medshield.service.context import open_service
from medshield.service.sms import RecordingSms
from medshield.service.sources import SourceDirectory
from medshield.store.db import connect, upgrade

ADMIN_KEY = "bench-admin-key-0123456789"
API = "patient.lab_results"


def bare_app(alliance: Path) -> Starlette:
    bundle = load_bundle()
    api = next(a for a in bundle.apis if a.id == API)
    assert api.query is not None
    engine = SourceDirectory.from_alliance(alliance).engine("h1")
    query = text(api.query)

    async def rows(request: Request) -> Response:
        params = {"id_no": request.path_params["id_no"], "limit": 20, "offset": 0}
        with engine.connect() as conn:
            result = conn.execute(query, params)
            names = list(result.keys())
            items = [dict(zip(names, r, strict=True)) for r in result]
        return DataResponse({"count": len(items), "items": items})

    return Starlette(routes=[Route("/api/v1/patients/{id_no}/lab-results", rows)])


def gateway_app(alliance: Path, home: Path, policy: Path) -> Starlette:
    bundle = load_bundle(policy)
    store = f"sqlite:///{home / 'store.db'}"
    upgrade(store)
    ctx = open_service(
        bundle, SourceDirectory.from_alliance(alliance), connect(store),
        open_ledger(store, bundle=bundle), RecordingSms(), trusted_proxies="127.0.0.1/32",
        admin_key=ADMIN_KEY, code_secret=secrets.token_bytes(32),
    )  # fmt: skip
    return build_app(ctx)


def main() -> None:
    kind, alliance, home, port = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
    app = bare_app(alliance) if kind == "bare" else gateway_app(alliance, home, home / "policy")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="error", access_log=False,
                proxy_headers=False, loop="uvloop", http="httptools")  # fmt: skip


if __name__ == "__main__":
    main()
