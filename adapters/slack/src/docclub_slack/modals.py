"""Modals: suggesting a film, rating one, and ranking a ranked-choice poll's films. Opened by
`/docclub suggest|rate|vote` or a button; a refusal keeps the modal open with the reason under
the field it is about."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

import docclub_slack.views as views
from docclub.core.clubs import safely
from docclub.core.errors import DocclubError, InvalidInput
from docclub.core.models import Actor, ClubKey, FilmStatus, NewFilm
from docclub.core.ratings import score_text
from docclub.core.replies import Reply, Tone
from docclub_slack.answers import Answers
from docclub_slack.background import Background
from docclub_slack.updates import Coalescer

__all__ = ["Modals"]

RATEABLE = (FilmStatus.WATCHED, FilmStatus.SCHEDULED, FilmStatus.SHORTLISTED, FilmStatus.SUGGESTED)


class Modals:
    """The buttons that open modals, and the modals' submissions."""

    def __init__(self, answers: Answers, background: Background, coalescer: Coalescer) -> None:
        self.answers = answers
        self.app = answers.app
        self.background = background
        self.coalescer = coalescer

    def register(self, bolt: AsyncApp) -> None:
        bolt.action(re.compile(r"^docclub:rate:\d+$"))(self._on_rate_button)
        bolt.action(re.compile(r"^docclub:ballot:\d+$"))(self._on_ballot_button)
        bolt.action(views.SUGGEST)(self._on_suggest_button)
        bolt.view(views.SUGGEST)(self._on_suggest_submit)
        bolt.view(views.RATE)(self._on_rate_submit)
        bolt.view(views.BALLOT)(self._on_ballot_submit)

    async def open_for(self, what: str, key: ClubKey, body: dict[str, Any], subject_id: int | None = None) -> None:
        """Open the `suggest`, `rate` (a film) or `ballot` (a poll) modal for the member."""
        channel = str(body.get("channel_id") or (body.get("channel") or {}).get("id") or "") or None
        trigger = str(body.get("trigger_id"))
        if what == "suggest":
            view = views.suggest_modal(channel)
        elif what == "rate":
            club = await self.app.club_seen(key)
            actor = self.answers.actor(body)
            films = await self.app.films.choices(key, actor, "", limit=views.MAX_OPTIONS, statuses=RATEABLE)
            fixed = next(((i, label) for i, label in films if i == subject_id), None) if subject_id else None
            if subject_id and fixed is None:
                fixed = (subject_id, f"Film #{subject_id}")
            mine = await self.app.ratings.current(key, actor, subject_id) if subject_id else None
            scale = club.config.rating_scale
            current = (score_text(mine.score, scale), mine.review) if mine else None
            view = views.rate_modal(channel, scale, fixed, films, current)
        else:
            actor = self.answers.actor(body)
            ref = f"#{subject_id}" if subject_id is not None else None
            try:
                form = await self.app.polls.ballot(key, actor, ref)
            except DocclubError:  # closed since the button was posted: show the poll as it is now
                shown = await safely(self.app.polls.show(key, actor, ref))
                await self.answers.tell(key, body, shown)
                return
            view = views.ballot_modal(channel, form.poll_id, list(form.films), list(form.mine))
        client = await self.answers.web(key)
        await client.views_open(trigger_id=trigger, view=view)

    async def _on_suggest_button(self, ack: Any, body: dict[str, Any]) -> None:
        await ack()
        self.background.spawn(self.open_for("suggest", self.answers.key(body), body))

    async def _on_rate_button(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        film_id = int(action["action_id"].rsplit(":", 1)[1])
        self.background.spawn(self.open_for("rate", self.answers.key(body), body, film_id))

    async def _on_ballot_button(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        poll_id = int(action["action_id"].rsplit(":", 1)[1])
        self.background.spawn(self.open_for("ballot", self.answers.key(body), body, poll_id))

    async def _submit(
        self,
        ack: Any,
        body: dict[str, Any],
        run: Callable[[Actor, dict[str, str], dict[str, Any]], Awaitable[Reply]],
        error_block: str,
    ) -> Reply | None:
        """Run a modal's core call; a refusal keeps the modal open with the reason under a field."""
        view = body.get("view") or {}
        meta = json.loads(view.get("private_metadata") or "{}")
        submitted = views.submitted(view)
        reply = await self.answers.as_member(body, lambda actor: run(actor, submitted, meta))
        if reply.tone is Tone.ERROR:
            message = "\n".join("".join(p for p in ln if isinstance(p, str)) for ln in reply.lines)
            await ack(response_action="errors", errors={error_block: message[:1900]})
            return None
        await ack()
        self.background.spawn(self._show_submitted(self.answers.key(body), body, reply, meta.get("channel")))
        return reply

    async def _show_submitted(self, key: ClubKey, body: dict[str, Any], reply: Reply, channel: str | None) -> None:
        if not reply.ephemeral and channel:
            try:
                await self.answers.post(key, str(channel), reply, await self.answers.pages(key, reply))
                return
            except SlackApiError:
                pass
        await self.answers.tell(key, {"user": body.get("user")}, reply, channel=channel)

    async def _on_suggest_submit(self, ack: Any, body: dict[str, Any]) -> None:
        key = self.answers.key(body)

        async def run(actor: Actor, values: dict[str, str], meta: dict[str, Any]) -> Reply:
            year = values.get("year", "").strip()
            if year and not re.fullmatch(r"\d{4}", year):
                raise InvalidInput("The year is four digits, like 2023.")
            film = NewFilm(
                title=values.get("title", "").strip(),
                year=int(year) if year else None,
                link=values.get("link") or None,
                where=values.get("where") or None,
                warnings=(values["cw"],) if values.get("cw") else (),
                tags=(values["tags"],) if values.get("tags") else (),
                pitch=values.get("pitch") or None,
            )
            return await self.app.films.suggest(key, actor, film)

        await self._submit(ack, body, run, "title")

    async def _on_rate_submit(self, ack: Any, body: dict[str, Any]) -> None:
        key = self.answers.key(body)

        async def run(actor: Actor, values: dict[str, str], meta: dict[str, Any]) -> Reply:
            film = meta.get("film") or values.get("film")
            review = values.get("review", "").strip() or None
            return await self.app.ratings.rate(
                key,
                actor,
                f"#{film}",
                values.get("score", ""),
                review,
                remove_review=bool(meta.get("had_review")) and review is None,
            )

        await self._submit(ack, body, run, "score")

    async def _on_ballot_submit(self, ack: Any, body: dict[str, Any]) -> None:
        key = self.answers.key(body)
        poll_id = int(json.loads((body.get("view") or {}).get("private_metadata") or "{}").get("poll") or 0)

        async def run(actor: Actor, values: dict[str, str], meta: dict[str, Any]) -> Reply:
            ranked = [
                values[k]
                for k in sorted((k for k in values if k.startswith("rank")), key=lambda k: int(k[4:]))
                if values[k]
            ]
            if not ranked and meta.get("had_ballot"):  # every choice cleared: the ballot is withdrawn
                return await self.app.polls.clear(key, actor, f"#{poll_id}")
            return await self.app.polls.vote(key, actor, f"#{poll_id}", [f"#{f}" for f in ranked])

        if await self._submit(ack, body, run, "rank0") is not None:
            self.background.spawn(self.coalescer.request((key.space_id, "poll", poll_id)))
