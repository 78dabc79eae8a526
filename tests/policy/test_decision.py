"""Access decisions fail closed and always carry their reasons and the policy version."""

from __future__ import annotations

import pytest

from medshield.policy import Decision, Form, UseContext, decide_access, effective_level, load_bundle

NAME = "DE02.01.039.00"  # patient name, important
GENDER = "DE02.01.040.00"  # gender code, normal


def _decide(elements: list[str], ctx: UseContext) -> Decision:
    return decide_access(load_bundle(), elements, ctx)


@pytest.mark.parametrize(
    ("ctx", "reason"),
    [
        (UseContext(), "no role given"),
        (UseContext(role="janitor", scenario="collaborative_care"), "unknown role 'janitor'"),
        (UseContext(role="doctor", scenario="fortune_telling"), "unknown scenario"),
        (UseContext(role="doctor", scenario="clinical_pathway"), "is not granted scenario"),
        (UseContext(role="doctor"), "is not granted scenario None"),
    ],
    ids=["no_role", "unknown_role", "unknown_scenario", "scenario_not_granted", "no_scenario"],
)
def test_fails_closed(ctx: UseContext, reason: str) -> None:
    decision = _decide([GENDER], ctx)
    assert decision.action == "deny" and not decision.allowed
    assert reason in decision.reasons[0]
    assert decision.policy_version == load_bundle().version


def test_level_above_role_maximum_is_denied_with_its_trace() -> None:
    ctx = UseContext(role="health_educator", scenario="health_education")
    decision = _decide([NAME], ctx)
    assert decision.action == "deny"
    assert decision.level is not None
    assert decision.reasons[1] == decision.level.trace
    assert "above role 'health_educator' maximum normal" in decision.reasons[0]


def test_within_role_maximum_is_allowed() -> None:
    ctx = UseContext(role="doctor", scenario="collaborative_care")
    decision = _decide([NAME, GENDER], ctx)
    assert decision.allowed
    assert decision.level == effective_level(load_bundle(), [NAME, GENDER], ctx)


def test_verified_masking_can_turn_a_deny_into_an_allow() -> None:
    raw = UseContext(role="researcher", scenario="clinical_pathway")
    masked = UseContext(
        role="researcher", scenario="clinical_pathway", form=Form.MASKED, verified=True
    )
    unverified = UseContext(role="researcher", scenario="clinical_pathway", form=Form.MASKED)
    assert not _decide([NAME], raw).allowed
    assert not _decide([NAME], unverified).allowed
    assert _decide([NAME], masked).allowed


def test_role_without_scenario_list_may_use_any_known_scenario() -> None:
    ctx = UseContext(role="security_officer", scenario="security_operations")
    assert _decide([GENDER], ctx).allowed


@pytest.mark.parametrize(
    ("ctx", "reason"),
    [
        (UseContext(), "no role given: denied (fail closed)"),
        (UseContext(role="janitor", scenario="collaborative_care"), "unknown role 'janitor': denied"),
        (UseContext(role="doctor", scenario="fortune_telling"), "unknown scenario 'fortune_telling': denied"),
        (UseContext(role="doctor", scenario="clinical_pathway"), "role 'doctor' is not granted scenario 'clinical_pathway'"),
    ],
    ids=["no_role", "unknown_role", "unknown_scenario", "scenario_not_granted"],
)  # fmt: skip
def test_a_refusal_gives_exactly_one_reason(ctx: UseContext, reason: str) -> None:
    """The reason is what reports and the ledger show: it is pinned word for word."""
    decision = _decide([GENDER], ctx)
    assert decision.reasons == (reason,) and decision.level is None
