from __future__ import annotations

import json

from sqlalchemy import create_engine, text

from .conftest import Medshield


def test_query_prints_masked_rows_and_checksum(postgres_url: str, medshield: Medshield) -> None:
    engine = create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE ward (ward_id INT PRIMARY KEY, ward_name VARCHAR(20))"))
        conn.execute(text("INSERT INTO ward VALUES (1, '内科一病区')"))
    engine.dispose()
    args = ("--user", "u1", "--role", "doctor", "--scenario", "collaborative_care")
    code, out, err = medshield("query", postgres_url, "SELECT ward_id FROM ward WHERE ward_id = 1",
                               *args, "--format", "json")  # fmt: skip
    assert code == 0, err
    result = json.loads(out)[0]
    assert result["checksum"].startswith("sm3:") and result["tier"]["name"] == "long"
    code, _, err = medshield("query", postgres_url, "DROP TABLE ward", *args)
    assert code == 1 and err.startswith("error[MS901]") and "high_risk" in err
