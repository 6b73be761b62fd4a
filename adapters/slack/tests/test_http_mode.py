"""HTTP mode: signatures, acknowledgements, organizer checks, and what members see."""

from __future__ import annotations

import json
import time

from docclub_slack import adapter
from docclub_slack.testing import SlackHarness, blocks_to_text, slash_body

from docclub.config import Settings


async def test_bad_signature_is_refused_before_anything_runs(slack: SlackHarness) -> None:
    body = slash_body("suggest Navalny", user_id="UALICE", user_name="alice", response_url=slack.fake.response_url(1))
    answer = await slack.post(body, secret="not-the-signing-secret")
    assert answer.status == 401
    assert slack.fake.calls_to("users.info") == []
    films = await slack.command("films", "UALICE")
    assert "Navalny" not in "\n".join(films.shown())


async def test_missing_signature_is_refused(slack: SlackHarness) -> None:
    body = slash_body("films", user_id="UALICE", user_name="alice")
    async with slack.session.post(
        slack.url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    ) as resp:
        assert resp.status == 401


async def test_stale_timestamp_is_refused(slack: SlackHarness) -> None:
    six_minutes_ago = int(time.time()) - 6 * 60
    answer = await slack.command("suggest Navalny", "UALICE", timestamp=six_minutes_ago)
    assert answer.status == 401
    assert slack.fake.calls_to("users.info") == []


async def test_slash_command_answers_in_the_acknowledgement(slack: SlackHarness) -> None:
    answer = await slack.command('suggest "Fire of Love" (2022) --where Disney+', "UALICE")
    assert answer.status == 200
    assert answer.ack is not None and answer.ack["response_type"] == "in_channel"
    assert answer.shown()[0].startswith("== Suggested #1 Fire of Love (2022) ==")


async def test_refusals_are_ephemeral(slack: SlackHarness) -> None:
    answer = await slack.command("rate #7 9", "UALICE")
    assert answer.ack is not None and answer.ack["response_type"] == "ephemeral"
    assert "There is no film #7" in answer.shown()[0]


async def test_member_text_never_pings(slack: SlackHarness) -> None:
    title = "<!channel> <!here> <!everyone> <@UADMIN> & <#C0GENERAL>"
    answer = await slack.command(f'suggest "{title}" --pitch hey <!subteam^S123> @here', "UALICE")
    assert answer.ack is not None
    parsed = [answer.ack["text"], *mrkdwn_texts(answer.ack["blocks"])]  # plain_text never parses mentions
    raw = "\n".join(parsed)
    for ping in ("<!channel>", "<!here>", "<!everyone>", "<@UADMIN>", "<!subteam", "<#C0GENERAL>"):
        assert ping not in raw
    assert "&lt;!channel&gt;" in raw and "&amp;" in raw
    # ...and the member still reads exactly what was written.
    assert title in answer.shown()[0]


def mrkdwn_texts(node: object) -> list[str]:
    if isinstance(node, dict):
        if node.get("type") == "mrkdwn":
            return [str(node["text"])]
        return [t for v in node.values() for t in mrkdwn_texts(v)]
    if isinstance(node, list):
        return [t for v in node for t in mrkdwn_texts(v)]
    return []


async def test_only_admins_and_club_organizers_close_polls(slack: SlackHarness) -> None:
    for title in ("Navalny", "Fire of Love"):
        await slack.command(f"suggest {title}", "UALICE")
    await slack.command("poll open Navalny, Fire of Love", "UALICE")
    refused = await slack.command("poll close", "UBOB")
    assert refused.ack is not None and refused.ack["response_type"] == "ephemeral"
    assert "Only the club's organizers can close polls" in refused.shown()[0]
    await slack.command("config set organizers <@UBOB>", "UADMIN")
    closed = await slack.command("poll close", "UBOB")
    assert "Poll #1 — closed" in "\n".join(closed.shown())


async def test_everyday_commands_never_ask_slack_who_the_member_is(slack: SlackHarness) -> None:
    await slack.command("suggest Navalny", "UALICE")
    await slack.command("films", "UALICE")
    await slack.command("leaderboard", "UBOB")
    assert slack.fake.calls_to("users.info") == []
    assert "Suggested by: alice" in "\n".join((await slack.command("film Navalny", "UBOB")).shown())


async def test_workspace_admin_rights_are_asked_once_when_needed(slack: SlackHarness) -> None:
    for title in ("Navalny", "Fire of Love"):
        await slack.command(f"suggest {title}", "UALICE")
    await slack.command("shortlist Navalny", "UADMIN")
    await slack.command("shortlist Fire of Love", "UADMIN")
    assert [c["user"] for c in slack.fake.calls_to("users.info")] == ["UADMIN"]
    assert "Navalny" in "\n".join((await slack.command("films shortlisted", "UALICE")).shown())


PROXY_502 = (502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>", {})
RATE_LIMITED = (429, "application/json", '{"ok": false, "error": "ratelimited"}', {"Retry-After": "30"})


async def test_a_proxy_error_page_from_users_info_leaves_the_member_ordinary(slack: SlackHarness) -> None:
    slack.fake.failures["users.info"] = PROXY_502
    await slack.command("suggest Navalny", "UALICE")
    refused = await slack.command("shortlist Navalny", "UADMIN")
    assert refused.status == 200
    assert "Only the club's organizers can shortlist films" in refused.shown()[0]
    films = await slack.command("films", "UADMIN")
    assert films.status == 200 and "Navalny" in "\n".join(films.shown())


async def test_a_rate_limit_on_users_info_is_waited_out_not_retried(slack: SlackHarness) -> None:
    slack.fake.failures["users.info"] = RATE_LIMITED
    await slack.command("suggest Navalny", "UALICE")
    for _ in range(3):
        refused = await slack.command("shortlist Navalny", "UADMIN")
        assert refused.status == 200 and "Only the club's organizers" in refused.shown()[0]
    assert len(slack.fake.calls_to("users.info")) == 1  # Retry-After: 30 s, no call before then
    del slack.fake.failures["users.info"]
    assert slack.adapter.bot is not None
    slack.adapter.bot.members._quiet_until = None  # as when the 30 s have passed
    done = await slack.command("shortlist Navalny", "UADMIN")
    assert "shortlisted" in "\n".join(done.shown()).lower()


async def test_one_lookup_serves_a_burst_of_questions_about_one_member(slack: SlackHarness) -> None:
    import asyncio

    assert slack.adapter.bot is not None
    members = slack.adapter.bot.members
    answers = await asyncio.gather(*(members.organizer("UADMIN", slack.fake.team_id) for _ in range(20)))
    assert answers == [True] * 20
    assert len(slack.fake.calls_to("users.info")) == 1


async def test_a_restart_makes_no_auth_test_per_request(slack: SlackHarness) -> None:
    slack.fake.clear()
    for _ in range(3):
        await slack.command("films", "UALICE")
    assert slack.fake.calls_to("auth.test") == []


async def test_poll_cards_are_channel_messages_with_vote_buttons(slack: SlackHarness) -> None:
    for title in ("Navalny", "Fire of Love"):
        await slack.command(f"suggest {title}", "UALICE")
    answer = await slack.command("poll open Navalny, Fire of Love --method approval", "UALICE")
    posts = [c.args for c in answer.calls if c.method == "chat.postMessage"]
    assert len(posts) == 1 and posts[0]["channel"] == "C0GENERAL"
    buttons = [e["action_id"] for b in posts[0]["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons == ["docclub:vote:1:1", "docclub:vote:1:2"]


async def test_ranked_polls_offer_a_ballot_modal(slack: SlackHarness) -> None:
    for title in ("Navalny", "Fire of Love", "Beyond Utopia"):
        await slack.command(f"suggest {title}", "UALICE")
    answer = await slack.command("poll open Navalny, Fire of Love, Beyond Utopia --method ranked", "UALICE")
    post = next(c.args for c in answer.calls if c.method == "chat.postMessage")
    assert any(
        e["action_id"] == "docclub:ballot:1" for b in post["blocks"] if b["type"] == "actions" for e in b["elements"]
    )
    await slack.interact(slack.button("UBOB", "docclub:ballot:1", message_ts="1.1"))
    view = slack.fake.calls_to("views.open")[-1]["view"]
    assert view["callback_id"] == "docclub:ballot"
    assert [b["block_id"] for b in view["blocks"] if b["type"] == "input"] == ["rank0", "rank1", "rank2"]
    submit = {
        "type": "view_submission",
        "team": {"id": "T0CLUB"},
        "user": {"id": "UBOB", "username": "bob", "team_id": "T0CLUB"},
        "trigger_id": "9.9",
        "view": {
            **view,
            "id": "V1",
            "hash": "h1",
            "state": {
                "values": {
                    "rank0": {"value": {"type": "static_select", "selected_option": {"value": "3"}}},
                    "rank1": {"value": {"type": "static_select", "selected_option": {"value": "1"}}},
                    "rank2": {"value": {"type": "static_select", "selected_option": None}},
                }
            },
        },
    }
    answer = await slack.interact(submit)
    assert answer.status == 200 and answer.body == ""
    shown = await slack.command("poll show", "UBOB")
    assert "#3 Beyond Utopia: 1 first choice" in "\n".join(shown.shown())
    await slack.interact(slack.button("UBOB", "docclub:ballot:1", message_ts="1.1"))
    again = slack.fake.calls_to("views.open")[-1]["view"]
    chosen = [b["element"].get("initial_option", {}).get("value") for b in again["blocks"] if b["type"] == "input"]
    assert chosen == ["3", "1", None]  # bob's ballot as he left it


async def test_clearing_every_choice_of_a_ranked_ballot_withdraws_it(slack: SlackHarness) -> None:
    for title in ("Navalny", "Fire of Love"):
        await slack.command(f"suggest {title}", "UALICE")
    await slack.command("poll open Navalny, Fire of Love --method ranked", "UADMIN")
    await slack.command("vote Fire of Love, Navalny", "UBOB")
    await slack.interact(slack.button("UBOB", "docclub:ballot:1", message_ts="1.1"))
    view = slack.fake.calls_to("views.open")[-1]["view"]
    assert "To withdraw your ballot, clear every choice." in json.dumps(view["blocks"])
    empty = {f"rank{n}": {"value": {"type": "static_select", "selected_option": None}} for n in range(2)}
    submit = {
        "type": "view_submission",
        "team": {"id": "T0CLUB"},
        "user": {"id": "UBOB", "username": "bob", "team_id": "T0CLUB"},
        "trigger_id": "9.9",
        "view": {**view, "id": "V2", "hash": "h2", "state": {"values": empty}},
    }
    answer = await slack.interact(submit)
    assert answer.status == 200 and answer.body == ""
    told = slack.fake.calls_to("chat.postEphemeral")[-1]
    assert "Withdrew your ballot from poll #1." in blocks_to_text(told["blocks"])
    assert "0 ballots so far." in "\n".join((await slack.command("poll show", "UBOB")).shown())


async def test_a_ballot_button_on_a_closed_poll_shows_the_result(slack: SlackHarness) -> None:
    for title in ("Navalny", "Fire of Love"):
        await slack.command(f"suggest {title}", "UALICE")
    await slack.command("poll open Navalny, Fire of Love --method ranked", "UADMIN")
    await slack.command("poll close", "UADMIN")
    opened = len(slack.fake.calls_to("views.open"))
    answer = await slack.interact(slack.button("UBOB", "docclub:ballot:1", message_ts="1.1"))
    assert len(slack.fake.calls_to("views.open")) == opened
    assert "Poll #1 — closed" in blocks_to_text(answer.responses[0].args["blocks"])


async def test_help_lists_the_commands(slack: SlackHarness) -> None:
    answer = await slack.command("help", "UALICE")
    text = "\n".join(answer.shown())
    assert "== docclub commands ==" in text and "suggest <title>" in text and "rsvp" in text


def test_enabled_needs_the_bot_token_and_one_transport() -> None:
    def settings(**kw: str) -> Settings:
        return Settings(_env_file=None, **kw)  # type: ignore[call-arg, arg-type]

    assert not adapter.enabled(settings())
    assert not adapter.enabled(settings(slack_bot_token="xoxb-1"))
    assert not adapter.enabled(settings(slack_signing_secret="s", slack_app_token="xapp-1"))
    assert adapter.enabled(settings(slack_bot_token="xoxb-1", slack_signing_secret="s"))
    assert adapter.enabled(settings(slack_bot_token="xoxb-1", slack_app_token="xapp-1"))


async def test_a_burst_past_the_busy_mark_is_acknowledged_at_once_and_answered_after(slack: SlackHarness) -> None:
    assert slack.adapter.bot is not None
    slack.adapter.bot.slash.busy_after = 0  # as when many commands are already in flight
    answer = await slack.command("suggest Navalny (2020)", "UALICE")
    assert answer.ack is not None and answer.ack["text"] == "Working on it…"
    assert answer.ack["response_type"] == "ephemeral"
    assert [r.args["response_type"] for r in answer.responses] == ["in_channel"]
    assert answer.shown()[1].startswith("== Suggested #1 Navalny (2020) ==")
    slack.adapter.bot.slash.busy_after = 64
    quiet = await slack.command("films", "UALICE")
    assert quiet.ack is not None and "Navalny" in quiet.shown()[0] and quiet.responses == []


async def test_a_request_that_waited_in_a_queue_here_is_acknowledged_at_once(slack: SlackHarness) -> None:
    import time as clock

    sent_three_seconds_ago = int(clock.time()) - 3  # Slack's signed timestamp: when it sent it
    answer = await slack.command("suggest Navalny (2020)", "UALICE", timestamp=sent_three_seconds_ago)
    assert answer.ack is not None and answer.ack["text"] == "Working on it…"
    assert answer.shown()[1].startswith("== Suggested #1 Navalny (2020) ==")
    fresh = await slack.command("films", "UALICE")
    assert fresh.ack is not None and "Navalny" in fresh.shown()[0]
