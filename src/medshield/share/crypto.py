"""The package's algorithms: X25519 key agreement, HKDF, and AES-256-GCM or SM4-GCM.

AES-256-GCM uses ``AESGCM``. SM4-GCM (GB/T 32907 in GCM mode, RFC 8998) uses the ``Cipher``
interface of ``cryptography`` with ``algorithms.SM4`` and ``modes.GCM``, which the pinned
version offers; its key is derived with HKDF over SM3, the AES key with HKDF over SHA-256.
Both use a 96-bit nonce and a 128-bit tag.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from medshield.errors import PackageTamperedError

ALGORITHMS = ("aes-256-gcm", "sm4-gcm")
TAG = 16
_KEY_BYTES = {"aes-256-gcm": 32, "sm4-gcm": 16}


def derive_key(alg: str, shared: bytes, salt: bytes) -> bytes:
    digest: hashes.HashAlgorithm = hashes.SM3() if alg == "sm4-gcm" else hashes.SHA256()
    hkdf = HKDF(algorithm=digest, length=_KEY_BYTES[alg], salt=salt,
                info=b"medshield-share-v1|" + alg.encode())  # fmt: skip
    return hkdf.derive(shared)


def recipient_key(alg: str, ephemeral: X25519PrivateKey, recipient: X25519PublicKey) -> bytes:
    """The sender's side: the content key for one recipient."""
    salt = ephemeral.public_key().public_bytes_raw() + recipient.public_bytes_raw()
    return derive_key(alg, ephemeral.exchange(recipient), salt)


def opener_key(alg: str, private: X25519PrivateKey, ephemeral: X25519PublicKey) -> bytes:
    """The recipient's side: the same key from its private key and the ephemeral public key."""
    salt = ephemeral.public_bytes_raw() + private.public_key().public_bytes_raw()
    return derive_key(alg, private.exchange(ephemeral), salt)


def seal(alg: str, key: bytes, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """Ciphertext followed by the tag."""
    if alg == "aes-256-gcm":
        return AESGCM(key).encrypt(nonce, plaintext, aad)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    return encryptor.update(plaintext) + encryptor.finalize() + encryptor.tag


def unseal(alg: str, key: bytes, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
    """The plaintext, or PackageTamperedError when authentication fails."""
    try:
        if alg == "aes-256-gcm":
            return AESGCM(key).decrypt(nonce, sealed, aad)
        if len(sealed) < TAG:
            raise InvalidTag
        body, tag = sealed[:-TAG], sealed[-TAG:]
        decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(aad)
        return decryptor.update(body) + decryptor.finalize()
    except (InvalidTag, ValueError):
        raise PackageTamperedError("the package does not authenticate: it was changed") from None
