"""The club's watch parties, RSVPs and attendance, in SQL."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from docclub.core.models import Attendance, Party, PartyBrief, PartyStatus, Rsvp, RsvpAnswer
from docclub.storage.sql import rows
from docclub.storage.sql.rows import Conn, dt, exact, next_id, ts

PARTY_STATUS = {s.value: s for s in PartyStatus}
RSVP_ANSWER = {a.value: a for a in RsvpAnswer}


class SqlParties:
    """`StoredParties` over a `Conn`."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def add(
        self,
        club_id: int,
        film_id: int,
        starts_at: datetime,
        duration_minutes: int,
        where: str | None,
        by: str,
        at: datetime,
        series_id: int | None = None,
    ) -> Party:
        party = Party(
            id=await next_id(self.conn, club_id, "party"),
            club_id=club_id,
            film_id=film_id,
            starts_at=exact(starts_at),
            duration_minutes=duration_minutes,
            where=where,
            status=PartyStatus.SCHEDULED,
            created_by=by,
            created_at=exact(at),
            series_id=series_id,
        )
        await self.insert(party)
        return party

    async def insert(self, party: Party) -> None:
        await self.conn.execute(
            f"INSERT INTO parties ({rows.PARTY_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                party.club_id,
                party.id,
                party.film_id,
                ts(party.starts_at),
                party.duration_minutes,
                party.where,
                party.status.value,
                party.created_by,
                ts(party.created_at),
                party.series_id,
                party.platform_ref,
                party.revision,
            ),
        )

    async def get(self, club_id: int, party_id: int) -> Party | None:
        row = await self.conn.fetchone(
            f"SELECT {rows.PARTY_COLS} FROM parties WHERE club_id = ? AND id = ?", (club_id, party_id)
        )
        return rows.party(row) if row else None

    async def list(
        self, club_id: int, film_id: int | None = None, statuses: Sequence[str] | None = None
    ) -> builtins.list[Party]:
        sql = f"SELECT {rows.PARTY_COLS} FROM parties WHERE club_id = ?"
        args: list[Any] = [club_id]
        if film_id is not None:
            sql += " AND film_id = ?"
            args.append(film_id)
        if statuses:
            sql += " AND status IN (" + ", ".join("?" for _ in statuses) + ")"
            args.extend(statuses)
        found = await self.conn.fetchall(sql + " ORDER BY starts_at, id", args)
        return [rows.party(r) for r in found]

    async def briefs(self, club_id: int) -> builtins.list[PartyBrief]:
        found = await self.conn.fetchall(
            "SELECT id, film_id, starts_at, starts_at + duration_minutes * 60000, where_text, status FROM parties "
            "WHERE club_id = ? ORDER BY starts_at, id",
            (club_id,),
        )
        status = PARTY_STATUS
        return [PartyBrief(r[0], r[1], dt(r[2]), dt(r[3]), r[4], status[r[5]]) for r in found]

    async def update(self, party: Party) -> None:
        # A change a calendar shows (time, length, place, status) raises the revision.
        await self.conn.execute(
            "UPDATE parties SET revision = revision + CASE WHEN starts_at <> ? OR duration_minutes <> ? "
            "OR status <> ? OR COALESCE(where_text, '') <> ? THEN 1 ELSE 0 END, "
            "film_id = ?, starts_at = ?, duration_minutes = ?, where_text = ?, "
            "status = ?, series_id = ?, platform_ref = ? WHERE club_id = ? AND id = ?",
            (
                ts(party.starts_at),
                party.duration_minutes,
                party.status.value,
                party.where or "",
                party.film_id,
                ts(party.starts_at),
                party.duration_minutes,
                party.where,
                party.status.value,
                party.series_id,
                party.platform_ref,
                party.club_id,
                party.id,
            ),
        )

    async def put_rsvp(self, rsvp: Rsvp) -> None:
        await self.conn.execute(
            "INSERT INTO rsvps (club_id, party_id, user_id, display_name, answer, answered_at, "
            "dm_offset_minutes) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (club_id, party_id, user_id) DO UPDATE SET "
            "display_name = excluded.display_name, answer = excluded.answer, "
            "answered_at = excluded.answered_at, dm_offset_minutes = excluded.dm_offset_minutes",
            (
                rsvp.club_id,
                rsvp.party_id,
                rsvp.user_id,
                rsvp.display_name,
                rsvp.answer.value,
                ts(rsvp.answered_at),
                rsvp.dm_offset_minutes,
            ),
        )

    async def rsvps(self, club_id: int, party_id: int) -> builtins.list[Rsvp]:
        found = await self.conn.fetchall(
            f"SELECT {rows.RSVP_COLS} FROM rsvps WHERE club_id = ? AND party_id = ? ORDER BY answered_at, user_id",
            (club_id, party_id),
        )
        return [rows.rsvp(r) for r in found]

    async def rsvp_counts(self, club_id: int, party_ids: Sequence[int]) -> dict[int, dict[RsvpAnswer, int]]:
        ids = sorted(set(party_ids))
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        found = await self.conn.fetchall(
            f"SELECT party_id, answer, COUNT(*) FROM rsvps WHERE club_id = ? AND party_id IN ({marks}) "
            "GROUP BY party_id, answer",
            (club_id, *ids),
        )
        out: dict[int, dict[RsvpAnswer, int]] = {}
        for party_id, answer, n in found:
            out.setdefault(party_id, {})[RSVP_ANSWER[answer]] = int(n)
        return out

    async def record_attendance(self, attendance: Attendance) -> bool:
        row = await self.conn.fetchone(
            "INSERT INTO attendance (club_id, party_id, user_id, display_name, joined_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (club_id, party_id, user_id) DO NOTHING RETURNING user_id",
            (
                attendance.club_id,
                attendance.party_id,
                attendance.user_id,
                attendance.display_name,
                ts(attendance.joined_at),
            ),
        )
        return row is not None

    async def attendance(self, club_id: int, party_id: int) -> builtins.list[Attendance]:
        found = await self.conn.fetchall(
            f"SELECT {rows.ATTENDANCE_COLS} FROM attendance WHERE club_id = ? AND party_id = ? "
            "ORDER BY joined_at, user_id",
            (club_id, party_id),
        )
        return [rows.attendance(r) for r in found]
