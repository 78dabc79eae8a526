"""The text signs' cheap pre-checks never hide a sign the full patterns find."""

from __future__ import annotations

import re

from bench.audit_sql_corpus import distinct_templates, embedded, his_workload

from medshield.audit.sql import signals
from medshield.audit.sql.fingerprint import normalise

# The one-pass alternation ``any_sign`` replaces: the reference it must agree with.
_REFERENCE = re.compile(
    r"sleep|benchmark|waitfor|extractvalue|updatexml|name_const|geometry|point|polygon|linestring|"
    r"exp\s*\(|utl_|ctxsys|xmltype|dbms_|json_keys|gtid|version|user|database|schema|db_name|"
    r"current_|connection_id|@@|sys|load_file|host_name|information_schema|mysql\.|pg_|master|"
    r"all_tab|dba_|sqlite_master|v\$|--|#|/\*|char|chr|hex|base64|concat|convert|rand\s*\(|"
    r"randomblob|substr|ascii|ord\s*\(|mid\s*\(|length|len\s*\(|left\s*\(|right\s*\(|"
    r"unicode|instr|strcmp|;"
)
_GROUPS = [value for value in vars(signals).values() if isinstance(value, signals.Calls)]


def _texts() -> list[str]:
    injected, harmless = embedded(limit=800)
    statements = injected + harmless + his_workload(300) + distinct_templates(300)
    statements += ["SELECT exp (1), rand  (2), LEFT\t(name, 1) FROM patient", "select 1"]
    return [normalise(s) for s in statements]


def test_any_sign_agrees_with_the_reference_alternation() -> None:
    texts = _texts()
    flagged = [t for t in texts if _REFERENCE.search(t)]
    assert flagged and len(flagged) < len(texts)  # the sample holds both kinds
    assert [t for t in texts if signals.any_sign(t)] == flagged


def test_calls_with_the_pre_check_equal_the_bare_pattern() -> None:
    assert len(_GROUPS) >= 6
    found = 0
    for text in _texts():
        for group in _GROUPS:
            bare = list(dict.fromkeys(m.group(1) for m in group.pattern.finditer(text)))
            assert list(signals.calls(group, text)) == bare, (group.names[0], text)
            found += bool(bare)
    assert found > 100
