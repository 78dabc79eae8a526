"""Running the demo: a fixed sequence of steps sharing one context.

A capability plugs into the demo with one file in ``demo/steps/`` and one line in its ``STEPS``
tuple; a step reads what earlier steps left in ``ctx.artifacts`` and adds its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol

from medshield.policy import PolicyBundle


@dataclass
class DemoContext:
    workdir: Path
    bundle: PolicyBundle
    patients: int
    seed: int
    lang: str = "zh"
    say: Callable[[str], None] = print
    artifacts: dict[str, Any] = field(default_factory=dict)
    summary: list[tuple[str, str]] = field(default_factory=list)

    def t(self, zh: str, en: str) -> str:
        """The text in the demo's language."""
        return zh if self.lang == "zh" else en

    def report(self, key_zh: str, key_en: str, value: object) -> None:
        """Add a line to the closing summary."""
        self.summary.append((self.t(key_zh, key_en), str(value)))


class DemoStep(Protocol):
    name: ClassVar[str]
    title_zh: ClassVar[str]
    title_en: ClassVar[str]

    def run(self, ctx: DemoContext) -> None: ...


def run_demo(ctx: DemoContext, steps: Sequence[type[DemoStep]]) -> list[tuple[str, str]]:
    """Run every step in order; return the summary lines."""
    total = len(steps)
    for number, step_cls in enumerate(steps, start=1):
        step = step_cls()
        ctx.say("")
        ctx.say(f"== [{number}/{total}] {ctx.t(step.title_zh, step.title_en)} ==")
        started = time.perf_counter()
        step.run(ctx)
        ctx.say(
            ctx.t(
                f"   （用时 {time.perf_counter() - started:.1f} 秒）",
                f"   ({time.perf_counter() - started:.1f} s)",
            )
        )
    return ctx.summary
