"""Access tokens per institution and application (R5, R23), kept as SHA-256 hashes only.

A token reads ``mst_<id>_<secret>``: the id finds the row, the secret's hash must match. Each
token carries its permissions per API and per field, its scopes, a role, a scenario, a maximum
level and an expiry. A token is issued only under an approved data access application that bounds
its scopes, institution, level and expiry (``service.applications``); a rotation keeps the grant
and never outlives the token it replaces. Verified tokens are cached for ``CACHE_SECONDS`` so the store is not read on
every call; a revocation in this process clears the cache at once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from medshield.elements.levels import Level
from medshield.errors import ApprovalError, AuthenticationError, InputError, UnknownNameError
from medshield.governance import ApprovalRequest
from medshield.policy.bundle import PolicyBundle
from medshield.service.applications import check_within
from medshield.store.models.gateway import GatewayToken

CACHE_SECONDS = 2.0
_FORMAT = re.compile(r"^mst_([0-9a-f]{16})_([A-Za-z0-9_-]{20,100})$")


@dataclass(frozen=True)
class TokenInfo:
    token_id: str
    institution: str
    application: str
    role: str
    scenario: str | None
    max_level: Level
    apis: Mapping[str, tuple[str, ...]]  # api id -> fields ("*": every field)
    scopes: frozenset[str]
    signed: bool
    expires_at: datetime
    revoked: bool = False

    def fields_for(self, api_id: str) -> tuple[str, ...] | None:
        """The fields this token may read of an API; None when the API is not granted."""
        return self.apis.get(api_id)


@dataclass(frozen=True)
class IssuedToken:
    info: TokenInfo
    token: str  # shown once, never stored


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _info(row: GatewayToken) -> TokenInfo:
    return TokenInfo(
        token_id=row.token_id,
        institution=row.institution,
        application=row.application,
        role=row.role,
        scenario=row.scenario,
        max_level=Level.parse(row.max_level),
        apis={k: tuple(v) for k, v in row.apis.items()},
        scopes=frozenset(row.scopes),
        signed=row.signed,
        expires_at=_aware(row.expires_at),
        revoked=row.revoked_at is not None,
    )


class TokenStore:
    """Issue, rotate, revoke and verify tokens in the platform store."""

    def __init__(self, engine: Engine, bundle: PolicyBundle) -> None:
        self.engine = engine
        self.bundle = bundle
        self._cache: dict[str, tuple[TokenInfo, float]] = {}
        self._lock = threading.Lock()

    def issue(
        self,
        *,
        institution: str,
        application: str,
        role: str,
        scenario: str | None,
        max_level: str,
        apis: Mapping[str, Sequence[str]],
        scopes: Sequence[str] = (),
        ttl_seconds: int = 86400,
        signed: bool = False,
        approval: ApprovalRequest,
    ) -> IssuedToken:
        """A new token under the approved data access application ``approval``, which must bound
        it; its secret is returned here once and only its hash is kept."""
        level = self._check(institution, role, scenario, max_level, apis, ttl_seconds)
        expires_at = datetime.now(UTC) + timedelta(seconds=ttl_seconds)
        check_within(approval, self.bundle, institution=institution, apis=apis, scopes=scopes,
                     max_level=level, expires_at=expires_at)  # fmt: skip
        return self._store(institution, application, role, scenario, level, apis, scopes,
                           expires_at, signed)  # fmt: skip

    def _store(
        self,
        institution: str,
        application: str,
        role: str,
        scenario: str | None,
        level: Level,
        apis: Mapping[str, Sequence[str]],
        scopes: Sequence[str],
        expires_at: datetime,
        signed: bool,
    ) -> IssuedToken:
        token_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        row = GatewayToken(
            token_id=token_id,
            secret_hash=secret_hash(secret),
            institution=institution,
            application=application,
            role=role,
            scenario=scenario,
            max_level=level.en,
            apis={k: list(v) for k, v in apis.items()},
            scopes=sorted(set(scopes)),
            signed=signed,
            created_at=now,
            expires_at=expires_at,
            revoked_at=None,
            replaced_by=None,
        )
        info = _info(row)
        with Session(self.engine) as session, session.begin():
            session.add(row)
        return IssuedToken(info, f"mst_{token_id}_{secret}")

    def _check(
        self,
        institution: str,
        role: str,
        scenario: str | None,
        max_level: str,
        apis: Mapping[str, Sequence[str]],
        ttl_seconds: int,
    ) -> Level:
        b = self.bundle
        if b.institution(institution) is None:
            raise UnknownNameError(f"unknown institution {institution!r}", where="institution")
        known_role = b.role(role)
        if known_role is None:
            raise UnknownNameError(f"unknown role {role!r}", where="role")
        if scenario is not None and scenario not in b.scenario_keys:
            raise UnknownNameError(f"unknown scenario {scenario!r}", where="scenario")
        level = Level.parse(max_level)
        if level > known_role.max_level:
            raise InputError(
                f"max_level {level.en} is above role {role!r} maximum {known_role.max_level.en}",
                where="max_level",
            )
        exposed = {a.id: a for a in b.apis if a.exposed}
        for api_id, fields in apis.items():
            api = exposed.get(api_id)
            if api is None:
                raise UnknownNameError(f"unknown API {api_id!r}", where="apis")
            names = {f.name for f in api.fields}
            for name in fields:
                if name != "*" and name not in names:
                    raise UnknownNameError(f"API {api_id!r} has no field {name!r}", where="apis")
        if not 1 <= ttl_seconds <= 366 * 86400:
            raise InputError("ttl_seconds must be between 1 and one year", where="ttl_seconds")
        return level

    def verify(self, token: str) -> TokenInfo:
        """The token's grant; ``AuthenticationError`` for a forged, expired or revoked one."""
        digest = secret_hash(token)
        now = time.monotonic()
        cached = self._cache.get(digest)
        if cached is not None and cached[1] > now:
            info = cached[0]
        else:
            info = self._load(token)
            with self._lock:
                if len(self._cache) > 10_000:
                    self._cache.clear()
                self._cache[digest] = (info, now + CACHE_SECONDS)
        if info.expires_at <= datetime.now(UTC):
            raise AuthenticationError("token expired or not valid", where="Authorization")
        return info

    def _load(self, token: str) -> TokenInfo:
        invalid = AuthenticationError("token expired or not valid", where="Authorization")
        match = _FORMAT.match(token)
        if match is None:
            raise invalid
        with Session(self.engine) as session:
            row = session.get(GatewayToken, match.group(1))
            if row is None or row.revoked_at is not None:
                raise invalid
            if not hmac.compare_digest(row.secret_hash, secret_hash(match.group(2))):
                raise invalid
            return _info(row)

    def revoke(self, token_id: str, *, replaced_by: str | None = None) -> None:
        with Session(self.engine) as session, session.begin():
            done = session.execute(
                update(GatewayToken)
                .where(GatewayToken.token_id == token_id, GatewayToken.revoked_at.is_(None))
                .values(revoked_at=datetime.now(UTC), replaced_by=replaced_by)
            )
        if done.rowcount == 0:  # type: ignore[attr-defined]
            raise UnknownNameError(f"no live token {token_id!r}", where="token_id")
        with self._lock:
            self._cache.clear()

    def rotate(self, token_id: str, *, ttl_seconds: int | None = None) -> IssuedToken:
        """A new token with the same grant and at most the old expiry (the old one was bounded
        by its application); the old one is revoked."""
        old = self.get(token_id)
        if old.revoked:
            raise UnknownNameError(f"no live token {token_id!r}", where="token_id")
        expires_at = old.expires_at
        if ttl_seconds is not None:
            expires_at = datetime.now(UTC) + timedelta(seconds=ttl_seconds)
            if expires_at > old.expires_at:
                raise ApprovalError(
                    "a rotated token may not outlive the token it replaces; issue a new token "
                    "under an approved application",
                    where="ttl_seconds",
                )
        new = self._store(old.institution, old.application, old.role, old.scenario,
                          old.max_level, old.apis, sorted(old.scopes), expires_at, old.signed)  # fmt: skip
        self.revoke(token_id, replaced_by=new.info.token_id)
        return new

    def get(self, token_id: str) -> TokenInfo:
        with Session(self.engine) as session:
            row = session.get(GatewayToken, token_id)
            if row is None:
                raise UnknownNameError(f"no token {token_id!r}", where="token_id")
            return _info(row)

    def list(self) -> list[TokenInfo]:
        with Session(self.engine) as session:
            rows = session.scalars(select(GatewayToken).order_by(GatewayToken.created_at))
            return [_info(r) for r in rows]
