"""Reports over a time window, read from the ledger alone by streaming (R27, R35).

from medshield.reports import build_report, write_report

report = build_report("api", ledger, bundle, since, until, lang="zh")
write_report(report, Path("api.html"))      # .html, .json or .pdf
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from medshield import atomic
from medshield.errors import InputError
from medshield.ledger import Ledger
from medshield.policy.bundle import PolicyBundle
from medshield.reports.api import build_api_report
from medshield.reports.audit import build_audit_report
from medshield.reports.compliance import build_compliance_report
from medshield.reports.html import render_html
from medshield.reports.model import Report
from medshield.reports.pdf import write_pdf
from medshield.reports.window import check_window, parse_instant

KINDS = ("api", "audit", "compliance")
FORMATS = (".html", ".json", ".pdf")
LANGS = ("zh", "en")


def build_report(
    kind: str,
    ledger: Ledger,
    bundle: PolicyBundle,
    since: datetime,
    until: datetime,
    *,
    lang: str = "zh",
) -> Report:
    check_window(since, until)
    if lang not in LANGS:
        raise InputError(f"unknown language {lang!r}; known: zh, en", where="--lang")
    if kind == "api":
        return build_api_report(ledger, bundle, since, until, lang)
    if kind == "audit":
        return build_audit_report(ledger, since, until, lang)
    if kind == "compliance":
        return build_compliance_report(ledger, since, until, lang)
    raise InputError(f"unknown report {kind!r}; known: {', '.join(KINDS)}", where="report")


def write_report(report: Report, out: Path) -> Path:
    suffix = out.suffix.lower()
    if suffix == ".json":
        text = json.dumps(report.as_dict(), ensure_ascii=False, indent=2, default=str)
    elif suffix == ".html":
        text = render_html(report)
    elif suffix == ".pdf":
        out.parent.mkdir(parents=True, exist_ok=True)
        return write_pdf(report, out)
    else:
        known = ", ".join(FORMATS)
        raise InputError(f"unknown report format {out.suffix!r}; known: {known}", where=str(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_text(out, text)
    return out


__all__ = ["KINDS", "Report", "build_report", "parse_instant", "write_report"]
