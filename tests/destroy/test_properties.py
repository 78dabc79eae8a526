"""Property: destruction removes exactly the selected rows and certifies exactly their keys."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from medshield.destroy import Selection, destroy, key_digest

ages = st.lists(st.integers(0, 120), min_size=0, max_size=30)


@settings(max_examples=30, deadline=None)
@given(ages, st.integers(0, 121))
def test_exactly_the_selected_rows_go(values: list[int], limit: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 's.db'}"
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE p (id INTEGER PRIMARY KEY, 年龄 INTEGER)"))
            for i, v in enumerate(values):
                conn.execute(text("INSERT INTO p VALUES (:i, :v)"), {"i": i, "v": v})
        cert = destroy(url, Selection("p", where=f"年龄 < {limit}"), approved_by="c1",
                       operator="op")  # fmt: skip
        with engine.connect() as conn:
            left = conn.execute(text("SELECT id FROM p ORDER BY id")).scalars().all()
        engine.dispose()
    gone = [i for i, v in enumerate(values) if v < limit]
    assert left == [i for i, v in enumerate(values) if v >= limit]
    assert cert.rows == len(gone) and cert.verified
    assert cert.key_digest == key_digest([(i,) for i in gone])
