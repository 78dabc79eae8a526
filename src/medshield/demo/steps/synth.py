"""Demo step: build the synthetic alliance (SQLite) that the later steps scan, mask and audit."""

from __future__ import annotations

import sqlite3
import unicodedata
from typing import ClassVar

from medshield.demo.runner import DemoContext
from medshield.synth import build_alliance


class SynthStep:
    name: ClassVar[str] = "synth"
    title_zh: ClassVar[str] = "生成模拟医联体"
    title_en: ClassVar[str] = "Build the synthetic alliance"

    def run(self, ctx: DemoContext) -> None:
        manifest = build_alliance(
            ctx.workdir / "alliance", bundle=ctx.bundle, patients=ctx.patients, seed=ctx.seed
        )
        ctx.artifacts["alliance"] = manifest
        ctx.say(
            ctx.t(
                f"   {manifest.patients:,} 名患者，{len(manifest.databases)} 家机构，"
                f"共 {manifest.total_rows:,} 行，用时 {manifest.seconds:.1f} 秒",
                f"   {manifest.patients:,} people, {len(manifest.databases)} institutions, "
                f"{manifest.total_rows:,} rows in {manifest.seconds:.1f} s",
            )
        )
        for inst in ctx.bundle.institutions:
            tables = manifest.rows[inst.id]
            ctx.say(
                f"   {inst.id:<3} {_pad(inst.name, 36)} {manifest.styles[inst.id]:<18} "
                + ctx.t(
                    f"{len(tables)} 张表 {sum(tables.values()):>8,} 行",
                    f"{len(tables)} tables {sum(tables.values()):>8,} rows",
                )
            )
        first = ctx.bundle.institutions[0].id
        table = manifest.table(first, "patient")
        conn = sqlite3.connect(manifest.databases[first].removeprefix("sqlite:///"))
        try:
            cursor = conn.execute(f'SELECT * FROM "{table}" LIMIT 1')  # noqa: S608
            names = [d[0] for d in cursor.description]
            row = cursor.fetchone()
        finally:
            conn.close()
        ctx.say(ctx.t(f"   样例（{first}.{table}）：", f"   sample row ({first}.{table}):"))
        for column, value in zip(names, row, strict=True):
            ctx.say(f"     {column:<18} {value}")
        ctx.say(
            ctx.t(
                f"   真值表：{manifest.ground_truth}", f"   ground truth: {manifest.ground_truth}"
            )
        )
        ctx.report("模拟医联体", "synthetic alliance",
                   f"{len(manifest.databases)} DB, {manifest.total_rows:,} rows")  # fmt: skip


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - used, 0)
