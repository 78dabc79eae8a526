"""Loading and validating a policy bundle at the paper's scale (R33: 303,881 graded fields).

The baseline is a plain ``yaml.load`` with libyaml (``CSafeLoader``) of the same columns.yaml,
without positions, duplicate-key checks, validation or cross-references, measured in the same run.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml

from bench.harness import Row, timed
from medshield.policy import default_bundle_path, load_bundle
from medshield.policy.bulkyaml import collector_paused

FULL = 303_881  # fields of the real deployment (R33)
QUICK = 10_000
CODES = ("DE02.01.039.00", "DE02.01.030.00", "DE02.01.010.00", "DE05.01.025.00", "DE99.00.002.00")
ROLES = ("doctor", "researcher", "security_officer")


def write_columns(file: Path, count: int) -> None:
    """``count`` graded columns of synthetic HIS tables, 20 columns a table, four sources."""
    with file.open("w", encoding="utf-8") as out:
        out.write("# generated for the benchmark\ncolumns:\n")
        for i in range(count):
            codes = f"{CODES[i % 5]}, {CODES[(i + 2) % 5]}" if i % 7 == 0 else CODES[i % 5]
            pinned = ", level: 控制, reason: 审批 2024-17" if i % 97 == 0 else ""
            out.write(
                f"  - {{source: his_h{i % 4 + 1}, table: 表_{i // 20}, column: 字段_{i % 20},"
                f" elements: [{codes}], roles: [{ROLES[i % 3]}]{pinned}}}\n"
            )


def run(quick: bool) -> list[Row]:
    count = QUICK if quick else FULL
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bundle"
        shutil.copytree(default_bundle_path(), folder)
        columns = folder / "columns.yaml"
        write_columns(columns, count)
        size_mb = columns.stat().st_size / 1e6
        corpus = f"generated columns.yaml, {count:,} entries, {size_mb:.1f} MB"

        def plain() -> object:
            with columns.open("rb") as stream:
                return yaml.load(stream, Loader=yaml.CSafeLoader)  # noqa: S506 - safe loader

        def ours() -> object:
            bundle = load_bundle(folder)
            assert len(bundle.columns) == count
            return bundle

        def plain_paused() -> object:
            with collector_paused():
                return plain()

        base_wall, base_cpu = timed(plain)
        paused_wall, _ = timed(plain_paused)
        wall, cpu = timed(ours)
    target = "well under 60 s at 303,881" if not quick else "seconds"
    return [
        Row(
            f"policy load+validate, {count:,} columns (wall)",
            wall,
            "s",
            "yaml.load CSafeLoader",
            base_wall,
            target,
            corpus,
        ),
        Row(
            f"policy load+validate, {count:,} columns (CPU)",
            cpu,
            "s",
            "yaml.load CSafeLoader",
            base_cpu,
            target,
            corpus,
        ),
        Row(
            f"policy load+validate, {count:,} columns (wall, vs GC off)",
            wall,
            "s",
            "CSafeLoader, GC paused",
            paused_wall,
            "",
            corpus,
        ),
        Row(
            f"policy load+validate, {count:,} columns (rate)",
            count / wall,
            "columns/s",
            "yaml.load CSafeLoader",
            count / base_wall,
            "",
            corpus,
        ),
    ]
