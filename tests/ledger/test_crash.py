"""A writer killed with SIGKILL loses no acknowledged event and leaves a chain that verifies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from medshield.ledger import open_ledger

WRITER = """
import sys
from medshield.ledger import Event, open_ledger

ledger = open_ledger(sys.argv[1], checkpoint_every=200)
n = 0
while True:
    batch = [Event(action="api.call", actor=f"svc_{n + i}", detail={"科室": "心内科", "n": n + i})
             for i in range(25)]
    for receipt in ledger.append_many(batch):  # acknowledged: committed
        sys.stdout.write(f"{receipt.seq} {receipt.hash}\\n")
    sys.stdout.flush()
    n += 25
"""


def _run_and_kill(url: str, after_receipts: int) -> dict[int, str]:
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    assert child.stdout is not None
    acknowledged: dict[int, str] = {}
    deadline = time.monotonic() + 60
    while len(acknowledged) < after_receipts and time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        seq, hash_ = line.split()
        acknowledged[int(seq)] = hash_
    child.send_signal(signal.SIGKILL)
    rest, err = child.communicate(timeout=30)
    for line in rest.splitlines():  # receipts already in the pipe when it died
        seq, hash_ = line.split()
        acknowledged[int(seq)] = hash_
    assert acknowledged, f"the writer acknowledged nothing: {err[-2000:]}"
    return acknowledged


@pytest.mark.slow
@pytest.mark.parametrize("store", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_sigkill_loses_no_acknowledged_event(store: str, request: pytest.FixtureRequest) -> None:
    url = str(request.getfixturevalue(f"{store}_url"))
    open_ledger(url).close()  # migrate first, so the kill lands among appends
    acknowledged: dict[int, str] = {}
    for round_, after in enumerate((300, 750, 1200)):
        acknowledged |= _run_and_kill(url, after)
        with open_ledger(url) as ledger:
            report = ledger.verify()
            assert report.ok, f"round {round_}: {report.problem}"
            stored = {r.seq: r.hash for r in ledger.raw_records()}
        missing = [s for s, h in acknowledged.items() if stored.get(s) != h]
        assert not missing, f"round {round_}: acknowledged but lost: {missing[:10]}"
        assert report.checked >= max(acknowledged)


COUNTED_WRITER = """
import sys
from medshield.ledger import Event, open_ledger

ledger = open_ledger(sys.argv[1], checkpoint_every=50)
for b in range(int(sys.argv[3])):
    ledger.append_many([Event(action="api.call", actor=f"{sys.argv[2]}_{b}_{i}") for i in range(10)])
ledger.close()
"""


@pytest.mark.slow
@pytest.mark.parametrize("store", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_writers_in_several_processes_share_one_chain(
    store: str, request: pytest.FixtureRequest
) -> None:
    url = str(request.getfixturevalue(f"{store}_url"))
    open_ledger(url).close()
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", COUNTED_WRITER, url, f"w{k}", "30"],
            env=os.environ.copy(),
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for k in range(3)
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err[-2000:]
    with open_ledger(url) as ledger:
        report = ledger.verify()
        actors = [r.event.actor for r in ledger.records()]
    assert report.ok, report.problem
    assert report.checked == 3 * 30 * 10 == len(set(actors))
