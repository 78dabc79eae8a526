"""The console in a real browser: Debian's chromium driven by Playwright (no browser download).

Every page, in both languages, as each staff role: no console error, no failed request, a
screenshot kept under tmp/artefacts/console/. A review-queue override made by clicking changes
the catalogue and appears in the ledger.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright
from tests.web.conftest import SECRET
from tests.web.seed import STAFF, password

from medshield.classify.report import catalog_page
from medshield.web.access import NAV, may_open
from medshield.web.app import build_console
from medshield.web.auth import staff_of
from medshield.web.views import ConsoleContext

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("MEDSHIELD_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARTEFACTS = Path(__file__).resolve().parents[2] / "tmp" / "artefacts" / "console"


@pytest.fixture
def server(world: ConsoleContext) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(build_console(world, secret=SECRET), host="127.0.0.1", port=port,
                            log_level="warning", lifespan="off")  # fmt: skip
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "the console did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "install Debian's chromium (scripts/system-packages.sh)"
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


class Watch:
    """Console errors and failed requests of a page."""

    def __init__(self, page: Page) -> None:
        self.problems: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.problems.append(m.text))
        page.on("pageerror", lambda e: self.problems.append(str(e)))
        page.on("requestfailed", lambda r: self.problems.append(f"failed {r.url}"))
        page.on(
            "response", lambda r: r.status >= 400 and self.problems.append(f"{r.status} {r.url}")
        )


def _sign_in(page: Page, base: str, member: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#member", member)
    page.fill("#password", password(member))
    page.click("form.login button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("layer", list(STAFF))
def test_every_page_in_both_languages(
    server: str, browser: Browser, world: ConsoleContext, layer: str
) -> None:
    member = STAFF[layer]
    staff = staff_of(world.bundle, member)
    assert staff is not None
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    watch = Watch(page)
    _sign_in(page, server, member)
    for lang in ("zh", "en"):
        if lang == "en":
            page.click("#lang-switch")
            page.wait_for_load_state()
        for key, path in NAV:
            if not may_open(staff, key):
                continue
            page.goto(f"{server}{path}")
            page.wait_for_load_state("networkidle")
            assert page.locator("main h1").count() == 1, path
            page.screenshot(path=ARTEFACTS / f"{layer}-{lang}-{key}.png")
        nav = page.locator("nav a").all_inner_texts()
        assert ("总览" in nav) == (lang == "zh") and ("Overview" in nav) == (lang == "en")
    assert not watch.problems, watch.problems
    context.close()


def test_keyboard_reaches_the_navigation(server: str, browser: Browser) -> None:
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    _sign_in(page, server, STAFF["office"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == "/catalog":
            break
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server}/catalog")


def test_review_override_in_the_browser(
    server: str, browser: Browser, world: ConsoleContext
) -> None:
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    watch = Watch(page)
    _sign_in(page, server, STAFF["administrator"])
    page.goto(f"{server}/review")
    row = page.locator("table.catalog tbody tr").first
    column = row.locator("td").nth(2).inner_text()
    row.locator("select[name=level]").select_option("important")
    row.locator("input[name=reason]").fill("字段含手术记录")
    row.locator("button[value=override]").click()
    page.wait_for_load_state()
    assert page.locator("p.ok").count() == 1
    page.screenshot(path=ARTEFACTS / "review-override.png")
    rows, _ = catalog_page(world.store, level="important")
    assert [r["column"] for r in rows] == [column] and rows[0]["override"] == STAFF["administrator"]
    event = list(world.ledger.records(action_prefix="catalog.override"))[-1].event
    assert event.actor == STAFF["administrator"] and event.levels == ("important",)
    page.goto(f"{server}/catalog?level=important")
    assert column in page.locator("#rows").inner_text()
    assert not watch.problems, watch.problems


def test_traffic_map_draws_in_both_languages(server: str, browser: Browser) -> None:
    """The tile map is drawn (ECharts canvas) and pointing at Chongqing's tile shows its
    institutions, in Chinese and then English, with no console error."""
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    watch = Watch(page)
    _sign_in(page, server, STAFF["office"])
    col, row = 2, 4  # Chongqing's tile; tiles are 80 x 56 pixels
    for lang, text in (("zh", "渝州大学第一附属医院"), ("en", "Chongqing: calls 1, intercepts 1")):
        if lang == "en":
            page.click("#lang-switch")
            page.wait_for_load_state()
        page.goto(f"{server}/traffic")
        page.wait_for_load_state("networkidle")
        chart = page.locator("#traffic-map")
        assert chart.locator("canvas").count() == 1
        chart.scroll_into_view_if_needed()
        chart.hover(position={"x": col * 80 + 40, "y": row * 56 + 28})
        tooltip = page.get_by_text(text, exact=False).last
        tooltip.wait_for(state="visible", timeout=5000)
        chart.screenshot(path=ARTEFACTS / f"traffic-map-{lang}.png")
    assert not watch.problems, watch.problems
