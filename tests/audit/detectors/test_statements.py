"""Statements that differ only in their literals share one parse: the literals are blanked."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from medshield.audit.detectors.statements import classify_statement, literals_blanked

# One pass over strings and numbers at once: what the two substitutions must give.
_ONE_PASS = re.compile(r"'(?:[^'\\]|\\.|'')*'|(?<![\w.$])\d+(?:\.\d+)?(?![\w.])")


def _one_pass(sql: str) -> str:
    return _ONE_PASS.sub(lambda m: "''" if m[0].startswith("'") else "0", sql)


def test_strings_and_numbers_are_blanked_names_are_not() -> None:
    sql = "select * from t1 where name = 'O''Brien' and age > 30.5 and t1.x = $1 and y = 'a\\'b'"
    assert literals_blanked(sql) == (
        "select * from t1 where name = '' and age > 0 and t1.x = $1 and y = ''"
    )


@given(st.lists(st.sampled_from(list("ab19.'\\$_ ,()=") + ["''", "e5", "t1.", "0.5", "\n"])))
def test_the_two_substitutions_give_the_one_pass(parts: list[str]) -> None:
    sql = "".join(parts)
    assert literals_blanked(sql) == _one_pass(sql)


def test_statements_differing_in_literals_read_alike() -> None:
    one = classify_statement("SELECT id FROM visit WHERE id = 12 AND note = 'x, y'")
    assert one == classify_statement("SELECT id FROM visit WHERE id = 7 AND note = ''")
    assert one.tables == ("visit",) and one.has_where
