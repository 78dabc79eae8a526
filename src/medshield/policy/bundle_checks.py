"""The policy's own check of a bundle, run first by ``load_bundle`` (see ``checks.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from medshield.policy.references import check_references

if TYPE_CHECKING:
    from medshield.policy.bundle import PolicyBundle


class ReferencesCheck:
    """Every name the bundle uses is defined, every id is unique."""

    name: ClassVar[str] = "references"

    def check(self, bundle: PolicyBundle) -> None:
        check_references(bundle)


BUNDLE_CHECKS = (ReferencesCheck,)
