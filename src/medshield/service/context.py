"""Everything a gateway process shares between calls, opened once from settings."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import Engine

from medshield.audit.query import QueryService
from medshield.errors import ApprovalError, SmsProviderError
from medshield.governance import ApprovalRequest
from medshield.ledger import Ledger
from medshield.ledger.events import DataObject, Event, Outcome
from medshield.mask.dynamic import default_mask_context
from medshield.mask.operators.base import MaskContext
from medshield.policy.bundle import PolicyBundle
from medshield.policy.schema import ApiDef
from medshield.service.anomaly import AnomalyWatch
from medshield.service.applications import approved_application
from medshield.service.caller import Lockout, Network, parse_networks
from medshield.service.codes import OneTimeCodes
from medshield.service.probe_inbox import ProbeInbox
from medshield.service.sink import BatchAppender, EventSink
from medshield.service.sms import SmsSender
from medshield.service.sources import (
    SourceDirectory,
    SourceRows,
    fetch_upstream,
    lend_engines,
    run_api_query,
)
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
    queries: QueryService = field(init=False)  # runs the query-backed APIs' statements
    anomalies: AnomalyWatch = field(init=False)  # anomaly alerts of valid tokens

    def __post_init__(self) -> None:
        self.apis = {a.id: a for a in self.bundle.apis if a.exposed}
        # Read once: the key ring and settings are not re-read on every call.
        self.mask_context = default_mask_context(self.bundle)
        self.upstream = httpx.Client(timeout=UPSTREAM_TIMEOUT, follow_redirects=False)
        self.queries = QueryService(self.bundle)
        lend_engines(self.sources, self.queries)
        audit = self.bundle.audit
        self.anomalies = AnomalyWatch(self.state, audit.gateway, audit.logs.remote_access)

    def fetch_rows(
        self, api: ApiDef, params: Mapping[str, Any], *, user: str, role: str,
        scenario: str | None,
    ) -> SourceRows:  # fmt: skip
        """The rows of one call of ``api`` for ``user``: its upstream's, or its query's run by
        the query service (the statement's verdict event goes to the batched sink)."""
        if api.kind == "proxy":
            return SourceRows.of_records(fetch_upstream(self.upstream, api, params))
        return run_api_query(
            self.queries, self.sources, api, params, user=user, role=role, scenario=scenario,
            record=self.sink.submit,
        )  # fmt: skip

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

    def application(self, request_id: int) -> ApprovalRequest:
        """The approved data access application ``request_id``, read from the ledger."""
        ledger = self.sink.ledger
        if not isinstance(ledger, Ledger):  # fail closed: no ledger to read approvals from
            raise ApprovalError("this gateway cannot read approvals", where="approval")
        return approved_application(ledger, request_id)

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
        rows = run_api_query(
            self.queries, self.sources, contact, {name: patient}, user="gateway",
            role="api_client", scenario=None, max_rows=1, record=self.sink.submit,
        )  # fmt: skip
        found = rows.records()
        phone = found[0].get("mobile") if found else None
        return str(phone) if phone else None

    def decoy_id(self) -> str:
        return secrets.token_urlsafe(16)

    def send_code(
        self, codes: OneTimeCodes, phone: str | None, message: str, binding: dict[str, str],
        address: str | None, token: TokenInfo | None = None,
    ) -> str:  # fmt: skip
        """Send a one-time code; the id to redeem it with. An unknown phone, or a provider that
        refuses (``SmsProviderError``, recorded as an ``sms_failed`` alert with its code), gets a
        decoy id: the answer must not tell a known patient from an unknown one."""
        if not phone:
            return self.decoy_id()
        try:
            return codes.send(phone, message, binding)
        except SmsProviderError as exc:
            self.event(
                "gateway.alert", token, None, "alert", (exc.message,), kind="sms_failed",
                address=address, code=exc.code, provider=codes.sms.name,
            )  # fmt: skip
            return self.decoy_id()

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
    code_secret: str | bytes | None = None,
    probe_patient: str | None = None,
) -> ServiceContext:
    """The gateway's shared context. ``code_secret`` keys the stored SMS codes; without one
    (at least 16 bytes) the gateway does not start (``ConfigError``)."""
    state = open_state(state_url)
    storage = limits_storage(state_url)

    def codes(prefix: str) -> OneTimeCodes:
        return OneTimeCodes(
            state,
            sms,
            secret=code_secret,
            prefix=prefix,
            ttl=CONSENT_TTL,
            attempts=CONSENT_ATTEMPTS,
        )

    return ServiceContext(
        bundle=bundle,
        sources=sources,
        tokens=TokenStore(store, bundle),
        state=state,
        lockout=Lockout(storage, failures=lockout_failures),
        rate_limits=RateLimits(storage),
        consents=codes("consent"),
        logins=codes("login"),
        sink=EventSink(ledger),
        metrics=GatewayMetrics(tuple(a.id for a in bundle.apis)),
        sms=sms,
        trusted=parse_networks(trusted_proxies),
        admin_key=admin_key,
        probe_inbox=ProbeInbox(state, probe_patient, CONSENT_TTL) if probe_patient else None,
    )
