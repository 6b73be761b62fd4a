"""Each Slack workspace is its own club, and a reminder key is posted once."""

from __future__ import annotations

from docclub_slack.notifier import SlackNotifier
from docclub_slack.testing import SlackHarness, slash_body

from docclub.core.models import ClubKey
from docclub.core.replies import Reply, Tone, line


async def command_from(slack: SlackHarness, team_id: str, text: str, user_id: str = "UADMIN") -> str:
    body = slash_body(text, user_id=user_id, user_name="Ana", team_id=team_id, response_url=slack.fake.response_url(0))
    answer = await slack.post(body)
    assert answer.status == 200, answer
    return "\n".join(answer.shown())


async def test_each_workspace_maps_to_its_own_club(slack: SlackHarness) -> None:
    await command_from(slack, "T0CLUB", "suggest Navalny (2022)")
    await command_from(slack, "T0OTHER", "suggest Honeyland (2019)")

    assert "Navalny" in await command_from(slack, "T0CLUB", "films")
    assert "Honeyland" not in await command_from(slack, "T0CLUB", "films")
    assert "Honeyland" in await command_from(slack, "T0OTHER", "films")
    assert "Navalny" not in await command_from(slack, "T0OTHER", "films")
    clubs = [
        await slack.runtime.store.read(lambda tx, t=t: tx.clubs.get(ClubKey("slack", t))) for t in ("T0CLUB", "T0OTHER")
    ]
    assert all(clubs) and clubs[0].id != clubs[1].id


async def test_the_notifier_posts_a_reminder_key_once(slack: SlackHarness) -> None:
    notifier = slack.runtime.scheduler.notifiers["slack"]
    assert isinstance(notifier, SlackNotifier)
    club = ClubKey("slack", slack.fake.team_id)
    reminder = Reply(title="Navalny starts in 1 hour", lines=(line("Bring snacks."),), tone=Tone.INFO)

    for key in ("party:1:60", "party:1:60", "party:1:0", "party:1:0"):
        await notifier.announce(club, "C0GENERAL", reminder, key=key)
    for key in ("dm:1:UALICE", "dm:1:UALICE"):
        await notifier.direct(club, "UALICE", reminder, key=key)

    posts = slack.fake.calls_to("chat.postMessage")
    assert len([p for p in posts if p.get("channel") == "C0GENERAL"]) == 2
    assert len(posts) == 3
