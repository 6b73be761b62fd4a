"""A club page kept between loads never outlives what it shows: the load after a vote, a
rating, an RSVP, a moved party or a write by another process shows it, and time rules (scores
showing, a party starting) apply at their moment without any write."""

from __future__ import annotations

import re
from datetime import timedelta

import aiohttp

from docclub.core.models import Rsvp, RsvpAnswer
from docclub.storage.sqlite import SqliteStore
from tests.web.conftest import ClubSite


async def load(site: ClubSite) -> str:
    async with aiohttp.ClientSession() as http, http.get(site.url) as resp:
        assert resp.status == 200
        return await resp.text()


async def kept_load(site: ClubSite) -> str:
    """A load the page kept from the last one answers (what would show if nothing changed)."""
    kept = site.app.club_page.kept
    before = kept.reused
    for _ in range(4):  # each of the store's reading connections builds it once
        html = await load(site)
        if kept.reused > before:
            return html
    raise AssertionError("the page was built again and again with nothing changed")


def card(html: str, attribute: str) -> str:
    return html[html.index(attribute) :].split("</li>", 1)[0]


def honeyland_votes(html: str) -> str:
    poll = html[html.index('data-poll="1"') :].split("</article>", 1)[0]
    found = re.search(r'data-votes="(\d+)">\s*<span class="film">Honeyland', poll)
    assert found, poll
    return found.group(1)


async def test_a_vote_shows_on_the_next_load(site: ClubSite) -> None:
    assert honeyland_votes(await kept_load(site)) == "2"
    await site.say("carol> vote #1 Honeyland")
    assert honeyland_votes(await load(site)) == "3"


async def test_a_rating_shows_on_the_next_load(site: ClubSite) -> None:
    await site.clock.set(site.clock.now() + timedelta(days=2))  # Navalny's scores show
    assert "average of 2 ratings" in card(await kept_load(site), 'data-film="2"')
    await site.say("carol> rate Navalny 2")
    navalny = card(await load(site), 'data-film="2"')
    assert "average of 3 ratings" in navalny and "6.7" in navalny


async def test_an_rsvp_and_a_moved_party_show_on_the_next_load(site: ClubSite) -> None:
    assert "Sat 12 Dec 2026, 20:00 CET" in await kept_load(site)
    await site.say("erin> rsvp #3 yes")
    assert "<b>3</b> going" in card(await load(site), 'data-party="3"')
    await site.say("party move #3 2026-12-13 18:30")
    html = await load(site)
    assert "Sun 13 Dec 2026, 18:30 CET" in html and "Sat 12 Dec 2026" not in html


async def test_a_write_by_another_process_shows_on_the_next_load(site: ClubSite) -> None:
    assert "<b>2</b> going" in card(await kept_load(site), 'data-party="3"')
    other = await SqliteStore.open(site.store.path)  # as a second docclub process would
    try:
        answer = Rsvp(1, 3, "u-frank", "Frank", RsvpAnswer.YES, site.clock.now(), None)
        await other.write(lambda tx: tx.parties.put_rsvp(answer))
    finally:
        await other.close()
    assert "<b>3</b> going" in card(await load(site), 'data-party="3"')


async def test_scores_show_at_their_moment_and_not_before_with_no_write_in_between(site: ClubSite) -> None:
    # 15 days after Navalny's party: a moment nothing else on the page changes at.
    assert "page_reveal_days: 15" in await site.say("config set page_reveal_days 15")
    navalny = card(await kept_load(site), 'data-film="2"')
    assert "Scores show from 13 Dec 2026" in navalny
    ended = await site.store.read(lambda tx: tx.parties.get(1, 2))
    assert ended is not None
    shows = ended.starts_at + timedelta(minutes=ended.duration_minutes, days=15)
    await site.clock.set(shows - timedelta(seconds=1))
    assert "average of" not in card(await kept_load(site), 'data-film="2"')
    await site.clock.set(shows)
    assert "average of 2 ratings" in card(await load(site), 'data-film="2"')


async def test_a_party_is_on_now_from_its_start_and_gone_from_coming_up_at_its_end(site: ClubSite) -> None:
    party = await site.store.read(lambda tx: tx.parties.get(1, 3))
    assert party is not None
    await site.clock.set(party.starts_at - timedelta(seconds=1))
    assert "On now" not in await kept_load(site)
    await site.clock.set(party.starts_at)
    assert "On now" in card(await load(site), 'data-party="3"')
    await site.clock.set(party.starts_at + timedelta(minutes=party.duration_minutes))
    assert 'data-party="3"' not in await load(site)
