"""Learned templates, as database firewalls keep them.

``medshield audit learn FILE`` records an application's statement templates (fingerprints). A
submission whose template was never seen, where a learned template has a parameter slot at the
same place, is flagged with both templates: the value in that slot became SQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from medshield.audit.rules.base import RuleContext
from medshield.audit.sql.analysis import Analysis


class LearnedTemplatesRule:
    name: ClassVar[str] = "learned_templates"

    def check(self, analysis: Analysis, context: RuleContext) -> Iterator[str]:
        templates = context.templates
        if templates is None or analysis.fingerprint.text in templates:
            return
        learned = templates.slot_match(analysis.fingerprint.text)
        if learned is not None:
            yield f"unseen template {analysis.fingerprint.text!r}; learned {learned!r}"
