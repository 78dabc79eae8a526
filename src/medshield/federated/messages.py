"""What the hub and the nodes say to each other (JSON bodies over mutual-TLS HTTPS)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

QUERY_ID = r"^[A-Za-z0-9_.-]{8,80}$"


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QueryRequest(_Message):
    query_id: str = Field(pattern=QUERY_ID)
    template: str
    participants: tuple[str, ...]
    requester: str


class ShareAnswer(_Message):
    node: str
    query_id: str
    template_digest: str  # nodes holding different definitions would sum garbage
    share: list[int]  # masked: uniformly random to the hub


class PsiBlindRequest(_Message):
    session: str = Field(pattern=QUERY_ID)


class PsiReblindRequest(_Message):
    session: str = Field(pattern=QUERY_ID)
    blinded: list[str]  # hex points from the other node


class PsiFinishRequest(_Message):
    session: str = Field(pattern=QUERY_ID)
    reblinded: list[str]  # our points, blinded again by the peer (shuffled)
    peer: list[str]  # the peer's points blinded once by the peer


class PsiPoints(_Message):
    node: str
    points: list[str]
    reblinded: list[str] = []


class PsiCount(_Message):
    node: str
    shared: int
