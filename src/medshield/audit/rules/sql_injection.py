"""SQL injection in whole statements, with the evidence named.

Tautologies and appended probes (from the parse tree where the statement parses, from the
fingerprint text where it does not), UNION against system catalogues or with constant columns,
stacked statements, time- and error-based functions, comment truncation, hex/CHAR obfuscation,
and SUBSTRING/ASCII/LENGTH probes over system data. String values are ``?`` in the fingerprint,
so what a user typed inside quotes never counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from sqlglot import exp

from medshield.audit.rules.base import RuleContext
from medshield.audit.sql import signals
from medshield.audit.sql.analysis import Analysis
from medshield.audit.sql.fingerprint import normalise
from medshield.audit.sql.predicates import constant_comparisons, injected_constants


class SqlInjectionRule:
    name: ClassVar[str] = "sql_injection"

    def check(self, analysis: Analysis, context: RuleContext) -> Iterator[str]:
        text = analysis.fingerprint.text
        found = list(_text_signs(text))
        if analysis.parsed:
            found += _tree_signs(analysis)
        else:  # read what an open quote hid: the rest of the line as SQL
            found += _unparsed_signs(text)
            found += _text_signs(normalise(analysis.sql.replace("'", " ").replace('"', " ")))
        yield from dict.fromkeys(found)


def _text_signs(text: str) -> Iterator[str]:
    if not signals.any_sign(text):  # most statements: one search and done
        return
    for name in signals.calls(signals.TIME_FUNCTIONS, text):
        yield f"time-based: {name}()"
    if signals.WAITFOR.search(text):
        yield "time-based: WAITFOR DELAY"
    for name in signals.calls(signals.ERROR_FUNCTIONS, text):
        if name != "exp" or "exp(~" in text.replace(" ", ""):
            yield f"error-based: {name}()"
    if ("cast(" in text or "convert(" in text) and ("version()" in text or "@@version" in text):
        yield "error-based: cast of the server version"
    if "floor(rand(" in text and "group by" in text:
        yield "error-based: floor(rand()) duplicate key"
    if signals.SYSTEM_CATALOGUE.search(text):
        match = signals.SYSTEM_CATALOGUE.search(text)
        yield f"reads system catalogue {match.group(1) if match else ''}"
    system = list(signals.calls(signals.SYSTEM_FUNCTIONS, text))
    variable = signals.SYSTEM_VARIABLES.search(text)
    # a bare "SELECT version()" is a driver's health check; inside an application's statement
    # (one that reads a table or has a condition) it is a probe
    if (system or variable) and (" from " in text or " where " in text):
        names = ", ".join([f"{n}()" for n in system] + ([variable.group()] if variable else []))
        yield f"system information: {names}"
        probes = list(signals.calls(signals.PROBE_FUNCTIONS, text))
        if probes:
            yield f"boolean probe: {', '.join(probes)} over system data"
    if signals.COMMENT_END.search(text):
        yield "comment truncation: the statement ends in a comment"
    if signals.INLINE_COMMENT.search(text):
        yield "comment obfuscation: comments inside keywords or /*! */"
    if signals.SPELT.search(text):
        yield "obfuscation: characters spelt by CHAR/CHR codes"
    decoders = list(signals.calls(signals.DECODERS, text))
    if decoders and ("concat(" in text or " union " in text or "select" in text.partition(" ")[2]):
        yield f"obfuscation: {', '.join(decoders)}() inside the statement"


def _tree_signs(analysis: Analysis) -> list[str]:
    found: list[str] = []
    if len(analysis.statements) > 1:
        kinds = ", ".join(s.kind.upper() for s in analysis.statements)
        found.append(f"stacked statements ({kinds})")
    for statement in analysis.statements:
        tree, nodes = statement.tree, statement.nodes
        for condition in nodes.conditions:
            found += injected_constants(condition, ors=nodes.ors)
        found += constant_comparisons(nodes.operators)
        if statement.resolution.system:
            found.append(f"reads system catalogue {', '.join(sorted(statement.resolution.system))}")
        for union in nodes.unions:
            found += _union_signs(union)
        if nodes.hexes and not isinstance(tree, exp.Insert):
            found.append("obfuscation: hex-encoded literal")
    return found


def _union_signs(union: exp.Union) -> list[str]:
    left, right = union.this, union.expression
    right = right.unnest() if isinstance(right, exp.Subquery) else right
    found = []
    if isinstance(right, exp.Select) and right.expressions:
        constants = sum(_constant_column(e) for e in right.expressions)
        if constants == len(right.expressions) or constants >= 2:
            found.append(f"UNION SELECT of constant columns ({constants})")
    if isinstance(left, exp.Select) and isinstance(right, exp.Select):
        widths = (len(left.expressions), len(right.expressions))
        stars = any(isinstance(e, exp.Star) for e in left.expressions + right.expressions)
        if widths[0] != widths[1] and not stars:
            found.append(f"UNION of mismatched widths {widths[0]} and {widths[1]} (probing)")
    return found


def _constant_column(node: exp.Expr) -> bool:
    inner = node.this if isinstance(node, exp.Alias) else node
    return isinstance(inner, (exp.Null, exp.Literal)) or (
        isinstance(inner, exp.Func) and inner.find(exp.Column) is None
    )


def _unparsed_signs(text: str) -> Iterator[str]:
    match = signals.OR_TAUTOLOGY.search(text)
    if match:
        yield f"tautology: {match.group().strip()[:40]}"
    if signals.UNION_SELECT.search(text):
        yield "UNION SELECT appended"
    if signals.STACKED.search(text):
        yield "stacked statements"
    if signals.UNBALANCED.search(text) or text.count("'") % 2 or text.count('"') % 2:
        yield "unbalanced quote: a value breaks out of its string"
