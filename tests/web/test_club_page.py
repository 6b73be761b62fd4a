"""The club page over HTTP: what it shows, what it hides, and who may open it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from docclub.console import ConsoleSession
from docclub.core.club_page import page_name
from docclub.core.models import Actor, Club, ClubConfig, ClubKey
from tests.web.conftest import ClubSite, link_in

T0 = datetime(2026, 11, 30, tzinfo=UTC)
ORGANIZER = Actor("console", "console", "Organizer", is_organizer=True)


async def get(url: str) -> tuple[int, str, dict[str, str]]:
    async with aiohttp.ClientSession() as http, http.get(url) as resp:
        return resp.status, await resp.text(), dict(resp.headers)


async def test_the_page_shows_the_clubs_coming_parties_polls_and_watched_films(site: ClubSite) -> None:
    status, html, _ = await get(site.url)
    assert status == 200
    assert "Fire of Love" in html and "Sat 12 Dec 2026, 20:00 CET" in html
    assert "https://meet.example.org/club" in html
    assert "volcanic eruptions, death" in html
    assert re.search(r"<b>2</b> going.*<b>1</b> maybe.*<b>1</b> can't", html, re.S)


async def test_the_page_and_its_calendar_name_the_club_as_a_member_would(site: ClubSite) -> None:
    _, html, _ = await get(site.url)
    assert "<title>Documentary club · docclub</title>" in html and "<h1>Documentary club</h1>" in html
    assert "console club" not in html
    _, feed, _ = await get(site.url + "calendar.ics")
    assert "X-WR-CALNAME:Documentary club — docclub" in feed
    other = ConsoleSession(site.app, "film-nerds")
    _, html, _ = await get(link_in(await other.handle("club link")))
    assert "<h1>Film-nerds</h1>" in html


@pytest.mark.parametrize(
    ("key", "stored", "shown"),
    [
        (ClubKey("console", "club"), "console club club", "Documentary club"),
        (ClubKey("console", "film-nerds"), "console club film-nerds", "Film-nerds"),
        (ClubKey("discord", "81384788765712384"), "discord club 81384788765712384", "Documentary club"),
        (ClubKey("slack", "T0123"), "slack club T0123", "Documentary club"),
        (ClubKey("discord", "81384788765712384"), "Reel Truth", "Reel Truth"),
    ],
)
def test_a_name_docclub_made_up_from_the_clubs_address_is_not_shown(key: ClubKey, stored: str, shown: str) -> None:
    assert page_name(Club(1, key, stored, ClubConfig(), T0)) == shown


async def test_a_members_script_in_a_title_is_shown_as_text(site: ClubSite) -> None:
    _, html, _ = await get(site.url)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Diaries" in html
    assert html.count("<script") == 1  # the page's own, from its own address


async def test_the_page_allows_nothing_from_elsewhere_and_sends_no_referrer(site: ClubSite) -> None:
    _, _, headers = await get(site.url)
    assert headers["Content-Security-Policy"].startswith("default-src 'none'; script-src 'self'; style-src 'self'")
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in headers["X-Robots-Tag"]


async def test_a_film_shows_only_how_many_rated_until_its_party_is_reveal_days_old(site: ClubSite) -> None:
    _, html, _ = await get(site.url)
    navalny = html[html.index('data-film="2"') :].split("</li>", 1)[0]
    assert "<b>2</b> members have rated it" in navalny and "Scores show from 12 Dec 2026" in navalny
    assert "svg" not in navalny and "10" not in navalny and "average" not in navalny
    await site.clock.set(site.clock.now() + timedelta(days=2))
    _, html, _ = await get(site.url)
    navalny = html[html.index('data-film="2"') :].split("</li>", 1)[0]
    assert "9.0" in navalny and "average of 2 ratings" in navalny


async def test_an_organizer_can_wait_longer_before_scores_show(site: ClubSite) -> None:
    assert "page_reveal_days: 30" in await site.say("config set page_reveal_days 30")
    _, html, _ = await get(site.url)
    assert "average of" not in html and "Scores show from 26 Dec 2026" in html
    assert "a number of days" in await site.say("config set page_reveal_days soon")


@pytest.mark.parametrize("wrong", ["", "nottherighttoken", "A" * 32, "x" * 500, "%00"])
async def test_a_wrong_token_finds_nothing(site: ClubSite, wrong: str) -> None:
    club_path = site.url.rsplit("/", 2)[0]
    status, html, _ = await get(f"{club_path}/{wrong}/")
    assert status == 404 and "Fire of Love" not in html


async def test_every_refusal_is_the_same_404(site: ClubSite) -> None:
    token = site.url.rstrip("/").rsplit("/", 1)[1]
    other = await ClubElsewhere.link(site)
    refusals = [
        f"{site.base}/club/1/{'B' * 32}/",  # wrong
        f"{site.base}/club/999/{token}/",  # no such club
        f"{site.base}/club/abc/{token}/",  # not a number
        f"{site.base}/club/1/{other}/",  # another club's token
        f"{site.base}/club/1/{'B' * 32}/calendar.ics",
    ]
    answers = {(s, h) for s, h, _ in [await get(u) for u in refusals]}
    assert len(answers) == 1 and next(iter(answers))[0] == 404


async def test_reset_revokes_every_earlier_address(site: ClubSite) -> None:
    second = link_in(await site.say("club link"))
    assert (await get(site.url))[0] == 200 and (await get(second))[0] == 200
    reply = await site.say("club link reset")
    assert "2 earlier addresses stopped working" in reply
    assert (await get(site.url))[0] == 404 and (await get(second))[0] == 404
    assert (await get(link_in(reply)))[0] == 200


async def test_only_organizers_get_the_address_and_only_privately(site: ClubSite) -> None:
    refused = await site.say("alice> club link")
    assert "Only the club's organizers" in refused and "/club/" not in refused
    assert (await site.app.club_page.link(site.session.key, ORGANIZER)).ephemeral


async def test_the_stored_link_is_a_hash_not_the_token(site: ClubSite) -> None:
    token = site.url.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 32  # 192 bits
    hashes = await site.store.read(lambda tx: tx.clubs.link_hashes(1))
    assert hashes and token not in hashes and all(len(h) == 64 for h in hashes)
    raw = (await site.store.read(lambda tx: tx.snapshots.export(1)))
    assert token not in repr(raw)


class ClubElsewhere:
    @staticmethod
    async def link(site: ClubSite) -> str:
        other = ConsoleSession(site.app, "elsewhere")
        return link_in(await other.handle("club link")).rstrip("/").rsplit("/", 1)[1]
