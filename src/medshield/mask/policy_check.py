"""Checking the masking section when a policy bundle loads: every operator named (in rules, as
the default, and as elements' default masking) exists and its params validate; errors name
the file and line."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from medshield.errors import PolicyError, PolicyReferenceError
from medshield.mask.operators import operator_registry
from medshield.registry import check_params

if TYPE_CHECKING:
    from medshield.policy.bundle import PolicyBundle

# Default masking names used by the element catalogue -> (operator, params).
ELEMENT_MASKING: dict[str, tuple[str, dict[str, Any]]] = {
    "none": ("keep", {}),
    "generalize_number": ("generalize", {"kind": "number", "width": 10}),
    "generalize_date": ("generalize", {"kind": "date", "unit": "month"}),
    "generalize_code": ("generalize", {"kind": "code", "keep": 3, "pad": "*"}),
}


# Params of an element's default operator where the element's shape calls for them.
ELEMENT_PARAMS: dict[str, dict[str, Any]] = {
    "DE02.01.039.00": {"keep_surname": True},  # patient name: 欧阳娜娜 -> 欧阳**
    "DE02.01.039.01": {"keep_surname": True},  # contact person name
    "DE02.01.010.00": {"keep_prefix": 3, "keep_suffix": 4},  # mobile: 138****5678
    "DE02.01.010.01": {"keep_prefix": 4, "keep_suffix": 2},  # landline: 023-******34
    "DE02.01.010.02": {"keep_prefix": 3, "keep_suffix": 4},  # contact phone
    "DE02.01.066.00": {"keep_prefix": 6, "keep_suffix": 4},  # bank card: BIN and last four
    "DE02.01.012.00": {"keep_prefix": 1, "keep_suffix": 0},  # e-mail
}


def element_masking(name: str, element: str | None = None) -> tuple[str, dict[str, Any]]:
    """The operator and params of an element's default masking name."""
    operator, params = ELEMENT_MASKING.get(name, (name, {}))
    if element is not None and element in ELEMENT_PARAMS and operator == "cover":
        params = {**params, **ELEMENT_PARAMS[element]}
    return operator, params


def _where(bundle: PolicyBundle, attr: str, loc: tuple[str | int, ...]) -> str:
    doc = bundle.sources.get(attr)
    return doc.where(loc) if doc is not None else str(bundle.root)


def _check(name: str, params: dict[str, Any], *, name_at: str, params_at: str) -> None:
    registry = operator_registry()
    if name not in registry:
        known = ", ".join(sorted(registry.names()))
        raise PolicyReferenceError(
            f"unknown masking operator {name!r}; known: {known}", where=name_at
        )
    check_params(registry.get(name), params, where=params_at)


def check_masking(bundle: PolicyBundle) -> None:
    """Raise ``PolicyError`` at the first bad operator name or params of the bundle."""
    m = bundle.masking
    for i, rule in enumerate(m.rules):
        _check(
            rule.operator,
            rule.params,
            name_at=_where(bundle, "masking", ("rules", i, "operator")),
            params_at=_where(bundle, "masking", ("rules", i, "params")),
        )
    at = _where(bundle, "masking", ("default_operator",))
    _check(m.default_operator, {}, name_at=at, params_at=at)
    if m.dictionary_batch is not None and m.dictionary_batch < 0:
        raise PolicyError(
            "dictionary_batch must be 0 or more",
            where=_where(bundle, "masking", ("dictionary_batch",)),
        )
    for code, element in bundle.catalogue.items():
        name, params = element_masking(element.masking, code)
        at = _where(bundle, "elements", ("overrides", code, "masking"))
        _check(name, params, name_at=at, params_at=at)
