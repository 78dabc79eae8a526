"""``medshield probe list|run|pause``: synthetic probes of the gateway's APIs (拨测)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import httpx
import typer

from medshield.cli.ledger import UrlOption, _reading
from medshield.cli.output import Format, FormatOption, emit
from medshield.errors import InputError, LedgerMissingError, UnknownNameError
from medshield.ledger import open_ledger
from medshield.notify import Notifier
from medshield.policy import load_bundle
from medshield.probes import (
    ProbeTarget,
    due_probes,
    gateway_inbox,
    paused_probes,
    probes_from_catalogue,
    run_probes,
    set_paused,
)

app = typer.Typer(help="Synthetic probes (拨测) generated from the API catalogue.")
PolicyOption = Annotated[Path | None, typer.Option("--policy", help="Policy bundle folder.")]


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="probe")


@app.command("list")
def list_probes(
    policy: PolicyOption = None, url: UrlOption = None, fmt: FormatOption = Format.TABLE
) -> None:
    """The probes of the catalogue, how often each runs (probes.yaml) and whether it is paused."""
    try:
        with _reading(url) as ledger:
            paused = paused_probes(ledger)
    except LedgerMissingError:  # no store yet: nothing was ever paused
        paused = set()
    rows = [
        {"probe": p.name, "api": p.api, "path": p.path, "consent": p.requires_consent,
         "interval_s": p.interval_s, "paused": p.name in paused}
        for p in probes_from_catalogue(load_bundle(policy))
    ]  # fmt: skip
    emit(rows, fmt, title="probes")


@app.command("pause")
def pause(
    name: Annotated[str, typer.Argument(help="The probe, e.g. probe.patient.summary.")],
    actor: Annotated[str, typer.Option("--actor", help="Who pauses it.")],
    resume: Annotated[bool, typer.Option("--resume", help="Resume instead.")] = False,
    policy: PolicyOption = None,
    url: UrlOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Pause a probe (or resume it with --resume); recorded in the ledger."""
    known = {p.name for p in probes_from_catalogue(load_bundle(policy))}
    if name not in known:
        raise UnknownNameError(f"unknown probe {name!r}; see `medshield probe list`", where=name)
    with open_ledger(url) as ledger:
        seq = set_paused(ledger, name, actor, paused=not resume)
    emit([{"probe": name, "paused": not resume, "seq": seq}], fmt)


@app.command("run")
def run(
    gateway: Annotated[str, typer.Option("--gateway", help="The gateway's base URL.")],
    token: Annotated[
        str, typer.Option("--token", envvar="MEDSHIELD_PROBE_TOKEN", help="The canary token.")
    ],  # fmt: skip
    patient: Annotated[str, typer.Option("--patient", help="The probe patient's id number.")],
    secret: Annotated[
        list[str] | None, typer.Option("--secret", help="A raw value that must not leak (repeat).")
    ] = None,
    forwarded_for: Annotated[
        str | None, typer.Option("--forwarded-for", help="X-Forwarded-For behind a proxy.")
    ] = None,
    only: Annotated[
        list[str] | None, typer.Option("--only", help="A probe or API (repeat).")
    ] = None,
    every: Annotated[
        float | None, typer.Option(help="Repeat every SECONDS (with --max-runs).")
    ] = None,
    max_runs: Annotated[int, typer.Option(min=1, help="Runs when repeating.")] = 1,
    due: Annotated[
        bool, typer.Option("--due", help="Only probes whose interval (probes.yaml) has passed.")
    ] = False,
    policy: PolicyOption = None,
    url: UrlOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Run the probes once (or every --every seconds); each result is recorded, each failure raises an alert.

    With --due, only the probes whose own interval (probes.yaml) has passed since their last
    result: `--every 60 --due` (or cron every minute with --due) is the per-API scheduler.

    Probes of APIs that need SMS consent read the code from the gateway's probe inbox (the
    gateway's MEDSHIELD_GATEWAY_PROBE_PATIENT, --token a canary token); otherwise they fail at
    their consent step.
    """
    _check_target(gateway, {"--token": token, "--patient": patient,
                            "--forwarded-for": forwarded_for or ""})  # fmt: skip
    bundle = load_bundle(policy)
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    target = ProbeTarget(gateway, token, patient, (patient, *(secret or ())), headers=headers,
                         sms_inbox=gateway_inbox(gateway, token, headers))  # fmt: skip
    if every is not None and every <= 0:
        raise InputError("--every must be above 0", where="--every")
    failed = False
    with open_ledger(url) as ledger:
        notifier = Notifier(ledger, bundle.notify)
        notifier.recover()
        for number in range(1, (max_runs if every else 1) + 1):
            probes = probes_from_catalogue(bundle)
            probes = due_probes(probes, ledger) if due else probes
            results = run_probes(probes, target, ledger, notifier,
                                 only=set(only or ()) or None)  # fmt: skip
            notifier.tick()  # retries and escalations that are due
            failed = failed or any(not r.ok for r in results)
            emit([{"run": number, **r.as_row()} for r in results], fmt, title="probe results")
            if every and number < max_runs:
                time.sleep(every)
    if failed:
        raise typer.Exit(3)


def _check_target(gateway: str, values: dict[str, str]) -> None:
    """Refuse, before anything is recorded, a gateway that is no http(s) URL and values that
    cannot travel in a URL path or a header (control, zero-width or non-ASCII characters)."""
    try:
        parsed = httpx.URL(gateway)
    except httpx.InvalidURL as exc:
        raise InputError(f"invalid gateway URL: {exc}", where="--gateway") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise InputError("the gateway must be an http(s)://host[:port] URL", where="--gateway")
    for option, value in values.items():
        if not (value.isascii() and value.isprintable()):
            raise InputError("control, zero-width or non-ASCII characters", where=option)
