"""A small source table of visits with Chinese data, on SQLite, PostgreSQL or MariaDB."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, create_engine

from medshield.ledger import Ledger, open_ledger

OLD, NEW = datetime(1990, 5, 1, 9, 30), datetime(2026, 5, 1, 9, 30)
VISITS = [
    # id, patient, name, diagnosis, visited
    (1, "k1:PAAAAAAAAAAAAAAAA", "张三", "免疫性血小板减少症", OLD),
    (2, "k1:PAAAAAAAAAAAAAAAA", "张三", "癌症", OLD),
    (3, "k1:PBBBBBBBBBBBBBBBB", "欧阳娜娜", "高血压", OLD),
    (4, "k1:PCCCCCCCCCCCCCCCC", "李四", "糖尿病", NEW),
    (5, "k1:PCCCCCCCCCCCCCCCC", "李四", "免疫性血小板减少症", NEW),
    (6, "k1:PDDDDDDDDDDDDDDDD", "王五", "肺炎：社区获得性", NEW),
]


def make_visits(url: str) -> Table:
    table = Table(
        "visits",
        MetaData(),
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("patient", String(64), nullable=False),
        Column("name", String(32)),
        Column("diagnosis", String(64)),
        Column("visited", DateTime),
    )
    engine = create_engine(url)
    table.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(table.insert(), [
            {"id": i, "patient": p, "name": n, "diagnosis": d, "visited": v}
            for i, p, n, d, v in VISITS
        ])  # fmt: skip
    engine.dispose()
    return table


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres),
                        pytest.param("mariadb", marks=pytest.mark.mariadb)])  # fmt: skip
def source_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    """The URL of a fresh source database holding ``visits``."""
    if request.param == "sqlite":
        url = f"sqlite:///{request.getfixturevalue('tmp_path') / 'source.db'}"
    else:
        url = request.getfixturevalue(f"{request.param}_url")
    make_visits(url)
    return url


@pytest.fixture
def visits() -> list[tuple[int, str, str, str, datetime]]:
    return list(VISITS)


@pytest.fixture
def ledger(sqlite_url: str) -> Iterator[Ledger]:
    with open_ledger(sqlite_url) as opened:
        yield opened


@pytest.fixture
def remaining() -> Callable[[str], list[tuple[int, str, str]]]:
    """(id, name, diagnosis) of the rows left, by id."""

    def read(url: str) -> list[tuple[int, str, str]]:
        engine = create_engine(url)
        table = Table("visits", MetaData(), autoload_with=engine)
        with engine.connect() as conn:
            rows = conn.execute(
                table.select().with_only_columns(table.c.id, table.c.name, table.c.diagnosis)
                .order_by(table.c.id)
            ).all()  # fmt: skip
        engine.dispose()
        return [tuple(r) for r in rows]  # type: ignore[misc]

    return read
