"""Loading a schema file (DDL, optionally with data) into a database, to scan a schema that is
known only as a file. sqlglot translates between dialects; schema qualifiers are dropped where the
target has no schemas."""

from __future__ import annotations

import logging

import sqlglot
from sqlalchemy import Engine, text
from sqlglot import exp

from medshield.errors import ClassificationError

KEEP = (exp.Create, exp.Insert, exp.Comment)


def load_schema(engine: Engine, sql: str, *, read: str, tables_only: bool = False) -> int:
    """Run the CREATE TABLE (and INSERT, unless ``tables_only``) statements of ``sql``, written
    in dialect ``read``, on ``engine``; return how many statements ran."""
    write = engine.dialect.name
    write = {"mariadb": "mysql", "postgresql": "postgres", "mssql": "tsql"}.get(write, write)
    quiet = logging.getLogger("sqlglot")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        statements = sqlglot.parse(sql, read=read)
    except sqlglot.errors.ParseError as exc:
        raise ClassificationError(f"cannot parse schema: {exc}".splitlines()[0]) from None
    finally:
        quiet.setLevel(level)
    done = 0
    with engine.begin() as conn:
        for stmt in statements:
            if stmt is None or not isinstance(stmt, KEEP):
                continue
            schema = isinstance(stmt, exp.Create) and stmt.kind == "SCHEMA"
            if schema and write != "sqlite":
                conn.execute(text(stmt.sql(dialect=write)))
                continue
            if isinstance(stmt, exp.Create) and (
                stmt.kind != "TABLE" or not list(stmt.find_all(exp.ColumnDef))
            ):
                continue  # views, functions, and partitions that only add a CHECK
            if tables_only and not isinstance(stmt, exp.Create):
                continue
            if write == "sqlite":
                for table in stmt.find_all(exp.Table):
                    table.set("db", None)
                if isinstance(stmt, exp.Comment):
                    continue
            conn.execute(text(stmt.sql(dialect=write).replace(":", r"\:")))
            done += 1
    return done


def run_dump(engine: Engine, sql: str) -> int:
    """Run a dump written for ``engine``'s own dialect (e.g. a mysqldump on MariaDB), statement
    by statement; statements end with ``;`` at the end of a line."""
    done = 0
    statement: list[str] = []
    with engine.begin() as conn:
        raw = conn.connection.driver_connection
        cursor = raw.cursor()  # type: ignore[union-attr]
        for line in sql.splitlines():
            if not statement and (not line.strip() or line.startswith("--")):
                continue
            statement.append(line)
            if line.rstrip().endswith(";"):
                cursor.execute("\n".join(statement))
                statement = []
                done += 1
        cursor.close()
    return done
