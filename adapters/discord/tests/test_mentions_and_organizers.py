"""Nothing a member writes pings anyone; organizer-only actions check Manage Server or the role."""

from __future__ import annotations

from docclub_discord.notifier import DiscordNotifier
from docclub_discord.testing import Harness, Member

from docclub.scheduler import Scheduler

ALICE = Member(500000000000000011, "alice")
BOB = Member(500000000000000012, "bob")
CAROL = Member(500000000000000013, "carol")
ROLE_ID = 600000000000000042


async def test_a_title_with_everyone_and_a_role_mention_pings_nobody(discord_club: Harness) -> None:
    evil = "@everyone <@&123456789012345678> @here"
    await discord_club.slash(ALICE, "film suggest", title=evil, pitch="<@500000000000000012> **bold**")
    answer = await discord_club.slash(BOB, "film list")
    for a in (answer,):
        sent = a.callback.body["data"]
        assert sent["allowed_mentions"]["parse"] == []  # no @everyone, @here, roles or users
        assert not sent["allowed_mentions"].get("users") and not sent["allowed_mentions"].get("roles")
        shown = a.text()
        assert "@everyone" not in shown and "@here" not in shown and "<@&123456789012345678>" not in shown
        assert "@\u200beveryone" in shown  # shown as written, defused


async def test_reminders_ping_exactly_the_members_who_said_yes_or_maybe(discord_club: Harness) -> None:
    h = discord_club
    await h.slash(h.owner, "film suggest", title="@everyone (2023)")
    await h.slash(h.owner, "party schedule", film="#1", when="2026-11-28 20:00")
    await h.slash(ALICE, "rsvp", party="#1", answer="yes")
    await h.slash(BOB, "rsvp", party="#1", answer="maybe")
    await h.slash(CAROL, "rsvp", party="#1", answer="no")
    scheduler = Scheduler(h.app, h.store, h.clock, {"discord": DiscordNotifier(h.bot)})
    await h.clock.set(h.clock.now().replace(day=27, hour=20))
    assert await scheduler.run_due() == 1
    post = h.fake.requests("POST", r"/channels/\d+/messages")[-1].body
    mentions = post["allowed_mentions"]
    assert mentions["parse"] == [] and not mentions.get("roles")
    assert sorted(mentions["users"]) == [ALICE.user_id, BOB.user_id]
    assert post["content"] == f"<@{ALICE.user_id}> <@{BOB.user_id}>"
    assert "@\u200beveryone" in post["embeds"][0]["title"]


async def test_a_member_without_manage_server_is_refused_privately(discord_club: Harness) -> None:
    h = discord_club
    await h.slash(ALICE, "film suggest", title="Navalny (2022)")
    answer = await h.slash(ALICE, "film shortlist", film="#1")
    assert answer.ephemeral
    assert "Only the club's organizers can" in answer.text()
    shown = await h.slash(ALICE, "film info", film="#1")
    assert "suggested" in shown.text() and "shortlisted" not in shown.text()


async def test_manage_server_makes_an_organizer(discord_club: Harness) -> None:
    h = discord_club
    await h.slash(ALICE, "film suggest", title="Navalny (2022)")
    answer = await h.slash(h.owner, "film shortlist", film="#1")
    assert not answer.ephemeral
    assert "Only the club's organizers" not in answer.text()
    assert "shortlisted" in (await h.slash(ALICE, "film info", film="#1")).text()


async def test_the_clubs_organizer_role_makes_an_organizer(discord_club: Harness) -> None:
    h = discord_club
    with_role = Member(500000000000000021, "dora", roles=(ROLE_ID,))
    await h.slash(ALICE, "film suggest", title="Navalny (2022)")
    refused = await h.slash(with_role, "film shortlist", film="#1")
    assert "Only the club's organizers" in refused.text()
    await h.slash(h.owner, "club set", setting="organizer_role", value=f"<@&{ROLE_ID}>")
    allowed = await h.slash(with_role, "film shortlist", film="#1")
    assert "Only the club's organizers" not in allowed.text()
    assert "shortlisted" in (await h.slash(ALICE, "film info", film="#1")).text()


async def test_every_permission_but_manage_server_and_administrator_does_not_make_an_organizer(
    discord_club: Harness,
) -> None:
    from docclub_discord.testing import ADMINISTRATOR, EVERY_PERMISSION, MANAGE_GUILD, ORDINARY

    h = discord_club
    await h.slash(ALICE, "film suggest", title="Navalny (2022)")
    assert ALICE.permissions == ORDINARY  # test members hold what real ones do, not 0
    almost = Member(500000000000000031, "moderator", EVERY_PERMISSION & ~MANAGE_GUILD & ~ADMINISTRATOR)
    for member in (ALICE, almost):
        answer = await h.slash(member, "film shortlist", film="#1")
        assert "Only the club's organizers can" in answer.text(), member
    for n, rights in enumerate((MANAGE_GUILD, ADMINISTRATOR)):
        organizer = Member(500000000000000040 + n, "organizer", ORDINARY | rights)
        answer = await h.slash(organizer, "film shortlist", film="#1")
        assert "Only the club's organizers" not in answer.text(), answer.text()
