"""Demo step: build the synthetic alliance (placeholder until the generator lands)."""

from __future__ import annotations

from typing import ClassVar

from medshield.demo.runner import DemoContext


class SynthStep:
    name: ClassVar[str] = "synth"
    title_zh: ClassVar[str] = "生成模拟医联体"
    title_en: ClassVar[str] = "Build the synthetic alliance"

    def run(self, ctx: DemoContext) -> None:
        ctx.say(ctx.t("   （尚未实现）", "   (not built yet)"))
