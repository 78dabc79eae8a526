"""Run every ``bench/bench_*.py`` module's ``run(quick)`` and print one table.

python -m bench            # full sizes
python -m bench --quick    # small sizes, to check the benchmarks themselves (``make test``)
python -m bench ledger     # only modules whose name contains "ledger"

A module that raises, or that returns no figure, is a failure: its traceback is printed, the
others still run, the table shows what was measured, and the exit code is 1.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time
import traceback

from bench.harness import Row, render


def module_names(only: list[str]) -> list[str]:
    import bench

    names = sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_")
    )
    return [n for n in names if any(o in n for o in only)] if only else names


def run_modules(names: list[str], *, quick: bool) -> tuple[list[Row], list[str]]:
    """The rows of every module, and the names of those that failed."""
    rows: list[Row] = []
    failed: list[str] = []
    for name in names:
        started = time.perf_counter()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        try:
            module = importlib.import_module(f"bench.{name}")
            found = list(module.run(quick=quick))
            if not found:
                raise RuntimeError("the benchmark measured nothing (no rows)")
            rows.extend(found)
        except Exception:  # noqa: BLE001 - one broken benchmark must not hide the others
            failed.append(name)
            print(f"error: {name} failed:", file=sys.stderr)
            traceback.print_exc(file=sys.stderr)
        print(f"  {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return rows, failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("only", nargs="*", help="run only modules whose name contains one of these")
    parser.add_argument("--quick", action="store_true", help="small sizes")
    args = parser.parse_args(argv)
    names = module_names(args.only)
    if not names:
        print(f"error: no benchmark module matches {args.only}", file=sys.stderr)
        return 1
    rows, failed = run_modules(names, quick=args.quick)
    print(render(rows))
    if failed:
        print(f"error: {len(failed)} benchmark(s) failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
