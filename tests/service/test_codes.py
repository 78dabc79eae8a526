"""One-time codes are stored as an HMAC under the server's secret, never as the code or as an
unkeyed hash a copy of the state could be searched with; no secret, no gateway."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from medshield.errors import ConfigError, ConsentCodeError
from medshield.service import codes as codes_module
from medshield.service.codes import OneTimeCodes
from medshield.service.sms import RecordingSms
from medshield.service.state import MemoryState

SECRET = "a-code-secret-of-the-tests-0123456789"
BINDING = {"institution": "m1", "purpose": "collaborative_care", "patient": "110101199003071234"}


def _codes(state: MemoryState, secret: str | bytes | None = SECRET) -> OneTimeCodes:
    return OneTimeCodes(state, RecordingSms(), secret=secret, prefix="consent", ttl=60, attempts=3)


def _send(codes: OneTimeCodes) -> tuple[str, str, dict[str, str]]:
    code_id = codes.send("13800138000", "验证码{code}，{minutes}分钟内有效", BINDING)
    sms = codes.sms
    assert isinstance(sms, RecordingSms)
    found = re.search(r"验证码(\d{6})", sms.sent[-1].message)
    assert found
    record = json.loads(codes.state.get(f"consent:{code_id}") or "{}")
    return code_id, found.group(1), record


def test_the_state_holds_neither_the_code_nor_the_binding() -> None:
    state = MemoryState()
    code_id, code, record = _send(_codes(state))
    raw = json.dumps(record)
    assert code not in raw and BINDING["patient"] not in raw and "m1" not in raw
    # Without the secret, the million codes cannot be tried against the stored value.
    unkeyed = {hashlib.sha256(f"{code_id}:{c:06d}".encode()).hexdigest() for c in range(1_000_000)}
    assert record["code"] not in unkeyed
    # With the secret, the stored value is the code's HMAC (what redeem recomputes).
    assert record["code"] == _codes(MemoryState()).keyed(code_id, code)
    assert record["code"] != _codes(MemoryState(), "another-secret-0123456789").keyed(code_id, code)


def test_a_code_redeems_once_for_its_binding_only() -> None:
    codes = _codes(MemoryState())
    code_id, code, _ = _send(codes)
    with pytest.raises(ConsentCodeError, match="wrong"):
        codes.redeem(code_id, f"{(int(code) + 1) % 1_000_000:06d}", BINDING)
    with pytest.raises(ConsentCodeError, match="another request"):
        codes.redeem(code_id, code, {**BINDING, "patient": "110101199003070000"})
    code_id, code, _ = _send(codes)
    codes.redeem(code_id, code, BINDING)
    with pytest.raises(ConsentCodeError, match="used or expired"):
        codes.redeem(code_id, code, BINDING)


def test_codes_are_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    codes = _codes(MemoryState())
    code_id, code, record = _send(codes)
    compared: list[tuple[str, str]] = []
    real = codes_module.hmac.compare_digest

    def spy(a: str, b: str) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(codes_module.hmac, "compare_digest", spy)
    codes.redeem(code_id, code, BINDING)
    assert (record["code"], record["code"]) in compared
    assert (record["binding"], record["binding"]) in compared


@pytest.mark.parametrize("secret", [None, "", "short", b"0123456789abcde"])
def test_no_or_a_short_secret_fails_closed(secret: str | bytes | None) -> None:
    with pytest.raises(ConfigError) as caught:
        _codes(MemoryState(), secret)
    assert caught.value.where == "MEDSHIELD_GATEWAY_CODE_SECRET"
