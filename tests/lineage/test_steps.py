from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from medshield.errors import InputError, SensitivePayloadError
from medshield.ledger import Ledger
from medshield.lineage import check_pseudonym, lineage_event, record_step


def test_record_step_appends_a_chained_lineage_event(
    ledger: Ledger, pseudonym: Callable[[str], str], at: Callable[[float], datetime]
) -> None:
    p = pseudonym("110101199003077578")
    receipt = record_step(
        ledger,
        stage="share",
        actor="researcher-007",
        from_="hub/ods_visit",
        to="research/cohort_itp",
        form="masked",
        elements=("DE05.01.025.00",),
        level="sensitive",
        rows=12,
        time_in=at(0),
        time_out=at(3),
        pseudonyms=[p, p],
        job="job-42",
    )
    [record] = list(ledger.records(action_prefix="lineage."))
    assert record.seq == receipt.seq and record.hash == receipt.hash
    event = record.event
    assert event.action == "lineage.share"
    assert (event.object.source, event.object.table) == ("research", "cohort_itp")
    assert event.detail["link"] == {"from": "hub/ods_visit", "to": "research/cohort_itp"}
    assert event.detail["form"] == "masked"
    assert event.detail["patient_pseudonyms"] == [p]
    assert event.detail["time_in"] == at(0).isoformat()
    assert event.levels == ("sensitive",)
    assert ledger.verify().ok


@pytest.mark.parametrize(
    "raw",
    ["110101199003077578", "13812345678", "P110101199003077578", "张三", "short", "k1:13812345678"],
)
def test_raw_identifiers_are_refused_as_pseudonyms(raw: str) -> None:
    with pytest.raises(SensitivePayloadError):
        check_pseudonym(raw)


def test_keyed_pseudonyms_pass(pseudonym: Callable[[str], str]) -> None:
    p = pseudonym("110101199003077578")
    assert check_pseudonym(p) == p


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"stage": "teleport"}, "teleport"),
        ({"form": "encrypted"}, "encrypted"),
        ({"to": "no-table"}, "SOURCE/TABLE"),
        ({"time_out": -1}, "before"),
    ],
)
def test_bad_steps_are_refused(
    changes: dict[str, object], message: str, at: Callable[[float], datetime]
) -> None:
    args: dict[str, object] = {
        "stage": "store",
        "actor": "etl",
        "from_": "a/x",
        "to": "b/y",
        "form": "raw",
        "time_in": at(0),
        "time_out": at(1),
    }
    if "time_out" in changes:
        changes = {"time_out": at(-1)}
    with pytest.raises(InputError, match=message):
        lineage_event(**{**args, **changes})  # type: ignore[arg-type]


def test_a_step_is_the_event_its_fields_validate_to(
    pseudonym: Callable[[str], str], at: Callable[[float], datetime]
) -> None:
    """Steps share what they have in common; each is still exactly the event pydantic would
    validate from its fields (types, key order, the canonical body)."""
    from medshield.ledger import Event
    from medshield.ledger.canonical import canonical_body

    p, *many = [pseudonym(f"11010119900307757{d}") for d in range(8)]
    for n, people in enumerate(([p], [*reversed(many), p], [])):
        step = lineage_event(
            stage="share", actor="token:t1", from_="h1/patient.visits", to="m1/app",
            form="masked", elements=["DE02.01.039.00"], level="important", rows=n,
            time_in=at(n), time_out=at(n + 1), pseudonyms=people, columns=("a", "b"),
            institution="m1",
        )  # fmt: skip
        again = Event.model_validate(step.model_dump())
        assert step == again and canonical_body(step) == canonical_body(again)
        assert step.detail["patient_pseudonyms"] == sorted(set(people))
        assert (step.rows, step.detail["time_in"]) == (n, at(n).isoformat())
    with pytest.raises(InputError, match="count"):
        lineage_event(stage="store", actor="etl", from_="a/x", to="b/y", form="raw",
                      time_in=at(0), time_out=at(1), rows=-1)  # fmt: skip
