"""One shape for every extension point.

Detectors, masking operators, audit rules, log sources, notifiers and demo steps are small classes
with a stable ``name``. Built-ins are listed in one tuple per kind; others come through the Python
entry-point group ``medshield.<kind>``. A duplicate name is an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from importlib.metadata import entry_points
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from medshield.errors import PolicyError, UnknownNameError


class Named(Protocol):
    name: ClassVar[str]


T = TypeVar("T", bound=Named)


class NoParams(BaseModel):
    """Parameters of an extension that takes none."""

    model_config = {"extra": "forbid"}


class Registry(Generic[T]):
    """Name -> class for one kind of extension."""

    def __init__(self, kind: str, builtins: Iterable[type[T]], *, plugins: bool = True) -> None:
        self.kind = kind
        self._classes: dict[str, type[T]] = {}
        for cls in builtins:
            self.add(cls)
        if plugins:
            for ep in entry_points(group=f"medshield.{kind}"):
                self.add(ep.load())

    def add(self, cls: type[T]) -> None:
        name = cls.name
        if name in self._classes:
            raise PolicyError(f"duplicate {self.kind} name {name!r}", where=cls.__module__)
        self._classes[name] = cls

    def get(self, name: str) -> type[T]:
        try:
            return self._classes[name]
        except KeyError:
            known = ", ".join(sorted(self._classes))
            raise UnknownNameError(f"unknown {self.kind} {name!r}; known: {known}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._classes

    def __iter__(self) -> Iterator[type[T]]:
        return iter(self._classes.values())

    def names(self) -> list[str]:
        return list(self._classes)


def check_params(cls: type[Any], params: dict[str, Any], *, where: str) -> BaseModel:
    """Validate ``params`` against ``cls.Params`` (``NoParams`` when the class declares none)."""
    model: type[BaseModel] = getattr(cls, "Params", NoParams)
    try:
        return model.model_validate(params)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'params'}: {e['msg']}" for e in exc.errors()
        )
        raise PolicyError(f"bad params for {cls.name!r}: {problems}", where=where) from None
