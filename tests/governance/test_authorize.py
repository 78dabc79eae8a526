"""The role matrix: every role against every admin action, through the one decision."""

from __future__ import annotations

import inspect

import pytest

from medshield.errors import NotAuthorisedError
from medshield.governance import ADMIN_METHODS, Admin, authorize
from medshield.ledger import Ledger
from medshield.notify import ack
from medshield.policy import PolicyBundle, load_bundle
from medshield.policy.admin import decide_admin
from medshield.policy.governance import ADMIN_ACTIONS

BUNDLE = load_bundle()
ROLES = [r.id for r in BUNDLE.roles]


def _member_with(role: str) -> str | None:
    return next((m.id for m in BUNDLE.governance.members if m.roles == (role,)), None)


@pytest.mark.parametrize("action", ADMIN_ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_can_do_exactly_what_the_policy_allows(role: str, action: str) -> None:
    member = _member_with(role)
    if member is None:
        assert role not in BUNDLE.governance.admin_actions.get(action, ())
        return
    allowed = role in BUNDLE.governance.admin_actions.get(action, ())
    assert decide_admin(BUNDLE, member, action).allowed is allowed


def test_every_admin_action_has_roles_and_a_performer() -> None:
    assert set(BUNDLE.governance.admin_actions) == set(ADMIN_ACTIONS)
    share_actions = {a for a in ADMIN_ACTIONS if a.startswith("share.")}
    # the alert actions are performed in notify (above governance): each names a function there
    assert all(callable(getattr(ack, f)) for f in ack.ADMIN_FUNCTIONS.values())
    assert set(ADMIN_METHODS) | share_actions | set(ack.ADMIN_FUNCTIONS) == set(ADMIN_ACTIONS)


def test_strangers_and_unknown_actions_are_refused() -> None:
    assert not decide_admin(BUNDLE, "nobody", "risk.assess").allowed
    assert not decide_admin(BUNDLE, "office-01", "risk.delete").allowed


def test_decisions_are_recorded_allowed_or_refused(ledger: Ledger, bundle: PolicyBundle) -> None:
    authorize(ledger, bundle, "office-01", "risk.assess", target="RK01")
    with pytest.raises(NotAuthorisedError) as info:
        authorize(ledger, bundle, "doctor-01", "risk.assess", target="RK01")
    assert info.value.code == "MS941"
    with pytest.raises(NotAuthorisedError):
        authorize(ledger, bundle, "office-01", "ledger.wipe")
    events = [r.event for r in ledger.records(action_prefix="admin.")]
    assert [(e.action, e.actor, e.outcome) for e in events] == [
        ("admin.risk.assess", "office-01", "allow"),
        ("admin.risk.assess", "doctor-01", "deny"),
        ("admin.unknown", "office-01", "deny"),
    ]


@pytest.mark.parametrize("action", sorted(ADMIN_METHODS))
def test_every_admin_method_refuses_a_role_the_policy_does_not_name(
    action: str, ledger: Ledger, bundle: PolicyBundle
) -> None:
    """The Admin methods check first: a doctor gets MS941 before any argument is looked at."""
    method = getattr(Admin(ledger, bundle, "doctor-01"), ADMIN_METHODS[action])
    names = list(inspect.signature(method).parameters)
    allowed = "doctor" in bundle.governance.admin_actions[action]
    if allowed:
        return
    with pytest.raises(NotAuthorisedError):
        method(**dict.fromkeys(names))
    [event] = ledger.records(action_prefix="admin.")
    assert event.event.detail["action"] == action and event.event.outcome == "deny"
