from __future__ import annotations

from pathlib import Path

import pytest

from medshield.demo import DemoContext
from medshield.demo.steps.gateway import GatewayStep
from medshield.demo.steps.synth import SynthStep
from medshield.policy import load_bundle


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_traffic_from_several_institutions_gives_the_section_5_figures(
    tmp_path: Path, lang: str
) -> None:
    said: list[str] = []
    ctx = DemoContext(tmp_path, load_bundle(None), patients=150, seed=7, lang=lang, say=said.append)
    SynthStep().run(ctx)
    GatewayStep(calls=120).run(ctx)
    figures = ctx.artifacts["gateway"]
    counts = figures["counts"]
    assert figures["calls"] >= 120  # consent requests are calls too
    assert counts["out_of_scope"] and counts["wrong_ip"] and counts["no_consent"]
    assert counts["status_200"] and counts["status_403"]
    assert 0 < figures["intercepts"] < figures["calls"]
    assert figures["records"] > 0 and 0 < figures["controlled"] <= 100
    text = "\n".join(said)
    assert ("21,079" in text) and ("2,714" in text)
