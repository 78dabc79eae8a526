"""The masking gate in isolation: ``grant_masking`` and ``MaskingGrant`` (policy/grant.py).

These tests are in the mutation run (docs/mutation.md): each assertion below fails on a
mutant of the gate that would let a masking plan be built for a context the policy refuses, or
that would lose the reason or the place of a refusal.
"""

from __future__ import annotations

import dataclasses

import pytest

from medshield.errors import MaskingRefusedError
from medshield.policy import Decision, UseContext, grant_masking, load_bundle
from medshield.policy.grant import MaskingGrant

BUNDLE = load_bundle()
CARE = UseContext(role="doctor", scenario="collaborative_care")


def test_a_granted_context_carries_its_role_decision_and_version() -> None:
    grant = grant_masking(BUNDLE, CARE)
    assert grant.context == CARE
    assert grant.role == BUNDLE.role("doctor")
    assert grant.decision.action == "allow"
    assert grant.decision.reasons == (
        "role 'doctor' may receive masked data for scenario 'collaborative_care'",
    )
    assert grant.policy_version == BUNDLE.version == grant.decision.policy_version
    grant.check(BUNDLE)  # same version: no error


@pytest.mark.parametrize(
    ("context", "reason", "where"),
    [
        (UseContext(), "no role given", "role -, scenario -"),
        (UseContext(role="janitor", scenario="collaborative_care"), "unknown role 'janitor'",
         "role janitor, scenario collaborative_care"),
        (UseContext(role="doctor", scenario="fortune_telling"), "unknown scenario",
         "role doctor, scenario fortune_telling"),
        (UseContext(role="doctor", scenario="clinical_pathway"), "is not granted scenario",
         "role doctor, scenario clinical_pathway"),
    ],
    ids=["no_role", "unknown_role", "unknown_scenario", "scenario_not_granted"],
)  # fmt: skip
def test_a_refused_context_gets_no_grant_with_the_reason_and_place(
    context: UseContext, reason: str, where: str
) -> None:
    with pytest.raises(MaskingRefusedError) as refused:
        grant_masking(BUNDLE, context)
    assert refused.value.message.startswith("masking refused: ")
    assert reason in refused.value.message
    assert refused.value.where == where


def test_a_grant_cannot_be_made_without_the_gate() -> None:
    grant = grant_masking(BUNDLE, CARE)
    with pytest.raises(MaskingRefusedError) as forged:
        MaskingGrant(grant.context, grant.role, grant.decision, object())
    assert forged.value.message == "a masking grant comes from grant_masking only"
    with pytest.raises(MaskingRefusedError):
        dataclasses.replace(grant, seal=None)


def test_a_grant_of_another_policy_version_is_refused_with_the_bundle_named() -> None:
    grant = grant_masking(BUNDLE, CARE)
    other = dataclasses.replace(grant.decision, policy_version="0" * 64)
    stale = MaskingGrant.__new__(MaskingGrant)
    for name, value in (("context", CARE), ("role", grant.role), ("decision", other)):
        object.__setattr__(stale, name, value)
    with pytest.raises(MaskingRefusedError) as refused:
        stale.check(BUNDLE)
    assert refused.value.message == "the masking grant was given under another policy version"
    assert refused.value.where == f"policy {BUNDLE.short_version}"


def test_the_seal_is_not_shown_or_compared() -> None:
    first, second = grant_masking(BUNDLE, CARE), grant_masking(BUNDLE, CARE)
    assert first == second
    assert "seal" not in repr(first)


def test_a_role_bound_to_no_scenario_may_receive_masked_data_for_any_scenario() -> None:
    grant = grant_masking(BUNDLE, UseContext(role="supervisor"))
    assert grant.decision.reasons == ("role 'supervisor' may receive masked data for any scenario",)


@pytest.mark.parametrize("action", [None, "", "ALLOW", "XXallowXX", "permit"])
def test_a_decision_with_an_unknown_action_is_no_yes(action: object) -> None:
    """Fail closed: only "allow" and "alert" allow. (An unknown action counted as allowed, so a
    mutant of decide_masking returning ``Decision(None, ...)`` gave a grant, until this test.)"""
    assert not Decision(action, ("?",), BUNDLE.version).allowed  # type: ignore[arg-type]
    assert Decision("alert", ("?",), BUNDLE.version).allowed
