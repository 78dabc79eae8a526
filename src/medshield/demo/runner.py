"""Running the demo: a fixed sequence of steps sharing one context.

A capability plugs into the demo with one file in ``demo/steps/`` and one line in its ``STEPS``
tuple; a step reads what earlier steps left in ``ctx.artifacts`` and adds its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol

from medshield.ledger import Event, Ledger, open_ledger
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
    ledger: Ledger | None = None  # the demo's own ledger (``ledger.db`` in ``workdir``)

    def t(self, zh: str, en: str) -> str:
        """The text in the demo's language."""
        return zh if self.lang == "zh" else en

    def report(self, key_zh: str, key_en: str, value: object) -> None:
        """Add a line to the closing summary."""
        self.summary.append((self.t(key_zh, key_en), str(value)))

    @contextmanager
    def ledger_in_use(self) -> Iterator[Ledger]:
        """The running demo's ledger; a step run alone opens ``ledger.db`` in ``workdir``."""
        if self.ledger is not None:
            yield self.ledger
            return
        with open_ledger(f"sqlite:///{self.workdir / 'ledger.db'}", bundle=self.bundle) as ledger:
            yield ledger


class DemoStep(Protocol):
    name: ClassVar[str]
    title_zh: ClassVar[str]
    title_en: ClassVar[str]

    def run(self, ctx: DemoContext) -> None: ...


def run_demo(ctx: DemoContext, steps: Sequence[type[DemoStep]]) -> list[tuple[str, str]]:
    """Run every step in order; return the summary lines."""
    total = len(steps)
    owned = ctx.ledger is None
    ledger = ctx.ledger or open_ledger(f"sqlite:///{ctx.workdir / 'ledger.db'}", bundle=ctx.bundle)
    ctx.ledger = ledger
    try:
        for number, step_cls in enumerate(steps, start=1):
            step = step_cls()
            ctx.say("")
            ctx.say(f"== [{number}/{total}] {ctx.t(step.title_zh, step.title_en)} ==")
            _record_step(ledger, step.name, number, "start")
            started = time.perf_counter()
            try:
                step.run(ctx)
            except BaseException:
                _record_step(ledger, step.name, number, "failed", time.perf_counter() - started)
                raise
            seconds = time.perf_counter() - started
            _record_step(ledger, step.name, number, "end", seconds)
            ctx.say(ctx.t(f"   （用时 {seconds:.1f} 秒）", f"   ({seconds:.1f} s)"))
    finally:
        if owned:
            ledger.close()
            ctx.ledger = None
    return ctx.summary


def _record_step(ledger: Ledger, name: str, number: int, phase: str, seconds: float = 0.0) -> None:
    """Every step's start and end go to the ledger ("demo.step")."""
    ledger.append(
        Event(
            action="demo.step",
            actor="demo",
            outcome="alert" if phase == "failed" else "info",
            duration_ms=seconds * 1000 if phase != "start" else None,
            detail={"step": name, "number": number, "phase": phase},
        )
    )
