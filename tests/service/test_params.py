"""Parameters are checked against their declaration; consent binds the request's hash."""

from __future__ import annotations

import pytest

from medshield.errors import InputError
from medshield.policy import load_bundle
from medshield.service.params import bind_params, request_hash

VISITS = next(a for a in load_bundle().apis if a.id == "patient.visits")
ID = "11010519491231002X"


def test_binding_defaults_and_checks() -> None:
    assert bind_params(VISITS, {"id_no": ID}, {}) == {"id_no": ID, "limit": 20, "offset": 0}
    assert bind_params(VISITS, {"id_no": ID}, {"limit": "5"})["limit"] == 5
    for path, query in (
        ({"id_no": "1' OR '1'='1"}, {}),
        ({"id_no": ID + "\n"}, {}),
        ({}, {}),
        ({"id_no": ID}, {"limit": "101"}),
        ({"id_no": ID}, {"limit": "-1"}),
        ({"id_no": ID}, {"offset": "1e3"}),
    ):
        with pytest.raises(InputError):
            bind_params(VISITS, path, query)


def test_request_hash_ignores_paging_only() -> None:
    one = request_hash(VISITS, {"id_no": ID, "limit": 20, "offset": 0})
    assert one == request_hash(VISITS, {"id_no": ID, "limit": 5, "offset": 40})
    assert one != request_hash(VISITS, {"id_no": "11010519491231003X", "limit": 20, "offset": 0})
