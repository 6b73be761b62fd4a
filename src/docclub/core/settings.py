"""The club's settings as members see them (`config show`) and organizers change them (`config set`)."""

from __future__ import annotations

from dataclasses import replace

from docclub.core.club_config import apply_setting, date_order_shown, describe_offset, region_shown
from docclub.core.context import App, Ctx
from docclub.core.models import Actor, ClubKey, RatingScale
from docclub.core.replies import Field, Reply, Tone, cmd, line


class Settings:
    """`config show` and `config set` (organizers)."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def show(self, key: ClubKey, actor: Actor) -> Reply:
        return await self.app.read(key, actor, self._show)

    async def _show(self, c: Ctx) -> Reply:
        cfg = c.club.config
        names = await c.tx.clubs.member_names(c.club.id)
        organizers = ", ".join(names.get(u, u) for u in cfg.organizers) or "none besides admins"
        scale = "1–10" if cfg.rating_scale is RatingScale.TEN else "0.5–5 stars"
        return Reply(
            title="Club settings",
            fields=(
                Field("timezone", (line(cfg.timezone),), inline=True),
                Field("rating_scale", (line(scale),), inline=True),
                Field("reminders", (line(", ".join(describe_offset(m) for m in cfg.reminder_offsets) or "none"),)),
                Field("announce_channel", (line(cfg.announce_channel or "not set"),), inline=True),
                Field("organizer_role", (line(cfg.organizer_role or "not set"),), inline=True),
                Field("organizers", (line(organizers),)),
                Field("members_add_to_polls", (line("yes" if cfg.members_add_to_polls else "no"),), inline=True),
                Field("date_order", (line(date_order_shown(cfg)),), inline=True),
                Field("language", (line(cfg.language),), inline=True),
                Field("region", (line(region_shown(cfg)),), inline=True),
                Field("page_reveal_days", (line(str(cfg.page_reveal_days)),), inline=True),
                Field("Organizers change these with", (line(cmd("config set", key=None, value=None)),)),
            ),
        )

    async def set(self, key: ClubKey, actor: Actor, name: str, value: str) -> Reply:
        async def work(c: Ctx) -> Reply:
            c.require_organizer("change the club's settings")
            config = apply_setting(c.club.config, name, value)
            await c.tx.clubs.set_config(c.club.id, config)
            shown = await self._show(Ctx(c.tx, replace(c.club, config=config), c.actor, c.now))
            return replace(shown, title=f"Updated {name.strip().lower()}", tone=Tone.OK)

        try:
            return await self.app.write(key, actor, work)
        finally:
            self.app.forget_club(key)
