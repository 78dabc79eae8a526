"""A report as PDF: the HTML page (its charts are inline SVG) laid out by WeasyPrint. Chinese
text needs a CJK font on the machine (Debian: fonts-noto-cjk)."""

from __future__ import annotations

from pathlib import Path

from medshield.atomic import atomic_target
from medshield.errors import ConfigError
from medshield.reports.html import render_html
from medshield.reports.model import Report

PAGE = "@page { size: A4; margin: 1.5cm } svg.chart { width: 100%; height: auto }"


def html_to_pdf(html: str, out: Path) -> Path:
    try:
        from weasyprint import CSS, HTML  # heavy, and needs Pango: imported only for PDF
    except (ImportError, OSError) as exc:
        raise ConfigError(f"PDF output needs WeasyPrint and Pango: {exc}", where="pdf") from None
    with atomic_target(out) as tmp:
        HTML(string=html).write_pdf(tmp, stylesheets=[CSS(string=PAGE)])
    return out


def write_pdf(report: Report, out: Path) -> Path:
    return html_to_pdf(render_html(report, charts="svg"), out)  # no script runs in PDF
