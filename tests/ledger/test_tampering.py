"""Honest appends always verify; any single tampering is caught at the right record."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from medshield.ledger import DataObject, Event, Ledger, open_ledger
from medshield.ledger.canonical import Linker


def _event(i: int) -> Event:
    return Event(
        action="api.call",
        actor=f"svc_{i}",
        object=DataObject(table="检验报告"),
        rows=i,
        detail={"科室": "血液科", "n": i},
    )


_TEMPLATE: list[Path] = []


def _template() -> Path:
    if not _TEMPLATE:
        path = Path(tempfile.mkdtemp(prefix="ledger-template-")) / "store.db"
        open_ledger(f"sqlite:///{path}").close()
        _TEMPLATE.append(path)
    return _TEMPLATE[0]


class TamperMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="ledger-sm-"))
        self.path = self.folder / "store.db"
        shutil.copy(_template(), self.path)  # migrating once, not per example
        # A checkpoint after every batch: the signed head always names the newest record.
        self.ledger: Ledger = open_ledger(f"sqlite:///{self.path}", checkpoint_every=1)
        self.count = 0
        self.expected_bad: int | None = None

    def teardown(self) -> None:
        self.ledger.close(checkpoint=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _sql(self, *statements: tuple[str, tuple[object, ...]]) -> None:
        with sqlite3.connect(self.path) as conn:
            for sql, args in statements:
                conn.execute(sql, args)

    def _row(self, seq: int) -> tuple[object, ...]:
        with sqlite3.connect(self.path) as conn:
            return conn.execute(
                "SELECT at_us, action, body, prev_hash, hash FROM ledger_records WHERE seq = ?",
                (seq,),
            ).fetchone()

    @precondition(lambda self: self.expected_bad is None)
    @rule(n=st.integers(1, 4))
    def append(self, n: int) -> None:
        receipts = self.ledger.append_many([_event(self.count + i) for i in range(n)])
        assert [r.seq for r in receipts] == list(range(self.count + 1, self.count + n + 1))
        self.count += n

    @precondition(lambda self: self.expected_bad is None and self.count >= 1)
    @rule(data=st.data(), column=st.sampled_from(["body", "action", "at_us", "hash"]))
    def edit(self, data: st.DataObject, column: str) -> None:
        k = data.draw(st.integers(1, self.count))
        change = {
            "body": "UPDATE ledger_records SET body = replace(body, '血液科', '肿瘤科') WHERE seq = ?",
            "action": "UPDATE ledger_records SET action = 'api.view' WHERE seq = ?",
            "at_us": "UPDATE ledger_records SET at_us = at_us + 1 WHERE seq = ?",
            "hash": "UPDATE ledger_records SET hash = substr(hash, 2) || '0' WHERE seq = ?",
        }[column]
        self._sql((change, (k,)))
        self.expected_bad = k

    @precondition(lambda self: self.expected_bad is None and self.count >= 2)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        k = data.draw(st.integers(1, self.count - 1))
        self._sql(("DELETE FROM ledger_records WHERE seq = ?", (k,)))
        self.expected_bad = k

    @precondition(lambda self: self.expected_bad is None and self.count >= 2)
    @rule(data=st.data())
    def insert(self, data: st.DataObject) -> None:
        k = data.draw(st.integers(1, self.count))
        j = data.draw(st.integers(1, self.count).filter(lambda x: x != k))
        forged = self._row(j)
        self._sql(
            ("UPDATE ledger_records SET seq = -seq - 1 WHERE seq >= ?", (k,)),
            ("UPDATE ledger_records SET seq = -seq WHERE seq < 0", ()),
            ("INSERT INTO ledger_records VALUES (?, ?, ?, ?, ?, ?)", (k, *forged)),
        )
        self.expected_bad = k

    @precondition(lambda self: self.expected_bad is None and self.count >= 2)
    @rule(data=st.data())
    def reorder(self, data: st.DataObject) -> None:
        i = data.draw(st.integers(1, self.count - 1))
        j = data.draw(st.integers(i + 1, self.count))
        a, b = self._row(i), self._row(j)
        sql = "UPDATE ledger_records SET at_us=?, action=?, body=?, prev_hash=?, hash=? WHERE seq=?"
        self._sql((sql, (*b, i)), (sql, (*a, j)))
        self.expected_bad = i

    @precondition(lambda self: self.expected_bad is None and self.count >= 1)
    @rule(data=st.data())
    def rewrite(self, data: st.DataObject) -> None:
        """Edit a record and recompute every hash after it: only the signed checkpoints tell."""
        k = data.draw(st.integers(1, self.count))
        linker = Linker("sha256")
        with sqlite3.connect(self.path) as conn:
            rows = conn.execute(
                "SELECT seq, at_us, action, body FROM ledger_records WHERE seq >= ? ORDER BY seq",
                (k,),
            ).fetchall()
            (prev,) = conn.execute(
                "SELECT prev_hash FROM ledger_records WHERE seq = ?", (k,)
            ).fetchone()
            for seq, at_us, action, body in rows:
                if seq == k:
                    body = body.replace("血液科", "肿瘤科")
                hash_ = linker.record_hash(seq, prev, at_us, action, body)
                conn.execute(
                    "UPDATE ledger_records SET body = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                    (body, prev, hash_, seq),
                )
                prev = hash_
            conn.execute("UPDATE ledger_head SET hash = ? WHERE id = 1", (prev,))
            (first_signed,) = conn.execute(
                "SELECT min(seq) FROM ledger_checkpoints WHERE seq >= ?", (k,)
            ).fetchone()
        self.expected_bad = first_signed

    @precondition(lambda self: self.expected_bad is None and self.count >= 2)
    @rule(data=st.data())
    def truncate(self, data: st.DataObject) -> None:
        keep = data.draw(st.integers(1, self.count - 1))
        kept_hash = self._row(keep)[4]
        # A careful attacker also rewinds the head row; the signed checkpoint still names the tail.
        self._sql(
            ("DELETE FROM ledger_records WHERE seq > ?", (keep,)),
            ("UPDATE ledger_head SET seq = ?, hash = ? WHERE id = 1", (keep, kept_hash)),
        )
        self.expected_bad = keep + 1

    @rule()
    def look_again(self) -> None:
        """Verifying twice gives the same answer (the invariant runs after this too)."""

    @invariant()
    def verify_tells_the_truth(self) -> None:
        report = self.ledger.verify()
        if self.expected_bad is None:
            assert report.ok, report.problem
            assert report.checked == self.count
        else:
            assert not report.ok
            assert report.first_bad_seq == self.expected_bad, report.problem


TamperMachine.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_tampering = TamperMachine.TestCase
