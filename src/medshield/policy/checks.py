"""Checks that capabilities add to loading a policy bundle, found without importing them.

``policy/`` imports no capability. A capability that checks its own part of a bundle (the
masking operators and their params, ...) declares those checks in a module named
``bundle_checks`` of its package, as a tuple ``BUNDLE_CHECKS`` of small classes of the
registry's one shape (a ``name`` and one method ``check(bundle)``). Loading a bundle finds every
such module among medshield's packages by its name and runs all their checks, the policy's own
(cross-references) first; other distributions add theirs through the entry-point group
``medshield.bundle_check``.

Finding is by the package's files, not by who imported what, so no caller can forget to
register a check. A module that is found but cannot be imported, or that declares no
``BUNDLE_CHECKS``, fails the load: a check is never skipped.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Any

import medshield
from medshield.errors import PolicyError

CHECK_MODULE = "bundle_checks"
CHECK_TUPLE = "BUNDLE_CHECKS"
_OWN = f"medshield.policy.{CHECK_MODULE}"


def check_modules() -> list[str]:
    """The dotted names of medshield's ``<package>.bundle_checks`` modules: the policy's own
    first, then the others in name order."""
    found: set[str] = set()
    for package in pkgutil.iter_modules(medshield.__path__):
        if not package.ispkg:
            continue
        inside = [str(Path(p) / package.name) for p in medshield.__path__]
        if any(m.name == CHECK_MODULE for m in pkgutil.iter_modules(inside)):
            found.add(f"medshield.{package.name}.{CHECK_MODULE}")
    return sorted(found, key=lambda name: (name != _OWN, name))


def contributed_checks() -> list[type[Any]]:
    """The check classes of every ``bundle_checks`` module, imported now."""
    classes: list[type[Any]] = []
    for name in check_modules():
        try:
            module = importlib.import_module(name)
        except Exception as exc:
            raise PolicyError(
                f"the bundle checks of {name} cannot be loaded: {exc}", where=name
            ) from exc
        checks = getattr(module, CHECK_TUPLE, None)
        if not isinstance(checks, tuple) or not checks:
            raise PolicyError(f"{name} declares no {CHECK_TUPLE} tuple", where=name)
        classes.extend(checks)
    return classes
