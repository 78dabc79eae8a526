"""Encrypted sharing and governance reads: package sealing and opening against the bare AEAD of
the same bytes, CSV watermarking and tracing against a plain CSV read and write of the same file,
PDF watermarking and tracing against decoding every stream of the same file, the risk register
read from a ledger against iterating the same records, and a token issued under its approved
data access application against storing the same token without the check."""

from __future__ import annotations

import csv
import io
import os
import random
import re
import tempfile
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bench.harness import Row, best_of
from medshield.demo.applications import file_approved_application
from medshield.elements.levels import Level
from medshield.ledger import open_ledger
from medshield.policy import load_bundle
from medshield.risk import assess, read_register
from medshield.service.applications import approved_application
from medshield.service.tokens import TokenStore
from medshield.share import identify, mark_csv, open_package, pack
from medshield.share.watermark_pdf import mark_pdf, pdf_observations
from medshield.store.db import connect, upgrade

DIAGNOSES = ["高血压", "2型糖尿病", "冠心病", "慢性阻塞性肺疾病", "哮喘", "肺炎", "脑梗死", "胃炎"]


def _csv(rows: int) -> str:
    rng = random.Random(3)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["visit_id", "dept", "diagnosis", "temp", "glucose", "visited"])
    for i in range(rows):
        w.writerow([i, rng.choice(["心内科", "内分泌科", "呼吸科"]),
                    f"{rng.choice(DIAGNOSES)}（{rng.randint(1, 500)}）",
                    f"{rng.uniform(36, 39.5):.1f}", f"{rng.uniform(3.9, 15):.2f}", "2026-05-01"])  # fmt: skip
    return out.getvalue()


def _roundtrip(text: str) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(csv.reader(io.StringIO(text)))
    return out.getvalue()


def _packages(size: int) -> list[Row]:
    data = os.urandom(size)
    key = X25519PrivateKey.generate()
    now = datetime.now(UTC)
    mb = size / 1e6
    aead, nonce = AESGCM(AESGCM.generate_key(bit_length=256)), os.urandom(12)
    t_base = best_of(lambda: aead.decrypt(nonce, aead.encrypt(nonce, data, b""), b""))
    rows = []
    for alg in ("aes-256-gcm", "sm4-gcm"):

        def seal_open(alg: str = alg) -> None:
            sealed = pack({"r": data}, {"r": key.public_key()}, filename="f.bin",
                          expires_at=now + timedelta(days=1), sender="s", alg=alg)  # fmt: skip
            open_package(sealed, key)

        t = best_of(seal_open)
        rows.append(Row(f"share pack+open {alg} ({mb:.0f} MB)", mb / t, "MB/s",
                        "bare AES-256-GCM enc+dec", mb / t_base, "", "random bytes"))  # fmt: skip
    return rows


def _watermark(n: int) -> list[Row]:
    text = _csv(n)
    keys = {f"pkg/r{i}": bytes([i]) * 32 for i in range(100)}
    t_base = best_of(lambda: _roundtrip(text))
    t_mark = best_of(lambda: mark_csv(text, keys["pkg/r7"]))
    rows_ = list(csv.reader(io.StringIO(mark_csv(text, keys["pkg/r7"]))))
    half = rows_[:1] + sorted(rows_[1::2], key=lambda r: r[2])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(half)
    leaked = out.getvalue()
    assert identify(leaked, keys).recipient == "pkg/r7"
    t_trace = best_of(lambda: identify(leaked, keys), repeat=1)
    corpus = f"{n:,} visit rows"
    return [
        Row("watermark CSV (mark every carrier cell)", n / t_mark, "rows/s",
            "csv read+write", n / t_base, "", corpus),
        Row("trace a half, re-sorted copy among 100 recipients", (n // 2) / t_trace, "rows/s",
            "csv read+write", n / t_base, "", corpus),
    ]  # fmt: skip


def _register(n: int) -> list[Row]:
    with (
        tempfile.TemporaryDirectory() as tmp,
        open_ledger(f"sqlite:///{Path(tmp) / 's.db'}") as ledger,
    ):
        for i in range(n):
            assess(ledger, "office-01", f"RK{i % 12 + 1:02d}", i % 5 + 1, (i // 5) % 5 + 1, "复评")
        t_base = best_of(lambda: sum(1 for _ in ledger.records(action_prefix="risk.")))
        t_read = best_of(lambda: read_register(ledger))
    return [Row(f"risk register read from {n} assessments", n / t_read, "events/s",
                "iterate the same records", n / t_base, "", "generated assessments")]  # fmt: skip


def _decode_streams(data: bytes) -> int:
    """The least a PDF reader does: find every stream and inflate it."""
    total = 0
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, flags=re.S):
        try:
            total += len(zlib.decompressobj().decompress(m.group(1)))
        except zlib.error:
            total += len(m.group(1))
    return total


def _pdf_watermark(pages: int) -> list[Row]:
    from weasyprint import HTML  # lazy: slow to import

    body = "".join(f"<h2>第{n}页 门诊统计</h2><p>{'内科 心内科 呼吸科 ' * 40}</p>"
                   '<p style="page-break-after: always"></p>' for n in range(pages))  # fmt: skip
    data = bytes(HTML(string=body).write_pdf())
    keys = {f"pkg/r{i}": bytes([i]) * 32 for i in range(100)}
    mb = len(data) / 1e6
    t_base = best_of(lambda: _decode_streams(data))
    t_mark = best_of(lambda: mark_pdf(data, keys["pkg/r7"]))
    leaked = mark_pdf(data, keys["pkg/r7"])
    assert identify(pdf_observations(leaked), keys).recipient == "pkg/r7"
    t_trace = best_of(lambda: identify(pdf_observations(leaked), keys))
    corpus = f"{pages}-page PDF, {mb:.2f} MB"
    return [
        Row("watermark PDF (every page)", mb / t_mark, "MB/s", "decode every stream", mb / t_base,
            "", corpus),
        Row("trace a PDF among 100 recipients", mb / t_trace, "MB/s", "decode every stream",
            mb / t_base, "", corpus),
    ]  # fmt: skip


def _token_issue(applications: int) -> list[Row]:
    bundle = load_bundle()
    grant = {"institution": "m1", "application": "bench", "role": "doctor",
             "scenario": "collaborative_care", "max_level": "important",
             "apis": {"patient.visits": ["*"]}, "scopes": ["clinical.read"]}  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 's.db'}"
        upgrade(url)
        engine = connect(url)
        store = TokenStore(engine, bundle)
        with open_ledger(url) as ledger:
            ids = [file_approved_application(ledger, bundle, ("clinical.read",))
                   for _ in range(applications)]  # fmt: skip
            until = datetime.now(UTC) + timedelta(days=1)

            def bare() -> None:
                store._store("m1", "bench", "doctor", "collaborative_care", Level.IMPORTANT,  # noqa: SLF001
                             grant["apis"], grant["scopes"], until, False)  # fmt: skip

            def checked() -> None:
                store.issue(
                    **grant, ttl_seconds=3600, approval=approved_application(ledger, ids[0])
                )

            t_base, t_issue = best_of(bare), best_of(checked)
        engine.dispose()
    return [Row(f"issue a token under its application ({applications} in the ledger)",
                1 / t_issue, "tokens/s", "store the token unchecked", 1 / t_base, "",
                "approved data access applications")]  # fmt: skip


def run(quick: bool = False) -> list[Row]:
    return [
        *_packages(1_000_000 if quick else 16_000_000),
        *_watermark(2_000 if quick else 50_000),
        *_pdf_watermark(3 if quick else 40),
        *_register(200 if quick else 2_000),
        *_token_issue(5 if quick else 200),
    ]
