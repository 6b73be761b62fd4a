"""Slash commands, grouped by feature. Each one translates its options into one core call.

Film, poll and party options autocomplete (at most 25 choices, value `#id`); members may
also type a title. Lists of films ("Beyond Utopia, Navalny") autocomplete their last item.
Organizer-only commands are visible to everyone: the core refuses non-organizers with a
clear, ephemeral message, and the club's organizer role or list counts as well as Manage Server.
"""

# No `from __future__ import annotations`: discord.py reads these annotations at runtime.

from collections.abc import Awaitable, Callable
from dataclasses import replace

import discord
from discord import app_commands

from docclub.core.clubs import SETTING_HELP, Docclub, safely
from docclub.core.errors import UsageError
from docclub.core.models import Actor, ClubKey, FilmStatus, NewFilm
from docclub.core.prompts import MAX_PROMPT_LENGTH
from docclub.core.replies import Field, Line, Reply, line
from docclub.core.text import LINK_MAX, PITCH_MAX, REVIEW_MAX, SHORT_MAX, TITLE_MAX
from docclub_discord.bot import Interaction, bot_of

__all__ = ["build_commands", "split_list"]

Choice = app_commands.Choice
DM_NOTE = "These commands work in a server where docclub is installed; in direct messages only /help answers."

# Option lengths Discord checks before sending, from the limits the core enforces.
TitleText = app_commands.Range[str, 1, TITLE_MAX + 10]  # room for " (2023)"
FilmText = app_commands.Range[str, 1, TITLE_MAX + 10]  # "#12" or a title
FilmsText = app_commands.Range[str, 1, 2000]  # a comma-separated list of films
LinkText = app_commands.Range[str, 1, LINK_MAX]
PlaceText = app_commands.Range[str, 1, SHORT_MAX]
ListText = app_commands.Range[str, 1, 500]  # comma-separated warnings or tags
PitchText = app_commands.Range[str, 1, PITCH_MAX]
WhenText = app_commands.Range[str, 1, SHORT_MAX]
RefText = app_commands.Range[str, 1, 12]  # "#12"
ShortText = app_commands.Range[str, 1, 20]  # a duration: "2h", "90m"
ScoreText = app_commands.Range[str, 1, 10]  # "8", "3.5", "★★★½"
ReviewText = app_commands.Range[str, 1, REVIEW_MAX]
QuestionText = app_commands.Range[str, 1, MAX_PROMPT_LENGTH]
ValueText = app_commands.Range[str, 1, SHORT_MAX * 5]
TopicText = app_commands.Range[str, 1, 50]
Fetch = Callable[[ClubKey, Actor], Awaitable[list[tuple[int, str]]]]
IN_THE_RUNNING = (FilmStatus.SUGGESTED, FilmStatus.SHORTLISTED)


def split_list(text: str | None) -> list[str]:
    """'"Beyond Utopia", Navalny, #3' -> ['Beyond Utopia', 'Navalny', '#3']."""
    parts = [p.strip().strip('"“”').strip() for p in (text or "").split(",")]
    return [p for p in parts if p]


async def film_auto(interaction: Interaction, current: str) -> list[Choice[str]]:
    bot = bot_of(interaction.client)
    return await bot.choices(interaction, lambda k, a: bot.app.films.choices(k, a, current))


async def films_auto(interaction: Interaction, current: str) -> list[Choice[str]]:
    """Complete the last film of a comma-separated list, keeping the ones before it."""
    bot = bot_of(interaction.client)
    head, _, last = current.rpartition(",")
    prefix = f"{head.strip()}, " if head.strip() else ""
    found = await bot.choices(
        interaction, lambda k, a: bot.app.films.choices(k, a, last.strip(), statuses=IN_THE_RUNNING)
    )
    out: list[Choice[str]] = []
    for c in found:
        value = prefix + c.value
        if len(value) <= 100:
            name = prefix + c.name
            out.append(Choice(name=name if len(name) <= 100 else "…" + name[-99:], value=value))
    return out


async def poll_auto(interaction: Interaction, current: str) -> list[Choice[str]]:
    bot = bot_of(interaction.client)
    return await bot.choices(interaction, lambda k, a: bot.app.polls.choices(k, a))


async def party_auto(interaction: Interaction, current: str) -> list[Choice[str]]:
    bot = bot_of(interaction.client)
    return await bot.choices(interaction, lambda k, a: bot.app.parties.choices(k, a))


def _respond(
    interaction: Interaction, work: Callable[[ClubKey, Actor], Awaitable[Reply]], *, private: bool = False
) -> Awaitable[Reply]:
    return bot_of(interaction.client).respond(interaction, work, private=private)


async def _refuse(message: str, usage: str) -> Reply:
    raise UsageError(message, usage=usage)


def _app(interaction: Interaction) -> Docclub:
    return bot_of(interaction.client).app


FILM_LISTS = [Choice(name=n, value=n) for n in ("suggested", "shortlisted", "scheduled", "watched", "withdrawn", "all")]
METHODS = [
    Choice(name="single choice", value="single"),
    Choice(name="approval (pick any)", value="approval"),
    Choice(name="ranked choice", value="ranked"),
]
ANSWERS = [
    Choice(name="going", value="yes"),
    Choice(name="maybe", value="maybe"),
    Choice(name="can't make it", value="no"),
]
SETTINGS = [Choice(name=n, value=n) for n in SETTING_HELP]  # every club setting the core knows


def does(*ops: str | tuple[str, dict[str, str]], **renames: str) -> dict[str, object]:
    """`extras` of a command that does these core commands (COMMAND_PARAMS keys); `renames` maps
    a core parameter to this command's option where the names differ, and `(op, {option: value})`
    is a core command this one does with an option set (`vote clear` is `/vote clear:True`).
    Hints and usage lines in replies are spelled from these (`docclub_discord.spelling`)."""
    table: dict[str, dict[str, str]] = {}
    for op in ops:
        name, fixed = op if isinstance(op, tuple) else (op, {})
        table[name] = {**renames, **{f"={option}": value for option, value in fixed.items()}}
    return {"docclub": table}


def build_commands() -> list[app_commands.Command | app_commands.Group]:  # type: ignore[type-arg]
    """Fresh command objects for one command tree."""
    film = app_commands.Group(name="film", description="Suggest documentaries and look them up", guild_only=True)
    poll = app_commands.Group(name="poll", description="Vote on what to watch next", guild_only=True)
    party = app_commands.Group(name="party", description="Watch parties: schedule, list, move, cancel", guild_only=True)
    prompts = app_commands.Group(name="prompts", description="Discussion prompts for a film", guild_only=True)
    club = app_commands.Group(name="club", description="The club's settings and backups", guild_only=True)

    # ---- films ----

    @film.command(
        name="suggest",
        description="Suggest a documentary (no title: opens a form)",
        extras=does("suggest", cw="warnings"),
    )
    @app_commands.describe(
        title="Title, optionally with the year: Beyond Utopia (2023)",
        year="Release year",
        link="A link to the film or its trailer",
        where="Where to stream it",
        warnings="Content warnings, comma-separated",
        tags="Tags, comma-separated",
        pitch="A sentence or two on why the club should watch it",
        new="Suggest it even though a film with a similar title is here",
    )
    async def film_suggest(
        interaction: Interaction,
        title: TitleText | None = None,
        year: app_commands.Range[int, 1870, 2100] | None = None,
        link: LinkText | None = None,
        where: PlaceText | None = None,
        warnings: ListText | None = None,
        tags: ListText | None = None,
        pitch: PitchText | None = None,
        new: bool = False,
    ) -> None:
        bot = bot_of(interaction.client)
        if title is None:
            from docclub_discord.views import SuggestForm

            async with bot.handling(interaction):
                await interaction.response.send_modal(SuggestForm())
            return
        film = NewFilm(
            title=title,
            year=year,
            link=link,
            where=where,
            warnings=(warnings,) if warnings else (),
            tags=(tags,) if tags else (),
            pitch=pitch,
        )
        await bot.respond(interaction, lambda k, a: bot.app.films.suggest(k, a, film, new_anyway=new))

    @film.command(
        name="info", description="A film's card: pitch, warnings, votes, parties, ratings", extras=does("film")
    )
    @app_commands.describe(film="#number or title")
    @app_commands.autocomplete(film=film_auto)
    async def film_info(interaction: Interaction, film: FilmText) -> None:
        await _respond(interaction, lambda k, a: _app(interaction).films.card(k, a, film))

    @film.command(name="list", description="The club's films", extras=does("films"))
    @app_commands.describe(which="Which films (default: suggested and shortlisted)")
    @app_commands.choices(which=FILM_LISTS)
    async def film_list(interaction: Interaction, which: str | None = None) -> None:
        await _respond(interaction, lambda k, a: _app(interaction).films.list(k, a, which))

    @film.command(name="seen", description="Mark a film as seen by you", extras=does("seen"))
    @app_commands.describe(film="#number or title")
    @app_commands.autocomplete(film=film_auto)
    async def film_seen(interaction: Interaction, film: FilmText) -> None:
        await _respond(interaction, lambda k, a: _app(interaction).films.seen(k, a, film), private=True)

    @film.command(name="withdraw", description="Withdraw your own suggestion", extras=does("withdraw"))
    @app_commands.describe(film="#number or title")
    @app_commands.autocomplete(film=film_auto)
    async def film_withdraw(interaction: Interaction, film: FilmText) -> None:
        await _respond(interaction, lambda k, a: _app(interaction).films.withdraw(k, a, film))

    @film.command(name="shortlist", description="Shortlist a suggestion (organizers)", extras=does("shortlist"))
    @app_commands.describe(film="#number or title")
    @app_commands.autocomplete(film=film_auto)
    async def film_shortlist(interaction: Interaction, film: FilmText) -> None:
        await _respond(interaction, lambda k, a: _app(interaction).films.shortlist(k, a, film))

    @film.command(name="delete", description="Delete a film with its ratings (organizers)", extras=does("delete"))
    @app_commands.describe(film="#number or title")
    @app_commands.autocomplete(film=film_auto)
    async def film_delete(interaction: Interaction, film: FilmText) -> None:
        await _respond(interaction, lambda k, a: _app(interaction).films.delete(k, a, film))

    # ---- polls ----

    @poll.command(
        name="open", description="Open a poll with buttons (no films: the top suggestions)", extras=does("poll open")
    )
    @app_commands.describe(
        films="Films, comma-separated: Beyond Utopia, Navalny, #3",
        method="How members vote (default: single choice)",
        closes="When it closes by itself, e.g. friday 18:00",
        anonymous="Hide who voted for what",
        top="Offer the top N suggestions (2–25)",
    )
    @app_commands.choices(method=METHODS)
    @app_commands.autocomplete(films=films_auto)
    async def poll_open(
        interaction: Interaction,
        films: FilmsText | None = None,
        method: str = "single",
        closes: WhenText | None = None,
        anonymous: bool = False,
        top: app_commands.Range[int, 2, 25] | None = None,
    ) -> None:
        await _respond(
            interaction,
            lambda k, a: _app(interaction).polls.open(
                k, a, method=method, film_refs=split_list(films), closes=closes, anonymous=anonymous, top=top
            ),
        )

    @poll.command(name="show", description="A poll's standings (ranked: round by round)", extras=does("poll show"))
    @app_commands.describe(poll="#number (default: the open one)")
    @app_commands.autocomplete(poll=poll_auto)
    async def poll_show(interaction: Interaction, poll: RefText | None = None) -> None:
        await _respond(interaction, lambda k, a: _app(interaction).polls.show(k, a, poll))

    @poll.command(name="add", description="Add a film to an open poll", extras=does("poll add"))
    @app_commands.describe(film="#number or title", poll="#number (default: the open one)")
    @app_commands.autocomplete(film=film_auto, poll=poll_auto)
    async def poll_add(interaction: Interaction, film: FilmText, poll: RefText | None = None) -> None:
        await _respond(interaction, lambda k, a: _app(interaction).polls.add_film(k, a, poll, film))

    @poll.command(name="close", description="Close a poll and show the result (organizers)", extras=does("poll close"))
    @app_commands.describe(
        poll="#number (default: the open one)", schedule="Schedule the winner right away, e.g. sat 20:00"
    )
    @app_commands.autocomplete(poll=poll_auto)
    async def poll_close(
        interaction: Interaction, poll: RefText | None = None, schedule: WhenText | None = None
    ) -> None:
        await _respond(interaction, lambda k, a: _app(interaction).polls.close(k, a, poll, schedule_at=schedule))

    @poll.command(name="cancel", description="Cancel a poll without a result (organizers)", extras=does("poll cancel"))
    @app_commands.describe(poll="#number (default: the open one)")
    @app_commands.autocomplete(poll=poll_auto)
    async def poll_cancel(interaction: Interaction, poll: RefText | None = None) -> None:
        await _respond(interaction, lambda k, a: _app(interaction).polls.close(k, a, poll, cancel=True))

    @app_commands.command(
        name="vote",
        description="Vote in a poll (ranked: list films in order of preference)",
        extras=does("vote", ("vote clear", {"clear": "True"})),
    )
    @app_commands.describe(
        films="Your film, or films comma-separated: Navalny, Beyond Utopia",
        poll="#number (default: the open one)",
        clear="Withdraw your ballot (while the poll is open)",
    )
    @app_commands.autocomplete(films=films_auto, poll=poll_auto)
    @app_commands.guild_only()
    async def vote(
        interaction: Interaction, films: FilmsText | None = None, poll: RefText | None = None, clear: bool = False
    ) -> None:
        app = _app(interaction)
        if clear and films:
            await _respond(
                interaction,
                lambda k, a: _refuse("Choose films or clear your ballot, not both.", "/vote clear:True [poll]"),
                private=True,
            )
        elif clear:
            await _respond(interaction, lambda k, a: app.polls.clear(k, a, poll), private=True)
        else:
            await _respond(interaction, lambda k, a: app.polls.vote(k, a, poll, split_list(films)), private=True)

    # ---- watch parties ----

    @party.command(name="schedule", description="Schedule a watch party (organizers)", extras=does("party schedule"))
    @app_commands.describe(
        film="#number or title",
        when="In the club's timezone: sat 20:00, 2026-12-05 20:00",
        where="A voice channel or a link",
        duration="How long, e.g. 2h (default: the film's)",
        again="Schedule it even though the film already has a party at that time",
    )
    @app_commands.autocomplete(film=film_auto)
    async def party_schedule(
        interaction: Interaction,
        film: FilmText,
        when: WhenText,
        where: PlaceText | None = None,
        duration: ShortText | None = None,
        again: bool = False,
    ) -> None:
        await _respond(
            interaction,
            lambda k, a: _app(interaction).parties.schedule(
                k, a, film, when, where=where, duration=duration, again=again
            ),
        )

    @party.command(name="list", description="Upcoming watch parties", extras=does("party list"))
    @app_commands.describe(which="upcoming (default) or all")
    @app_commands.choices(which=[Choice(name="upcoming", value="upcoming"), Choice(name="all", value="all")])
    async def party_list(interaction: Interaction, which: str | None = None) -> None:
        await _respond(
            interaction, lambda k, a: _app(interaction).parties.list(k, a, None if which == "upcoming" else which)
        )

    @party.command(name="show", description="A watch party with who's coming", extras=does("party show"))
    @app_commands.describe(party="#number (default: the next one)")
    @app_commands.autocomplete(party=party_auto)
    async def party_show(interaction: Interaction, party: RefText | None = None) -> None:
        await _respond(interaction, lambda k, a: _app(interaction).parties.show(k, a, party))

    @party.command(name="ics", description="A calendar file for a watch party", extras=does("party ics"))
    @app_commands.describe(party="#number (default: the next one)")
    @app_commands.autocomplete(party=party_auto)
    async def party_ics(interaction: Interaction, party: RefText | None = None) -> None:
        await _respond(interaction, lambda k, a: _app(interaction).parties.ics(k, a, party), private=True)

    @party.command(
        name="move", description="Move a watch party; RSVPs are told (organizers)", extras=does("party move")
    )
    @app_commands.describe(when="The new time: sun 19:00", party="#number (default: the next one)")
    @app_commands.autocomplete(party=party_auto)
    async def party_move(interaction: Interaction, when: WhenText, party: RefText | None = None) -> None:
        await _respond(interaction, lambda k, a: _app(interaction).parties.move(k, a, party, when))

    @party.command(
        name="cancel", description="Cancel a watch party; RSVPs are told (organizers)", extras=does("party cancel")
    )
    @app_commands.describe(party="#number (default: the next one)")
    @app_commands.autocomplete(party=party_auto)
    async def party_cancel(interaction: Interaction, party: RefText | None = None) -> None:
        await _respond(interaction, lambda k, a: _app(interaction).parties.cancel(k, a, party))

    @app_commands.command(name="rsvp", description="Say whether you're coming to a watch party", extras=does("rsvp"))
    @app_commands.describe(
        answer="Are you coming?",
        party="#number (default: the next one)",
        remind="Also message me this long before, e.g. 2h",
    )
    @app_commands.choices(answer=ANSWERS)
    @app_commands.autocomplete(party=party_auto)
    @app_commands.guild_only()
    async def rsvp(
        interaction: Interaction, answer: str, party: RefText | None = None, remind: ShortText | None = None
    ) -> None:
        await _respond(
            interaction, lambda k, a: _app(interaction).parties.rsvp(k, a, party, answer, remind=remind), private=True
        )

    # ---- ratings ----

    @app_commands.command(
        name="rate",
        description="Rate a film on the club's scale; the review is a spoiler",
        extras=does("rate", **{"no-review": "remove_review"}),
    )
    @app_commands.describe(
        film="#number or title",
        score="Your score: 1–10, or 0.5–5 stars in star clubs",
        review="A short review (shown as a spoiler); leave empty to keep the one you wrote",
        remove_review="Remove the review you wrote before",
    )
    @app_commands.autocomplete(film=film_auto)
    @app_commands.guild_only()
    async def rate(
        interaction: Interaction,
        film: FilmText,
        score: ScoreText,
        review: ReviewText | None = None,
        remove_review: bool = False,
    ) -> None:
        await _respond(
            interaction,
            lambda k, a: _app(interaction).ratings.rate(k, a, film, score, review, remove_review=remove_review),
            private=True,
        )

    @app_commands.command(
        name="ratings",
        description="How the club rated a film (after you rate it); no film: yours",
        extras=does("ratings", "my ratings"),
    )
    @app_commands.describe(film="#number or title (leave empty for your own history)")
    @app_commands.autocomplete(film=film_auto)
    @app_commands.guild_only()
    async def ratings(interaction: Interaction, film: FilmText | None = None) -> None:
        if film is None:
            await _respond(interaction, lambda k, a: _app(interaction).ratings.mine(k, a), private=True)
        else:
            await _respond(interaction, lambda k, a: _app(interaction).ratings.show(k, a, film), private=True)

    @app_commands.command(
        name="leaderboard",
        description="The club's best-rated films among those you rated (private)",
        extras=does("leaderboard"),
    )
    @app_commands.guild_only()
    async def leaderboard(interaction: Interaction) -> None:
        await _respond(interaction, lambda k, a: _app(interaction).ratings.leaderboard(k, a), private=True)

    # ---- discussion ----

    @prompts.command(name="show", description="A fresh mix of discussion prompts for a film", extras=does("prompts"))
    @app_commands.describe(film="#number or title")
    @app_commands.autocomplete(film=film_auto)
    async def prompts_show(interaction: Interaction, film: FilmText) -> None:
        await _respond(interaction, lambda k, a: _app(interaction).discussion.prompts(k, a, film))

    @prompts.command(name="add", description="Add your own discussion prompt for a film", extras=does("prompt add"))
    @app_commands.describe(film="#number or title", question="Your question for the club")
    @app_commands.autocomplete(film=film_auto)
    async def prompts_add(interaction: Interaction, film: FilmText, question: QuestionText) -> None:
        await _respond(interaction, lambda k, a: _app(interaction).discussion.add(k, a, film, question), private=True)

    # ---- club ----

    @club.command(name="config", description="The club's settings", extras=does("config show"))
    async def club_config(interaction: Interaction) -> None:
        await _respond(interaction, lambda k, a: _app(interaction).settings.show(k, a))

    @club.command(name="set", description="Change a setting (organizers)", extras=does("config set", key="setting"))
    @app_commands.describe(
        setting="Which setting", value="The new value: Europe/Berlin, stars, 24h,1h,0, #channel, @Role, yes/no, or none"
    )
    @app_commands.choices(setting=SETTINGS)
    async def club_set(interaction: Interaction, setting: str, value: ValueText) -> None:
        await _respond(interaction, lambda k, a: _app(interaction).settings.set(k, a, setting, value))

    @club.command(
        name="export", description="A JSON backup (organizers) or your ratings as Letterboxd CSV", extras=does("export")
    )
    @app_commands.describe(what="json: the whole club; csv: your ratings for Letterboxd")
    @app_commands.choices(
        what=[Choice(name="json (whole club)", value="json"), Choice(name="csv (my ratings, Letterboxd)", value="csv")]
    )
    async def club_export(interaction: Interaction, what: str) -> None:
        backup = _app(interaction).backup
        if what == "json":
            await _respond(interaction, lambda k, a: backup.export_json(k, a), private=True)
        else:
            await _respond(interaction, lambda k, a: backup.export_csv(k, a), private=True)

    @app_commands.command(name="help", description="What docclub can do, command by command", extras=does("help"))
    @app_commands.describe(command="A command to explain, e.g. poll")
    async def help_command(interaction: Interaction, command: TopicText | None = None) -> None:
        bot = bot_of(interaction.client)
        if interaction.guild_id is None:  # a direct message: help needs no club, so it answers here too

            async def in_dm() -> Reply:
                return replace(help_reply(bot.tree, command), footer=DM_NOTE)

            async with bot.handling(interaction):
                await bot.send(interaction, await safely(in_dm()))
            return

        async def work(key: ClubKey, actor: Actor) -> Reply:
            return help_reply(bot.tree, command)

        await bot.respond(interaction, work, private=True)

    return [film, poll, vote, party, rsvp, rate, ratings, leaderboard, prompts, club, help_command]


# One example for every slash command, shown by /help (a test checks none is missing).
EXAMPLES: dict[str, str] = {
    "film suggest": "/film suggest title:Beyond Utopia (2023) where:Amazon warnings:torture",
    "film info": "/film info film:Beyond Utopia",
    "film list": "/film list which:all",
    "film seen": "/film seen film:#1",
    "film withdraw": "/film withdraw film:#3",
    "film shortlist": "/film shortlist film:#1",
    "film delete": "/film delete film:#4",
    "poll open": "/poll open films:Beyond Utopia, Navalny, Fire of Love method:ranked closes:friday 18:00",
    "poll show": "/poll show poll:#2",
    "poll add": "/poll add film:Honeyland poll:#2",
    "poll close": "/poll close poll:#2 schedule:sat 20:00",
    "poll cancel": "/poll cancel poll:#2",
    "vote": "/vote films:Navalny, Beyond Utopia — or /vote clear:True to withdraw your ballot",
    "party schedule": "/party schedule film:Beyond Utopia when:sat 20:00 where:#watch-party duration:2h",
    "party list": "/party list which:all",
    "party show": "/party show party:#1",
    "party ics": "/party ics party:#1",
    "party move": "/party move when:sun 19:00 party:#1",
    "party cancel": "/party cancel party:#1",
    "rsvp": "/rsvp answer:going party:#1 remind:2h",
    "rate": "/rate film:Beyond Utopia score:9 review:Harrowing — remove_review:True removes your review",
    "ratings": "/ratings film:Beyond Utopia",
    "leaderboard": "/leaderboard",
    "prompts show": "/prompts show film:Beyond Utopia",
    "prompts add": "/prompts add film:Beyond Utopia question:Who decided what we did not see?",
    "club config": "/club config",
    "club set": "/club set setting:timezone value:Europe/Berlin",
    "club export": "/club export what:csv",
    "help": "/help command:poll",
}


def _example(qualified_name: str) -> tuple[Line, ...]:
    example = EXAMPLES.get(qualified_name)
    return (line("e.g. " + example),) if example else ()


def _options(cmd: app_commands.Command) -> str:  # type: ignore[type-arg]
    return " ".join(f"{p.name}:" if p.required else f"[{p.name}]" for p in cmd.parameters)


def help_reply(tree: app_commands.CommandTree[discord.Client], topic: str | None) -> Reply:
    """The slash commands and their descriptions, from the command tree itself."""
    from docclub.core.errors import UsageError

    commands = {c.name: c for c in tree.get_commands()}
    if topic:
        found = commands.get(topic.strip().lstrip("/").split()[0].lower())
        if found is None:
            raise UsageError(f"There is no command /{topic[:30]}. Try /help.")
        subs = found.commands if isinstance(found, app_commands.Group) else [found]
        fields = []
        for sub in subs:
            if not isinstance(sub, app_commands.Command):
                continue
            name = f"/{sub.qualified_name} {_options(sub)}".strip()
            lines = (
                line(sub.description),
                *(line(f"{p.name}: {p.description}") for p in sub.parameters),
                *_example(sub.qualified_name),
            )
            fields.append(Field(name, lines))
        return Reply(title=f"/{found.name}", fields=tuple(fields), ephemeral=True)
    fields = []
    for c in commands.values():
        if isinstance(c, app_commands.Group):
            lines = tuple(
                piece
                for s in c.commands
                for piece in (line(f"/{s.qualified_name} — {s.description}"), *_example(s.qualified_name))
            )
            fields.append(Field(f"/{c.name}", lines))
        else:
            fields.append(Field(f"/{c.name}", (line(getattr(c, "description", "")), *_example(c.name))))
    return Reply(
        title="docclub commands",
        lines=(
            line(
                "Films, polls, watch parties, ratings and talk. Film options autocomplete; you can also type a title."
            ),
        ),
        fields=tuple(fields),
        ephemeral=True,
    )
