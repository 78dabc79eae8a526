"""The pages show the core's data; the review queue's decisions go through governance."""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace

from starlette.testclient import TestClient
from tests.web.conftest import csrf_of, sign_in
from tests.web.seed import PSEUDONYM, STAFF

from medshield.classify.report import catalog_page
from medshield.web.views import ConsoleContext


def test_catalogue_pages_and_filters(world: ConsoleContext, console: TestClient) -> None:
    sign_in(console, STAFF["committee"])
    page = console.get("/catalog")
    assert 'id="total">24<' in page.text and "id_no" in page.text
    only = console.get("/catalog/rows", params={"level": "controlled"})
    assert 'id="total">3<' in only.text and "col_1" not in only.text
    table = console.get("/catalog", params={"table": "patient_2", "element": "id_card"})
    assert 'id="total">1<' in table.text
    bad = console.get("/catalog", params={"level": "no-such"})
    assert bad.status_code == 404 and "MS301" in bad.text
    rows, total = catalog_page(world.store, offset=20, limit=10)
    assert total == 24 and len(rows) == 4


def test_review_override_changes_catalogue_and_ledger(
    world: ConsoleContext, console: TestClient
) -> None:
    sign_in(console, STAFF["office"])
    queue = console.get("/review")
    assert 'id="total">6<' in queue.text
    token = csrf_of(console, "/review")
    form = {"csrf": token, "source": "postgresql://hub/emr", "table": "public.patient_1",
            "column": "col_3", "current": "normal", "level": "sensitive",
            "reason": "含诊断描述", "decision": "override"}  # fmt: skip
    posted = console.post("/review", data=form)
    assert posted.status_code == 303 and posted.headers["location"] == "/review"
    done = console.get("/review")
    assert "public.patient_1.col_3" in done.text
    assert "public.patient_1.col_3" not in console.get("/review").text  # shown once
    rows, _ = catalog_page(world.store, table="patient_1", level="sensitive")
    assert [r["column"] for r in rows] == ["col_3"] and rows[0]["override"] == "office-01"
    assert 'id="total">5<' in done.text
    events = list(world.ledger.records(action_prefix="catalog.override"))
    assert events and events[-1].event.actor == "office-01"
    assert events[-1].event.object.columns == ("col_3",)
    admin = list(world.ledger.records(action_prefix="admin.catalog.review"))
    assert admin[-1].event.outcome == "allow"


def test_review_refused_by_governance_is_recorded(
    world: ConsoleContext, console: TestClient
) -> None:
    # the policy changes under a signed-in officer: governance decides again, and says no
    sign_in(console, STAFF["office"])
    token = csrf_of(console, "/review")
    gov = world.bundle.governance
    actions = {**gov.admin_actions, "catalog.review": ("security_admin",)}
    world.bundle = replace(
        world.bundle, governance=gov.model_copy(update={"admin_actions": actions})
    )
    form = {"csrf": token, "source": "hub/emr", "table": "public.patient_1", "column": "col_3",
            "current": "normal", "decision": "accept"}  # fmt: skip
    refused = console.post("/review", data=form)
    assert refused.status_code == 403 and "MS941" in refused.text
    admin = list(world.ledger.records(action_prefix="admin.catalog.review"))
    assert admin[-1].event.outcome == "deny"


def test_other_pages_show_the_ledger(world: ConsoleContext, console: TestClient) -> None:
    sign_in(console, STAFF["administrator"])
    assert 'id="calls-today">2<' in console.get("/").text
    assert "scope" in console.get("/traffic").text
    assert "injection" in console.get("/audit").text
    assert "burst" in console.get("/alerts").text
    assert "mask.job" in console.get("/masking").text
    assert "drill.completed" in console.get("/ledger").text
    flow = console.get("/lineage", params={"pseudonym": PSEUDONYM})
    assert "hub/ods" in flow.text and "<svg" in flow.text
    raw = console.get("/lineage", params={"pseudonym": "110101199003077777"})
    assert raw.status_code == 422 and "MS502" in raw.text
    files = console.get("/reports")
    assert "月度报告.csv" in files.text
    got = console.get("/reports/月度报告.csv")
    assert got.status_code == 200 and got.text == "a,b\n1,2\n"
    assert console.get("/reports/..%2Fstore.db").status_code == 404


def test_traffic_page_maps_calls_and_intercepts(world: ConsoleContext, console: TestClient) -> None:
    sign_in(console, STAFF["office"])
    page = console.get("/traffic").text
    option = json.loads(html.unescape(re.search(r"data-option='([^']*)'", page).group(1)))  # type: ignore[union-attr]
    tiles = {d["name"]: d for d in option["series"][0]["data"]}
    # seed: a call from 10.1.0.5 (h1) and a gateway alert from 10.11.0.9 (m1), both in
    # Chongqing; a denied call from the public 203.0.113.9 is unknown
    assert (
        tiles["50"]["value"] == [2, 4, 1]
        and tiles["50"]["label"]["formatter"] == "重庆\n1\n{x|拦截 1}"
    )
    assert tiles["unknown"]["value"][2] == 1 and "拦截 1" in tiles["unknown"]["label"]["formatter"]
    assert "渝州大学第一附属医院" in tiles["50"]["tooltip"]["formatter"]
    assert sum(d["value"][2] for d in tiles.values()) == 2
    figures = re.findall(
        r'<td>([^<]+)</td><td class="num">(\d+)</td><td class="num">(\d+)</td>', page
    )
    assert figures == [("重庆", "1", "1"), ("未知（公网或未登记）", "1", "1")]
