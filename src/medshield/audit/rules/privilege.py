"""Privilege escalation: GRANT, CREATE/ALTER USER or ROLE, SET ROLE, superuser attributes, and
functions that reach the network or run programs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from medshield.audit.rules.base import RuleContext
from medshield.audit.sql import signals
from medshield.audit.sql.analysis import Analysis

_STATEMENTS = re.compile(
    r"(?:^|;)\s*(grant|revoke|create\s+(user|role|login)|alter\s+(user|role|login)|"
    r"set\s+(role|session\s+authorization)|rename\s+user|sp_addsrvrolemember|sp_addlogin)\b"
)
_VERBS = (
    "grant",
    "revoke",
    "create",
    "alter",
    "set",
    "rename",
    "sp_add",
)  # what _STATEMENTS starts
_SUPERUSER = re.compile(r"\b(superuser|createrole|bypassrls|with\s+grant\s+option|sysadmin|dba)\b")


class PrivilegeRule:
    name: ClassVar[str] = "privilege"

    def check(self, analysis: Analysis, context: RuleContext) -> Iterator[str]:
        text = analysis.fingerprint.text
        if text.startswith(_VERBS) or ";" in text:
            changes = [m.group(1) for m in _STATEMENTS.finditer(text)]
            for verb in changes:
                yield f"{' '.join(verb.upper().split())} changes privileges"
            superuser = _SUPERUSER.search(text) if changes else None
            if superuser:
                yield f"grants {superuser.group(1).upper()}"
        for name in signals.calls(signals.NETWORK_FUNCTIONS, text):
            yield f"{name}() reaches the network or runs a program"
