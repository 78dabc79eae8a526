from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from medshield.ledger import Ledger
from medshield.monitor import Window
from medshield.monitor.checks.denials import DenialBurstCheck


def _window(ledger: Ledger, now: datetime) -> Window:
    start = now - timedelta(minutes=5)
    return Window(start, now, list(ledger.records(since=start, until=now)))


def test_counts_denials_per_actor_and_ip_inside_the_window(
    ledger: Ledger, history: Callable[..., None], now: datetime
) -> None:
    history(4, 10, actor="u1", outcome="deny", source_ip="10.0.0.9")
    history(3, 20, actor="u2", outcome="deny", source_ip="10.0.0.9")
    history(9, 400, actor="u1", outcome="deny")  # before the window
    history(9, 10, actor="u1", outcome="allow")  # not denials
    check = DenialBurstCheck(DenialBurstCheck.Params(threshold=5))
    findings = check.run(ledger, _window(ledger, now))
    assert [(f.subject, f.count) for f in findings] == [("ip:10.0.0.9", 7)]


class _Rec:
    def __init__(self, outcome: str, actor: str) -> None:
        self.event = type("E", (), {"outcome": outcome, "actor": actor, "source_ip": None})()


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["deny", "allow", "alert"]), st.sampled_from("abc"))),
    st.integers(1, 6),
)
def test_an_actor_is_reported_exactly_when_at_or_over_threshold(
    events: list[tuple[str, str]], threshold: int
) -> None:
    now = datetime(2026, 1, 1)
    window = Window(now, now, [_Rec(o, a) for o, a in events])
    found = {f.subject: f.count for f in DenialBurstCheck(
        DenialBurstCheck.Params(threshold=threshold)).run(None, window)}  # fmt: skip
    for actor in "abc":
        denials = sum(1 for o, a in events if o == "deny" and a == actor)
        assert found.get(f"actor:{actor}") == (denials if denials >= threshold else None)
