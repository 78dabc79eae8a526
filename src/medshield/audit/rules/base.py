"""The shape of an audit rule: a name, optional ``Params``, one method returning evidence.

A rule sees one analysed submission (``Analysis``) and says why it matches, one evidence string
a reason; the engine turns each into a finding with the action and severity the policy gives the
rule for the submitter's scenario and role. Rules run once per fingerprint.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Protocol

from medshield.audit.sql.analysis import Analysis
from medshield.audit.sql.catalogue import SqlCatalogue
from medshield.policy.audit_sql import AuditSqlSettings

if TYPE_CHECKING:
    from medshield.audit.sql.templates import LearnedTemplates


@dataclass(frozen=True)
class RuleContext:
    catalogue: SqlCatalogue
    settings: AuditSqlSettings
    templates: LearnedTemplates | None = None
    institution: str | None = None  # the caller's, when known (``sensitive_objects``)
    institutions: frozenset[str] = frozenset()  # every institution id of the policy


class AuditRule(Protocol):
    name: ClassVar[str]

    def check(self, analysis: Analysis, context: RuleContext) -> Iterator[str]: ...
