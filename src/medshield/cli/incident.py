"""``medshield incident``: emergency plans, incidents from alerts, and tabletop drills (R8)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from medshield.cli.output import Format, FormatOption, emit
from medshield.cli.risk import ActorOption, PolicyOption, StoreOption
from medshield.errors import IncidentError
from medshield.governance import Admin, all_incidents, get_incident
from medshield.governance.incidents import PARTS
from medshield.ledger import open_ledger
from medshield.policy import load_bundle

app = typer.Typer(help="Emergency response (应急响应): plans, incidents, drills.")
IdArg = Annotated[int, typer.Argument(help="Incident id (the seq of its opening).")]


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="incident")


def _admin_call(
    policy: Path | None, store: str | None, actor: str, method: str, *args: object
) -> None:
    with open_ledger(store) as ledger:
        getattr(Admin(ledger, load_bundle(policy), actor), method)(*args)


@app.command("plans")
def plans(policy: PolicyOption = None, fmt: FormatOption = Format.TABLE) -> None:
    """The emergency plans: class, grades and the steps of the four parts."""
    rows = [{"class": p.incident_class, "zh": p.zh, "grades": [g.grade for g in p.grades],
             **{part: list(getattr(p, part)) for part in PARTS}}
            for p in load_bundle(policy).governance.plans]  # fmt: skip
    emit(rows, fmt, title="应急预案 plans")


@app.command("open")
def open_cmd(
    actor: ActorOption,
    alert: Annotated[int | None, typer.Option(help="Ledger seq of the alert.")] = None,
    incident_class: Annotated[str | None, typer.Option("--class", help="Incident class.")] = None,
    grade: Annotated[str, typer.Option(help="Grade I-IV.")] = "IV",
    policy: PolicyOption = None, store: StoreOption = None, fmt: FormatOption = Format.TABLE,
) -> None:  # fmt: skip
    """Open an incident from an alert (or, with neither --alert nor --class, one for each alert a
    plan lists that has none yet); its tasks come from the plan of its class."""
    with open_ledger(store) as ledger:
        admin = Admin(ledger, load_bundle(policy), actor)
        if alert is None and incident_class is None:
            opened = admin.open_from_alerts(grade)
        else:
            opened = [admin.open_incident(alert, incident_class, grade)]
    emit([i.as_row() for i in opened], fmt, title="新开事件 opened")


@app.command("task")
def task(incident: IdArg, number: Annotated[int, typer.Argument(help="Task number.")],
         actor: ActorOption, result: Annotated[str, typer.Option(help="What was done.")] = "",
         policy: PolicyOption = None, store: StoreOption = None) -> None:  # fmt: skip
    """Mark a task of the incident done."""
    _admin_call(policy, store, actor, "complete_task", incident, number, result)


@app.command("note")
def note(incident: IdArg, text: Annotated[str, typer.Argument(help="Timeline entry.")],
         actor: ActorOption, policy: PolicyOption = None, store: StoreOption = None) -> None:  # fmt: skip
    """Add an entry to the incident's timeline."""
    _admin_call(policy, store, actor, "note", incident, text)


@app.command("notify")
def notify(incident: IdArg, to: Annotated[str, typer.Option(help="Who was notified.")],
           actor: ActorOption, channel: Annotated[str, typer.Option(help="sms, email, phone...")] = "sms",
           policy: PolicyOption = None, store: StoreOption = None) -> None:  # fmt: skip
    """Record a notification."""
    _admin_call(policy, store, actor, "notify", incident, to, channel)


@app.command("close")
def close(incident: IdArg, summary: Annotated[str, typer.Option(help="Summary.")],
          actor: ActorOption, policy: PolicyOption = None, store: StoreOption = None) -> None:  # fmt: skip
    """Close the incident (every task must be done)."""
    _admin_call(policy, store, actor, "close_incident", incident, summary)


@app.command("review")
def review(incident: IdArg, lessons: Annotated[str, typer.Option(help="Lessons learnt.")],
           actor: ActorOption, policy: PolicyOption = None, store: StoreOption = None) -> None:  # fmt: skip
    """Review a closed incident."""
    _admin_call(policy, store, actor, "review_incident", incident, lessons)


@app.command("list")
def list_cmd(store: StoreOption = None, fmt: FormatOption = Format.TABLE) -> None:
    """Every incident and its state."""
    with open_ledger(store) as ledger:
        emit([i.as_row() for i in all_incidents(ledger).values()], fmt, title="事件 incidents")


@app.command("show")
def show(incident: IdArg, store: StoreOption = None, fmt: FormatOption = Format.TABLE) -> None:
    """The incident's timeline."""
    with open_ledger(store) as ledger:
        found = get_incident(ledger, incident)
    emit([{k: v for k, v in t.items() if k in ("seq", "at", "action", "actor", "task", "text",
                                               "to", "summary", "lessons", "result")}
          for t in found.timeline], fmt, title=f"{found.incident_class} #{found.id}: {found.status}")  # fmt: skip


@app.command("drill")
def drill(
    incident_class: Annotated[str, typer.Argument(help="Incident class of the plan to drill.")],
    actor: ActorOption,
    grade: Annotated[str, typer.Option(help="Grade I-IV.")] = "III",
    policy: PolicyOption = None, store: StoreOption = None, fmt: FormatOption = Format.TABLE,
) -> None:  # fmt: skip
    """A tabletop drill: run the plan against a simulated alert and record the result."""
    with open_ledger(store) as ledger:
        result = Admin(ledger, load_bundle(policy), actor).drill(incident_class, grade)
    emit([result.as_row()], fmt, title="桌面演练 drill")
    if not result.passed:
        raise IncidentError(f"drill of plan {incident_class} did not pass", where=str(result.seq))
