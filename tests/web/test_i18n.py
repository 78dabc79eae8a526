"""Every label goes through the one catalogue; English leaves no Chinese label behind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from tests.web.conftest import csrf_of, sign_in
from tests.web.seed import STAFF

from medshield.web import i18n
from medshield.web.access import NAV
from medshield.web.views import ConsoleContext

TEMPLATES = Path(i18n.__file__).parent / "templates"
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
KEY = re.compile(r"""t\(\s*["']([a-z_.]+)["']\s*\)""")


def _bare_text(source: str) -> str:
    """A template's text outside Jinja expressions, statements, comments and tags."""
    source = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", source, flags=re.S)
    source = re.sub(r"<script.*?</script>|<style.*?</style>", " ", source, flags=re.S)
    return re.sub(r"<[^>]*>", " ", source)


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_templates_hold_no_bare_words(template: str) -> None:
    text = _bare_text((TEMPLATES / template).read_text(encoding="utf-8"))
    words = re.findall(r"[^\W\d_]{2,}", text)
    assert not words, f"{template}: text not translated through t(): {words}"
    for key in KEY.findall((TEMPLATES / template).read_text(encoding="utf-8")):
        assert key in i18n.MESSAGES, f"{template}: unknown message {key}"


def test_catalogue_is_complete() -> None:
    for key, (zh, en) in i18n.MESSAGES.items():
        assert zh.strip() and en.strip(), key
        if key != "app.language":  # the switch names the other language
            assert not CJK.search(en), f"{key}: English text holds Chinese: {en}"
    for key, _path in NAV:
        assert f"page.{key}" in i18n.MESSAGES
    with pytest.raises(KeyError):
        i18n.translator("en")("no.such.key")


def _labels(html: str) -> str:
    """Visible labels: text of the page minus the data cells (values stay as stored)."""
    html = re.sub(r"<td.*?</td>|<script.*?</script>|<option.*?</option>", " ", html, flags=re.S)
    html = re.sub(r'<button[^>]*id="lang-switch".*?</button>', " ", html)  # names the other one
    html = re.sub(r'value="[^"]*"', "", html)
    html = re.sub(r"<strong>[^<]*</strong> \([^)]*\)", "", html)  # the signed-in member's title
    return re.sub(r"<[^>]*>", " ", html)


def test_english_switch_is_remembered(world: ConsoleContext, console: TestClient) -> None:
    sign_in(console, STAFF["office"])
    assert "总览" in console.get("/").text  # Chinese by default
    token = csrf_of(console, "/")
    r = console.post("/lang", data={"csrf": token, "lang": "en", "back": "/catalog"})
    assert r.status_code == 303 and r.headers["location"] == "/catalog"
    for _key, path in NAV:
        page = console.get(path)
        assert page.status_code == 200, path
        leftover = CJK.findall(_labels(page.text))
        assert not leftover, f"{path}: untranslated labels {''.join(leftover)}"
    # remembered after signing out and in again (the language cookie)
    token = csrf_of(console, "/")
    console.post("/logout", data={"csrf": token})
    assert "Staff sign-in" in console.get("/login").text
    sign_in(console, STAFF["office"])
    assert "Overview" in console.get("/").text
