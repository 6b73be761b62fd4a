"""Export and import: a full JSON backup of a club, and a member's ratings as Letterboxd CSV."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from docclub.core.backup_format import FORMAT, VERSION, BackupIn, parse_json, read_backup
from docclub.core.backup_nights import nights_into, nights_to_json
from docclub.core.catalog import film_to_dict
from docclub.core.context import App, Ctx
from docclub.core.models import (
    Attendance,
    Ballot,
    Club,
    ClubConfig,
    ClubSnapshot,
    Film,
    NewReminder,
    Party,
    PartyStatus,
    Poll,
    PollStatus,
    Prompt,
    Rating,
    ReminderKind,
    Rsvp,
    config_to_dict,
)
from docclub.core.party_reminders import replan_reminders
from docclub.core.replies import Attachment, Reply, Tone, cmd, line
from docclub.core.text import plural


def _t(at: datetime | None) -> str | None:
    return None if at is None else at.astimezone(UTC).isoformat(timespec="milliseconds")


def snapshot_to_json(snap: ClubSnapshot) -> dict[str, Any]:
    """A snapshot as plain JSON data. Club identity (platform, space) is kept so a backup
    restores to the same club; nothing secret is ever part of a club."""
    club = snap.club
    return {
        "format": FORMAT,
        "version": VERSION,
        "club": {
            "platform": club.key.platform,
            "space_id": club.key.space_id,
            "name": club.name,
            "config": config_to_dict(club.config),
            "created_at": _t(club.created_at),
        },
        "members": [{"user_id": u, "display_name": n} for u, n in sorted(snap.members.items())],
        "films": [
            {
                "id": f.id,
                "title": f.title,
                "year": f.year,
                "link": f.link,
                "where": f.where,
                "warnings": list(f.warnings),
                "tags": list(f.tags),
                "pitch": f.pitch,
                "status": f.status.value,
                "suggested_by": f.suggested_by,
                "suggested_by_name": f.suggested_by_name,
                "created_at": _t(f.created_at),
                "details": film_to_dict(f.details) if f.details is not None else None,
            }
            for f in snap.films
        ],
        "seen": [{"film_id": fid, "user_id": u, "at": _t(at)} for fid, u, at in snap.seen],
        "polls": [
            {
                "id": p.id,
                "method": p.method.value,
                "anonymous": p.anonymous,
                "status": p.status.value,
                "film_ids": list(p.film_ids),
                "created_by": p.created_by,
                "created_at": _t(p.created_at),
                "closes_at": _t(p.closes_at),
                "closed_at": _t(p.closed_at),
                "winner_film_id": p.winner_film_id,
                "platform_ref": p.platform_ref,
            }
            for p in snap.polls
        ],
        "ballots": [
            {
                "poll_id": b.poll_id,
                "user_id": b.user_id,
                "display_name": b.display_name,
                "choices": list(b.choices),
                "cast_at": _t(b.cast_at),
            }
            for b in snap.ballots
        ],
        "parties": [
            {
                "id": p.id,
                "film_id": p.film_id,
                "starts_at": _t(p.starts_at),
                "duration_minutes": p.duration_minutes,
                "where": p.where,
                "status": p.status.value,
                "created_by": p.created_by,
                "created_at": _t(p.created_at),
                "series_id": p.series_id,
                "platform_ref": p.platform_ref,
            }
            for p in snap.parties
        ],
        "rsvps": [
            {
                "party_id": r.party_id,
                "user_id": r.user_id,
                "display_name": r.display_name,
                "answer": r.answer.value,
                "answered_at": _t(r.answered_at),
                "dm_offset_minutes": r.dm_offset_minutes,
            }
            for r in snap.rsvps
        ],
        "attendance": [
            {"party_id": a.party_id, "user_id": a.user_id, "display_name": a.display_name, "joined_at": _t(a.joined_at)}
            for a in snap.attendance
        ],
        "ratings": [
            {
                "film_id": r.film_id,
                "user_id": r.user_id,
                "display_name": r.display_name,
                "score": r.score,
                "review": r.review,
                "rated_at": _t(r.rated_at),
            }
            for r in snap.ratings
        ],
        "prompts": [
            {"film_id": fid, "key": p.key, "text": p.text, "added_by_name": p.added_by_name} for fid, p in snap.prompts
        ],
        **nights_to_json(snap),
    }


def snapshot_from_json(data: Any, target: Club) -> ClubSnapshot:
    """Read parsed backup JSON into a snapshot for `target`'s key and id.

    Every field is checked first (see `backup_format`); a bad backup raises InvalidInput
    naming the field and what is wrong with it."""
    return snapshot_from_backup(read_backup(data), target)


def snapshot_from_backup(b: BackupIn, target: Club) -> ClubSnapshot:
    """A checked backup as a snapshot of the club `target` (its key and id, the backup's content)."""
    cid = target.id
    c = b.club
    config = ClubConfig(**{name: getattr(c.config, name) for name in type(c.config).model_fields})
    snap = ClubSnapshot(club=Club(id=cid, key=target.key, name=c.name, config=config, created_at=c.created_at))
    snap.members = {m.user_id: m.display_name for m in b.members}
    snap.films = [
        Film(
            id=f.id,
            club_id=cid,
            title=f.title,
            year=f.year,
            link=f.link,
            where=f.where,
            warnings=f.warnings,
            tags=f.tags,
            pitch=f.pitch,
            status=f.status,
            suggested_by=f.suggested_by,
            suggested_by_name=f.suggested_by_name,
            created_at=f.created_at,
            details=f.details,
        )
        for f in b.films
    ]
    snap.seen = [(s.film_id, s.user_id, s.at) for s in b.seen]
    snap.polls = [
        Poll(
            id=p.id,
            club_id=cid,
            method=p.method,
            anonymous=p.anonymous,
            status=p.status,
            film_ids=p.film_ids,
            created_by=p.created_by,
            created_at=p.created_at,
            closes_at=p.closes_at,
            closed_at=p.closed_at,
            winner_film_id=p.winner_film_id,
            platform_ref=p.platform_ref,
        )
        for p in b.polls
    ]
    snap.ballots = [Ballot(cid, x.poll_id, x.user_id, x.display_name, x.choices, x.cast_at) for x in b.ballots]
    snap.parties = [
        Party(
            id=p.id,
            club_id=cid,
            film_id=p.film_id,
            starts_at=p.starts_at,
            duration_minutes=p.duration_minutes,
            where=p.where,
            status=p.status,
            created_by=p.created_by,
            created_at=p.created_at,
            series_id=p.series_id,
            platform_ref=p.platform_ref,
        )
        for p in b.parties
    ]
    snap.rsvps = [
        Rsvp(cid, r.party_id, r.user_id, r.display_name, r.answer, r.answered_at, r.dm_offset_minutes) for r in b.rsvps
    ]
    snap.attendance = [Attendance(cid, a.party_id, a.user_id, a.display_name, a.joined_at) for a in b.attendance]
    snap.ratings = [Rating(cid, r.film_id, r.user_id, r.display_name, r.score, r.review, r.rated_at) for r in b.ratings]
    snap.prompts = [(p.film_id, Prompt(p.key, p.text, p.added_by_name)) for p in b.prompts]
    nights_into(snap, b, cid)
    return snap


async def restore(c: Ctx, backup: BackupIn) -> ClubSnapshot:
    """Replace the club of `c` with the backup's content, in `c`'s transaction, and plan its
    reminders again: every scheduled party's (channel, members' own, after the party) and every
    open poll's deadline. Reminders already due close or finish things as soon as the
    scheduler sees them, as they would have in the club the backup came from."""
    snap = snapshot_from_backup(backup, c.club)
    club = await c.tx.snapshots.restore(snap)
    c2 = replace(c, club=club)
    for party in snap.parties:
        if party.status is PartyStatus.SCHEDULED:
            await replan_reminders(c2, party)
    night_polls = {o.poll_id for o in snap.night_occurrences if o.poll_id is not None}
    closing = [
        NewReminder(club.id, ReminderKind.POLL_CLOSE, poll.id, poll.closes_at)
        for poll in snap.polls
        if poll.status is PollStatus.OPEN and poll.closes_at is not None and poll.id not in night_polls
    ]
    # A club night's poll closes through its night's own step, which also schedules the winner.
    closing += [NewReminder(club.id, ReminderKind(kind), target, due) for kind, target, due in snap.night_steps]
    if closing:
        await c.tx.reminders.add(closing)
    return snap


def letterboxd_csv(rows: list[tuple[str, int | None, int, str | None, datetime]], tz: str) -> bytes:
    """Title, Year, Rating10, WatchedDate, Review: the columns Letterboxd's importer reads."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Title", "Year", "Rating10", "WatchedDate", "Review"])
    zone = ZoneInfo(tz)
    for title, year, score, review, at in rows:
        safe_title = title if not title.startswith(("=", "+", "-", "@")) else "'" + title
        writer.writerow([safe_title, year or "", score, at.astimezone(zone).date().isoformat(), review or ""])
    return out.getvalue().encode("utf-8")


def _counts(snap: ClubSnapshot) -> str:
    return ", ".join(
        (
            plural(len(snap.films), "film"),
            plural(len(snap.ratings), "rating"),
            plural(len(snap.polls), "poll"),
            plural(len(snap.parties), "watch party", "watch parties"),
        )
    )


class Backup:
    def __init__(self, app: App) -> None:
        self.app = app

    async def export_json(self, key: Any, actor: Any) -> Reply:
        async def work(c: Ctx) -> Reply:
            c.require_organizer("export the club's full backup")
            snap = await c.tx.snapshots.export(c.club.id)
            data = json.dumps(snapshot_to_json(snap), ensure_ascii=False, indent=1).encode("utf-8")
            stamp = c.now.strftime("%Y%m%d-%H%M")
            return Reply(
                lines=(line(f"Backup of the club: {_counts(snap)}."),),
                attachment=Attachment(f"docclub-backup-{stamp}.json", "application/json", data),
                tone=Tone.OK,
                ephemeral=True,
            )

        return await self.app.read(key, actor, work)

    async def export_csv(self, key: Any, actor: Any) -> Reply:
        async def work(c: Ctx) -> Reply:
            rows = await c.tx.ratings.of_member(c.club.id, c.actor.user_id)
            if not rows:
                said = "You have rated no films in this club yet, so there is nothing to export. Rate one with: "
                return Reply(lines=(line(said, cmd("rate", film=None, score=None)),), tone=Tone.INFO, ephemeral=True)
            data = letterboxd_csv([(r.title, r.year, r.score, r.review, r.rated_at) for r in rows], c.tz)
            return Reply(
                lines=(
                    line(
                        f"Your {len(rows)} rating{'s' if len(rows) != 1 else ''} as a CSV that "
                        "Letterboxd's importer accepts (letterboxd.com/import)."
                    ),
                ),
                attachment=Attachment("docclub-ratings-letterboxd.csv", "text/csv", data),
                tone=Tone.OK,
                ephemeral=True,
            )

        return await self.app.read(key, actor, work)

    async def import_json(self, key: Any, actor: Any, raw: bytes) -> Reply:
        """Replace the club's data with a backup's (organizers). A damaged backup is refused
        with the path to the first bad field, and nothing changes."""
        return await self.import_backup(key, actor, read_backup(parse_json(raw)))

    async def import_backup(self, key: Any, actor: Any, backup: BackupIn) -> Reply:
        """Replace the club's data with a checked backup (see `read_backup`), reminders re-planned."""

        async def work(c: Ctx) -> Reply:
            c.require_organizer("import a backup")
            snap = await restore(c, backup)
            return Reply(
                lines=(line(f"Imported the backup: {_counts(snap)}. It replaced what this club had."),), tone=Tone.OK
            )

        reply = await self.app.write(key, actor, work)
        self.app.forget_club(key)  # the backup's settings replaced the club's
        self.app.on_reminders_changed()
        return reply
