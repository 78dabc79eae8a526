"""Sliding windows when log time goes back: a little (interleaved logs) or by hours (an older
log read after a newer one)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from medshield.audit.detectors.windows import SlidingCounts

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def _at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_a_log_replayed_keeps_one_window_per_key() -> None:
    """The same hour of failures read again and again (rotated copies, a log cat twice): a
    key's window holds the failures of one window of time, never the sum of the readings."""
    window = SlidingCounts(600)
    counts = [window.add("ip:203.0.113.9", _at(s)) for _ in range(50) for s in range(0, 3600, 10)]
    assert max(counts) == 60  # one failure every 10 s in a window of 600 s
    assert counts[-1] == 60 and len(window.state()["ip:203.0.113.9"]) == 60


def test_an_older_log_starts_the_window_again() -> None:
    window = SlidingCounts(600)
    for s in range(5):
        window.add("k", _at(7200 + s))
    assert window.add("k", _at(0)) == 1  # two hours before: not with the failures after it
    assert window.add("k", _at(1)) == 2


def test_a_little_late_counts_in_the_window_and_it_still_slides() -> None:
    window = SlidingCounts(600)
    assert [window.add("k", _at(s)) for s in (100, 200, 150, 300)] == [1, 2, 3, 4]
    assert window.add("k", _at(755)) == 4  # 100 is out; 150 came after 200: counted as at 200
    assert window.state()["k"] == [_at(s).timestamp() for s in (200, 200, 300, 755)]
    assert window.add("k", _at(801)) == 3  # the front still slides


def test_the_state_after_time_went_back_keeps_the_current_windows() -> None:
    """A restart must not lose the windows of the log being read when a newer log was read
    before it; the newer one's are kept too."""
    window = SlidingCounts(600)
    window.add("newer", _at(7200))
    window.add("current", _at(0))
    window.add("current", _at(5))
    restored = SlidingCounts(600)
    restored.restore(window.state())
    assert restored.add("current", _at(10)) == 3
    assert restored.add("newer", _at(7300)) == 2


def test_eviction_drops_the_windows_a_window_away_from_now() -> None:
    window = SlidingCounts(600, max_keys=3)
    window.add("newer", _at(7200))
    window.add("current", _at(0))
    window.add("old", _at(-3600))
    window.add("next", _at(30))  # full: the keys far from 30 s go, not the first ones
    assert window.count("current") == 1 and window.count("next") == 1
    assert window.count("newer") == 0 and window.count("old") == 0
