"""Mutual TLS: a project certificate authority, node and hub certificates, SSL contexts.

Every party presents a certificate of the alliance CA; a node serves only a client whose
certificate names the hub, and the hub checks that a node's certificate names the node it meant
to reach. Keys are EC P-256; certificates cover 127.0.0.1 and localhost.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from medshield import atomic
from medshield.errors import InputError

HUB = "hub"
_DAYS = 365


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "medshield alliance"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _write_key(key: ec.EllipticCurvePrivateKey, path: Path) -> None:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    atomic.write_bytes(path, pem, mode=0o600)


def make_ca(folder: Path) -> tuple[Path, Path]:
    """A self-signed CA in ``folder`` (ca.pem, ca.key)."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("medshield alliance CA"))
        .issuer_name(_name("medshield alliance CA"))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    atomic.write_bytes(folder / "ca.pem", cert.public_bytes(serialization.Encoding.PEM))
    _write_key(key, folder / "ca.key")
    return folder / "ca.pem", folder / "ca.key"


def issue(folder: Path, common: str, ca_cert: Path, ca_key: Path) -> tuple[Path, Path]:
    """A certificate for ``common`` (a node id or ``hub``) signed by the CA: (cert, key)."""
    ca = x509.load_pem_x509_certificate(ca_cert.read_bytes())
    signing = serialization.load_pem_private_key(ca_key.read_bytes(), password=None)
    if not isinstance(signing, ec.EllipticCurvePrivateKey):
        raise InputError("the CA key is not an EC key", where=str(ca_key))
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=_DAYS))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(signing, hashes.SHA256())
    )
    cert_path, key_path = folder / f"{common}.pem", folder / f"{common}.key"
    atomic.write_bytes(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    _write_key(key, key_path)
    return cert_path, key_path


def server_context(cert: Path, key: Path, ca: Path) -> ssl.SSLContext:
    """A node's context: TLS 1.2+, and a client certificate of the CA required."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert, key)
    context.load_verify_locations(ca)
    context.verify_mode = ssl.CERT_REQUIRED
    return context


def client_context(cert: Path, key: Path, ca: Path) -> ssl.SSLContext:
    """The hub's context: presents its certificate, checks the node's against the CA."""
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(ca))
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert, key)
    return context


def common_name(peer: Any) -> str | None:
    """The CN of a peer certificate as ``SSLSocket.getpeercert()`` gives it."""
    for rdn in (peer or {}).get("subject", ()):
        for attr, value in rdn:
            if attr == "commonName":
                return str(value)
    return None
