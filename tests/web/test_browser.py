"""The club page in a real headless Chromium (Debian's, driven by Playwright): what a member
sees, in two timezones, at desktop and phone widths, with nothing loaded from elsewhere."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.web.conftest import SCRIPT_TITLE, ClubSite

CHROMIUM = os.environ.get("DOCCLUB_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"Chromium is needed for the browser tests and is not at {CHROMIUM} (.ci/run installs it)")
    pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium to run the browser tests",
                allow_module_level=True)

from playwright.async_api import Browser, ConsoleMessage, Page, Request, async_playwright  # noqa: E402

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as pw:
        launched = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            yield launched
        finally:
            await launched.close()


class Visit:
    """A page opened in its own context, with every request and console error it caused."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", self._request)
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _request(self, request: Request) -> None:
        self.requests.append(request.url)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.errors.append(message.text)

    def left_the_machine(self) -> list[str]:
        return [u for u in self.requests if urlsplit(u).hostname not in ("127.0.0.1",)]


async def visit(browser: Browser, url: str, *, timezone: str, viewport: dict[str, int], phone: bool = False) -> Visit:
    context = await browser.new_context(
        timezone_id=timezone, locale="en-GB", viewport=viewport, is_mobile=phone, has_touch=phone,
        device_scale_factor=2 if phone else 1,
    )
    # Anything not for 127.0.0.1 is recorded (above) and never sent.
    await context.route(
        "**/*",
        lambda route: route.continue_() if urlsplit(route.request.url).hostname == "127.0.0.1" else route.abort(),
    )
    seen = Visit(await context.new_page())
    await seen.page.goto(url, wait_until="networkidle")
    return seen


@pytest.mark.parametrize(("timezone", "shown"), [("America/New_York", "14:00"), ("Asia/Tokyo", "04:00")])
async def test_a_member_sees_the_next_party_in_their_own_timezone(
    site: ClubSite, browser: Browser, timezone: str, shown: str
) -> None:
    seen = await visit(browser, site.url, timezone=timezone, viewport=DESKTOP)
    party = seen.page.locator("li.party", has_text="Fire of Love")
    when = await party.locator("time").inner_text()
    # 20:00 in Berlin (CET) on 12 December.
    assert shown in when, when
    assert "20:00" not in when
    assert timezone in await seen.page.locator("#zone-note").inner_text()
    assert seen.errors == [] and seen.left_the_machine() == []


async def test_a_member_sees_poll_standings_charts_with_the_right_counts_and_no_hidden_score(
    site: ClubSite, browser: Browser, tmp_path: Path
) -> None:
    seen = await visit(browser, site.url, timezone="Europe/Berlin", viewport=DESKTOP)
    page = seen.page
    poll = page.locator("[data-poll='1'] li.standing")
    assert [await li.get_attribute("data-votes") for li in await poll.all()] == ["2", "1"]
    assert (await poll.first.locator(".film").inner_text()).startswith("Honeyland (2019)")
    assert "leading" in (await poll.first.get_attribute("class") or "")
    assert SCRIPT_TITLE in await poll.nth(1).locator(".film").inner_text()
    anonymous = page.locator("[data-poll='2']")
    assert await anonymous.locator("li.standing").count() == 0
    assert "hidden until" in await anonymous.inner_text()

    loved = page.locator("li.film", has_text="Beyond Utopia")
    counts = {await g.get_attribute("data-label"): await g.get_attribute("data-count")
              for g in await loved.locator("svg.dist g.bar").all()}
    assert counts == {"1": "0", "2": "0", "3": "1", "4": "0", "5": "0", "6": "0", "7": "1", "8": "0", "9": "2",
                      "10": "0"}
    assert "7.0" in await loved.locator(".score").inner_text()

    # Navalny's party ended 13 days ago: how many have rated, and no score anywhere.
    recent = page.locator("li.film", has_text="Navalny")
    assert await recent.locator("svg").count() == 0
    assert "2 members have rated it" in " ".join((await recent.inner_text()).split())
    assert "Navalny" not in (await page.locator("svg.over-time").inner_html())
    assert await page.locator("svg.over-time circle.point").count() == 1
    months = {await g.get_attribute("data-label"): await g.get_attribute("data-count")
              for g in await page.locator("svg.months g.bar").all()}
    assert months["Nov"] == "2" and months["Dec"] == "0"

    await page.screenshot(path=str(tmp_path / "club-page-desktop.png"), full_page=True)
    assert seen.errors == [] and seen.left_the_machine() == []


async def test_the_page_reads_well_on_a_phone(site: ClubSite, browser: Browser, tmp_path: Path) -> None:
    seen = await visit(browser, site.url, timezone="Europe/Berlin", viewport=PHONE, phone=True)
    page = seen.page
    # Nothing runs off the side of a phone's screen.
    overflow = await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    await page.screenshot(path=str(tmp_path / "club-page-phone.png"), full_page=True)
    assert seen.errors == [] and seen.left_the_machine() == []
