"""PDF reports: the pages rendered to PNG (pdftoppm) show Chinese glyphs, not tofu boxes.

The check: two different Chinese strings of the same length give different images with the
report's fonts, but identical ones (every glyph the same missing-glyph box) when fontconfig may
only use DejaVu, a font known to lack CJK.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from medshield.ledger import Ledger
from medshield.policy import PolicyBundle
from medshield.reports import build_report, write_report

from .history import WINDOW

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="needs poppler-utils (scripts/system-packages.sh)"
)
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def _png_digest(pdf: Path, tmp: Path) -> str:
    prefix = tmp / pdf.stem
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(prefix)],
                   check=True)  # fmt: skip
    (png,) = tmp.glob(f"{pdf.stem}*.png")
    return hashlib.sha256(png.read_bytes()).hexdigest()


def _render(text: str, out: Path, env: dict[str, str] | None = None) -> None:
    """Lay out one line in a fresh process (fontconfig reads its configuration once)."""
    code = (
        "import sys; from pathlib import Path; from medshield.reports.pdf import html_to_pdf; "
        "html_to_pdf(f'<p style=\"font-size:48px\">{sys.argv[1]}</p>', Path(sys.argv[2]))"
    )
    subprocess.run([sys.executable, "-c", code, text, str(out)], check=True,
                   env={**os.environ, **(env or {})})  # fmt: skip


def test_the_report_pdf_embeds_a_cjk_font(
    ledger: Ledger, bundle: PolicyBundle, tmp_path: Path
) -> None:
    out = write_report(build_report("api", ledger, bundle, *WINDOW), tmp_path / "api.pdf")
    assert out.read_bytes().startswith(b"%PDF")
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True)
    assert "CJK" in fonts.stdout, fonts.stdout


def test_chinese_glyphs_are_not_tofu(tmp_path: Path) -> None:
    if not DEJAVU.is_dir():
        pytest.skip("needs DejaVu fonts for the non-CJK rendering")
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><fontconfig><dir>{DEJAVU}</dir>'
                    f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>")  # fmt: skip
    no_cjk = {"FONTCONFIG_FILE": str(conf)}
    digests = {}
    for name, text, env in [
        ("cjk_a", "数据接口", None), ("cjk_b", "合规报告", None),
        ("tofu_a", "数据接口", no_cjk), ("tofu_b", "合规报告", no_cjk),
    ]:  # fmt: skip
        pdf = tmp_path / f"{name}.pdf"
        _render(text, pdf, env)
        digests[name] = _png_digest(pdf, tmp_path)
    assert digests["tofu_a"] == digests["tofu_b"]  # the control: a font without CJK shows boxes
    assert digests["cjk_a"] != digests["cjk_b"]  # real glyphs: different text, different pixels
    assert digests["cjk_a"] != digests["tofu_a"]
