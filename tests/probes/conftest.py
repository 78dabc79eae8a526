"""The gateway fixtures of tests/gateway: a synthetic alliance and a real gateway on loopback."""

from tests.gateway.conftest import alliance, gateway

__all__ = ["alliance", "gateway"]
