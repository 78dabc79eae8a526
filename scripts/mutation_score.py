"""Print the score of the last ``mutmut run`` (``make mutate``), per module and in all.

The score is over the mutants checked; a run cut short reports how many were not checked.
A mutant counts as caught when a test failed on it (killed) or it ran past mutmut's timeout.
Mutants listed in tests/mutation-survivors.md (a line ``- `NAME` ...``) are equivalent to the
code (no test can tell them apart) and are left out of the adjusted score.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CAUGHT = {1: "killed", 3: "killed", 36: "timeout", 37: "killed", -24: "timeout", 24: "timeout",
          152: "timeout", 255: "timeout"}  # fmt: skip


def listed_equivalent(path: Path = ROOT / "tests" / "mutation-survivors.md") -> set[str]:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return set(re.findall(r"^- `([\w.]+__mutmut_\d+)`", text, flags=re.M))


def status(code: int | None) -> str:
    if code is None:
        return "not checked"
    return CAUGHT.get(code, "survived" if code == 0 else "no tests" if code in (5, 33) else "other")


def main() -> int:
    metas = sorted((ROOT / "mutants" / "src").rglob("*.py.meta"))
    if not metas:
        print("error: no mutmut results (run `make mutate`)", file=sys.stderr)
        return 1
    equivalent = listed_equivalent()
    total: Counter[str] = Counter()
    unexplained: list[str] = []
    print(
        f"{'module':<40} {'mutants':>8} {'caught':>8} {'survived':>9} {'equivalent':>11} {'score':>7} {'unchecked':>9}"
    )
    for meta in metas:
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        counts: Counter[str] = Counter()
        for name, code in codes.items():
            kind = status(code)
            if kind in ("killed", "timeout"):
                counts["caught"] += 1
            elif name in equivalent:
                counts["equivalent"] += 1
            else:
                counts[kind] += 1
                if kind != "not checked":
                    unexplained.append(f"{name}: {kind}")
            counts["mutants"] += 1
        total.update(counts)
        module = str(meta.relative_to(ROOT / "mutants" / "src")).removesuffix(".meta")
        _line(module, counts)
    _line("all", total)
    raw = total["caught"] / total["mutants"] if total["mutants"] else 0.0
    print(f"\nmutation score: {raw:.1%} of {total['mutants']} mutants caught;"
          f" {_adjusted(total):.1%} of those checked, without the {total['equivalent']} listed as"
          f" equivalent; {total['not checked']} not checked")  # fmt: skip
    for line in unexplained:
        print(f"  not caught, not explained: {line}")
    return 0


def _adjusted(c: Counter[str]) -> float:
    considered = c["mutants"] - c["equivalent"] - c["not checked"]
    return c["caught"] / considered if considered else 0.0


def _line(name: str, c: Counter[str]) -> None:
    not_caught = c["mutants"] - c["caught"] - c["equivalent"] - c["not checked"]
    print(f"{name:<40} {c['mutants']:>8} {c['caught']:>8} {not_caught:>9} {c['equivalent']:>11}"
          f" {_adjusted(c):>7.1%} {c['not checked']:>9}")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
