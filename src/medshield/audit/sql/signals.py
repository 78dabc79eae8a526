"""Signs read from a statement's fingerprint text (lower case, literals ``?``).

They work whether or not the statement parses, which matters: many injected statements do not.
String contents are already ``?``, so a keyword inside a quoted value never counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Calls:
    """Calls of any of ``names``. The names are looked for as plain substrings first: a regex
    alternation tried at every position of every statement costs more than the parse."""

    names: tuple[str, ...]
    pattern: re.Pattern[str]


def _calls(names: Iterable[str]) -> Calls:
    names = tuple(names)
    alternatives = "|".join(re.escape(n) for n in names)
    return Calls(names, re.compile(r"(?<![\w$.])(" + alternatives + r")\s*\("))


def calls(group: Calls, text: str) -> Iterator[str]:
    """The distinct function names of ``group`` called in ``text``, in order."""
    for name in group.names:  # a plain loop: cheaper than any() over a generator
        if name in text:
            break
    else:
        return
    seen: set[str] = set()
    for match in group.pattern.finditer(text):
        name = match.group(1)
        if name not in seen:
            seen.add(name)
            yield name


TIME_FUNCTIONS = _calls(
    ("sleep", "benchmark", "pg_sleep", "pg_sleep_for", "dbms_lock.sleep", "randomblob",
     "dbms_pipe.receive_message", "sys.dbms_lock.sleep")
)  # fmt: skip
WAITFOR = re.compile(r"\bwaitfor\s+(delay|time)\b")
ERROR_FUNCTIONS = _calls(
    ("extractvalue", "updatexml", "name_const", "geometrycollection", "multipoint", "polygon",
     "multipolygon", "linestring", "multilinestring", "exp", "utl_inaddr.get_host_name",
     "ctxsys.drithsx.sn", "xmltype", "dbms_xdb_version.checkin", "json_keys", "gtid_subset")
)  # fmt: skip
SYSTEM_FUNCTIONS = _calls(
    ("version", "user", "current_user", "system_user", "session_user", "database", "schema",
     "db_name", "user_name", "suser_name", "current_database", "connection_id", "@@version",
     "sys_context", "load_file", "host_name")
)  # fmt: skip
SYSTEM_VARIABLES = re.compile(r"@@(version|datadir|hostname|basedir|servername|tmpdir|user)\b")
PROBE_FUNCTIONS = _calls(
    ("ascii", "ord", "substring", "substr", "mid", "length", "len", "left", "right", "unicode",
     "char_length", "bit_length", "instr", "strcmp")
)  # fmt: skip
DECODERS = _calls(("from_base64", "unhex", "decode"))
FILE_FUNCTIONS = _calls(
    ("load_file", "pg_read_file", "pg_read_binary_file", "pg_ls_dir", "lo_import", "lo_export",
     "utl_file.fopen", "openrowset", "opendatasource", "bulk")
)  # fmt: skip
NETWORK_FUNCTIONS = _calls(
    ("dblink", "dblink_exec", "dblink_connect", "utl_http.request", "utl_tcp.open_connection",
     "httpuritype", "sys_exec", "sys_eval", "xp_cmdshell", "xp_dirtree", "xp_fileexist",
     "sp_oacreate", "sp_execute_external_script", "dbms_java.runjava")
)  # fmt: skip
OUTFILE = re.compile(r"\binto\s+(outfile|dumpfile)\b")
COPY_TO = re.compile(r"^\s*copy\b.*\bto\b\s*(\?|stdout|program)")
EXEC_XP = re.compile(r"\b(exec|execute)\b\s+(master\.\.)?(xp_|sp_)\w+")
# A trailing closed block comment is how tracing tools tag statements; a line comment or an
# unclosed block comment at the end cuts the statement short.
COMMENT_END = re.compile(r"(--|#)\s*$|/\*[^*]*$")
# Comments as whitespace inside keywords (UNION/**/SELECT), and MySQL's executable comments.
INLINE_COMMENT = re.compile(r"[\w)]/\*\*/[\w(]|/\*!\*/")
# CHAR(97, 100, 109), CHR(97)||CHR(100), CHAR(0x61)+CHAR(0x62): characters spelt by code.
SPELT = re.compile(
    r"\b(n?char|chr)\((\?\s*,|\?\+\))|\b(n?char|chr)\(\?\)\s*(\|\||\+|,)\s*(n?char|chr)\("
)
UNION_SELECT = re.compile(r"\bunion\b(\s+(all|distinct))?\s*(/\*\*/\s*)?\(?\s*select\b")
UNBALANCED = re.compile(r"\?\?|\?[a-z]|[a-z]\?")
OR_TAUTOLOGY = re.compile(
    r"\b(or|\|\|)\s+(\(?\s*(\?|not\s+\?|true|null\s+is\s+null)\s*(=|<>|!=|<=>|>=|<=|>|<|like|is|between|regexp|\)|$|--|#|;)"
    r"|(?P<col>\w+)\s*=\s*(?P=col)\b)"
)
STACKED = re.compile(
    r";\s*(select|insert|update|delete|drop|create|alter|truncate|exec|execute|declare|waitfor|"
    r"shutdown|grant|set|call|load|copy|begin|union)\b"
)
SYSTEM_CATALOGUE = re.compile(
    r"\b(information_schema|mysql\.(user|db)|pg_catalog|pg_shadow|pg_user|pg_database|pg_tables|"
    r"sysobjects|syscolumns|sys\.\w+|master\.\.\w+|all_tables|all_tab_columns|user_tables|"
    r"dba_users|sqlite_master|v\$version|msysobjects|sysusers)\b"
)

# Every word or mark any text sign above starts from: a statement with none of them has no sign.
# Fingerprint text has single spaces, so ``exp (`` and ``exp(`` are all the spellings of a call.
_SIGN_MARKS = tuple(
    "sleep benchmark waitfor extractvalue updatexml name_const geometry point polygon linestring "
    "utl_ ctxsys xmltype dbms_ json_keys gtid version user database schema db_name current_ "
    "connection_id @@ sys load_file host_name information_schema mysql. pg_ master all_tab dba_ "
    "sqlite_master v$ -- # /* char chr hex base64 concat convert randomblob substr ascii unicode "
    "instr strcmp length ;".split()
) + tuple(f"{name}{gap}(" for name in ("exp", "rand", "ord", "mid", "len", "left", "right")
          for gap in ("", " "))  # fmt: skip


_Trie = dict[str, "_Trie"]


def _trie(words: Iterable[str]) -> re.Pattern[str]:
    """One pattern matching any of ``words``, their common prefixes shared (``s(?:leep|ys|...)``):
    at each position the regex engine tries one branch a letter, not one a word."""
    root: _Trie = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: _Trie) -> str:
        alternatives = [re.escape(c) + branch(sub) for c, sub in sorted(node.items()) if c]
        if not alternatives:
            return ""
        body = "(?:" + "|".join(alternatives) + ")"
        return f"(?:{body})?" if "" in node else body

    return re.compile(branch(root))


_ANY_SIGN = _trie(_SIGN_MARKS)


def any_sign(text: str) -> bool:
    """Whether ``text`` (a fingerprint) holds any mark a text sign starts from."""
    return _ANY_SIGN.search(text) is not None
