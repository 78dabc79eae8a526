"""The one gate: for any context, no masking entry point returns data when the policy refuses
the context, and every entry point serves a context it grants."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from medshield.errors import MaskingRefusedError, MedshieldError
from medshield.mask.aggregate import aggregate_release
from medshield.mask.dynamic import compiled_plan, mask_records
from medshield.mask.engine.planning import file_plan, source_plans
from medshield.mask.operators.base import MaskContext
from medshield.mask.plan import plan_for
from medshield.policy import (
    Form,
    Scope,
    Stage,
    UseContext,
    decide_access,
    decide_masking,
    grant_masking,
    load_bundle,
)
from medshield.store.db import connect, upgrade

BUNDLE = load_bundle()
CTX = MaskContext(keys={"k1": b"g" * 32}, active_key="k1")
COLUMNS: dict[str, str | None] = {"xm": "DE02.01.039.00", "sjhm": "DE02.01.010.00", "n": None}
RECORD = {"xm": "欧阳娜娜", "sjhm": "13812345678", "n": 1}
ROLES = sorted(r.id for r in BUNDLE.roles)
SCENARIOS = sorted(BUNDLE.scenario_keys)

contexts = st.builds(
    UseContext,
    form=st.sampled_from(list(Form)),
    stage=st.sampled_from(list(Stage)),
    scope=st.sampled_from(list(Scope)),
    role=st.one_of(st.none(), st.sampled_from([*ROLES, "nurse", ""])),
    scenario=st.one_of(st.none(), st.sampled_from([*SCENARIOS, "unknown_use"])),
)


def _records(use: UseContext) -> Any:
    return mask_records([RECORD], COLUMNS, use, BUNDLE, mask_context=CTX)


def _compiled(use: UseContext) -> Any:
    return compiled_plan(COLUMNS, use, BUNDLE, CTX)


def _plan(use: UseContext) -> Any:
    return plan_for(COLUMNS, grant_masking(BUNDLE, use), BUNDLE)


def _aggregate(use: UseContext) -> Any:
    frame = pl.DataFrame({"xm": ["欧阳娜娜"] * 12, "v": list(range(12))})
    return aggregate_release(
        frame,
        COLUMNS,
        group_by=["xm"],
        measures=["v"],
        context=use,
        bundle=BUNDLE,
        mask_context=CTX,
    )


_STORE: list[Engine] = []


@pytest.fixture(scope="module", autouse=True)
def _store(tmp_path_factory: pytest.TempPathFactory) -> None:
    url = f"sqlite:///{tmp_path_factory.mktemp('gate') / 'store.db'}"
    upgrade(url)
    _STORE.append(connect(url))  # an empty catalogue: a granted context stops there


def _static(use: UseContext) -> Any:
    return source_plans("sqlite:///nowhere.db", BUNDLE, use, store=_STORE[-1], scan=False)


def _file(use: UseContext) -> Any:
    return file_plan(Path("/nonexistent/visits.csv"), BUNDLE, use)  # gate before the read


ENTRY_POINTS: dict[str, Callable[[UseContext], Any]] = {
    "mask_records": _records,
    "compiled_plan": _compiled,
    "plan_for": _plan,
    "aggregate_release": _aggregate,
    "source_plans": _static,
    "file_plan": _file,
}


@settings(max_examples=150, deadline=None)
@given(use=contexts, entry=st.sampled_from(sorted(ENTRY_POINTS)))
def test_no_entry_point_serves_a_refused_context(use: UseContext, entry: str) -> None:
    refused = not decide_masking(BUNDLE, use).allowed
    if refused:  # whatever refuses masking refuses access to the same data
        assert not decide_access(BUNDLE, [e for e in COLUMNS.values() if e], use).allowed
        with pytest.raises(MaskingRefusedError) as err:
            ENTRY_POINTS[entry](use)
        assert err.value.code == "MS601" and err.value.where
        return
    try:
        out = ENTRY_POINTS[entry](use)
    except MaskingRefusedError:  # pragma: no cover - the failure this test looks for
        pytest.fail(f"{entry} refused a context the policy grants: {use}")
    except MedshieldError:
        assert entry in {"source_plans", "file_plan"}  # stopped later: no catalogue, no file
        return
    assert out is not None


@pytest.mark.parametrize(
    ("role", "scenario", "why"),
    [
        (None, "clinical_pathway", "no role given"),
        ("nurse", "clinical_pathway", "unknown role 'nurse'"),
        ("researcher", "collaborative_care", "not granted scenario 'collaborative_care'"),
        ("doctor", "unknown_use", "unknown scenario 'unknown_use'"),
    ],
)
def test_dynamic_masking_denies_like_decide_access(
    role: str | None, scenario: str, why: str
) -> None:
    use = UseContext(role=role, scenario=scenario)
    assert not decide_access(BUNDLE, ["DE02.01.039.00"], use).allowed
    with pytest.raises(MaskingRefusedError, match=why):
        mask_records([RECORD], COLUMNS, use, BUNDLE, mask_context=CTX)
