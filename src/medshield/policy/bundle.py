"""Loading a policy bundle: a folder of YAML files, validated, versioned by content hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any, ClassVar, Protocol

from pydantic import BaseModel, TypeAdapter, ValidationError

from medshield.datafiles import check_size
from medshield.elements.catalogue import ElementCatalogue, load_catalogue
from medshield.elements.categories import SCENARIOS
from medshield.errors import PolicyError
from medshield.policy import schema as s
from medshield.policy.bulkyaml import collector_paused, load_bulk
from medshield.policy.checks import contributed_checks
from medshield.policy.federated import FederatedSection
from medshield.policy.governance import GovernanceSection
from medshield.policy.notify import NotifySection
from medshield.policy.probes import ProbesSection
from medshield.policy.yamlpos import PositionedYaml, load_positioned
from medshield.registry import Registry
from medshield.settings import get_settings


@dataclass(frozen=True)
class PolicyBundle:
    """A validated policy. ``version`` is the content hash every decision carries."""

    root: Path
    version: str
    meta: s.BundleMeta
    elements: s.ElementsSection
    institutions: tuple[s.Institution, ...]
    roles: tuple[s.Role, ...]
    scenarios: tuple[s.ScenarioDef, ...]
    levels: s.LevelsSection
    masking: s.MaskingSection
    audit: s.AuditSection
    apis: tuple[s.ApiDef, ...]
    retention: tuple[s.RetentionRule, ...]
    columns: tuple[s.ColumnGrade, ...] = ()
    federated: FederatedSection = field(default_factory=FederatedSection)
    governance: GovernanceSection = GovernanceSection()
    notify: NotifySection = NotifySection()
    probes: ProbesSection = ProbesSection()
    sources: dict[str, PositionedYaml] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def catalogue(self) -> ElementCatalogue:
        """The built-in elements, plus the bundle's extra ones, with its overrides applied."""
        changes = {
            code: o.model_dump(exclude_none=True, exclude={"reason"})
            for code, o in self.elements.overrides.items()
        }
        return load_catalogue().extended(list(self.elements.extra)).with_overrides(changes)

    @cached_property
    def scenario_keys(self) -> frozenset[str]:
        return frozenset(sc.key for sc in SCENARIOS) | {sc.key for sc in self.scenarios}

    @cached_property
    def _columns_by_key(self) -> dict[tuple[str, str, str], s.ColumnGrade]:
        return {c.key: c for c in self.columns}

    def column(self, source: str, table: str, column: str) -> s.ColumnGrade | None:
        """The grade ``columns.yaml`` gives one column, if it gives one."""
        return self._columns_by_key.get((source, table, column))

    def role(self, role_id: str) -> s.Role | None:
        return next((r for r in self.roles if r.id == role_id), None)

    def institution(self, institution_id: str) -> s.Institution | None:
        return next((i for i in self.institutions if i.id == institution_id), None)

    def active_regulations(self) -> frozenset[str]:
        return frozenset(r.key for r in self.meta.regulations if r.status == "active")

    @property
    def short_version(self) -> str:
        return self.version.split(":", 1)[1][:12]


def default_bundle_path() -> Path:
    """The folder of the default bundle shipped with the package."""
    with as_file(files("medshield.policy").joinpath("default")) as path:
        return Path(path)


def bundle_version(folder: Path) -> str:
    """sha256 over the names and bytes of the bundle's YAML files, in name order."""
    digest = hashlib.sha256()
    for file in sorted(folder.glob("*.yaml")):
        check_size(file)
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise PolicyError(f"cannot read policy file: {exc}", where=str(file)) from None
        digest.update(file.name.encode() + b"\0" + data + b"\0")
    return f"sha256:{digest.hexdigest()}"


def load_bundle(folder: str | Path | None = None) -> PolicyBundle:
    """Load and validate the bundle in ``folder``; when None, MEDSHIELD_POLICY or the default.

    A bundle whose files have not changed since it was last loaded is not parsed again."""
    if folder is None:
        folder = get_settings().policy
    root = Path(folder) if folder is not None else default_bundle_path()
    if not root.is_dir():
        raise PolicyError("policy bundle folder not found", where=str(root))
    known = set(s.SECTIONS)
    for file in sorted(root.glob("*.y*ml")):
        if file.name not in known:
            raise PolicyError(
                f"unknown policy file {file.name!r}; a bundle holds {', '.join(sorted(known))}",
                where=str(file),
            )
    version = bundle_version(root)
    key = (str(root), version)
    if (cached := _LOADED.get(key)) is not None:
        return cached
    values: dict[str, Any] = {}
    sources: dict[str, PositionedYaml] = {}
    for name, (attr, model, is_list) in s.SECTIONS.items():
        file = root / name
        if not file.exists():
            values[attr] = () if is_list else model()
            continue
        doc = load_bulk(file) if name in s.BULK_FILES else load_positioned(file)
        sources[attr] = doc
        values[attr] = _validate(doc, attr, model, is_list)
    bundle = PolicyBundle(root=root, version=version, sources=sources, **values)
    for check in bundle_checks():
        check().check(bundle)
    if len(_LOADED) >= _LOADED_MAX:
        del _LOADED[next(iter(_LOADED))]
    _LOADED[key] = bundle
    return bundle


# Bundles already validated, by folder and content hash: a bundle is immutable and its version
# hashes every byte it was read from, so the same folder with the same bytes is the same bundle
# (parsing and validating it again costs a tenth of a second in every command).
_LOADED: dict[tuple[str, str], PolicyBundle] = {}
_LOADED_MAX = 16


class BundleCheck(Protocol):
    """A capability's check of its own part of a bundle (see ``policy/checks.py``)."""

    name: ClassVar[str]

    def check(self, bundle: PolicyBundle) -> None: ...


@cache
def bundle_checks() -> Registry[BundleCheck]:
    """The checks the capabilities contribute, run by every ``load_bundle``."""
    return Registry("bundle_check", contributed_checks())


def _validate(doc: PositionedYaml, attr: str, model: type[BaseModel], is_list: bool) -> Any:
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        raise PolicyError("a policy file must hold a mapping at its top", where=doc.where(()))
    if is_list:
        extra = set(data) - {attr}
        if extra:
            raise PolicyError(
                f"unexpected key {sorted(extra)[0]!r}; this file holds only {attr!r}",
                where=doc.where((sorted(extra)[0],)),
            )
        items = data.get(attr) or []
        if not isinstance(items, list):
            raise PolicyError(f"{attr!r} must be a list", where=doc.where((attr,)))
        return _many(doc, model, items, attr)
    return _one(doc, model, data, ())


@cache
def _list_adapter(model: type[BaseModel]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def _many(doc: PositionedYaml, model: type[BaseModel], items: list[Any], attr: str) -> Any:
    """Validate a whole list at once; only a failure looks up where it stood."""
    try:
        with collector_paused():
            return tuple(_list_adapter(model).validate_python(items))
    except ValidationError as exc:
        raise _placed(doc, exc, (attr,)) from None


def _one(
    doc: PositionedYaml, model: type[BaseModel], data: Any, base: tuple[str | int, ...]
) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _placed(doc, exc, base) from None


def _placed(doc: PositionedYaml, exc: ValidationError, base: tuple[str | int, ...]) -> PolicyError:
    first = exc.errors()[0]
    loc = (*base, *first["loc"])
    dotted = ".".join(str(p) for p in loc) or "(top)"
    message = first["msg"].removeprefix("Value error, ")
    return PolicyError(f"{dotted}: {message}", where=doc.where(loc))
