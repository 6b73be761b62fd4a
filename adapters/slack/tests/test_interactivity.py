"""Buttons, modals, App Home and announcements, as Slack sends them."""

from __future__ import annotations

import json
from typing import Any

from docclub_slack.testing import SlackDriver, SlackHarness, blocks_to_text

from docclub.testing import FakeClock


async def approval_poll(slack: SlackHarness) -> str:
    for title in ("Navalny", "Fire of Love"):
        await slack.command(f"suggest {title}", "UALICE")
    answer = await slack.command("poll open Navalny, Fire of Love --method approval", "UADMIN")
    assert any(c.method == "chat.postMessage" for c in answer.calls)
    return slack.fake.posted[-1][1]  # the ts Slack gave the poll message


def updates(slack: SlackHarness) -> list[str]:
    return [blocks_to_text(c["blocks"]) for c in slack.fake.calls_to("chat.update")]


async def test_vote_button_records_the_vote_and_edits_the_poll_message(slack: SlackHarness) -> None:
    ts = await approval_poll(slack)
    answer = await slack.interact(slack.button("UBOB", "docclub:vote:1:2", message_ts=ts))
    assert answer.status == 200
    assert answer.responses[0].args["response_type"] == "ephemeral"
    assert "Your vote in poll #1: Fire of Love." in blocks_to_text(answer.responses[0].args["blocks"])
    edit = slack.fake.calls_to("chat.update")[-1]
    assert (edit["channel"], edit["ts"]) == ("C0GENERAL", ts)
    assert "#2 Fire of Love: 1 — bob" in blocks_to_text(edit["blocks"])


async def test_poll_message_edits_are_coalesced_to_one_per_two_seconds(slack: SlackHarness, clock: FakeClock) -> None:
    ts = await approval_poll(slack)
    await slack.interact(slack.button("UBOB", "docclub:vote:1:1", message_ts=ts))
    await slack.interact(slack.button("UALICE", "docclub:vote:1:1", message_ts=ts))
    await slack.interact(slack.button("UADMIN", "docclub:vote:1:1", message_ts=ts))
    assert len(updates(slack)) == 1  # the first vote edits at once; the next two wait
    await clock.advance(1.9)
    assert len(updates(slack)) == 1
    await clock.advance(0.1)
    assert len(updates(slack)) == 2  # one edit for both, showing the latest standings
    assert "#1 Navalny: 3" in updates(slack)[-1]


async def test_a_repeated_button_press_is_applied_once(slack: SlackHarness) -> None:
    ts = await approval_poll(slack)
    press = slack.button("UBOB", "docclub:vote:1:1", message_ts=ts)
    first = await slack.interact(press)
    again = await slack.interact(press, headers={"X-Slack-Retry-Num": "1"})
    assert first.status == again.status == 200
    assert again.responses == [] and again.calls == []
    shown = "\n".join((await slack.command("poll show", "UBOB")).shown())
    assert "#1 Navalny: 1 — bob" in shown  # a toggle applied twice would have removed the vote


async def test_an_events_api_retry_is_not_applied_twice(slack: SlackHarness) -> None:
    event = {"type": "app_home_opened", "user": "UALICE", "channel": "D0ALICE", "tab": "home"}
    await slack.event(event, "Ev001")
    await slack.event(event, "Ev001", retry=1)
    await slack.event(event, "Ev001", retry=2)
    assert len(slack.fake.calls_to("views.publish")) == 1


async def test_rsvp_button_answers_privately_and_updates_the_party_card(slack: SlackHarness) -> None:
    await slack.command("suggest Navalny (2022)", "UALICE")
    party = await slack.command("party schedule Navalny 2026-12-05 20:00", "UADMIN")
    post = next(c for c in party.calls if c.method == "chat.postMessage")
    assert "[Going] [Maybe] [Can't make it]" in blocks_to_text(post.args["blocks"])
    answer = await slack.interact(slack.button("UALICE", "docclub:rsvp:1:yes", message_ts=slack.fake.posted[-1][1]))
    assert "You're going to watch party #1" in blocks_to_text(answer.responses[0].args["blocks"])
    assert "Going (1): alice" in updates(slack)[-1]


async def test_rate_modal_rates_on_the_clubs_scale(slack: SlackHarness) -> None:
    await slack.command("suggest Navalny (2022)", "UALICE")
    await slack.command("config set rating_scale stars", "UADMIN")
    await slack.interact(slack.button("UBOB", "docclub:rate:1", message_ts="1.1"))
    view = slack.fake.calls_to("views.open")[-1]["view"]
    score = next(b for b in view["blocks"] if b.get("block_id") == "score")
    assert [o["value"] for o in score["element"]["options"]][:3] == ["5", "4.5", "4"]
    answer = await slack.interact(
        submission("UBOB", view, {"score": ("static_select", "4.5"), "review": ("plain_text_input", "Brave & <!here>")})
    )
    assert answer.status == 200 and answer.body == ""
    told = slack.fake.calls_to("chat.postEphemeral")[-1]
    assert told["user"] == "UBOB" and "You rated Navalny (2022): 4.5★." in blocks_to_text(told["blocks"])
    assert "<!here>" not in json.dumps(told["blocks"])


async def test_a_refused_modal_stays_open_with_the_reason(slack: SlackHarness) -> None:
    await slack.command("suggest", "UALICE")
    view = slack.fake.calls_to("views.open")[-1]["view"]
    assert view["callback_id"] == "docclub:suggest"
    answer = await slack.interact(
        submission("UALICE", view, {"title": ("plain_text_input", "Navalny"), "year": ("plain_text_input", "20x2")})
    )
    assert answer.ack == {"response_action": "errors", "errors": {"title": "The year is four digits, like 2023."}}
    answer = await slack.interact(
        submission("UALICE", view, {"title": ("plain_text_input", "Navalny"), "year": ("plain_text_input", "2022")})
    )
    assert answer.body == ""
    assert "Suggested #1 Navalny (2022)" in blocks_to_text(slack.fake.calls_to("chat.postMessage")[-1]["blocks"])


async def test_app_home_shows_parties_polls_and_films_to_rate(slack: SlackHarness, clock: FakeClock) -> None:
    for title in ("Navalny", "Fire of Love", "Beyond Utopia", "Honeyland"):
        await slack.command(f"suggest {title}", "UALICE")
    await slack.command("party schedule Beyond Utopia 2026-11-25 13:00 --duration 1h", "UADMIN")
    await SlackDriver(slack, clock).advance(3 * 3600)  # the post-party nudge marks it watched
    await slack.command("party schedule Navalny 2026-12-05 20:00", "UADMIN")
    await slack.command("poll open Honeyland, Fire of Love", "UADMIN")
    await slack.event({"type": "app_home_opened", "user": "UBOB", "tab": "home"}, "Ev9")
    home = slack.fake.calls_to("views.publish")[-1]
    assert home["user_id"] == "UBOB" and home["view"]["type"] == "home"
    blocks = home["view"]["blocks"]
    text = json.dumps(blocks)
    assert len(blocks) <= 100
    assert "Watch party #2: Navalny" in text and "docclub:rsvp:2:yes" in text
    assert "Poll #1 (open)" in text and "docclub:vote:1:4" in text
    assert "#3 Beyond Utopia" in text and "docclub:rate:3" in text


async def test_reminders_go_to_the_announce_channel_by_name_and_dms(slack: SlackHarness, clock: FakeClock) -> None:
    await slack.command("config set announce_channel #watch-party", "UADMIN")
    await slack.command("suggest Navalny (2022)", "UALICE")
    await slack.command("party schedule Navalny 2026-11-26 20:00", "UADMIN")
    await slack.command("rsvp #1 yes --remind 2h", "UALICE")
    await SlackDriver(slack, clock).advance(30 * 3600)  # to 26 Nov 18:00, reminder by reminder
    posts = slack.fake.calls_to("chat.postMessage")
    channels = [p["channel"] for p in posts]
    assert "C0WATCH" in channels  # "#watch-party" resolved through conversations.list
    assert "DUALICE" in channels  # alice's own reminder, through conversations.open
    announcement = next(p for p in posts if p["channel"] == "C0WATCH")
    assert "Going (1): UALICE" in blocks_to_text(announcement["blocks"])
    assert "<@UALICE>" in json.dumps(announcement["blocks"])  # those coming are mentioned
    dm = next(p for p in posts if p["channel"] == "DUALICE")
    assert "<@" not in json.dumps(dm["blocks"])  # a DM mentions nobody


def submission(user: str, view: dict[str, Any], values: dict[str, tuple[str, str]]) -> dict[str, Any]:
    state: dict[str, Any] = {}
    for block_id, (kind, value) in values.items():
        if kind == "static_select":
            state[block_id] = {"value": {"type": kind, "selected_option": {"value": value}}}
        else:
            state[block_id] = {"value": {"type": kind, "value": value}}
    return {
        "type": "view_submission",
        "team": {"id": "T0CLUB"},
        "trigger_id": "7.7",
        "user": {"id": user, "username": user.lower(), "team_id": "T0CLUB"},
        "view": {**view, "id": "V7", "hash": "h7", "state": {"values": state}},
    }


async def test_rating_again_keeps_the_review_and_the_modal_shows_it(slack: SlackHarness) -> None:
    await slack.command("suggest Navalny (2022)", "UALICE")
    await slack.command("rate Navalny 9 Made me cry", "UBOB")
    again = "\n".join((await slack.command("rate Navalny 8", "UBOB")).shown())
    assert "Your review stays (shown as a spoiler)" in again and "Made me cry" in again

    def told() -> str:
        return blocks_to_text(slack.fake.calls_to("chat.postEphemeral")[-1]["blocks"])

    await slack.interact(slack.button("UBOB", "docclub:rate:1", message_ts="1.1"))
    view = slack.fake.calls_to("views.open")[-1]["view"]
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert blocks["score"]["element"]["initial_option"]["value"] == "8"
    assert blocks["review"]["element"]["initial_value"] == "Made me cry"
    await slack.interact(
        submission("UBOB", view, {"score": ("static_select", "7"), "review": ("plain_text_input", "Made me cry")})
    )
    assert "Updated your rating of Navalny (2022): 7/10." in told() and "Made me cry" in told()
    await slack.interact(
        submission("UBOB", view, {"score": ("static_select", "7"), "review": ("plain_text_input", "")})
    )
    assert "Your review was removed." in told()
    shown = "\n".join((await slack.command("ratings Navalny", "UBOB")).shown())
    assert "Made me cry" not in shown


async def test_leaderboard_and_ratings_stay_blind_and_private_on_slack(slack: SlackHarness) -> None:
    for title in ("Navalny", "Fire of Love"):
        await slack.command(f"suggest {title}", "UALICE")
    await slack.command("rate Navalny 9", "UALICE")
    await slack.command("rate Navalny 4", "UBOB")
    await slack.command("rate Fire of Love 7", "UCAROL")
    board = await slack.command("leaderboard", "UCAROL")
    assert (board.ack or {}).get("response_type") == "ephemeral"  # seen by the asker only
    assert not any(c.method == "chat.postMessage" for c in board.calls)
    text = "\n".join(board.shown())
    assert "Fire of Love — 7/10" in text
    assert "Navalny — 2 ratings" in text and "6.5" not in text and "/10 (2" not in text
    revealed = await slack.command("ratings Navalny", "UBOB")
    assert (revealed.ack or {}).get("response_type") == "ephemeral"
    assert not any(c.method == "chat.postMessage" for c in revealed.calls)  # scores never go to the channel
    card = "\n".join((await slack.command("film Navalny", "UCAROL")).shown())
    assert "2 ratings; rate it to see the scores." in card and "/10" not in card


async def test_app_home_shows_no_scores(slack: SlackHarness, clock: FakeClock) -> None:
    await slack.command("suggest Navalny", "UALICE")
    await slack.command("party schedule Navalny 2026-11-25 13:00 --duration 1h", "UADMIN")
    await SlackDriver(slack, clock).advance(3 * 3600)  # watched: the film is offered to rate
    for user, score in (("UALICE", "9"), ("UBOB", "4"), ("UCAROL", "8")):
        await slack.command(f"rate Navalny {score} Seen it", user)
    await slack.event({"type": "app_home_opened", "user": "UDAVE", "tab": "home"}, "Ev10")
    text = json.dumps(slack.fake.calls_to("views.publish")[-1]["view"]["blocks"])
    assert "docclub:rate:1" in text  # dave may rate it
    assert "/10" not in text and "Seen it" not in text and "7/10" not in text
