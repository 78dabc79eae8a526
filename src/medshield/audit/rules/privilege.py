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
_SUPERUSER = re.compile(r"\b(superuser|createrole|bypassrls|with\s+grant\s+option|sysadmin|dba)\b")


class PrivilegeRule:
    name: ClassVar[str] = "privilege"

    def check(self, analysis: Analysis, context: RuleContext) -> Iterator[str]:
        text = analysis.fingerprint.text
        for match in _STATEMENTS.finditer(text):
            yield f"{' '.join(match.group(1).upper().split())} changes privileges"
        superuser = _SUPERUSER.search(text)
        if superuser and _STATEMENTS.search(text):
            yield f"grants {superuser.group(1).upper()}"
        for name in signals.calls(signals.NETWORK_FUNCTIONS, text):
            yield f"{name}() reaches the network or runs a program"
