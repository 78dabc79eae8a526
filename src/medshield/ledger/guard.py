"""Refuse events that carry raw identifiers (MS502).

The ledger keeps who did what to which data, never the data itself: an ID number, a mobile
number, a bank card or a person's name in an event is refused before anything is written.
The checks run on the canonical body, so every string of the event is covered (detail values,
object fields, reasons) in one scan; names are looked for in name-like fields only (``actor``
and detail keys such as ``name``, ``patient``, ``姓名``). The checks are self-contained; the
detectors of ``medshield.detect`` can replace them once they are available.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from medshield.errors import SensitivePayloadError
from medshield.ledger.events import Event

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Digit runs not glued to other letters or digits (a hex digest never matches).
_DIGITS = re.compile(
    r"(?<![0-9A-Za-z])(\d{17}[0-9Xx]|\d{11,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]\d{1,3})?|1[3-9]\d[ -]\d{4}[ -]\d{4})(?![0-9A-Za-z])"
)
_RUN = re.compile(r"[0-9][0-9 \-]{9,}[0-9Xx]")
# A _RUN match is eleven or more of [0-9 \-Xx] in a row. Read in C (``bytes.translate``) with
# each of those as "0", a body without eleven "0" in a row skips the regular expressions.
_RUN_TABLE = bytes(ord("0") if chr(b) in "0123456789 -Xx" else b for b in range(256))
_RUN_MIN = b"0" * 11
_CARD_WORDS = ("卡", "card", "bank", "账号", "账户", "account", "pan")
_NAME_KEYS = ("name", "姓名", "patient", "患者", "doctor", "医生", "holder", "contact", "联系人")
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃"
    "武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒"
    "阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓"
    "古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣"
)
_COMPOUND = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "令狐")
_HAN_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}(?:·[\u4e00-\u9fff]{1,6})?$")
# A string that looks like a name, as it stands in the canonical JSON (a final newline, which
# ``$`` lets through, escaped): a body without one holds no name anywhere.
_QUOTED_NAME = re.compile(r'"[\u4e00-\u9fff]{2,4}(?:·[\u4e00-\u9fff]{1,6})?(?:\\n)?"')


def id_checksum_ok(number: str) -> bool:
    """GB 11643 check character of an 18-character resident ID number."""
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _plausible_date(yy: str, mm: str, dd: str) -> bool:
    return 1 <= int(mm) <= 12 and 1 <= int(dd) <= 31 and yy.isdigit()


def identifier_kind(candidate: str, before: str) -> str | None:
    """What raw identifier ``candidate`` is (``before``: the text just ahead of it), or None."""
    digits = candidate.replace(" ", "").replace("-", "")
    n = len(digits)
    if n == 18 and digits[0] != "0" and digits[:17].isdigit() and id_checksum_ok(digits):
        if _plausible_date(digits[6:10], digits[10:12], digits[12:14]):
            return "Chinese ID number"
    if n == 15 and digits[0] != "0" and _plausible_date(digits[6:8], digits[8:10], digits[10:12]):
        return "Chinese ID number (15-digit)"
    if n == 11 and digits[0] == "1" and digits[1] in "3456789":
        return "mobile number"
    if n == 13 and digits.startswith("86") and digits[2] == "1" and digits[3] in "3456789":
        return "mobile number"
    if 16 <= n <= 19 and digits.isdigit() and luhn_ok(digits):
        context = before.lower()
        if digits.startswith("62") or any(word in context for word in _CARD_WORDS):
            return "bank card number"
    return None


def looks_like_name(value: str) -> bool:
    """A 2-4 character Han name starting with a common surname (张三, 欧阳娜娜)."""
    if not _HAN_NAME.match(value):
        return False
    return value[0] in _SURNAMES or value[:2] in _COMPOUND


def _name_like(key: str) -> bool:
    lowered = key.lower()
    return any(word in lowered for word in _NAME_KEYS)


def _walk(value: Any, path: str) -> Iterator[tuple[str, str, Any]]:
    """(path, key, value) of every leaf of nested dicts and lists."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}")
            if not isinstance(item, (dict, list)):
                yield f"{path}.{key}", str(key), item
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(item, f"{path}[{i}]")
            if not isinstance(item, (dict, list)):
                yield f"{path}[{i}]", path.rsplit(".", 1)[-1], item


def _locate(data: dict[str, Any], candidate: str) -> str:
    for path, _key, value in _walk(data, "event"):
        if isinstance(value, (str, int)) and candidate in str(value):
            return path
    return "event"


def _is_fraction(body: str, start: int) -> bool:
    """The digits after a decimal point (``1234.5678901234567``) are not an identifier."""
    return start >= 2 and body[start - 1] == "." and body[start - 2].isdigit()


def _check_runs(body: str, event: Event) -> None:
    """The digit-run part of ``check_payload``."""
    for run in _RUN.finditer(body):  # cheap: only long runs of digits are looked at closely
        offset = max(run.start() - 1, 0)
        for match in _DIGITS.finditer(body, offset, run.end() + 1):
            candidate = match.group(1)
            if _is_fraction(body, match.start()):
                continue
            kind = identifier_kind(candidate, body[max(0, match.start() - 16) : match.start()])
            if kind is not None:
                raise SensitivePayloadError(
                    f"event carries a raw identifier ({kind}); record a digest or a pseudonym",
                    where=_locate(event.model_dump(mode="json"), candidate),
                )


def check_payload(body: str, event: Event) -> None:
    """Raise ``SensitivePayloadError`` when ``event`` (``body``: its canonical JSON, UTF-8 text
    without ``\\u`` escapes) holds a raw identifier."""
    if _RUN_MIN in body.encode("utf-8", "surrogatepass").translate(_RUN_TABLE):
        _check_runs(body, event)
    if looks_like_name(event.actor):
        raise SensitivePayloadError(
            "event actor looks like a person's name; use a user or system id", where="event.actor"
        )
    if body.isascii() or ("\\u" not in body and not _QUOTED_NAME.search(body)):
        return  # no string of the event looks like a name
    for key, value in event.detail.items():
        if isinstance(value, str):
            if looks_like_name(value) and _name_like(key):
                raise SensitivePayloadError(
                    "event carries a person's name; record a pseudonym", where=f"event.detail.{key}"
                )
        elif isinstance(value, (dict, list)):
            for path, leaf_key, leaf in _walk(value, f"event.detail.{key}"):
                if isinstance(leaf, str) and looks_like_name(leaf) and _name_like(leaf_key):
                    raise SensitivePayloadError(
                        "event carries a person's name; record a pseudonym", where=path
                    )
