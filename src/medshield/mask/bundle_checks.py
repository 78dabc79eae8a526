"""The masking part of a policy bundle, checked whenever a bundle loads (see policy/checks.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from medshield.mask.policy_check import check_masking

if TYPE_CHECKING:
    from medshield.policy.bundle import PolicyBundle


class MaskingCheck:
    """Every operator the bundle names exists, and its params validate."""

    name: ClassVar[str] = "masking"

    def check(self, bundle: PolicyBundle) -> None:
        check_masking(bundle)


BUNDLE_CHECKS = (MaskingCheck,)
