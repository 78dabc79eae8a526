"""Run every ``bench/bench_*.py`` module's ``run(quick)`` and print one table.

python -m bench            # full sizes
python -m bench --quick    # small sizes, to check the benchmarks themselves
python -m bench ledger     # only modules whose name contains "ledger"
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time

from bench.harness import Row, render


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("only", nargs="*", help="run only modules whose name contains one of these")
    parser.add_argument("--quick", action="store_true", help="small sizes")
    args = parser.parse_args()
    import bench

    names = sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_")
    )
    if args.only:
        names = [n for n in names if any(o in n for o in args.only)]
    rows: list[Row] = []
    failed = 0
    for name in names:
        started = time.perf_counter()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        try:
            module = importlib.import_module(f"bench.{name}")
            rows.extend(module.run(quick=args.quick))
        except Exception as exc:  # noqa: BLE001 - one broken benchmark must not hide the others
            failed += 1
            print(f"error: {name} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        print(f"  {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    print(render(rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
