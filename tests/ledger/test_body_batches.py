"""``Ledger.body_batches``: the reports' fast read gives exactly the records ``raw_records`` gives."""

from __future__ import annotations

import json
from datetime import timedelta

from medshield.ledger import open_ledger

from .conftest import T0, make_events


def test_batches_hold_the_window_and_prefix_in_seq_order(ledger_url: str) -> None:
    events = make_events(10) + make_events(7, start=10, action="gateway.call")
    events += make_events(3, start=17, action="gateway_call")  # "_" is no LIKE wildcard here
    with open_ledger(ledger_url) as ledger:
        ledger.append_many(events)
        since, until = T0 + timedelta(seconds=11), T0 + timedelta(seconds=19)
        batches = list(
            ledger.body_batches(since=since, until=until, action_prefix="gateway.", size=4)
        )
        expected = [
            (r.at_us, r.action, r.body)
            for r in ledger.raw_records(since=since, until=until, action_prefix="gateway.")
        ]
    assert [len(b) for b in batches] == [4, 2]
    assert [tuple(row) for batch in batches for row in batch] == expected
    assert [json.loads(row[2])["rows"] for batch in batches for row in batch] == [
        11,
        12,
        13,
        14,
        15,
        16,
    ]
