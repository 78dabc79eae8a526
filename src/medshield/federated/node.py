"""A node: answers approved templates over its own database, masked, and records every answer.

The node checks on its own, whatever the hub says: the template must be in its copy of the
policy, the participants must be exactly the registry's nodes (so no subset sum can be
subtracted from the total), a query id is answered once. Each answer and each refusal is an
event in the node's own ledger.
"""

from __future__ import annotations

import hashlib
import threading

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from medshield.errors import MedshieldError, ProtocolError, TemplateRefusedError
from medshield.federated import psi
from medshield.federated.config import NodeConfig, load_mask_key, read_registry
from medshield.federated.kinds import kind_of
from medshield.federated.local import LocalDatabase
from medshield.federated.messages import (
    PsiBlindRequest,
    PsiCount,
    PsiFinishRequest,
    PsiPoints,
    PsiReblindRequest,
    QueryRequest,
    ShareAnswer,
)
from medshield.federated.secure_sum import context_digest, masked_share
from medshield.ledger import Event, Ledger, open_ledger
from medshield.ledger.signing import load_or_create_key
from medshield.policy import PolicyBundle, load_bundle
from medshield.policy.federated import NodeRegistry, TemplateDef

PSI_TABLE, PSI_COLUMN = "patient", "id_no"


def template_digest(template: TemplateDef) -> str:
    return hashlib.sha256(template.model_dump_json().encode()).hexdigest()


class Node:
    def __init__(
        self,
        config: NodeConfig,
        *,
        bundle: PolicyBundle,
        registry: NodeRegistry,
        mask_key: X25519PrivateKey,
        ledger: Ledger,
    ) -> None:
        self.config = config
        self.bundle = bundle
        self.registry = registry
        self.mask_key = mask_key
        self.ledger = ledger
        self.data = LocalDatabase.open(config.database, config.style, config.tables)
        self._lock = threading.Lock()
        self._psi_keys: dict[str, X25519PrivateKey] = {}
        self._answered = {
            r.event.detail.get("query_id") for r in ledger.records(action_prefix="federated.answer")
        }

    @classmethod
    def from_config(cls, config: NodeConfig) -> Node:
        bundle = load_bundle(config.policy)
        policy = bundle.meta.ledger
        ledger = open_ledger(
            config.ledger,
            hash_alg=policy.hash,
            signer=load_or_create_key(config.signing_key),
            checkpoint_every=policy.checkpoint_every,
            checkpoint_seconds=policy.checkpoint_seconds,
            replicas=(),
        )
        return cls(
            config,
            bundle=bundle,
            registry=read_registry(config.registry),
            mask_key=load_mask_key(config.mask_key),
            ledger=ledger,
        )

    def answer(self, request: QueryRequest) -> ShareAnswer:
        with self._lock:
            try:
                template = self._check(request)
                kind = kind_of(template.kind)
                values = kind.measure(template, self.data)
            except MedshieldError as exc:
                self._record("federated.refuse", request.requester, request, {"code": exc.code})
                raise
            digest = template_digest(template)
            context = context_digest(
                {
                    "query": request.query_id,
                    "template": digest,
                    "nodes": ",".join(request.participants),
                }
            )
            peers = {n.id: n.mask_public_key for n in self.registry.nodes}
            share = masked_share(values, self.config.id, self.mask_key, peers, context)
            self._answered.add(request.query_id)
            self._record(
                "federated.answer", request.requester, request, {"template_digest": digest}
            )
            return ShareAnswer(
                node=self.config.id, query_id=request.query_id, template_digest=digest, share=share
            )

    def _check(self, request: QueryRequest) -> TemplateDef:
        template = self.bundle.federated.template(request.template)
        if template is None:
            raise TemplateRefusedError(
                f"template {request.template!r} is not approved", where=self.config.id
            )
        if tuple(sorted(request.participants)) != self.registry.ids:
            raise ProtocolError(
                "the participants are not the registry's nodes", where=self.config.id
            )
        if len(self.registry.ids) < self.bundle.federated.min_nodes:
            raise ProtocolError(
                f"fewer than {self.bundle.federated.min_nodes} nodes", where=self.config.id
            )
        if request.query_id in self._answered:
            raise ProtocolError(f"query {request.query_id!r} was answered already")
        return template

    def _record(
        self, action: str, actor: str, request: QueryRequest, detail: dict[str, object]
    ) -> None:
        self.ledger.append(
            Event(
                action=action,
                actor=actor,
                institution=self.config.id,
                outcome="allow" if action == "federated.answer" else "deny",
                policy_version=self.bundle.version,
                detail={"query_id": request.query_id, "template": request.template, **detail},
            )
        )

    def refused(self, path: str, peer: str, error: MedshieldError) -> None:
        """A request refused before it reached a template (wrong client, path or body)."""
        with self._lock:
            self.ledger.append(
                Event(
                    action="federated.refuse",
                    actor=peer,
                    institution=self.config.id,
                    outcome="deny",
                    policy_version=self.bundle.version,
                    detail={"path": path, "code": error.code},
                )
            )

    # private set intersection: this node's patients, by ID number
    def _identifiers(self) -> list[str]:
        table = self.data.table(PSI_TABLE)
        col = table.column(PSI_COLUMN)
        rows = table.rows(
            sa.select(col).select_from(table.table).where(col.is_not(None)).distinct()
        )
        return [str(r[0]) for r in rows]

    def psi_blind(self, request: PsiBlindRequest) -> PsiPoints:
        with self._lock:
            if request.session in self._psi_keys:
                raise ProtocolError(f"PSI session {request.session!r} exists already")
            key = self._psi_keys[request.session] = X25519PrivateKey.generate()
        points = psi.blind(key, self._identifiers())
        self._psi_event("federated.psi.blind", request.session, len(points))
        return PsiPoints(node=self.config.id, points=points)

    def psi_reblind(self, request: PsiReblindRequest) -> PsiPoints:
        key = X25519PrivateKey.generate()  # used once: the peer cannot reuse our answer
        reblinded = psi.reblind(key, request.blinded)
        points = psi.blind(key, self._identifiers())
        self._psi_event("federated.psi.reblind", request.session, len(points))
        return PsiPoints(node=self.config.id, points=points, reblinded=reblinded)

    def psi_finish(self, request: PsiFinishRequest) -> PsiCount:
        with self._lock:
            key = self._psi_keys.pop(request.session, None)
        if key is None:
            raise ProtocolError(f"no PSI session {request.session!r} here")
        shared = psi.cardinality(key, request.reblinded, request.peer)
        self._psi_event("federated.psi.finish", request.session, len(request.peer))
        return PsiCount(node=self.config.id, shared=shared)

    def _psi_event(self, action: str, session: str, size: int) -> None:
        with self._lock:
            self.ledger.append(
                Event(
                    action=action,
                    actor="hub",
                    institution=self.config.id,
                    detail={"session": session, "set_size": size},
                )
            )
