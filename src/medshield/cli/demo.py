"""``medshield demo``: the guided tour on embedded defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from medshield.demo import DemoContext, run_demo
from medshield.demo.steps import STEPS
from medshield.demo.steps.console import closing_lines
from medshield.policy import load_bundle
from medshield.settings import get_settings


def register(root: typer.Typer) -> None:
    root.command("demo")(demo)


def demo(
    out: Annotated[Path, typer.Option(help="Folder for the synthetic alliance.")] = Path(
        "demo-alliance"
    ),
    patients: Annotated[int, typer.Option(min=100, help="Patients in the alliance.")] = 20_000,
    seed: Annotated[int, typer.Option(help="The same seed builds the same alliance.")] = 7,
    lang: Annotated[
        str | None, typer.Option(help="zh (中文) or en; MEDSHIELD_LANG when not given.")
    ] = None,
    policy: Annotated[Path | None, typer.Option(help="Policy bundle folder.")] = None,
) -> None:
    """Build the synthetic alliance and show the platform at work (演示)."""
    lang = lang or get_settings().lang
    if lang not in ("zh", "en"):
        raise typer.BadParameter("lang must be zh or en", param_hint="--lang")
    ctx = DemoContext(
        workdir=out.resolve(),
        bundle=load_bundle(policy),
        patients=patients,
        seed=seed,
        lang=lang,
        say=typer.echo,
    )
    ctx.workdir.mkdir(parents=True, exist_ok=True)
    summary = run_demo(ctx, STEPS)
    typer.echo("")
    typer.echo(ctx.t("== 演示完成：摘要 ==", "== Demo finished: summary =="))
    width = max((len(k) for k, _ in summary), default=0)
    for key, value in summary:
        typer.echo(f"   {key:<{width}}  {value}")
    typer.echo("")
    for line in closing_lines(ctx):
        typer.echo(line)
