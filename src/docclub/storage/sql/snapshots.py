"""A whole club at once: export and restore, in SQL, through the other parts."""

from __future__ import annotations

from dataclasses import replace

from docclub.core.models import Club, ClubSnapshot
from docclub.storage.sql.clubs import SqlClubs
from docclub.storage.sql.films import SqlFilms
from docclub.storage.sql.nights import SqlNights
from docclub.storage.sql.parties import SqlParties
from docclub.storage.sql.polls import SqlPolls
from docclub.storage.sql.prompts import SqlPrompts
from docclub.storage.sql.ratings import SqlRatings
from docclub.storage.sql.rows import Conn, config_to_json, dt, exact, ts

# Emptied, children first, when a snapshot replaces a club that exists.
CLUB_TABLES = (
    "reminders",
    "night_rsvps",
    "night_occurrences",
    "nights",
    "prompts_shown",
    "film_prompts",
    "film_rating_counts",
    "ratings",
    "attendance",
    "rsvps",
    "parties",
    "ballots",
    "polls",
    "seen",
    "films",
    "members",
    "club_counters",
)


class SqlSnapshots:
    """`Snapshots` over a `Conn`, written with the other parts of the same transaction."""

    def __init__(
        self,
        conn: Conn,
        clubs: SqlClubs,
        films: SqlFilms,
        polls: SqlPolls,
        parties: SqlParties,
        ratings: SqlRatings,
        prompts: SqlPrompts,
        nights: SqlNights,
    ) -> None:
        self.conn = conn
        self.clubs = clubs
        self.films = films
        self.polls = polls
        self.parties = parties
        self.ratings = ratings
        self.prompts = prompts
        self.nights = nights

    async def export(self, club_id: int) -> ClubSnapshot:
        club = await self.clubs.get_by_id(club_id)
        if club is None:
            raise LookupError(club_id)
        snap = ClubSnapshot(club=club)
        snap.films = await self.films.list(club_id)
        found = await self.conn.fetchall(
            "SELECT film_id, user_id, seen_at FROM seen WHERE club_id = ? ORDER BY film_id, user_id",
            (club_id,),
        )
        snap.seen = [(r[0], r[1], dt(r[2])) for r in found]
        snap.polls = await self.polls.list(club_id)
        for poll in snap.polls:
            snap.ballots.extend(await self.polls.ballots(club_id, poll.id))
        snap.parties = await self.parties.list(club_id)
        for party in snap.parties:
            snap.rsvps.extend(await self.parties.rsvps(club_id, party.id))
            snap.attendance.extend(await self.parties.attendance(club_id, party.id))
        for film in snap.films:
            snap.ratings.extend(await self.ratings.list(club_id, film.id))
            snap.prompts.extend((film.id, p) for p in await self.prompts.of_film(club_id, film.id))
        snap.members = await self.clubs.member_names(club_id)
        snap.nights = await self.nights.list(club_id)
        for night in snap.nights:
            snap.night_occurrences.extend(await self.nights.occurrences(club_id, night.id))
            snap.night_rsvps.extend(await self.nights.rsvps(club_id, night.id))
        steps = await self.conn.fetchall(
            "SELECT kind, target_id, due_at FROM reminders WHERE club_id = ? AND state IN ('pending', 'claimed') "
            "AND kind IN ('night_poll_open', 'night_poll_close') ORDER BY due_at, id",
            (club_id,),
        )
        snap.night_steps = [(r[0], r[1], dt(r[2])) for r in steps]
        return snap

    async def restore(self, snapshot: ClubSnapshot) -> Club:
        src = snapshot.club
        existing = await self.clubs.get(src.key)
        if existing is not None:
            # Keep the club's row (and id); replace everything in it.
            for table in CLUB_TABLES:
                await self.conn.execute(f"DELETE FROM {table} WHERE club_id = ?", (existing.id,))
            await self.conn.execute(
                "UPDATE clubs SET name = ?, config = ?, created_at = ? WHERE id = ?",
                (src.name, config_to_json(src.config), ts(src.created_at), existing.id),
            )
            club = Club(id=existing.id, key=src.key, name=src.name, config=src.config, created_at=exact(src.created_at))
        else:
            club = await self.clubs.create(src.key, src.name, src.config, src.created_at)
        cid = club.id
        for user_id, name in sorted(snapshot.members.items()):
            await self.clubs.upsert_member(cid, user_id, name, src.created_at)
        for f in snapshot.films:
            await self.films.insert(replace(f, club_id=cid))
        for film_id, user_id, at in snapshot.seen:
            await self.films.mark_seen(cid, film_id, user_id, at)
        for p in snapshot.polls:
            await self.polls.insert(replace(p, club_id=cid))
        for b in snapshot.ballots:
            await self.polls.put_ballot(replace(b, club_id=cid))
        for party in snapshot.parties:
            await self.parties.insert(replace(party, club_id=cid))
        for rsvp in snapshot.rsvps:
            await self.parties.put_rsvp(replace(rsvp, club_id=cid))
        for joined in snapshot.attendance:
            await self.parties.record_attendance(replace(joined, club_id=cid))
        for rating in snapshot.ratings:
            await self.ratings.put(replace(rating, club_id=cid))
        for film_id, prompt in snapshot.prompts:
            await self.prompts.insert(cid, film_id, prompt, src.created_at)
        for night in snapshot.nights:
            await self.nights.insert(replace(night, club_id=cid))
        for occurrence in snapshot.night_occurrences:
            await self.nights.insert_occurrence(replace(occurrence, club_id=cid))
        for standing in snapshot.night_rsvps:
            await self.nights.put_rsvp(replace(standing, club_id=cid))
        # Counters continue after the highest imported id of each kind.
        for kind, ids in (
            ("film", [f.id for f in snapshot.films]),
            ("poll", [p.id for p in snapshot.polls]),
            ("party", [p.id for p in snapshot.parties]),
            ("prompt", [int(p.key.split(":", 1)[1]) for _, p in snapshot.prompts]),
            ("night", [n.id for n in snapshot.nights]),
            ("occurrence", [o.id for o in snapshot.night_occurrences]),
        ):
            await self.conn.execute(
                "INSERT INTO club_counters (club_id, kind, last_id) VALUES (?, ?, ?)",
                (cid, kind, max(ids, default=0)),
            )
        return club
