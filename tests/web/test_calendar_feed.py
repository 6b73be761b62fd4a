"""The club's calendar feed: every party, read by two independent parsers; moves and
cancellations reach subscribed calendars through SEQUENCE and STATUS."""

from __future__ import annotations

from datetime import UTC, datetime

import aiohttp
import icalendar
import pytest
import vobject

from docclub.core import calendar
from docclub.core.calendar import CalendarEvent
from docclub.core.models import Club
from docclub.core.ports import ClubTx
from tests.web.conftest import ClubSite


async def fetch(url: str) -> tuple[int, bytes, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as resp:
        return resp.status, await resp.read(), resp.headers.get("Content-Type", "")


def events(body: bytes) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(body)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


async def test_the_feed_has_every_party_and_two_parsers_agree(site: ClubSite) -> None:
    status, body, content_type = await fetch(site.url + "calendar.ics")
    assert status == 200 and content_type.startswith("text/calendar")
    found = events(body)
    assert len(found) == 3
    fire = next(e for e in found.values() if "Fire of Love" in str(e["SUMMARY"]))
    assert fire.decoded("DTSTART").astimezone(UTC) == datetime(2026, 12, 12, 19, 0, tzinfo=UTC)
    assert str(fire["LOCATION"]) == "https://meet.example.org/club"
    assert "volcanic eruptions" in str(fire["DESCRIPTION"])

    other = vobject.readOne(body.decode("utf-8"))
    parsed = {e.uid.value: e for e in other.vevent_list}
    assert set(parsed) == set(found)
    for uid, event in parsed.items():
        assert event.dtstart.value.astimezone(UTC) == found[uid].decoded("DTSTART").astimezone(UTC)
        assert event.summary.value == str(found[uid]["SUMMARY"])
        assert int(event.sequence.value) == int(found[uid]["SEQUENCE"])


async def test_a_moved_party_comes_back_with_a_higher_sequence(site: ClubSite) -> None:
    before = events((await fetch(site.url + "calendar.ics"))[1])
    uid = next(u for u, e in before.items() if "Fire of Love" in str(e["SUMMARY"]))
    assert "Moved" in await site.say("party move #3 2026-12-13 19:00")
    after = events((await fetch(site.url + "calendar.ics"))[1])
    assert int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"])
    assert after[uid].decoded("DTSTART").astimezone(UTC) == datetime(2026, 12, 13, 18, 0, tzinfo=UTC)
    unchanged = [u for u in before if u != uid]
    assert all(int(after[u]["SEQUENCE"]) == int(before[u]["SEQUENCE"]) for u in unchanged)


async def test_a_cancelled_party_stays_in_the_feed_as_cancelled(site: ClubSite) -> None:
    before = events((await fetch(site.url + "calendar.ics"))[1])
    assert "Cancelled" in await site.say("party cancel #3")
    after = events((await fetch(site.url + "calendar.ics"))[1])
    uid = next(u for u, e in after.items() if "Fire of Love" in str(e["SUMMARY"]))
    assert str(after[uid]["STATUS"]) == "CANCELLED"
    assert int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"])


async def test_the_page_offers_the_feed_as_a_webcal_subscription(site: ClubSite) -> None:
    async with aiohttp.ClientSession() as http, http.get(site.url) as resp:
        html = await resp.text()
    assert 'href="webcal://127.0.0.1:' in html and "/calendar.ics" in html


async def test_a_wrong_token_gets_no_feed(site: ClubSite) -> None:
    status, body, _ = await fetch(site.url.rsplit("/", 2)[0] + "/" + "C" * 32 + "/calendar.ics")
    assert status == 404 and b"VEVENT" not in body


async def test_party_ics_keeps_working_for_one_party(site: ClubSite) -> None:
    reply = await site.say("party ics #3")
    assert "docclub-party-3.ics" in reply


async def test_another_feature_adds_its_events_to_the_feed_with_one_source(
    site: ClubSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def nights(tx: ClubTx, club: Club, now: datetime) -> list[CalendarEvent | icalendar.Event]:
        made = icalendar.Event()
        made.add("uid", "night-1@docclub")
        made.add("summary", "Club night — film by poll")
        made.add("dtstart", datetime(2027, 1, 1, 19, 0, tzinfo=UTC))
        made.add("dtend", datetime(2027, 1, 1, 21, 0, tzinfo=UTC))
        made.add("dtstamp", now)
        return [made, CalendarEvent("night-2@docclub", "Another", now, now, 0)]

    monkeypatch.setattr(calendar, "FEED_SOURCES", [*calendar.FEED_SOURCES, nights])
    found = events((await fetch(site.url + "calendar.ics"))[1])
    assert {"night-1@docclub", "night-2@docclub"} <= set(found) and len(found) == 5


async def test_a_club_night_is_in_the_feed_as_one_recurring_event_beside_the_parties(site: ClubSite) -> None:
    reply = await site.say('night schedule "first friday" 20:00 --where "#cinema"')
    assert "night" in reply.lower()
    found = events((await fetch(site.url + "calendar.ics"))[1])
    nights = [e for uid, e in found.items() if "-night-" in uid]
    assert len(nights) == 1
    assert "FREQ=MONTHLY" in nights[0]["RRULE"].to_ical().decode()
    assert str(nights[0]["SUMMARY"]).startswith("Club night")
    assert len(found) == 4  # the three parties are still there
