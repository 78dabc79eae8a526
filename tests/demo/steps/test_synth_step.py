from __future__ import annotations

from pathlib import Path

import pytest

from medshield.demo import DemoContext
from medshield.demo.steps.synth import SynthStep
from medshield.policy import load_bundle
from medshield.synth import AllianceManifest


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_step_builds_the_alliance_and_shows_a_patient(tmp_path: Path, lang: str) -> None:
    said: list[str] = []
    ctx = DemoContext(workdir=tmp_path, bundle=load_bundle(None), patients=200, seed=7,
                      lang=lang, say=said.append)  # fmt: skip
    SynthStep().run(ctx)
    manifest = ctx.artifacts["alliance"]
    assert isinstance(manifest, AllianceManifest)
    assert AllianceManifest.read(tmp_path / "alliance") == manifest
    text = "\n".join(said)
    for inst in ctx.bundle.institutions:
        assert inst.name in text
    assert "id_no" in text  # the sample row of h1 (English column names)
    assert ("名患者" in text) == (lang == "zh")
    assert ctx.summary and str(manifest.total_rows)[:2] in ctx.summary[0][1].replace(",", "")
