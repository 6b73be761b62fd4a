"""Where-to-stream brought up to date for the films a poll opens with, so members vote knowing
where they could watch. Below polls among the features: it needs only the context and the catalog."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from docclub.core.catalog import NoCatalog
from docclub.core.catalog_rules import club_region
from docclub.core.context import App, Ctx
from docclub.core.models import Actor, ClubKey, Film

log = logging.getLogger("docclub")


async def refresh_streaming(app: App, key: ClubKey, actor: Actor, film_ids: Sequence[int]) -> int:
    """Ask the catalog again where these films stream (an answer up to a day old will do) and
    keep what changed; how many films changed. Films kept as typed, and films the catalog can't
    be asked about now, stay as they are; nothing here fails the command that asked."""
    if isinstance(app.catalog, NoCatalog):  # no key: nothing to ask, not even the store
        return 0
    try:
        return await _refresh(app, key, actor, film_ids)
    except Exception:  # where-to-stream is a nicety: the poll is open whatever happens here
        log.exception("where-to-stream not refreshed for %s", key)
        return 0


async def _refresh(app: App, key: ClubKey, actor: Actor, film_ids: Sequence[int]) -> int:
    async def films_and_region(c: Ctx) -> tuple[list[Film], str]:
        found = await c.tx.films.by_id(c.club.id, film_ids)
        return [f for f in found.values() if f.details is not None], club_region(c.club.config)

    films, region = await app.read(key, actor, films_and_region)
    asked = [(f, f.details) for f in films if f.details is not None]
    if not asked:
        return 0
    answers = await asyncio.gather(*(app.catalog.film(details.tmdb_id, region) for _, details in asked))
    changed = [
        (film.id, new)
        for (film, old), new in zip(asked, answers, strict=True)
        if new is not None and new.streaming != old.streaming
    ]
    if changed:

        async def work(c: Ctx) -> None:
            for film_id, details in changed:
                await c.tx.films.set_details(c.club.id, film_id, details)

        await app.write(key, actor, work)
    return len(changed)


__all__ = ["refresh_streaming"]
