"""Local aggregation is the same on SQLite, PostgreSQL and MariaDB (same seed, same rows)."""

from __future__ import annotations

from pathlib import Path

import pytest

from medshield.federated.kinds import kind_of
from medshield.federated.local import LocalDatabase
from medshield.policy import PolicyBundle
from medshield.synth.alliance import build_alliance
from medshield.synth.manifest import AllianceManifest

TEMPLATES = ("patient_count", "patient_age_mean", "patient_age_histogram",
             "patient_gender_by_insurance", "visit_cost_mean")  # fmt: skip


def _answers(
    manifest: AllianceManifest, bundle: PolicyBundle, url: str | None
) -> dict[str, list[int]]:
    out = {}
    for node in ("h1", "h2", "m1"):  # three vendor styles
        db = LocalDatabase.open(
            url or manifest.databases[node], manifest.styles[node], manifest.tables[node]
        )
        for key in TEMPLATES:
            template = bundle.federated.template(key)
            assert template is not None
            out[f"{node}:{key}"] = kind_of(template.kind).measure(template, db)
    return out


@pytest.mark.postgres
@pytest.mark.mariadb
def test_servers_answer_as_sqlite(
    tmp_path: Path, bundle: PolicyBundle, postgres_url: str, mariadb_url: str
) -> None:
    on_sqlite = build_alliance(tmp_path / "lite", bundle=bundle, patients=150, seed=4)
    expected = _answers(on_sqlite, bundle, None)
    assert expected["h1:patient_count"][0] > 0
    for url in (postgres_url, mariadb_url):
        manifest = build_alliance(tmp_path / url.split(":")[0], bundle=bundle, patients=150,
                                  seed=4, url_template=url)  # fmt: skip
        assert _answers(manifest, bundle, url) == expected, url
