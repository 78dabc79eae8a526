"""Everything a gateway process shares between calls, opened once from settings."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import Engine

from medshield.ledger.events import DataObject, Event, Outcome
from medshield.mask.dynamic import default_mask_context
from medshield.mask.operators.base import MaskContext
from medshield.policy.bundle import PolicyBundle
from medshield.policy.schema import ApiDef
from medshield.service.caller import Lockout, Network, parse_networks
from medshield.service.codes import OneTimeCodes
from medshield.service.probe_inbox import ProbeInbox
from medshield.service.sink import BatchAppender, EventSink
from medshield.service.sms import SmsSender
from medshield.service.sources import SourceDirectory, run_api_query
from medshield.service.state import SharedState, limits_storage, open_state
from medshield.service.tokens import TokenInfo, TokenStore
from medshield.service.traffic import GatewayMetrics, RateLimits

CONSENT_TTL = 300.0
CONSENT_ATTEMPTS = 3
UPSTREAM_TIMEOUT = 10.0


@dataclass
class ServiceContext:
    bundle: PolicyBundle
    sources: SourceDirectory
    tokens: TokenStore
    state: SharedState
    lockout: Lockout
    rate_limits: RateLimits
    consents: OneTimeCodes
    logins: OneTimeCodes
    sink: EventSink
    metrics: GatewayMetrics
    sms: SmsSender
    trusted: tuple[Network, ...] = ()
    admin_key: str | None = None
    consent_ttl: float = CONSENT_TTL
    apis: dict[str, ApiDef] = field(default_factory=dict)
    probe_inbox: ProbeInbox | None = None  # the probe patient's codes for canary tokens

    mask_context: MaskContext = field(init=False)
    upstream: httpx.Client = field(init=False)  # proxy APIs' upstreams

    def __post_init__(self) -> None:
        self.apis = {a.id: a for a in self.bundle.apis if a.exposed}
        # Read once: the key ring and settings are not re-read on every call.
        self.mask_context = default_mask_context(self.bundle)
        self.upstream = httpx.Client(timeout=UPSTREAM_TIMEOUT, follow_redirects=False)

    def event(
        self, action: str, token: TokenInfo | None, api: ApiDef | None, outcome: Outcome,
        reasons: tuple[str, ...], **detail: Any,
    ) -> None:  # fmt: skip
        self.sink.submit(
            Event(
                action=action,
                actor=f"token:{token.token_id}" if token else "gateway",
                institution=token.institution if token else None,
                object=DataObject(api=api.id if api else None),
                outcome=outcome,
                reasons=reasons,
                policy_version=self.bundle.version,
                detail=detail,
            )
        )

    def alert(
        self, kind: str, address: str | None, why: str, *, token: TokenInfo | None = None,
        api: ApiDef | None = None,
    ) -> None:  # fmt: skip
        self.event("gateway.alert", token, api, "alert", (why,), kind=kind, address=address)

    def patient_phone(self, api: ApiDef, params: dict[str, Any]) -> str | None:
        """The patient's mobile number from the source holding ``api`` (None: unknown)."""
        contact = next((a for a in self.bundle.apis if a.id == "patient.contact"), None)
        if contact is None:
            return None
        name = next((p.name for p in contact.params if p.patient), "id_no")
        patient = next((v for p in api.params if p.patient for v in [params[p.name]]), None)
        rows = run_api_query(self.sources, contact, {name: patient}, max_rows=1)
        phone = rows[0].get("mobile") if rows else None
        return str(phone) if phone else None

    def decoy_id(self) -> str:
        return secrets.token_urlsafe(16)

    def close(self) -> None:
        self.sink.close()
        self.sources.dispose()
        self.upstream.close()


def open_service(
    bundle: PolicyBundle,
    sources: SourceDirectory,
    store: Engine,
    ledger: BatchAppender,
    sms: SmsSender,
    *,
    state_url: str | None = None,
    trusted_proxies: str = "",
    admin_key: str | None = None,
    lockout_failures: int = 5,
    probe_patient: str | None = None,
) -> ServiceContext:
    state = open_state(state_url)
    storage = limits_storage(state_url)
    return ServiceContext(
        bundle=bundle,
        sources=sources,
        tokens=TokenStore(store, bundle),
        state=state,
        lockout=Lockout(storage, failures=lockout_failures),
        rate_limits=RateLimits(storage),
        consents=OneTimeCodes(
            state, sms, prefix="consent", ttl=CONSENT_TTL, attempts=CONSENT_ATTEMPTS
        ),
        logins=OneTimeCodes(state, sms, prefix="login", ttl=CONSENT_TTL, attempts=CONSENT_ATTEMPTS),
        sink=EventSink(ledger),
        metrics=GatewayMetrics(tuple(a.id for a in bundle.apis)),
        sms=sms,
        trusted=parse_networks(trusted_proxies),
        admin_key=admin_key,
        probe_inbox=ProbeInbox(state, probe_patient, CONSENT_TTL) if probe_patient else None,
    )
