"""`app.club_page`: the club page's address (`club link`), the page and the calendar feed.

The page is the read model of `club_page`, checked against the club's working tokens in the
same read; a page built for one load is kept for the next while nothing was committed and no
time rule moved (`kept_pages`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docclub.core.calendar import club_feed
from docclub.core.club_links import MAX_LINKS, new_token, token_hash, token_matches
from docclub.core.club_page import ClubPage, build_page, page_name
from docclub.core.kept_pages import KeptPages
from docclub.core.models import Actor, Club, ClubKey
from docclub.core.ports import ClubTx
from docclub.core.replies import Reply, Tone, cmd, line

if TYPE_CHECKING:
    from docclub.core.context import App, Ctx

__all__ = ["ClubPages"]


class ClubPages:
    """`app.club_page`: the page's address (`club link`), the page and the calendar feed."""

    def __init__(self, app: App, base_url: str = "http://localhost:3000") -> None:
        self.app = app
        self.base_url = base_url  # DOCCLUB_PUBLIC_URL, or where this process serves HTTP
        self.kept: KeptPages[ClubPage] = KeptPages()

    def address(self, club: Club, token: str) -> str:
        return f"{self.base_url}/club/{club.id}/{token}/"

    async def link(self, key: ClubKey, actor: Actor, *, reset: bool = False) -> Reply:
        """A working address of the club page for an organizer, privately; with `reset`, every
        earlier address stops working first."""
        token = new_token()

        async def work(c: Ctx) -> Reply:
            c.require_organizer("get the club page's address")
            revoked = await c.tx.clubs.clear_links(c.club.id) if reset else 0
            await c.tx.clubs.add_link_hash(c.club.id, token_hash(token), c.now, MAX_LINKS)
            url = self.address(c.club, token)
            feed = url + "calendar.ics"
            lines = [
                line(url),
                line("Anyone with this address sees the club's page: share it with the club only."),
                line(
                    "Calendar to subscribe to: ", feed.replace("https://", "webcal://").replace("http://", "webcal://")
                ),
            ]
            if reset:
                gone = f"{revoked} earlier address{'es' if revoked != 1 else ''}" if revoked else "No earlier address"
                lines.append(line(f"{gone} stopped working."))
            else:
                lines.append(
                    line(
                        "Each ",
                        cmd("club link"),
                        " gives a new address, and all of them keep working until ",
                        cmd("club link reset"),
                        ".",
                    )
                )
            return Reply(title="The club page", lines=tuple(lines), tone=Tone.OK, ephemeral=True)

        return await self.app.write(key, actor, work)

    async def _checked(self, club_id: int, token: str, tx: ClubTx) -> Club | None:
        club = await tx.clubs.get_by_id(club_id)
        hashes = await tx.clubs.link_hashes(club_id) if club is not None else []
        ok = token_matches(token, hashes)
        return club if ok else None

    async def page(self, club_id: int, token: str) -> ClubPage | None:
        """The page of club `club_id` when `token` is one of its working tokens, else None."""
        now = self.app.clock.now()

        async def work(tx: ClubTx) -> ClubPage | None:
            club = await self._checked(club_id, token, tx)
            if club is None:
                return None
            # The page built for the last load, while nothing was committed and no time rule moved.
            version = await tx.clubs.data_version()
            kept = self.kept.get(club.id, version, now)
            if kept is not None:
                return kept
            page = await build_page(tx, club, now)
            self.kept.put(club.id, version, page.stale_at, page)
            return page

        return await self.app.store.read(work)

    async def feed(self, club_id: int, token: str) -> bytes | None:
        """The club's calendar feed when `token` is one of its working tokens, else None."""
        now = self.app.clock.now()

        async def work(tx: ClubTx) -> bytes | None:
            club = await self._checked(club_id, token, tx)
            return None if club is None else await club_feed(tx, club, now, name=f"{page_name(club)} — docclub")

        return await self.app.store.read(work)
