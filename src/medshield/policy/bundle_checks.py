"""The policy's own check of a bundle, run first by ``load_bundle`` (see ``checks.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from medshield.policy.apis import check_apis
from medshield.policy.governance import check_governance
from medshield.policy.references import check_references

if TYPE_CHECKING:
    from medshield.policy.bundle import PolicyBundle


class ReferencesCheck:
    """Every name the bundle uses is defined, every id is unique."""

    name: ClassVar[str] = "references"

    def check(self, bundle: PolicyBundle) -> None:
        check_references(bundle)


class ApisCheck:
    """Each API names known roles, scenarios and elements, and declares what its kind needs."""

    name: ClassVar[str] = "apis"

    def check(self, bundle: PolicyBundle) -> None:
        check_apis(bundle)


class GovernanceCheck:
    """Every role, action and workflow the governance section names exists."""

    name: ClassVar[str] = "governance"

    def check(self, bundle: PolicyBundle) -> None:
        check_governance(bundle)


BUNDLE_CHECKS = (ReferencesCheck, ApisCheck, GovernanceCheck)
