from __future__ import annotations

import pytest

from medshield.audit.sql.fingerprint import fingerprint, normalise


@pytest.mark.parametrize(
    ("sql", "template"),
    [
        ("SELECT * FROM visit WHERE patient_id = 42 AND dept IN (1, 2, 3)",
         "select * from visit where patient_id = ? and dept in (?+)"),
        ("select a from t where n='ab''c' and m = 'x\\'y'", "select a from t where n=? and m = ?"),
        ("INSERT INTO t VALUES (1,'a'),(2,'b');", "insert into t values (?+)"),
        ("select x1, t.y2 from t where a = 1.5e3 and b = 0x41", "select x1, t.y2 from t where a = ? and b = 0x?"),
        ("select a /* why */ from t -- tail", "select a /**/ from t --"),
        ("select a from t where id = 1 /*!50000union*/ select 2", "select a from t where id = ? /*!*/ union select ?"),
        ("select a from t where s = 'open", "select a from t where s = ?"),
    ],
)  # fmt: skip
def test_normalise(sql: str, template: str) -> None:
    assert normalise(sql) == template


def test_same_template_same_digest() -> None:
    a = fingerprint("SELECT name FROM patient WHERE patient_id = 1")
    b = fingerprint("select  name from patient\twhere patient_id=1".replace("=1", " = 99"))
    assert a.digest == b.digest and len(a.digest) == 16
    assert a.digest != fingerprint("SELECT name FROM patient WHERE patient_id = 1 OR 1=1").digest
