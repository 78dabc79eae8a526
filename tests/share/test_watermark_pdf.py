"""The watermark in a PDF: invisible (same text, same rendering), names the recipient of a leaked
copy, also after the copy is re-saved with its streams compressed."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest
from weasyprint import HTML

from medshield.errors import InputError, WatermarkError
from medshield.ledger import Ledger
from medshield.policy import PolicyBundle
from medshield.share import (
    generate_keypair,
    identify,
    open_file,
    pack_file,
    trace_file,
    watermark_pdf,
)
from medshield.share.watermark_pdf import mark_pdf, pdf_observations

KEYS = {f"h{i}-office": bytes([i]) * 32 for i in range(1, 6)}


@pytest.fixture(scope="module")
def report() -> bytes:
    pages = "".join(
        f"<h2>第{n}页 门诊统计</h2><p>内科 {n * 37} 人次，外科 {n * 21} 人次。</p>"
        '<p style="page-break-after: always"></p>'
        for n in range(1, 4)
    )
    return bytes(HTML(string=f"<h1>渝州大学第一附属医院</h1>{pages}").write_pdf())


def _recompressed(data: bytes) -> bytes:
    """The copy a tool re-saves: every uncompressed stream now FlateDecode'd (lengths fixed)."""

    def squeeze(m: re.Match[bytes]) -> bytes:
        body = zlib.compress(m.group(2))
        return m.group(1).replace(b"/Length %d" % len(m.group(2)), b"/Length %d /Filter "
                                  b"/FlateDecode" % len(body)) + b"stream\n" + body + b"\nendstream"  # fmt: skip

    return re.sub(rb"(<< /Length \d+ >>\n)stream\n(.*?)\nendstream", squeeze, data, flags=re.S)


@pytest.mark.parametrize("recipient", sorted(KEYS))
def test_a_leaked_pdf_names_its_recipient(report: bytes, recipient: str) -> None:
    marked = mark_pdf(report, KEYS[recipient])
    assert marked.startswith(report)  # an incremental update: the original bytes are kept
    assert identify(pdf_observations(marked), KEYS).recipient == recipient
    assert identify(pdf_observations(_recompressed(marked)), KEYS).recipient == recipient


def test_an_unmarked_pdf_names_nobody(report: bytes) -> None:
    with pytest.raises(WatermarkError):
        identify(pdf_observations(report), KEYS)


def test_not_a_pdf_or_an_encrypted_one_is_refused() -> None:
    with pytest.raises(InputError, match="not a PDF"):
        mark_pdf(b"PK\x03\x04", KEYS["h1-office"])
    with pytest.raises(InputError, match="encrypted"):
        mark_pdf(b"%PDF-1.7\ntrailer\n<< /Encrypt 5 0 R >>\n", KEYS["h1-office"])


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_the_mark_is_invisible(
    report: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Poppler reads the updated pages (a visible probe changes the rendering; the mark does
    not) and finds the same text."""
    original, marked = tmp_path / "a.pdf", tmp_path / "b.pdf"
    original.write_bytes(report)
    marked.write_bytes(mark_pdf(report, KEYS["h1-office"]))

    def render(path: Path) -> bytes:
        subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(path.with_suffix(""))],  # noqa: S603, S607
                       check=True, capture_output=True)  # fmt: skip
        return b"".join(p.read_bytes() for p in sorted(tmp_path.glob(f"{path.stem}-*.png")))

    def text(path: Path) -> str:
        return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,  # noqa: S603, S607
                              text=True).stdout  # fmt: skip

    assert render(marked) == render(original) and text(marked) == text(original)
    assert "门诊统计" in text(marked)
    probe = tmp_path / "c.pdf"
    monkeypatch.setattr(watermark_pdf, "_mark_stream", lambda key: b"q 0 0 300 300 re f Q\n")
    probe.write_bytes(mark_pdf(report, KEYS["h1-office"]))
    assert render(probe) != render(original)


def test_pack_and_trace_a_pdf(
    report: bytes, tmp_path: Path, ledger: Ledger, bundle: PolicyBundle
) -> None:
    keys = {r: generate_keypair(tmp_path / "keys", r) for r in ("h1-office", "h2-office")}
    source = tmp_path / "门诊统计.pdf"
    source.write_bytes(report)
    pkg = tmp_path / "report.mspkg"
    info = pack_file(ledger, bundle, "secadmin-01", source, {r: p for r, (_, p) in keys.items()},
                     pkg, days=3)  # fmt: skip
    assert info["watermarked"]
    opened = open_file(ledger, "h2-user", pkg, keys["h2-office"][0])
    leaked = tmp_path / "leaked.pdf"
    leaked.write_bytes(_recompressed(opened.content))
    assert trace_file(ledger, "office-01", leaked).recipient == f"{info['package']}/h2-office"
