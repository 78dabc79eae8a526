"""The ledger refuses raw identifiers and lets ordinary events through."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from medshield.errors import SensitivePayloadError
from medshield.ledger import DataObject, Event
from medshield.ledger.canonical import canonical_body
from medshield.ledger.guard import (
    _RUN,
    _RUN_MIN,
    _RUN_TABLE,
    _name_like,
    _walk,
    check_payload,
    id_checksum_ok,
    looks_like_name,
    luhn_ok,
)


def _check(event: Event) -> None:
    check_payload(canonical_body(event), event)


def _with_check_char(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return (
        first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]
    )


def _luhn_complete(prefix: str) -> str:
    for last in "0123456789":
        if luhn_ok(prefix + last):
            return prefix + last
    raise AssertionError("unreachable")


ID18 = _with_check_char("11010519491231002")  # the GB 11643 example number
CARD = _luhn_complete("622202100112345678")


def test_gb11643_example_checks() -> None:
    assert ID18 == "11010519491231002X"
    assert id_checksum_ok(ID18)
    assert not id_checksum_ok(ID18[:-1] + "1")


@pytest.mark.parametrize(
    ("event", "where"),
    [
        (Event(action="api.call", actor="u1", detail={"q": f"身份证{ID18}"}), "event.detail.q"),
        (
            Event(action="api.call", actor="u1", detail={"old": "110105491231002"}),
            "event.detail.old",
        ),
        (
            Event(action="api.call", actor="u1", detail={"phone": "13812345678"}),
            "event.detail.phone",
        ),
        (
            Event(action="api.call", actor="u1", detail={"tel": "+86 138-1234-5678"}),
            "event.detail.tel",
        ),
        (Event(action="api.call", actor="u1", reasons=(f"call {CARD}",)), "event.reasons[0]"),
        (
            Event(action="api.call", actor="u1", detail={"bank_card": "4111 1111 1111 1111"}),
            "event.detail.bank_card",
        ),
        (
            Event(action="file.copy", actor="u1", object=DataObject(path=f"/x/{ID18}.csv")),
            "event.object.path",
        ),
        (
            Event(action="api.call", actor="u1", detail={"rows": [{"patient_name": "欧阳娜娜"}]}),
            "event.detail.rows[0].patient_name",
        ),
        (Event(action="api.call", actor="张伟"), "event.actor"),
        (Event(action="api.call", actor="u1", detail={"姓名": "李秀英"}), "event.detail.姓名"),
    ],
)
def test_refuses_raw_identifiers(event: Event, where: str) -> None:
    with pytest.raises(SensitivePayloadError) as info:
        _check(event)
    assert info.value.code == "MS502"
    assert info.value.where == where


@pytest.mark.parametrize(
    "event",
    [
        Event(
            action="api.call",
            actor="doctor_0042",
            detail={"诊断": "免疫性血小板减少症", "name": "门诊日志"},
        ),
        Event(action="query.run", actor="u1", payload_digest="sha256:" + "1234567890" * 6 + "abcd"),
        Event(
            action="api.call", actor="u1", rows=12, detail={"card_type": "医保", "count": 1234567}
        ),
        Event(
            action="mask.job", actor="svc", detail={"patient_name": "张*", "phone": "138****5678"}
        ),
        Event(
            action="api.call", actor="u1", detail={"order": "20261128123456789"}
        ),  # no valid check char
        Event(action="api.call", actor="u1", detail={"department": "王府井院区心内科"}),
        # digits after a decimal point, shaped like a 15-digit ID number
        Event(action="demo.step", actor="demo", duration_ms=0.110105491231002),
        Event(action="api.call", actor="u1", detail={"ratio": 3.110105491231002}),
    ],
)
def test_lets_ordinary_events_through(event: Event) -> None:
    _check(event)


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="0123456789"), max_size=40))
def test_text_without_digits_in_plain_fields_passes(text: str) -> None:
    _check(Event(action="api.call", actor="u1", detail={"note": text}))


@given(
    st.from_regex(
        r"[1-9][0-9]{5}(19[0-9]{2}|20[01][0-9])(0[1-9]|1[0-2])(0[1-9]|[12][0-9])[0-9]{3}",
        fullmatch=True,
    )
)
def test_every_valid_id_is_refused_inside_text(first17: str) -> None:
    with pytest.raises(SensitivePayloadError):
        _check(
            Event(
                action="api.call", actor="u1", detail={"q": f"患者{_with_check_char(first17)}就诊"}
            )
        )


@given(
    st.text(
        alphabet=st.sampled_from(list("0123456789" * 4) + list(" -Xx.a年\ud800١０")), max_size=60
    )
)
@example("0108 55661x")
def test_the_byte_prefilter_never_skips_a_digit_run(text: str) -> None:
    """Only a body without eleven of [0-9 -Xx] in a row skips the regular expressions."""
    if _RUN.search(text):
        assert _RUN_MIN in text.encode("utf-8", "surrogatepass").translate(_RUN_TABLE)


def test_names_deep_in_detail_are_found_and_placed() -> None:
    detail = {"visits": [{"doctor": "u9", "rows": [{"a": 1}, {"patient_name": "王小明"}]}]}
    with pytest.raises(SensitivePayloadError) as info:
        _check(Event(action="api.call", actor="u1", detail=detail))
    assert info.value.where == "event.detail.visits[0].rows[1].patient_name"
    _check(Event(action="api.call", actor="u1", detail={"visits": [{"place": "王小明"}]}))


_LEAVES = st.sampled_from(
    ["王小明", "欧阳娜娜\n", "马木提·艾力", "检验", "u9", "住院部三楼东", "张", 3, None]
)
_DETAIL = st.recursive(
    _LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["name", "备注", "doctor", "x"]), inner, max_size=3)
    ),
    max_leaves=8,
)


@example({"patient": "马木提·艾力"})
@example({"rows": [{"name": "欧阳娜娜\n"}]})
@given(st.dictionaries(st.sampled_from(["patient", "note", "rows"]), _DETAIL, max_size=3))
def test_the_name_prefilter_never_lets_a_name_through(detail: dict[str, object]) -> None:
    """Whatever the detail, a name in a name-like place is refused (the body is read first)."""
    event = Event(action="api.call", actor="u1", detail=detail)
    named = any(
        isinstance(leaf, str) and looks_like_name(leaf) and _name_like(key)
        for _path, key, leaf in _walk(event.detail, "event.detail")
    )
    if named:
        with pytest.raises(SensitivePayloadError):
            _check(event)
    else:
        _check(event)
