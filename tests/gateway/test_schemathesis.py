"""schemathesis over the generated OpenAPI document, against the real server: no 5xx and no
response outside its schema, with and without a token that reaches every API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance
from tests.gateway.conftest import Gateway, start_gateway

CHECKS = (not_a_server_error, response_schema_conformance)


@pytest.fixture(scope="module")
def live(alliance: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Gateway, str]]:
    home = tmp_path_factory.mktemp("schemathesis")
    for gw in start_gateway(alliance, home, trusted="127.0.0.1/32", lockout_failures=1_000_000):
        token = gw.issue(
            role="api_client", scenario=None, max_level="sensitive",
            apis={a.id: ["*"] for a in gw.ctx.apis.values() if "api_client" in a.roles},
            scopes=sorted({s for a in gw.ctx.apis.values() for s in a.scopes}),
        )["token"]  # fmt: skip
        yield gw, str(token)


def test_no_server_error_and_no_schema_violation(live: tuple[Gateway, str]) -> None:
    gateway, token = live
    schema = schemathesis.openapi.from_url(gateway.url + "/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    caller = {"Authorization": f"Bearer {token}", "X-Forwarded-For": "10.11.0.5"}
    for operation in operations:
        _fuzz(operation, {} if operation.path.startswith("/admin") else caller)


def _fuzz(operation: Any, headers: dict[str, str]) -> None:
    @given(operation.as_strategy())
    @settings(max_examples=20, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    def check(case: Any) -> None:
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS)

    check()
