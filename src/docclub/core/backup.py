"""Export and import: a full JSON backup of a club, and a member's ratings as Letterboxd CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from docclub.core.errors import InvalidInput
from docclub.core.models import (
    Attendance,
    Ballot,
    Club,
    ClubSnapshot,
    Film,
    FilmStatus,
    Party,
    PartyStatus,
    Poll,
    PollMethod,
    PollStatus,
    Prompt,
    Rating,
    Rsvp,
    RsvpAnswer,
    config_from_dict,
    config_to_dict,
)
from docclub.core.replies import Attachment, Reply, Tone, line
from docclub.core.text import plural

if TYPE_CHECKING:
    from docclub.core.clubs import Ctx, Docclub

FORMAT = "docclub-backup"
VERSION = 1
MAX_IMPORT_BYTES = 50 * 1024 * 1024


def _t(at: datetime | None) -> str | None:
    return None if at is None else at.astimezone(UTC).isoformat(timespec="milliseconds")


def _p(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text).astimezone(UTC)


def _req(text: str) -> datetime:
    at = _p(text)
    assert at is not None
    return at


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
    }


def snapshot_from_json(data: dict[str, Any], target: Club) -> ClubSnapshot:
    """Read a backup into a snapshot for `target`'s key. Raises InvalidInput on a bad file."""
    if data.get("format") != FORMAT:
        raise InvalidInput("That file is not a docclub backup (made with: export json).")
    if data.get("version") != VERSION:
        raise InvalidInput(f"That backup is format version {data.get('version')}; this docclub reads {VERSION}.")
    try:
        c = data["club"]
        cid = target.id
        club = Club(
            id=cid,
            key=target.key,
            name=str(c["name"]),
            config=config_from_dict(dict(c["config"])),
            created_at=_req(c["created_at"]),
        )
        snap = ClubSnapshot(club=club)
        snap.members = {str(m["user_id"]): str(m["display_name"]) for m in data.get("members", [])}
        snap.films = [
            Film(
                id=int(f["id"]),
                club_id=cid,
                title=str(f["title"]),
                year=f["year"],
                link=f["link"],
                where=f["where"],
                warnings=tuple(f["warnings"]),
                tags=tuple(f["tags"]),
                pitch=f["pitch"],
                status=FilmStatus(f["status"]),
                suggested_by=str(f["suggested_by"]),
                suggested_by_name=str(f["suggested_by_name"]),
                created_at=_req(f["created_at"]),
            )
            for f in data["films"]
        ]
        snap.seen = [(int(s["film_id"]), str(s["user_id"]), _req(s["at"])) for s in data["seen"]]
        snap.polls = [
            Poll(
                id=int(p["id"]),
                club_id=cid,
                method=PollMethod(p["method"]),
                anonymous=bool(p["anonymous"]),
                status=PollStatus(p["status"]),
                film_ids=tuple(int(x) for x in p["film_ids"]),
                created_by=str(p["created_by"]),
                created_at=_req(p["created_at"]),
                closes_at=_p(p["closes_at"]),
                closed_at=_p(p["closed_at"]),
                winner_film_id=p["winner_film_id"],
                # Where the poll is shown (backups made before polls kept it have none).
                platform_ref=None if p.get("platform_ref") is None else str(p["platform_ref"]),
            )
            for p in data["polls"]
        ]
        snap.ballots = [
            Ballot(
                cid,
                int(b["poll_id"]),
                str(b["user_id"]),
                str(b["display_name"]),
                tuple(int(x) for x in b["choices"]),
                _req(b["cast_at"]),
            )
            for b in data["ballots"]
        ]
        snap.parties = [
            Party(
                id=int(p["id"]),
                club_id=cid,
                film_id=int(p["film_id"]),
                starts_at=_req(p["starts_at"]),
                duration_minutes=int(p["duration_minutes"]),
                where=p["where"],
                status=PartyStatus(p["status"]),
                created_by=str(p["created_by"]),
                created_at=_req(p["created_at"]),
                series_id=p["series_id"],
                platform_ref=p["platform_ref"],
            )
            for p in data["parties"]
        ]
        snap.rsvps = [
            Rsvp(
                cid,
                int(r["party_id"]),
                str(r["user_id"]),
                str(r["display_name"]),
                RsvpAnswer(r["answer"]),
                _req(r["answered_at"]),
                r["dm_offset_minutes"],
            )
            for r in data["rsvps"]
        ]
        # Backups made before attendance was recorded have none.
        snap.attendance = [
            Attendance(cid, int(a["party_id"]), str(a["user_id"]), str(a["display_name"]), _req(a["joined_at"]))
            for a in data.get("attendance", [])
        ]
        snap.ratings = [
            Rating(
                cid,
                int(r["film_id"]),
                str(r["user_id"]),
                str(r["display_name"]),
                int(r["score"]),
                r["review"],
                _req(r["rated_at"]),
            )
            for r in data["ratings"]
        ]
        snap.prompts = [
            (int(p["film_id"]), Prompt(str(p["key"]), str(p["text"]), p["added_by_name"])) for p in data["prompts"]
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInput(
            f"That backup is damaged or incomplete ({type(exc).__name__}: {str(exc)[:80]}). Nothing was imported."
        ) from None
    film_ids = {f.id for f in snap.films}
    if any(r.score < 1 or r.score > 10 for r in snap.ratings) or any(r.film_id not in film_ids for r in snap.ratings):
        raise InvalidInput("That backup has ratings that don't fit its films. Nothing was imported.")
    party_ids = {p.id for p in snap.parties}
    if any(a.party_id not in party_ids for a in snap.attendance):
        raise InvalidInput("That backup has attendance that doesn't fit its watch parties. Nothing was imported.")
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
    def __init__(self, app: Docclub) -> None:
        self.app = app

    async def export_json(self, key: Any, actor: Any) -> Reply:
        async def work(c: Ctx) -> Reply:
            c.require_organizer("export the club's full backup")
            snap = await c.tx.export_club(c.club.id)
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
            rows = await c.tx.member_ratings(c.club.id, c.actor.user_id)
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
        if len(raw) > MAX_IMPORT_BYTES:
            raise InvalidInput("That file is too large to be a docclub backup.")
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InvalidInput(f"That file is not valid JSON ({exc}). Nothing was imported.") from None
        if not isinstance(data, dict):
            raise InvalidInput("That file is not a docclub backup (made with: export json).")

        async def work(c: Ctx) -> Reply:
            from docclub.core.parties import replan_reminders

            c.require_organizer("import a backup")
            snap = snapshot_from_json(data, c.club)
            club = await c.tx.import_club(snap)
            c2 = type(c)(c.tx, club, c.actor, c.now)
            for party in snap.parties:
                if party.status is PartyStatus.SCHEDULED and party.starts_at > c.now:
                    await replan_reminders(c2, party)
            return Reply(
                lines=(line(f"Imported the backup: {_counts(snap)}. It replaced what this club had."),), tone=Tone.OK
            )

        reply = await self.app.write(key, actor, work)
        self.app.on_reminders_changed()
        return reply
