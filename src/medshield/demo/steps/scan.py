"""Demo step: scan the synthetic alliance into the catalogue, classify and grade every column."""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Any, ClassVar

from medshield.classify.catalog import ScanOptions, open_catalog, scan_source
from medshield.classify.report import level_map, report_rows
from medshield.demo.runner import DemoContext
from medshield.elements import CATEGORIES, Level


class ScanStep:
    name: ClassVar[str] = "scan"
    title_zh: ClassVar[str] = "数据资产扫描与分类分级"
    title_en: ClassVar[str] = "Scan, classify and grade the alliance's data"

    def run(self, ctx: DemoContext) -> None:
        manifest: Any = ctx.artifacts.get("alliance")
        if manifest is None:
            ctx.say(ctx.t("   （没有模拟医联体可扫描）", "   (no synthetic alliance to scan)"))
            return
        store_url = f"sqlite:///{ctx.workdir / 'catalog.db'}"
        store = open_catalog(store_url)
        options = ScanOptions(sample=30)
        summaries = [
            scan_source(store, url, ctx.bundle, options=options, actor="medshield.demo")
            for url in manifest.databases.values()
        ]
        rows = report_rows(store)
        tables = sum(s.tables for s in summaries)
        ctx.say(ctx.t(f"   扫描 {len(summaries)} 个数据库、{tables} 张表、{len(rows)} 个字段",
                      f"   scanned {len(summaries)} databases, {tables} tables, {len(rows)} columns"))  # fmt: skip
        self._totals(ctx, rows)
        self._examples(ctx, store)
        review = sum(1 for r in rows if r["review"])
        ctx.say(ctx.t(f"   待人工复核（置信度低）：{review} 个字段",
                      f"   to review (low confidence): {review} columns"))  # fmt: skip
        ctx.artifacts["level_map"] = level_map(store)
        ctx.artifacts["catalog_store"] = store_url
        ctx.report("分类分级字段", "graded columns", f"{len(rows)} ({review} to review)")

    def _totals(self, ctx: DemoContext, rows: list[dict[str, Any]]) -> None:
        counts = Counter((r["category"], r["level"]) for r in rows)
        levels = list(Level)
        ctx.say("   " + _pad("", 22) + "".join(_pad(lv.label(ctx.lang), 12) for lv in levels))
        for cat in CATEGORIES:
            label = cat.zh if ctx.lang == "zh" else cat.en
            cells = "".join(_pad(str(counts.get((cat.key, lv.en), 0)), 12) for lv in levels)
            ctx.say(f"   {_pad(label, 22)}{cells}")
        none = sum(n for (c, _), n in counts.items() if not c)
        ctx.say(ctx.t(f"   未识别数据元：{none} 个字段", f"   no element: {none} columns"))

    def _examples(self, ctx: DemoContext, store: Any) -> None:
        """A few columns under three vendors' names, and free text carrying identifiers."""
        ctx.say(
            ctx.t(
                "   示例（三种命名风格同一数据元）：",
                "   examples (one element, three naming styles):",
            )
        )
        rows = report_rows(store)
        seen: set[str] = set()
        for r in rows:
            if r["element"] == "DE02.01.030.00" and r["source"] not in seen and len(seen) < 3:
                seen.add(r["source"])
                self._show(ctx, r)
        embedded = next((r for r in rows if "highest" in r["trace"]), None)
        if embedded is not None:
            ctx.say(ctx.t("   自由文本中发现标识符：", "   identifiers found inside free text:"))
            self._show(ctx, embedded)

    def _show(self, ctx: DemoContext, r: dict[str, Any]) -> None:
        element = ctx.bundle.catalogue[r["element"]] if r["element"] else None
        name = (element.zh if ctx.lang == "zh" else element.en) if element else "-"
        where = f"{r['table']}.{r['column']}"
        ctx.say(f"     {where:<24} {_pad(name, 20)} {r['level']:<10} {r['confidence']:.2f}")
        ctx.say(f"       {r['trace'][:110]}")


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - used, 0)
