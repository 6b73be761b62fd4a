from docclub_discord.testing import Harness, Member

ALICE = Member(500000000000000011, "alice")


async def test_suggest_answers_with_an_embed(discord_club: Harness) -> None:
    answer = await discord_club.slash(ALICE, "film suggest", title="Navalny (2022)", where="Max")
    print(answer.requests)
    assert answer.callback_type == 4
    assert "Navalny" in answer.text()
