"""The kinds of approved templates: one class a file, built-ins in ``KINDS``."""

from __future__ import annotations

from medshield.federated.kinds.base import Release, TemplateKind
from medshield.federated.kinds.count import Count
from medshield.federated.kinds.crosstab import CrossTab
from medshield.federated.kinds.histogram import Histogram
from medshield.federated.kinds.mean import Mean
from medshield.federated.kinds.quantile import Quantile
from medshield.federated.kinds.total import Sum
from medshield.registry import Registry

KINDS: tuple[type[TemplateKind], ...] = (Count, Sum, Mean, Histogram, Quantile, CrossTab)
TEMPLATE_KINDS: Registry[TemplateKind] = Registry("federated_template", KINDS, plugins=False)


def kind_of(name: str) -> TemplateKind:
    return TEMPLATE_KINDS.get(name)()


__all__ = ["KINDS", "TEMPLATE_KINDS", "Release", "TemplateKind", "kind_of"]
