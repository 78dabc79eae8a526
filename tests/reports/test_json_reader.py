"""The API report reads canonical bodies with orjson when installed, else the standard scanner:
both give the same event, Chinese text and numbers included."""

from __future__ import annotations

import json
import sys

import pytest

from medshield.ledger import DataObject, Event
from medshield.ledger.canonical import canonical_body
from medshield.reports import api


def _body() -> str:
    event = Event(action="gateway.call", actor="token:t-h1", institution="h1",
                  object=DataObject(api="patient.summary"), rows=3, duration_ms=12.75,
                  reasons=("患者未授权",), detail={"code": "MS615", "诊断": "免疫性血小板减少症"})  # fmt: skip
    return canonical_body(event)


def test_the_standard_scanner_reads_a_canonical_body(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "orjson", None)  # as if not installed
    read = api.json_reader()
    assert getattr(read, "__module__", "") != "orjson"
    body = _body()
    assert read(body) == json.loads(body)
    assert read(body)["detail"]["诊断"] == "免疫性血小板减少症"


def test_the_reader_in_use_agrees_with_json() -> None:
    body = _body()
    assert api._READ(body) == json.loads(body)
