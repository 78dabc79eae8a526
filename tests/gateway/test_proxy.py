"""A proxy API: the upstream's records go through the same scope, masking and inspection."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from tests.gateway.conftest import M1, free_port, policy_copy, serve, start_gateway

PROXY_API = """
  - id: imaging.reports
    kind: proxy
    path: /api/v1/patients/{id_no}/imaging
    zh: 影像报告（上游系统）
    upstream: "http://127.0.0.1:%d/pacs/{id_no}/reports"
    params: [{name: id_no, where: path, pattern: '^\\d{17}[\\dXx]$', patient: true}]
    patient_column: id_no
    fields:
      - {name: exam, element: DE04.50.131.00}
      - {name: remark, element: DE99.00.004.00}
    roles: [doctor]
    scopes: [clinical.read]
    one_patient_per_call: true
"""
LEAKY = "11010519491231002X"


def _upstream() -> Starlette:
    async def reports(request: Request) -> JSONResponse:
        id_no = request.path_params["id_no"]
        remark = f"复查，身份证{LEAKY}" if id_no == LEAKY else "复查"
        return JSONResponse({"items": [{"id_no": id_no, "exam": "胸部CT", "remark": remark}]})

    return Starlette(routes=[Route("/pacs/{id_no}/reports", reports)])


def test_proxy_records_are_scoped_masked_and_inspected(alliance: Path, tmp_path: Path) -> None:
    port = free_port()
    upstream, thread = serve(_upstream(), port)
    try:
        policy = policy_copy(tmp_path, {"apis.yaml": ("\napis:\n", "\napis:\n" + PROXY_API % port)})
        for gw in start_gateway(alliance, tmp_path, trusted="127.0.0.1/32", policy=policy):
            token = gw.issue(apis={"imaging.reports": ["exam"]}, scopes=["clinical.read"])["token"]
            headers = {"Authorization": f"Bearer {token}", **M1}
            with gw.client(headers=headers) as c:
                ok = c.get("/api/v1/patients/500101199001011234/imaging?fields=exam,remark")
                leaky = c.get(f"/api/v1/patients/{LEAKY}/imaging?fields=exam")
                with_remark = gw.issue(apis={"imaging.reports": ["*"]}, scopes=["clinical.read"])
                c.headers["Authorization"] = f"Bearer {with_remark['token']}"
                scrubbed = c.get(f"/api/v1/patients/{LEAKY}/imaging")
            assert ok.status_code == 200, ok.text
            assert ok.json()["items"] == [{"exam": "胸部CT"}]
            assert ok.json()["intercepted"] == ["remark"]
            assert leaky.status_code == 200 and LEAKY not in leaky.text
            # The remark is free text: text_scrub replaces the ID number inside it.
            assert scrubbed.status_code == 200 and LEAKY not in scrubbed.text
            assert scrubbed.json()["items"][0]["remark"].startswith("复查，身份证")
    finally:
        upstream.should_exit = True
        thread.join(10)
