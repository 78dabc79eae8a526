"""``make bench`` itself: every benchmark runs at small sizes and gives its figures."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from bench import __main__ as bench_main
from bench.harness import Row

ROOT = Path(__file__).resolve().parents[1]


def test_bench_quick_runs_every_benchmark() -> None:
    """``python -m bench --quick`` exits 0 with a row from every ``bench_*`` module."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    for name in bench_main.module_names([]):
        assert f"running {name} ..." in done.stderr
    assert "PostgreSQL" in done.stdout  # the ledger's PostgreSQL figures are in the table


def test_a_failing_benchmark_fails_the_run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A benchmark that raises, or measures nothing, is a failure (exit 1), not a dropped row;
    the others still run and print."""

    def broken(quick: bool) -> list[Row]:
        raise ConnectionError("no server")

    good = SimpleNamespace(run=lambda quick: [Row("figure", 2.0, "x/s", "baseline", 1.0)])
    monkeypatch.setitem(sys.modules, "bench.bench_zz_broken", SimpleNamespace(run=broken))
    monkeypatch.setitem(sys.modules, "bench.bench_zz_empty", SimpleNamespace(run=lambda quick: []))
    monkeypatch.setitem(sys.modules, "bench.bench_zz_good", good)
    monkeypatch.setattr(
        bench_main,
        "module_names",
        lambda only: ["bench_zz_broken", "bench_zz_empty", "bench_zz_good"],
    )
    assert bench_main.main(["--quick"]) == 1
    out, err = capsys.readouterr()
    assert "ConnectionError: no server" in err
    assert "measured nothing" in err
    assert "2 benchmark(s) failed: bench_zz_broken, bench_zz_empty" in err
    assert "figure" in out and "2.00x" in out
