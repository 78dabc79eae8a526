"""The hub: sends a template to every node, sums the masked shares, never sees a row.

What the hub receives is kept in ``Aggregate.seen`` (the transcript): masked shares that are
uniformly random one by one, and whose sum is the alliance total. One node missing, late or
failing aborts the whole query: nothing partial is ever combined or released.
"""

from __future__ import annotations

import secrets
import ssl
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from medshield.errors import ProtocolError, TemplateRefusedError
from medshield.federated.client import post
from medshield.federated.messages import (
    PsiBlindRequest,
    PsiCount,
    PsiFinishRequest,
    PsiPoints,
    PsiReblindRequest,
    QueryRequest,
    ShareAnswer,
)
from medshield.federated.secure_sum import combine
from medshield.federated.tls import client_context
from medshield.policy import PolicyBundle
from medshield.policy.federated import NodeRegistry, TemplateDef

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Aggregate:
    template: TemplateDef
    query_id: str
    total: list[int]
    seen: dict[str, ShareAnswer] = field(repr=False)  # everything the hub received


@dataclass(frozen=True)
class PsiResult:
    left: str
    right: str
    shared: int
    seen: dict[str, PsiPoints | PsiCount] = field(repr=False)


def new_id(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(8)}"


class Hub:
    def __init__(
        self,
        bundle: PolicyBundle,
        registry: NodeRegistry,
        urls: dict[str, str],
        context: ssl.SSLContext,
        *,
        timeout: float = 120.0,
    ) -> None:
        missing = [n for n in registry.ids if n not in urls]
        if missing:
            raise ProtocolError(f"no address for node(s) {', '.join(missing)}")
        self.bundle = bundle
        self.registry = registry
        self.urls = urls
        self.context = context
        self.timeout = timeout

    @classmethod
    def connect(
        cls,
        bundle: PolicyBundle,
        registry: NodeRegistry,
        urls: dict[str, str],
        tls: tuple[Path, Path, Path],
        timeout: float = 120.0,
    ) -> Hub:
        """A hub presenting ``tls`` = (certificate, key, CA)."""
        return cls(bundle, registry, urls, client_context(*tls), timeout=timeout)

    def template(self, key: str) -> TemplateDef:
        template = self.bundle.federated.template(key)
        if template is None:
            known = ", ".join(t.key for t in self.bundle.federated.templates)
            raise TemplateRefusedError(f"template {key!r} is not approved; approved: {known}")
        return template

    def collect(self, template_key: str, requester: str, query_id: str | None = None) -> Aggregate:
        """The alliance total of one template, from all nodes at once."""
        template = self.template(template_key)
        request = QueryRequest(
            query_id=query_id or new_id("q"),
            template=template.key,
            participants=self.registry.ids,
            requester=requester,
        )
        answers = self._all(lambda n: self._post(n, "/v1/query", request, ShareAnswer))
        if len({a.template_digest for a in answers.values()}) != 1:
            raise ProtocolError("the nodes hold different definitions of the template")
        total = combine([answers[n].share for n in self.registry.ids])
        return Aggregate(template, request.query_id, total, answers)

    def psi(self, left: str, right: str) -> PsiResult:
        """How many patients ``left`` and ``right`` share: only that number comes out."""
        for node in (left, right):
            if node not in self.registry.ids:
                raise ProtocolError(f"no node {node!r} in the registry")
        if left == right:
            raise ProtocolError("PSI needs two different nodes")
        session = new_id("psi")
        a = self._post(left, "/v1/psi/blind", PsiBlindRequest(session=session), PsiPoints)
        b = self._post(
            right,
            "/v1/psi/reblind",
            PsiReblindRequest(session=session, blinded=a.points),
            PsiPoints,
        )
        finish = PsiFinishRequest(session=session, reblinded=b.reblinded, peer=b.points)
        count = self._post(left, "/v1/psi/finish", finish, PsiCount)
        return PsiResult(left, right, count.shared, {"blind": a, "reblind": b, "finish": count})

    def _post(self, node: str, path: str, body: BaseModel, answer: type[M]) -> M:
        return post(self.context, node, self.urls[node], path, body, answer, self.timeout)

    def _all(self, call: Callable[[str], ShareAnswer]) -> dict[str, ShareAnswer]:
        """``call`` on every node at once; the first failure is raised, nothing is kept."""
        with ThreadPoolExecutor(max_workers=len(self.registry.ids)) as pool:
            futures = {n: pool.submit(call, n) for n in self.registry.ids}
            return {n: f.result() for n, f in futures.items()}
