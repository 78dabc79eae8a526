"""What every template kind does: measure an integer vector at a node, release the noised sum."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from medshield.federated.local import LocalDatabase
from medshield.policy.federated import TemplateDef


class Release(BaseModel):
    """A released result: noised values, the epsilon spent and the error bound (confidence)."""

    model_config = ConfigDict(frozen=True)

    template: str
    kind: str
    value: Any  # a number, or labelled numbers (bins, quantiles, cells)
    epsilon: float
    error_bound: float | None  # |released - true| stays below it with ``confidence``
    confidence: float
    suppressed: int = 0  # crosstab cells below the minimum group size


class TemplateKind(ABC):
    """One kind of approved statistic. Nodes answer integers only, so shares can be summed."""

    name: ClassVar[str]

    @abstractmethod
    def length(self, template: TemplateDef) -> int:
        """Length of the integer vector a node answers."""

    @abstractmethod
    def measure(self, template: TemplateDef, data: LocalDatabase) -> list[int]:
        """The node's local aggregate, computed in its database."""

    @abstractmethod
    def release(self, template: TemplateDef, total: list[int], confidence: float) -> Release:
        """The noised result from the alliance-wide total."""


def scale_of(template: TemplateDef) -> int:
    """Fixed-point factor of sums: values are summed as integers of 10**-decimals."""
    return int(10**template.decimals)
