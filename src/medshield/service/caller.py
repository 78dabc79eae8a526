"""Who is calling, from where (R5, R23): the client address behind trusted proxies, the
institution's CIDR allow-list, optional HMAC request signing, lockout after failures.

``X-Forwarded-For`` counts only when the connection comes from a trusted proxy; then the
address is the right-most one of the header that is not itself a trusted proxy. From anyone
else the header is ignored, so it cannot spoof the allow-list.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time
from collections.abc import Iterable
from functools import lru_cache

from limits import RateLimitItemPerMinute
from limits.storage import Storage
from limits.strategies import FixedWindowRateLimiter

from medshield.errors import LockedOutError, SignatureError, SourceAddressError
from medshield.policy.bundle import PolicyBundle

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
SIGNATURE_WINDOW = 300  # seconds a signed request stays valid


def parse_networks(text: str | Iterable[str]) -> tuple[Network, ...]:
    parts = text.split(",") if isinstance(text, str) else list(text)
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in parts if p.strip())


@lru_cache(maxsize=8192)
def _inside(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address(peer: str, forwarded_for: str | None, trusted: tuple[Network, ...]) -> str:
    """The caller's address: the peer, or what trusted proxies say in ``X-Forwarded-For``."""
    if not forwarded_for or not _inside(peer, trusted):
        return peer
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        if not _inside(hop, trusted):
            return hop
    return peer


_NETWORKS: dict[tuple[str, str], tuple[Network, ...]] = {}


def _institution_networks(bundle: PolicyBundle, institution: str) -> tuple[Network, ...]:
    key = (bundle.version, institution)
    found = _NETWORKS.get(key)
    if found is None:
        inst = bundle.institution(institution)
        found = parse_networks(inst.cidrs) if inst is not None else ()
        _NETWORKS[key] = found
    return found


def check_address(bundle: PolicyBundle, institution: str, address: str) -> None:
    """Refuse an address outside the institution's allow-list (no list: nobody is allowed)."""
    if not _inside(address, _institution_networks(bundle, institution)):
        raise SourceAddressError(
            "the calling address is not on the institution's allow-list", where="address"
        )


def request_signature(secret: str, method: str, target: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over method, path with query, timestamp and the body's SHA-256 (hex)."""
    message = "\n".join((method.upper(), target, timestamp, hashlib.sha256(body).hexdigest()))
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def check_signature(
    secret: str,
    method: str,
    target: str,
    timestamp: str | None,
    signature: str | None,
    body: bytes,
) -> None:
    """A signed request: a fresh timestamp and the right signature, else ``SignatureError``."""
    if not timestamp or not signature:
        raise SignatureError("this token requires a signed request", where="X-MS-Signature")
    try:
        age = abs(time.time() - float(timestamp))
    except ValueError:
        raise SignatureError("malformed signature time", where="X-MS-Timestamp") from None
    if age > SIGNATURE_WINDOW:
        raise SignatureError(
            "the signature time is too old or in the future", where="X-MS-Timestamp"
        )
    expected = request_signature(secret, method, target, timestamp, body)
    if not hmac.compare_digest(expected, signature.lower()):
        raise SignatureError("the request signature does not match", where="X-MS-Signature")


class Lockout:
    """After ``failures`` failed authentications from one address within ``minutes``, the
    address is refused until the window passes. ``failed`` returns True when it just locked."""

    def __init__(self, storage: Storage, *, failures: int = 5, minutes: int = 5) -> None:
        self._limiter = FixedWindowRateLimiter(storage)
        self._item = RateLimitItemPerMinute(failures, minutes)

    def check(self, address: str) -> None:
        if not self._limiter.test(self._item, "auth-fail", address):
            raise LockedOutError(
                "too many failed authentications from this address; try later", where="address"
            )

    def failed(self, address: str) -> bool:
        self._limiter.hit(self._item, "auth-fail", address)
        return not self._limiter.test(self._item, "auth-fail", address)
