"""The demo's federated step: three hospitals as node processes, the hub's view, a release."""

from __future__ import annotations

from pathlib import Path

from medshield.demo import DemoContext, run_demo
from medshield.demo.steps.federated import FederatedStep
from medshield.ledger import open_ledger
from medshield.policy import load_bundle


def test_the_step_shows_what_the_hub_saw_and_records_the_release(tmp_path: Path) -> None:
    said: list[str] = []
    ctx = DemoContext(
        workdir=tmp_path, bundle=load_bundle(None), patients=300, seed=7, lang="en", say=said.append
    )
    summary = dict(run_demo(ctx, [FederatedStep]))
    text = "\n".join(said)
    assert "what the hub received" in text and "sum of the shares" in text
    for node in ("h1", "h2", "h3"):
        assert f"     {node}: [" in text
    assert "federated mean age" in summary and "shared patients h1∩h2" in summary
    with open_ledger(f"sqlite:///{tmp_path / 'ledger.db'}") as ledger:
        actions = [r.event.action for r in ledger.records()]
    assert actions.count("federated.release") == 1
    assert actions.count("federated.request.approve") == 4  # three owners, one committee
