"""Policy of federated statistics (``federated.yaml``): approved templates, privacy budgets, nodes.

A node answers only the templates listed here, each over one logical table and column of the
HIS schema, with bounds that fix its differential-privacy sensitivity. Each requester has an
epsilon budget; every release spends the template's epsilon. The node registry (who takes part,
with which public masking key) is deployment data, kept beside the certificates, not in the bundle.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

TemplateKindName = Literal["count", "sum", "mean", "histogram", "quantile", "crosstab"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Dimension(_Strict):
    """A categorical column of a cross-tabulation and its fixed categories (same on every node)."""

    column: str
    categories: tuple[str, ...] = Field(min_length=1)


class TemplateDef(_Strict):
    """One approved query template."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: TemplateKindName
    title: str = ""  # 中文说明
    table: str  # logical table of the HIS schema (patient, visit, ...)
    column: str | None = None  # the measured column (sum, mean, histogram, quantile)
    lower: float = 0.0  # values are clamped to [lower, upper]: this bounds the sensitivity
    upper: float = 0.0
    bins: int = Field(default=10, ge=1, le=1000)  # histogram and quantile bins
    decimals: int = Field(default=0, ge=0, le=4)  # fixed-point digits kept by sums
    dimensions: tuple[Dimension, ...] = ()  # crosstab
    quantiles: tuple[float, ...] = (0.25, 0.5, 0.75)
    min_group: int = Field(default=10, ge=1)  # crosstab cells below this are suppressed
    epsilon: float = Field(default=0.5, gt=0)
    contributions: int = Field(default=3, ge=1)  # rows one person can add across the alliance

    @model_validator(mode="after")
    def _shape(self) -> TemplateDef:
        needs_column = self.kind in ("sum", "mean", "histogram", "quantile")
        if needs_column and not self.column:
            raise ValueError(f"a {self.kind} template needs a column")
        if needs_column and self.upper <= self.lower:
            raise ValueError("upper must be above lower")
        if self.kind == "crosstab" and not 1 <= len(self.dimensions) <= 2:
            raise ValueError("a crosstab template needs one or two dimensions")
        if any(not 0 < q < 1 for q in self.quantiles):
            raise ValueError("quantiles lie strictly between 0 and 1")
        return self


class BudgetDef(_Strict):
    """Epsilon each requester may spend in total; ``requesters`` overrides the default."""

    default_epsilon: float = Field(default=2.0, ge=0)
    requesters: dict[str, float] = {}

    def limit(self, requester: str) -> float:
        return self.requesters.get(requester, self.default_epsilon)


class FederatedSection(_Strict):
    templates: tuple[TemplateDef, ...] = ()
    budget: BudgetDef = BudgetDef()
    min_nodes: int = Field(default=3, ge=2)  # fewer nodes than this: a sum would reveal too much
    committee: tuple[str, ...] = ()  # committee members whose approval a request needs
    confidence: float = Field(default=0.95, gt=0, lt=1)  # of the stated error bounds

    def template(self, key: str) -> TemplateDef | None:
        return next((t for t in self.templates if t.key == key), None)


class NodeEntry(_Strict):
    """One institution's node: its id and public masking key (X25519, hex)."""

    id: str
    mask_public_key: str = Field(pattern=r"^[0-9a-f]{64}$")


class NodeRegistry(_Strict):
    nodes: tuple[NodeEntry, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(sorted(n.id for n in self.nodes))

    def node(self, node_id: str) -> NodeEntry | None:
        return next((n for n in self.nodes if n.id == node_id), None)
