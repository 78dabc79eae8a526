from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from medshield.detect.bank_card import BankCardDetector, luhn_ok
from medshield.detect.id_card import check_char


def with_check_digit(body: str) -> str:
    return next(body + d for d in "0123456789" if luhn_ok(body + d))


def test_luhn_examples() -> None:
    assert luhn_ok("4111111111111111")
    assert not luhn_ok("4111111111111112")


def test_cards_grouped_and_masked() -> None:
    values: list[str | None] = [
        "4111 1111 1111 1111",
        "5500-0000-0000-0004",
        "6222 **** **** 1234",
        "622202******1234",
    ]
    found = BankCardDetector().detect(values)
    assert [(f.index, f.masked) for f in found] == [(0, False), (1, False), (2, True), (3, True)]


def test_near_misses() -> None:
    values: list[str | None] = [
        "4111111111111112",
        "3111111111111117",
        "411111111111",
        "6222 **** **** ****",
    ]
    assert BankCardDetector().detect(values) == []


def test_valid_id_is_not_a_card() -> None:
    # an 18-digit Gansu ID (62...) whose digits also pass Luhn belongs to the ID detector
    for seq in range(1000):
        first17 = f"620102{date(1980, 5, 1):%Y%m%d}{seq:03d}"
        number = first17 + check_char(first17)
        if number[-1] != "X" and luhn_ok(number):
            break
    assert BankCardDetector().detect([number]) == []


@given(st.sampled_from(["62", "4", "5"]), st.integers(min_value=15, max_value=18), st.data())
def test_generated_cards_found(bin_: str, length: int, data: st.DataObject) -> None:
    body = bin_ + "".join(
        data.draw(
            st.lists(
                st.sampled_from("0123456789"),
                min_size=length - len(bin_),
                max_size=length - len(bin_),
            )
        )
    )
    card = with_check_digit(body)
    found = BankCardDetector().detect([card])
    assert len(found) == 1 and card not in found[0].evidence
