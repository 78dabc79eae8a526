"""Bad values by kind of parameter, each marked certainly bad or merely odd.

A certainly bad value must make every command refuse (non-zero exit); an odd value (an empty
name, a Unicode edge case, a number in range) may be accepted, and is checked only for a clean
refusal when refused: a coded error, no traceback, nothing half-written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st
from tests.fuzz.surface import Kind, Param


@dataclass(frozen=True)
class Value:
    text: str
    bad: bool  # certainly bad: the command must exit non-zero


ODD_TEXT = (
    "",
    " ",
    "\t",
    "0",
    "x" * 5000,
    "\u202eevil\u202c",  # right-to-left override
    "e\u0301\u0301\u0301",  # stacked combining marks
    "𠀀𪚥",  # outside the BMP
    "\udcff\udcfe",  # bytes that were not UTF-8 on the command line (surrogateescape)
    "张三\u200b",  # zero-width space
    "１２３",  # full-width digits
    "../../../etc/passwd",
    "'; DROP TABLE ledger_records; --",
    "%s%n{0}${x}",
    "a\nb",
    "NaN",
)
NOT_NUMBERS = ("abc", "", "1e", "一", "１", "0x10", "--", "1,000")
HUGE_NUMBERS = ("99999999999999999999999", "-99999999999999999999999", "1e308", "-1", "0", "inf")


def _number(param: Param) -> st.SearchStrategy[Value]:
    odd = st.sampled_from(HUGE_NUMBERS).map(lambda t: Value(t, _out_of_range(param, t)))
    bad = st.sampled_from(NOT_NUMBERS if param.integer else NOT_NUMBERS[:4]).map(
        lambda t: Value(t, True)
    )
    return st.one_of(bad, odd)


def _out_of_range(param: Param, text: str) -> bool:
    try:
        number = float(text)
    except ValueError:
        return True
    if param.integer and text in ("1e308", "inf"):
        return True
    return (param.low is not None and number < param.low) or (
        param.high is not None and number > param.high
    )


def _choice(param: Param) -> st.SearchStrategy[Value]:
    wrong = st.sampled_from(("", "nope", "ＴＡＢＬＥ", "Table ", "\u0000x"[1:] + "?"))
    return wrong.filter(lambda t: t not in param.choices).map(lambda t: Value(t, True))


def _input_path(param: Param, command: str, corpus: Path) -> st.SearchStrategy[Value]:
    from tests.fuzz.surface import LENIENT_INPUTS

    lenient = (command, param.name) in LENIENT_INPUTS
    files = sorted(p for p in corpus.iterdir() if p.is_file())
    odd = st.sampled_from(files).map(
        lambda p: Value(str(p), p.name == "binary.bin" and not lenient)
    )
    bad = st.sampled_from(
        (str(corpus / "missing" / "nothing.csv"), str(corpus / "no-such-file.yaml"))
    ).map(lambda t: Value(t, not lenient))
    folder = st.just(Value(str(corpus), False))
    return st.one_of(odd, bad, folder)


def _output_path(work: Path) -> st.SearchStrategy[Value]:
    names = st.sampled_from(("out.csv", "out.parquet", "out.json", "张 三.csv", "a" * 300, "x/"))
    return st.one_of(
        names.map(lambda n: Value(str(work / "outputs" / n), False)),
        st.just(Value(str(work / "no" / "such" / "folder" / "out.csv"), False)),
        st.just(Value(str(work), False)),
    )


def _url(corpus: Path) -> st.SearchStrategy[Value]:
    certainly = (
        "not a url",
        "postgresql+psycopg://postgres@127.0.0.1:1/refused",
        "mysql+pymysql://nobody:wrong@127.0.0.1:3306/test",
        "postgresql+psycopg://no_such_role@127.0.0.1:5432/test",
        "nosuchdialect://h/db",
        "sqlite:///" + str(corpus / "not_a_database.db"),
        "sqlite:///" + str(corpus / "truncated_sqlite.db"),
        "sqlite:///" + str(corpus / "binary.bin"),
        "sqlite:///" + str(corpus),
        "postgresql+psycopg://postgres@[::1:5432/x",
        "://",
        "http://127.0.0.1:1/x",
    )
    return st.sampled_from(certainly).map(lambda t: Value(t, True))


def value_for(param: Param, command: str, corpus: Path, work: Path) -> st.SearchStrategy[Value]:
    """Bad or odd values for ``param``."""
    if param.kind is Kind.NUMBER:
        return _number(param)
    if param.kind is Kind.CHOICE:
        return _choice(param)
    if param.kind is Kind.INPUT_PATH:
        return _input_path(param, command, corpus)
    if param.kind is Kind.OUTPUT_PATH:
        return _output_path(work)
    if param.kind is Kind.URL:
        return _url(corpus)
    return st.sampled_from(ODD_TEXT).map(lambda t: Value(t, False))
