"""Demo step: the policy bundle in force."""

from __future__ import annotations

from typing import ClassVar

from medshield.demo.runner import DemoContext


class PolicyStep:
    name: ClassVar[str] = "policy"
    title_zh: ClassVar[str] = "加载数据安全策略"
    title_en: ClassVar[str] = "Load the data-security policy"

    def run(self, ctx: DemoContext) -> None:
        b = ctx.bundle
        hubs = sum(1 for i in b.institutions if i.kind == "hub")
        ctx.say(
            ctx.t(
                f"   策略 {b.meta.name} 版本 {b.short_version}",
                f"   policy {b.meta.name} version {b.short_version}",
            )
        )
        ctx.say(
            ctx.t(
                f"   数据元 {len(b.catalogue)} 个；机构 {len(b.institutions)} 家（牵头医院 {hubs} 家）；"
                f"角色 {len(b.roles)} 个；定级规则 {len(b.levels.rules)} 条",
                f"   {len(b.catalogue)} data elements; {len(b.institutions)} institutions ({hubs} hubs); "
                f"{len(b.roles)} roles; {len(b.levels.rules)} level rules",
            )
        )
        ctx.report("策略版本", "policy version", b.short_version)
