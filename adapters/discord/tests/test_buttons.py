"""Poll and RSVP buttons: votes through buttons, coalesced poll edits, and buttons that keep
working on messages posted before a restart."""

from __future__ import annotations

from pathlib import Path

from docclub_discord.testing import FakeDiscord, Harness, Member, buttons, harness

MEMBERS = [Member(500000000000000200 + i, f"member{i}") for i in range(5)]


async def _open_poll(h: Harness, method: str = "single") -> dict[str, object]:
    await h.slash(h.owner, "film suggest", title="Beyond Utopia (2023)")
    await h.slash(h.owner, "film suggest", title="Navalny (2022)")
    opened = await h.slash(h.owner, "poll open", films="#1, #2", method=method)
    return h.message(opened)


def _poll_edits(h: Harness, message: dict[str, object]) -> list[dict[str, object]]:
    """Edits of the message, through the channel or through the webhook of its interaction."""
    return [
        r.body
        for r in h.fake.requests("PATCH", rf"(/channels/\d+|/webhooks/\d+/[^/]+)/messages/{message['id']}")
        if r.body is not None
    ]


async def test_poll_buttons_carry_stable_ids(discord_club: Harness) -> None:
    message = await _open_poll(discord_club)
    assert [b["custom_id"] for b in buttons(message)] == ["docclub:vote:1:1", "docclub:vote:1:2"]
    assert [b["label"] for b in buttons(message)] == ["Beyond Utopia (2023)", "Navalny (2022)"]


async def test_a_vote_button_answers_privately_and_counts(discord_club: Harness) -> None:
    h = discord_club
    message = await _open_poll(h)
    answer = await h.click(MEMBERS[0], message, "docclub:vote:1:2")
    assert answer.ephemeral
    assert "Your vote in poll #1: Navalny (2022)" in answer.text()
    assert "1 ballot" in (await h.slash(MEMBERS[1], "poll show")).text()


async def test_poll_message_edits_are_coalesced_to_one_per_two_seconds(discord_club: Harness) -> None:
    h = discord_club
    message = await _open_poll(h)
    for m in MEMBERS:
        await h.click(m, message, "docclub:vote:1:1")
    await h.fake.wait_for(lambda: len(_poll_edits(h, message)) >= 1)
    assert len(_poll_edits(h, message)) == 1  # the first vote edits at once; the other four wait
    await h.clock.advance(1.9)
    assert len(_poll_edits(h, message)) == 1
    await h.clock.advance(0.1)
    await h.fake.wait_for(lambda: len(_poll_edits(h, message)) >= 2)
    last = h.fake.messages[int(str(message["id"]))]
    assert "5 ballots" in "".join(e.get("description", "") for e in last["embeds"])  # type: ignore[attr-defined]
    assert [b["custom_id"] for b in buttons(last)] == ["docclub:vote:1:1", "docclub:vote:1:2"]
    await h.clock.advance(10)
    assert len(_poll_edits(h, message)) == 2  # nothing changed since: no more edits


async def test_ranked_ballot_is_built_click_by_click(discord_club: Harness) -> None:
    h = discord_club
    message = await _open_poll(h, method="ranked")
    await h.click(MEMBERS[0], message, "docclub:vote:1:2")
    second = await h.click(MEMBERS[0], message, "docclub:vote:1:1")
    assert "1. Navalny (2022) > 2. Beyond Utopia (2023)" in second.text()


async def test_buttons_keep_working_after_a_restart(tmp_path: Path) -> None:
    fake = FakeDiscord()
    await fake.start()
    try:
        async with harness(tmp_path, fake=fake) as before:
            await before.slash(before.owner, "film suggest", title="Beyond Utopia (2023)")
            await before.slash(before.owner, "film suggest", title="Navalny (2022)")
            poll = before.message(await before.slash(before.owner, "poll open", films="#1, #2"))
            party = before.message(
                await before.slash(before.owner, "party schedule", film="#1", when="2026-11-28 20:00")
            )
            assert buttons(poll) and buttons(party)
        async with harness(tmp_path, fake=fake) as after:  # a new process: new client, same database
            going = await after.click(MEMBERS[0], party, "docclub:rsvp:1:yes")
            assert going.ephemeral and "You're going to watch party #1" in going.text()
            voted = await after.click(MEMBERS[1], poll, "docclub:vote:1:2")
            assert "Your vote in poll #1: Navalny (2022)" in voted.text()
            await fake.wait_for(lambda: bool(_poll_edits(after, poll)))
            shown = await after.slash(MEMBERS[2], "party show", party="#1")
            assert "Going (1): member0" in shown.text()
    finally:
        await fake.stop()


async def test_rate_button_opens_a_form_that_rates(discord_club: Harness) -> None:
    h = discord_club
    await h.slash(h.owner, "film suggest", title="Navalny (2022)")
    card = h.message(await h.slash(MEMBERS[1], "film info", film="#1"))
    opened = await h.click(MEMBERS[0], card, "docclub:rate:1")
    assert opened.callback_type == 9
    form = opened.callback.body["data"]
    inputs = [c["components"][0]["custom_id"] for c in form["components"]]
    rated = await h.submit(
        MEMBERS[0], form["custom_id"], dict(zip(inputs, ["8", "Brave || and @everyone"], strict=True))
    )
    assert rated.ephemeral
    text = rated.text()
    assert "You rated Navalny (2022): 8/10" in text
    assert "||Brave \\|\\| and @\u200beveryone||" in text  # the review stays one closed spoiler


async def test_rating_again_keeps_the_review_through_slash_and_form(discord_club: Harness) -> None:
    h = discord_club
    await h.slash(h.owner, "film suggest", title="Navalny (2022)")
    await h.slash(MEMBERS[0], "rate", film="#1", score="9", review="Made me cry")
    again = await h.slash(MEMBERS[0], "rate", film="#1", score="8")
    assert "Your review stays (shown as a spoiler): ||Made me cry||" in again.text()

    card = h.message(await h.slash(MEMBERS[1], "film info", film="#1"))
    opened = await h.click(MEMBERS[0], card, "docclub:rate:1")
    form = opened.callback.body["data"]
    fields = [c["components"][0] for c in form["components"]]
    assert [f.get("value") for f in fields] == ["8", "Made me cry"]  # the form shows what they wrote
    inputs = [f["custom_id"] for f in fields]
    kept = await h.submit(MEMBERS[0], form["custom_id"], dict(zip(inputs, ["7", "Made me cry"], strict=True)))
    assert "Updated your rating of Navalny (2022): 7/10" in kept.text()
    assert "||Made me cry||" in kept.text()

    opened = await h.click(MEMBERS[0], card, "docclub:rate:1")
    form = opened.callback.body["data"]
    cleared = await h.submit(MEMBERS[0], form["custom_id"], dict(zip(inputs, ["7", ""], strict=True)))
    assert "Your review was removed." in cleared.text()
    await h.slash(MEMBERS[0], "rate", film="#1", score="6", review="Second look")
    removed = await h.slash(MEMBERS[0], "rate", film="#1", score="6", remove_review=True)
    assert "Your review was removed." in removed.text()
    shown = (await h.slash(MEMBERS[0], "ratings", film="#1")).text()
    assert "Second look" not in shown and "Made me cry" not in shown


async def test_vote_clear_withdraws_a_ballot(discord_club: Harness) -> None:
    h = discord_club
    await _open_poll(h)
    await h.slash(MEMBERS[0], "vote", films="#2")
    cleared = await h.slash(MEMBERS[0], "vote", clear=True)
    assert cleared.ephemeral
    assert "Withdrew your ballot from poll #1." in cleared.text()
    assert "0 ballots so far." in (await h.slash(MEMBERS[1], "poll show")).text()
    both = await h.slash(MEMBERS[0], "vote", films="#2", clear=True)
    assert "Choose films or clear your ballot, not both." in both.text()


async def test_scores_stay_blind_in_discord_embeds_with_three_raters(discord_club: Harness) -> None:
    h = discord_club
    await h.slash(h.owner, "film suggest", title="Navalny (2022)")
    await h.slash(h.owner, "film suggest", title="Fire of Love (2022)")
    for member, score in zip(MEMBERS[:3], ("9", "4", "8"), strict=True):
        await h.slash(member, "rate", film="#1", score=score, review=f"review by {member.name}")
    await h.slash(MEMBERS[0], "rate", film="#2", score="3")

    board = await h.slash(MEMBERS[3], "leaderboard")  # rated nothing
    assert board.ephemeral
    assert "/10" not in board.text() and "Navalny (2022) — 3 ratings" in board.text()
    card = await h.slash(MEMBERS[3], "film info", film="#1")
    assert not card.ephemeral  # the card is posted in the channel, so it holds no score at all
    assert "3 ratings; rate it to see the scores." in card.text() and "/10" not in card.text()
    hidden = await h.slash(MEMBERS[3], "ratings", film="#1")
    assert "3 members have rated it" in hidden.text() and "review by" not in hidden.text()

    rater_card = await h.slash(MEMBERS[1], "film info", film="#1")
    assert "/10" not in rater_card.text()
    rater_board = await h.slash(MEMBERS[1], "leaderboard")
    assert rater_board.ephemeral
    assert "1. #1 Navalny (2022) — 7/10 (3 ratings)" in rater_board.text()
    assert "3/10" not in rater_board.text()  # Fire of Love: member1 hasn't rated it
    revealed = await h.slash(MEMBERS[1], "ratings", film="#1")
    assert revealed.ephemeral and "review by member0" in revealed.text()
