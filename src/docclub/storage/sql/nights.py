"""`tx.nights`: recurring club nights, their occurrences and members' standing RSVPs."""

from __future__ import annotations

import builtins
from datetime import date, datetime

from docclub.core.models import (
    Night,
    NightOccurrence,
    NightPlan,
    NightRsvp,
    NightStatus,
    OccurrenceState,
    PollMethod,
    RsvpAnswer,
)
from docclub.storage.sql.rows import Conn, Row, dt, next_id, opt_dt, ts

_NIGHT_COLS = (
    "club_id, id, rule, clock, first_on, where_text, duration_minutes, poll_minutes, close_minutes, method, "
    "top_n, status, created_by, created_at, ended_at, platform_ref"
)
_OCCURRENCE_COLS = "club_id, id, night_id, original_at, starts_at, state, poll_id, party_id"
_RSVP_COLS = "club_id, night_id, user_id, display_name, answer, answered_at"


def _night(r: Row) -> Night:
    plan = NightPlan(
        rule=r[2],
        clock=r[3],
        first_on=date.fromisoformat(r[4]),
        where=r[5],
        duration_minutes=r[6],
        poll_minutes=r[7],
        close_minutes=r[8],
        method=PollMethod(r[9]),
        top=r[10],
    )
    return Night(
        club_id=r[0],
        id=r[1],
        plan=plan,
        status=NightStatus(r[11]),
        created_by=r[12],
        created_at=dt(r[13]),
        ended_at=opt_dt(r[14]),
        platform_ref=r[15],
    )


def _occurrence(r: Row) -> NightOccurrence:
    return NightOccurrence(
        club_id=r[0],
        id=r[1],
        night_id=r[2],
        original_at=dt(r[3]),
        starts_at=dt(r[4]),
        state=OccurrenceState(r[5]),
        poll_id=r[6],
        party_id=r[7],
    )


def _rsvp(r: Row) -> NightRsvp:
    return NightRsvp(
        club_id=r[0], night_id=r[1], user_id=r[2], display_name=r[3], answer=RsvpAnswer(r[4]), answered_at=dt(r[5])
    )


class SqlNights:
    """`NightStore` over a `Conn`, inside the transaction of the `SqlTx` that holds it."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def add(self, club_id: int, plan: NightPlan, by: str, at: datetime) -> Night:
        night_id = await next_id(self.conn, club_id, "night")
        night = Night(id=night_id, club_id=club_id, plan=plan, status=NightStatus.ACTIVE, created_by=by, created_at=at)
        await self.insert(night)
        return (await self.get(club_id, night.id)) or night

    async def insert(self, n: Night) -> None:
        p = n.plan
        await self.conn.execute(
            f"INSERT INTO nights ({_NIGHT_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                n.club_id,
                n.id,
                p.rule,
                p.clock,
                p.first_on.isoformat(),
                p.where,
                p.duration_minutes,
                p.poll_minutes,
                p.close_minutes,
                p.method.value,
                p.top,
                n.status.value,
                n.created_by,
                ts(n.created_at),
                None if n.ended_at is None else ts(n.ended_at),
                n.platform_ref,
            ),
        )

    async def get(self, club_id: int, night_id: int) -> Night | None:
        row = await self.conn.fetchone(
            f"SELECT {_NIGHT_COLS} FROM nights WHERE club_id = ? AND id = ?", (club_id, night_id)
        )
        return _night(row) if row else None

    async def list(self, club_id: int, active_only: bool = False) -> builtins.list[Night]:
        where = " AND status = 'active'" if active_only else ""
        rows = await self.conn.fetchall(
            f"SELECT {_NIGHT_COLS} FROM nights WHERE club_id = ?{where} ORDER BY id", (club_id,)
        )
        return [_night(r) for r in rows]

    async def update(self, n: Night) -> None:
        p = n.plan
        await self.conn.execute(
            "UPDATE nights SET rule = ?, clock = ?, first_on = ?, where_text = ?, duration_minutes = ?, "
            "poll_minutes = ?, close_minutes = ?, method = ?, top_n = ?, status = ?, ended_at = ?, "
            "platform_ref = ? WHERE club_id = ? AND id = ?",
            (
                p.rule,
                p.clock,
                p.first_on.isoformat(),
                p.where,
                p.duration_minutes,
                p.poll_minutes,
                p.close_minutes,
                p.method.value,
                p.top,
                n.status.value,
                None if n.ended_at is None else ts(n.ended_at),
                n.platform_ref,
                n.club_id,
                n.id,
            ),
        )

    async def add_occurrence(
        self, club_id: int, night_id: int, original_at: datetime, starts_at: datetime, state: OccurrenceState
    ) -> NightOccurrence:
        occurrence = NightOccurrence(
            club_id, await next_id(self.conn, club_id, "occurrence"), night_id, original_at, starts_at, state
        )
        await self.insert_occurrence(occurrence)
        return (await self.get_occurrence(club_id, occurrence.id)) or occurrence

    async def insert_occurrence(self, o: NightOccurrence) -> None:
        await self.conn.execute(
            f"INSERT INTO night_occurrences ({_OCCURRENCE_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (o.club_id, o.id, o.night_id, ts(o.original_at), ts(o.starts_at), o.state.value, o.poll_id, o.party_id),
        )

    async def get_occurrence(self, club_id: int, occurrence_id: int) -> NightOccurrence | None:
        row = await self.conn.fetchone(
            f"SELECT {_OCCURRENCE_COLS} FROM night_occurrences WHERE club_id = ? AND id = ?",
            (club_id, occurrence_id),
        )
        return _occurrence(row) if row else None

    async def occurrences(self, club_id: int, night_id: int) -> builtins.list[NightOccurrence]:
        rows = await self.conn.fetchall(
            f"SELECT {_OCCURRENCE_COLS} FROM night_occurrences WHERE club_id = ? AND night_id = ? "
            "ORDER BY original_at, id",
            (club_id, night_id),
        )
        return [_occurrence(r) for r in rows]

    async def update_occurrence(self, o: NightOccurrence) -> None:
        await self.conn.execute(
            "UPDATE night_occurrences SET starts_at = ?, state = ?, poll_id = ?, party_id = ? "
            "WHERE club_id = ? AND id = ?",
            (ts(o.starts_at), o.state.value, o.poll_id, o.party_id, o.club_id, o.id),
        )

    async def forget_planned(self, club_id: int, night_id: int, *, moved_too: bool = False) -> builtins.list[int]:
        unmoved = "" if moved_too else " AND starts_at = original_at"
        rows = await self.conn.fetchall(
            "DELETE FROM night_occurrences WHERE club_id = ? AND night_id = ? AND state = 'planned'"
            f"{unmoved} RETURNING id",
            (club_id, night_id),
        )
        return [int(r[0]) for r in rows]

    async def put_rsvp(self, rsvp: NightRsvp) -> None:
        await self.conn.execute(
            f"INSERT INTO night_rsvps ({_RSVP_COLS}) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (club_id, night_id, user_id) DO UPDATE SET display_name = excluded.display_name, "
            "answer = excluded.answer, answered_at = excluded.answered_at",
            (rsvp.club_id, rsvp.night_id, rsvp.user_id, rsvp.display_name, rsvp.answer.value, ts(rsvp.answered_at)),
        )

    async def rsvps(self, club_id: int, night_id: int) -> builtins.list[NightRsvp]:
        rows = await self.conn.fetchall(
            f"SELECT {_RSVP_COLS} FROM night_rsvps WHERE club_id = ? AND night_id = ? ORDER BY answered_at, user_id",
            (club_id, night_id),
        )
        return [_rsvp(r) for r in rows]
