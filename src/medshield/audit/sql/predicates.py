"""Predicates that do not depend on the data: ``1=1``, ``'a'='a'``, ``id=id``, ``OR 1``.

Applications write ``WHERE 1=1 AND ...`` to build conditions; an injection writes ``... OR 1=1``
or appends ``AND 1=2``. So where the constant stands says which it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlglot import exp

_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Like, exp.Is, exp.NullSafeEQ)


# Values that are not known from the text: the clock, random numbers, bind parameters.
_VARYING = (
    exp.Column, exp.Query, exp.Star, exp.CurrentDate, exp.CurrentTimestamp, exp.CurrentTime,
    exp.CurrentDatetime, exp.Rand, exp.Placeholder, exp.Parameter, exp.SessionParameter,
)  # fmt: skip
_VARYING_CALLS = frozenset(
    "now sysdate getdate getutcdate systimestamp current_timestamp localtimestamp curdate "
    "curtime unix_timestamp utc_timestamp random rand newid uuid sys_guid nextval".split()
)


def is_constant(node: exp.Expr) -> bool:
    """True when ``node`` reads no column, subquery, clock, random number or bind parameter:
    its value is the same on every row and at every run."""
    if isinstance(node, exp.Paren):
        return is_constant(node.this)
    if type(node) is exp.Literal:
        return True
    if _varies(node):
        return _self_compare(node)
    return not any(
        isinstance(call, exp.Anonymous) and call.name.lower() in _VARYING_CALLS
        for call in node.find_all(exp.Anonymous)
    )


def _varies(node: exp.Expr) -> bool:
    """Whether ``node`` holds a ``_VARYING`` node. The node itself and its children (a column
    compared with a value) are looked at before a walk of the whole subtree."""
    if isinstance(node, _VARYING):
        return True
    for child in node.args.values():
        if isinstance(child, _VARYING):
            return True
    return node.find(*_VARYING) is not None


def optional_filter(node: exp.Expr) -> bool:
    """``(? IS NULL OR col = ?)``: the optional-filter idiom of query builders, a bound value
    tested first, then compared with a column. Judged by structure alone (every statement of a
    fingerprint gets the same answer); an injection appends its constant after a condition."""
    if not isinstance(node, (exp.Is, exp.EQ, exp.NEQ)):
        return False
    if not isinstance(node.this, (exp.Literal, exp.Null)):
        return False
    if not isinstance(node.expression, (exp.Literal, exp.Null)):
        return False
    inner = node.parent.parent if isinstance(node.parent, exp.Paren) else node.parent
    child = node.parent if isinstance(node.parent, exp.Paren) else node
    if not isinstance(inner, exp.Or) or inner.this is not child:
        return False
    while isinstance(inner.parent, exp.Or) and inner.parent.this is inner:
        inner = inner.parent  # the leftmost operand of the whole OR chain
    return inner.expression.find(exp.Column) is not None


def _self_compare(node: exp.Expr) -> bool:
    """``id = id``, ``a.x >= a.x``: a column compared with itself."""
    if isinstance(node, (exp.EQ, exp.GTE, exp.LTE, exp.NullSafeEQ, exp.Like)):
        left, right = node.this, node.expression
        return isinstance(left, exp.Column) and left == right
    return False


def always_true(node: exp.Expr) -> bool:
    """A constant predicate that the WHERE clause cannot fail: ``1=1``, ``'a'='a'``, ``id=id``."""
    if not is_constant(node):
        return False
    if _self_compare(node):
        return True
    if isinstance(node, exp.Paren):
        return always_true(node.this)
    if isinstance(node, exp.Or):
        return always_true(node.this) or always_true(node.expression)
    if isinstance(node, exp.EQ):
        return bool(node.this == node.expression)
    if isinstance(node, exp.Literal):
        return not node.is_string and node.this not in ("0", "0.0")
    return isinstance(node, exp.Boolean) and bool(node.this)


def conjuncts(node: exp.Expr) -> list[exp.Expr]:
    if isinstance(node, exp.And):
        return conjuncts(node.this) + conjuncts(node.expression)
    return [node]


def disjuncts(node: exp.Expr) -> list[exp.Expr]:
    if isinstance(node, exp.Or):
        return disjuncts(node.this) + disjuncts(node.expression)
    if isinstance(node, exp.Paren) and isinstance(node.this, exp.Or):
        return disjuncts(node.this)
    return [node]


def conditions(tree: exp.Expr) -> Iterator[exp.Expr]:
    """The condition of every WHERE, HAVING and JOIN ... ON of the statement."""
    for where in tree.find_all(exp.Where, exp.Having):
        yield where.this
    for join in tree.find_all(exp.Join):
        on = join.args.get("on")
        if on is not None:
            yield on


def injected_constants(condition: exp.Expr, *, ors: bool = True) -> Iterator[str]:
    """Evidence of constants placed as injections place them: OR-ed in, or AND-ed after.
    ``ors=False`` says the statement holds no OR (the search for them is skipped)."""
    for node in _or_nodes(condition) if ors else ():
        for side in disjuncts(node):
            if is_constant(side) and not isinstance(side, exp.Null) and not optional_filter(side):
                yield f"tautology OR {side.sql()[:60]}"
                break
    parts = conjuncts(condition)
    for position, part in enumerate(parts):
        if position > 0 and is_constant(part) and isinstance(part, (*_COMPARISONS, exp.Paren)):
            yield f"boolean probe AND {part.sql()[:60]}"


def _or_nodes(condition: exp.Expr) -> Iterator[exp.Or]:
    for node in condition.find_all(exp.Or):
        if node.find_ancestor(exp.Query) is condition.find_ancestor(exp.Query):
            yield node


_BINARY = (*_COMPARISONS, exp.ILike, exp.RegexpLike, exp.Glob)
_ARITHMETIC = (
    exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod, exp.BitwiseAnd, exp.BitwiseOr, exp.BitwiseXor,
    exp.BitwiseLeftShift, exp.BitwiseRightShift,
)  # fmt: skip


OPERATORS = (*_BINARY, *_ARITHMETIC)


def constant_comparisons(operators: Iterable[exp.Expr]) -> Iterator[str]:
    """Among a statement's ``OPERATORS`` nodes: comparisons no row can change, anywhere but a
    WHERE's first ``1=1``-style conjunct; chained comparisons (``a = '' <> ''``); arithmetic on
    quoted constants (``'' - ''``)."""
    for node in operators:
        if node.find_ancestor(exp.Values) is not None:
            continue
        left, right = node.this, node.expression
        if not isinstance(left, exp.Expr) or not isinstance(right, exp.Expr):
            continue
        if isinstance(node, _BINARY):
            if isinstance(left, _BINARY) or isinstance(right, _BINARY):
                yield f"chained comparison {node.sql()[:60]}"
            elif (is_constant(left) and is_constant(right)) or _self_compare(node):
                if not _builder_constant(node) and not optional_filter(node):
                    yield f"constant comparison {node.sql()[:60]}"
        elif is_constant(left) and is_constant(right) and _quoted(left, right):
            yield f"arithmetic on quoted constants {node.sql()[:60]}"


def _quoted(*nodes: exp.Expr) -> bool:
    return any(isinstance(n, exp.Literal) and n.is_string for n in nodes)


def _builder_constant(node: exp.Expr) -> bool:
    """``WHERE 1=1 AND ...`` (or ``WHERE 1=0``): how query builders start a WHERE."""
    if not (isinstance(node.this, exp.Literal) and isinstance(node.expression, exp.Literal)):
        return False
    if not isinstance(node, exp.EQ):
        return False
    where = node.find_ancestor(exp.Where)
    return where is not None and conjuncts(where.this)[0] is node
