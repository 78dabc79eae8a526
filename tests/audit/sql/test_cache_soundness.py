"""Analysis is cached per fingerprint, so what the rules say may depend on the fingerprint only:
statements that share one get the same rules from a fresh analysis each."""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from medshield.audit.sql.catalogue import SqlCatalogue
from medshield.audit.sql.engine import SqlAuditor
from medshield.audit.sql.fingerprint import fingerprint
from medshield.policy import load_bundle


def test_rules_depend_on_the_fingerprint_only(shared_corpora: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from bench.audit_sql_corpus import embedded, his_workload

    injected, harmless = embedded(limit=1200)
    statements = injected + harmless + his_workload(400)
    groups: dict[str, list[str]] = defaultdict(list)
    for sql in statements:
        groups[fingerprint(sql).digest].append(sql)
    bundle, catalogue = load_bundle(), SqlCatalogue.from_synth()
    differing = []
    for members in groups.values():
        if len(members) < 2:
            continue
        seen = set()
        for sql in members[:4]:
            fresh = SqlAuditor(bundle, catalogue).audit(sql)  # no cache shared
            seen.add(frozenset(f.rule for f in fresh.findings))
        if len(seen) > 1:
            differing.append(members[:4])
    assert not differing, differing[:3]
