"""A release is consistent: join groups get one operator and key, a patient's dates move by
one shift in every table, and raw dates beside shifted ones are refused."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from medshield.errors import InconsistentReleaseError
from medshield.mask.consistency import consistent_plans, join_groups
from medshield.mask.keys import KeyRing
from medshield.mask.plan import MaskPlan, mask_frame, plan_for
from medshield.policy import Form, Stage, UseContext, grant_masking, load_bundle

BUNDLE = load_bundle()
RESEARCH = UseContext(
    form=Form.MASKED, stage=Stage.SHARE, role="researcher", scenario="clinical_pathway"
)
VISITS = {"jzlsh": "DE01.00.010.00", "brid": "DE01.00.001.00", "jzrq": "DE06.00.062.00"}
LABS = {"mzh": "DE01.00.002.00", "brid": "DE01.00.001.00", "bgsj": "DE99.00.001.00"}


def _plans(context: UseContext = RESEARCH) -> dict[str, MaskPlan]:
    grant = grant_masking(BUNDLE, context)
    return {"visit": plan_for(VISITS, grant, BUNDLE), "lab": plan_for(LABS, grant, BUNDLE)}


def test_join_groups_by_element_and_declared_keys() -> None:
    plans = _plans()
    assert join_groups(plans) == [[("lab", "brid"), ("visit", "brid")]]
    link = (("lab", "mzh"), ("visit", "jzlsh"))
    groups = join_groups(plans, [link])
    assert [("lab", "mzh"), ("visit", "jzlsh")] in groups and len(groups) == 2


def test_joins_survive_and_dates_move_together() -> None:
    raw = _plans()
    assert raw["visit"]["jzlsh"].operator != raw["lab"]["mzh"].operator  # random id, pseudonym
    plans, groups = consistent_plans(raw, BUNDLE, [(("lab", "mzh"), ("visit", "jzlsh"))])
    assert len(groups) == 2
    visit_no = plans["visit"]["jzlsh"], plans["lab"]["mzh"]
    assert visit_no[0].operator == visit_no[1].operator and visit_no[0].join_group
    assert plans["lab"]["bgsj"].operator == "date_shift"  # kept raw before: shifted now
    for plan in plans.values():
        shifts = [c for c in plan.columns if c.operator == "date_shift"]
        assert shifts and all(c.params["key_column"] == "brid" for c in shifts)

    ring = KeyRing()
    ring.rotate("k1")
    ctx = ring.context(release_id="rel-consistent")
    patients = [f"P{i:04d}" for i in range(400)]
    day = [date(2024, 1, 1 + i % 28) for i in range(400)]
    visits = pl.DataFrame({"jzlsh": [f"V{i}" for i in range(400)], "brid": patients, "jzrq": day})
    labs = pl.DataFrame({"mzh": [f"V{i}" for i in range(400)], "brid": patients, "bgsj": day})
    out_v = mask_frame(visits, plans["visit"], ctx)
    out_l = mask_frame(labs, plans["lab"], ctx)
    joined = out_l.join(out_v, left_on="mzh", right_on="jzlsh")
    assert joined.height == 400  # every lab result joins its visit
    assert (joined["bgsj"] == joined["jzrq"]).all()  # the same day, shifted by the same shift
    assert not set(out_l["bgsj"].to_list()) <= set(day)  # and nothing raw beside it


def test_a_rule_that_keeps_dates_beside_shifted_ones_is_refused() -> None:
    care = UseContext(
        form=Form.MASKED, stage=Stage.SHARE, role="doctor", scenario="collaborative_care"
    )
    grant = grant_masking(BUNDLE, care)
    plans = {
        "visit": plan_for(VISITS, grant, BUNDLE),  # visit dates kept by the doctor rule
        "bill": plan_for({"brid": "DE01.00.001.00", "jsrq": "DE07.00.014.00"}, grant, BUNDLE),
    }
    with pytest.raises(InconsistentReleaseError) as err:
        consistent_plans(plans, BUNDLE)
    assert err.value.code == "MS702" and err.value.where == "visit.jzrq"
