from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from medshield.errors import (
    ColumnAboveRoleError,
    MaskingRefusedError,
    PolicyError,
    PolicyReferenceError,
)
from medshield.mask.operators.base import MaskContext
from medshield.mask.plan import MaskPlan, mask_frame, plan_for
from medshield.policy import PolicyBundle, default_bundle_path, grant_masking, load_bundle
from medshield.policy.context import Form, Scope, Stage, UseContext
from medshield.policy.grant import MaskingGrant

COLUMNS = {
    "xm": "DE02.01.039.00",  # name
    "sfzh": "DE02.01.030.00",  # ID number
    "sjhm": "DE02.01.010.00",  # mobile
    "jzrq": "DE06.00.062.00",  # visit date
    "zdmc": "DE05.01.025.00",  # diagnosis name
    "hiv": "DE05.10.130.00",  # HIV result (controlled)
    "mz": "DE02.01.025.00",  # ethnicity (sensitive, no default masking)
    "beizhu_x": None,  # not classified
}


@pytest.fixture(scope="module")
def bundle() -> PolicyBundle:
    return load_bundle()


def planned(columns: dict[str, str | None], context: UseContext, bundle: PolicyBundle) -> MaskPlan:
    return plan_for(columns, grant_masking(bundle, context), bundle)


def ops(bundle: PolicyBundle, role: str | None, scenario: str | None) -> dict[str, str]:
    plan = planned(COLUMNS, UseContext(role=role, scenario=scenario), bundle)
    assert plan.policy_version == bundle.version
    return {c.column: c.operator for c in plan.columns}


def test_doctor_in_collaborative_care(bundle: PolicyBundle) -> None:
    got = ops(bundle, "doctor", "collaborative_care")
    assert got["xm"] == "cover" and got["sjhm"] == "cover" and got["sfzh"] == "id_to_age"
    assert got["zdmc"] == "keep" and got["jzrq"] == "keep" and got["hiv"] == "suppress"


def test_doctor_outside_a_care_scenario_gets_nothing(bundle: PolicyBundle) -> None:
    with pytest.raises(MaskingRefusedError, match="not granted scenario 'clinical_pathway'"):
        ops(bundle, "doctor", "clinical_pathway")


def test_researcher_detail_analysis(bundle: PolicyBundle) -> None:
    got = ops(bundle, "researcher", "clinical_pathway")
    assert got["xm"] == "suppress" and got["sjhm"] == "suppress"
    assert got["sfzh"] == "id_to_age_band" and got["zdmc"] == "dictionary"
    plan = planned(COLUMNS, UseContext(role="researcher", scenario="clinical_pathway"), bundle)
    assert plan["jzrq"].params["key_column"] == "sfzh"  # per-patient shift keyed on the ID


def test_educator_sees_nothing_sensitive(bundle: PolicyBundle) -> None:
    got = ops(bundle, "health_educator", "health_education")
    assert got["mz"] == "suppress" and got["xm"] == "suppress" and got["zdmc"] == "dictionary"


def test_patient_and_controlled_data(bundle: PolicyBundle) -> None:
    got = ops(bundle, "patient", "patient_self_service")
    assert got["xm"] == "keep" and got["hiv"] == "suppress"


@pytest.mark.parametrize(
    "context",
    [
        UseContext(),
        UseContext(role="nurse", scenario="clinical_pathway"),
        UseContext(role="researcher", scenario="collaborative_care"),
        UseContext(role="researcher"),
        UseContext(role="doctor", scenario="no_such_scenario"),
    ],
)
def test_no_plan_without_a_grant(bundle: PolicyBundle, context: UseContext) -> None:
    with pytest.raises(MaskingRefusedError) as err:
        planned(COLUMNS, context, bundle)
    assert err.value.code == "MS601"
    with pytest.raises(MaskingRefusedError):
        plan_for(COLUMNS, context, bundle)  # type: ignore[arg-type]  # a bare context


def test_a_grant_is_made_by_the_gate_only(bundle: PolicyBundle) -> None:
    grant = grant_masking(bundle, UseContext(role="doctor", scenario="collaborative_care"))
    with pytest.raises(MaskingRefusedError):
        MaskingGrant(grant.context, grant.role, grant.decision, object())


def test_fail_closed_reasons(bundle: PolicyBundle) -> None:
    shared_raw = UseContext(stage=Stage.SHARE, scope=Scope.ALLIANCE, role="supervisor")
    plan = planned(COLUMNS, shared_raw, bundle)
    assert plan["beizhu_x"].operator == "suppress" and "unclassified" in plan["beizhu_x"].reason
    assert plan["mz"].operator == "suppress" and "fail-closed" in plan["mz"].reason
    assert plan["xm"].reason == "default masking of DE02.01.039.00 (cover)"
    keep = planned(COLUMNS, UseContext(role="doctor", scenario="collaborative_care"), bundle)
    assert keep["mz"].operator == "keep" and "within role doctor" in keep["mz"].reason


def test_aggregate_form_marks_the_plan(bundle: PolicyBundle) -> None:
    research = UseContext(role="researcher", scenario="clinical_pathway")
    plan = planned(COLUMNS, replace(research, form=Form.AGGREGATED), bundle)
    assert plan.aggregate_only
    assert plan.digest != planned(COLUMNS, research, bundle).digest


def test_mask_frame_applies_the_plan(bundle: PolicyBundle) -> None:
    ctx = MaskContext(keys={"k1": b"s" * 32}, active_key="k1")
    plan = planned(
        {"xm": COLUMNS["xm"], "sjhm": COLUMNS["sjhm"]},
        UseContext(role="doctor", scenario="collaborative_care"),
        bundle,
    )
    frame = pl.DataFrame(
        {"xm": ["欧阳娜娜", None], "sjhm": ["13800138000", "13912345678"], "extra": [1, 2]}
    )
    out = mask_frame(frame, plan, ctx)
    assert out.columns == ["xm", "sjhm"]
    assert out["xm"].to_list() == ["欧阳**", None]
    assert out["sjhm"].to_list() == ["138****8000", "139****5678"]


def _bundle_with(tmp_path: Path, masking: str) -> Path:
    target = tmp_path / "bundle"
    shutil.copytree(default_bundle_path(), target)
    (target / "masking.yaml").write_text(masking, encoding="utf-8")
    return target


def test_unknown_operator_names_file_and_line(tmp_path: Path) -> None:
    folder = _bundle_with(tmp_path, "rules:\n  - name: r1\n    operator: blur\n")
    with pytest.raises(PolicyReferenceError, match="unknown masking operator 'blur'") as err:
        load_bundle(folder)
    assert err.value.where is not None and err.value.where.endswith("masking.yaml:3")


def test_bad_params_name_file_and_line(tmp_path: Path) -> None:
    text = "rules:\n  - name: r1\n    operator: cover\n    params: {keep_prefix: -1}\n"
    with pytest.raises(PolicyError, match="keep_prefix") as err:
        load_bundle(_bundle_with(tmp_path, text))
    assert err.value.where is not None and err.value.where.endswith("masking.yaml:4")


def test_element_override_with_unknown_masking_names_its_line(tmp_path: Path) -> None:
    target = tmp_path / "bundle"
    shutil.copytree(default_bundle_path(), target)
    elements = target / "elements.yaml"
    text = elements.read_text(encoding="utf-8")
    text += "  DE02.01.039.00: {masking: scramble, reason: test}\n"
    elements.write_text(text.replace("extra: []\n", "") + "extra: []\n", encoding="utf-8")
    with pytest.raises(PolicyReferenceError, match="'scramble'") as err:
        load_bundle(target)
    assert err.value.where is not None and err.value.where.endswith("elements.yaml:4")


def test_sharing_across_the_alliance_keeps_the_research_plan(bundle: PolicyBundle) -> None:
    """Sharing raw data across the alliance raises every level by two (transmission and
    scope), but the plan must still mask by what the data is: an ID number is not "controlled
    data" because this use would make it controlled, and a column whose verified release stays
    within the role's maximum is kept."""
    share = UseContext(
        form=Form.MASKED,
        stage=Stage.SHARE,
        scope=Scope.ALLIANCE,
        role="researcher",
        scenario="clinical_pathway",
    )
    columns = {**COLUMNS, "mrn": "DE01.00.021.00", "xb": "DE02.01.040.00"}
    plan = planned(columns, share, bundle)
    got = {c.column: c.operator for c in plan.columns}
    assert got["sfzh"] == "id_to_age_band" and got["mrn"] == "random_id"
    assert got["zdmc"] == "dictionary" and got["xm"] == "suppress"
    assert got["hiv"] == "suppress" and plan["hiv"].reason == "rule controlled_never_released"
    assert got["xb"] == "keep"  # normal, +2 in this use, -1 once verified: sensitive
    assert got["mz"] == "suppress"  # sensitive, +2, -1: important, above the researcher


def test_keep_needs_the_verified_level_within_the_role(bundle: PolicyBundle) -> None:
    """The same gender column shared raw (no masked form, so no verified downgrade) is above
    the researcher's maximum and is suppressed, fail closed."""
    raw_share = UseContext(
        stage=Stage.SHARE, scope=Scope.ALLIANCE, role="researcher", scenario="clinical_pathway"
    )
    plan = planned({"xb": "DE02.01.040.00"}, raw_share, bundle)
    assert plan["xb"].operator == "suppress" and "fail-closed" in plan["xb"].reason


def test_a_raised_catalogue_level_reaches_the_plan(bundle: PolicyBundle) -> None:
    """A lab-result column overridden to controlled is suppressed for a researcher, whose
    maximum is sensitive; without the catalogue level the same element is kept."""
    research = UseContext(
        form=Form.MASKED, stage=Stage.SHARE, role="researcher", scenario="clinical_pathway"
    )
    columns: dict[str, str | None] = {"jyjg": "DE04.50.132.00", "xb": "DE02.01.040.00"}
    assert planned(columns, research, bundle)["jyjg"].operator == "keep"
    grant = grant_masking(bundle, research)
    plan = plan_for(columns, grant, bundle, {"jyjg": "controlled", "xb": "normal"})
    assert plan["jyjg"].operator == "suppress"
    assert plan["jyjg"].reason == "rule controlled_never_released"
    assert plan["xb"].operator == "keep"  # its own level: unchanged
    important = plan_for(columns, grant, bundle, {"jyjg": "important"})
    assert (
        important["jyjg"].operator == "suppress" and "catalogue level" in important["jyjg"].reason
    )
    lowered = plan_for({"hiv": "DE05.10.130.00"}, grant, bundle, {"hiv": "public"})
    assert lowered["hiv"].operator == "suppress"  # an override never lowers masking


def test_a_column_above_the_role_refuses_the_job_when_the_policy_says_so(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "bundle"
    shutil.copytree(default_bundle_path(), folder)
    masking = folder / "masking.yaml"
    text = masking.read_text(encoding="utf-8")
    masking.write_text(text.replace("above_role: suppress", "above_role: refuse"), "utf-8")
    strict = load_bundle(folder)
    grant = grant_masking(strict, UseContext(role="researcher", scenario="clinical_pathway"))
    with pytest.raises(ColumnAboveRoleError) as err:
        plan_for({"jyjg": "DE04.50.132.00"}, grant, strict, {"jyjg": "important"})
    assert err.value.code == "MS602" and err.value.where == "jyjg"
