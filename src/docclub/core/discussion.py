"""Discussion prompts for a film: a fresh mix from the bank and the members' own."""

from __future__ import annotations

import zlib

from docclub.core.context import App, Ctx
from docclub.core.film_lookup import resolve_film
from docclub.core.models import Actor, ClubKey, Film
from docclub.core.prompts import pick_prompts, theme_name, validate_prompt_text
from docclub.core.replies import Reply, Tone, cmd, line

RECENT = 40  # a club's last 40 shown prompts are not repeated while fresh ones remain


async def prompts_for(c: Ctx, film: Film, count: int = 5) -> Reply:
    """Pick and record a fresh mix of prompts for `film` (used by the command and by the
    post-party nudge)."""
    own = await c.tx.prompts.of_film(c.club.id, film.id)
    recent = await c.tx.prompts.recent_keys(c.club.id, RECENT)
    seed = zlib.crc32(f"{c.club.id}:{film.id}:{len(recent)}:{c.now.timestamp():.0f}".encode())
    picked = pick_prompts(own, recent, seed, count)
    await c.tx.prompts.record_shown(c.club.id, film.id, [p.key for p in picked], c.now)
    lines = []
    for i, p in enumerate(picked, 1):
        source = f" (from {p.added_by_name})" if p.added_by_name else ""
        theme = theme_name(p.key)
        lines.append(line(f"{i}. {p.text}{source}" + (f" [{theme}]" if theme and not source else "")))
    return Reply(
        title=f"Let's talk about {film.label}",
        lines=tuple(lines),
        footer=line("Add your own: ", cmd("prompt add", film=f"#{film.id}", question=None)),
        subject=("film", film.id),
    )


class Discussion:
    def __init__(self, app: App) -> None:
        self.app = app

    async def prompts(self, key: ClubKey, actor: Actor, ref: str) -> Reply:
        async def work(c: Ctx) -> Reply:
            return await prompts_for(c, await resolve_film(c, ref))

        return await self.app.write(key, actor, work)

    async def add(self, key: ClubKey, actor: Actor, ref: str, text: str) -> Reply:
        cleaned = validate_prompt_text(text)

        async def work(c: Ctx) -> Reply:
            film = await resolve_film(c, ref, include_withdrawn=False)
            await c.tx.prompts.add(c.club.id, film.id, cleaned, c.actor.display_name, c.now)
            return Reply(
                lines=(line(f"Added your prompt for {film.label}. It will come up in the next discussion."),),
                tone=Tone.OK,
            )

        return await self.app.write(key, actor, work)
