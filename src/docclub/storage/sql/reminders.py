"""Reminders and their leases, in SQL."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from docclub.core.models import NewReminder, Reminder, ReminderState
from docclub.storage.sql import rows
from docclub.storage.sql.rows import Conn, dt, ts


class SqlReminders:
    """`StoredReminders` over a `Conn`."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def add(self, reminders: Sequence[NewReminder]) -> None:
        for r in reminders:
            await self.conn.execute(
                "INSERT INTO reminders (club_id, kind, target_id, due_at, state, attempts, "
                "offset_minutes, user_id) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)",
                (r.club_id, r.kind.value, r.target_id, ts(r.due_at), r.offset_minutes, r.user_id),
            )

    async def delete_pending(self, club_id: int, kinds: Sequence[str], target_id: int) -> int:
        marks = ", ".join("?" for _ in kinds)
        found = await self.conn.fetchall(
            f"DELETE FROM reminders WHERE club_id = ? AND target_id = ? AND kind IN ({marks}) "
            "AND state = 'pending' RETURNING id",
            (club_id, target_id, *kinds),
        )
        return len(found)

    @staticmethod
    def _platform_filter(platforms: Sequence[str] | None) -> tuple[str, list[Any]]:
        if not platforms:
            return "", []
        marks = ", ".join("?" for _ in platforms)
        return f" AND club_id IN (SELECT id FROM clubs WHERE platform IN ({marks}))", list(platforms)

    async def next_due_at(self, platforms: Sequence[str] | None = None) -> datetime | None:
        where, args = self._platform_filter(platforms)
        row = await self.conn.fetchone(
            "SELECT MIN(t) FROM ("
            f"SELECT MIN(due_at) AS t FROM reminders WHERE state = 'pending'{where} "
            f"UNION ALL SELECT MIN(lease_until) AS t FROM reminders WHERE state = 'claimed'{where}) AS due",
            (*args, *args),
        )
        return None if row is None or row[0] is None else dt(row[0])

    async def claim_due(
        self, now: datetime, lease_until: datetime, limit: int, platforms: Sequence[str] | None = None
    ) -> builtins.list[Reminder]:
        lock = " FOR UPDATE SKIP LOCKED" if self.conn.dialect == "postgresql" else ""
        where, args = self._platform_filter(platforms)
        found = await self.conn.fetchall(
            "SELECT id FROM reminders WHERE ((state = 'pending' AND due_at <= ?) "
            f"OR (state = 'claimed' AND lease_until <= ?)){where} ORDER BY due_at, id LIMIT ?" + lock,
            (ts(now), ts(now), *args, limit),
        )
        claimed: list[Reminder] = []
        for (rid,) in found:
            row = await self.conn.fetchone(
                f"UPDATE reminders SET state = 'claimed', lease_until = ? WHERE id = ? RETURNING {rows.REMINDER_COLS}",
                (ts(lease_until), rid),
            )
            if row is not None:
                claimed.append(rows.reminder(row))
        return claimed

    async def finish(self, reminder_id: int, state: ReminderState, at: datetime) -> None:
        await self.conn.execute(
            "UPDATE reminders SET state = ?, finished_at = ?, lease_until = NULL WHERE id = ?",
            (state.value, ts(at), reminder_id),
        )

    async def retry(self, reminder_id: int, due_at: datetime, attempts: int) -> None:
        await self.conn.execute(
            "UPDATE reminders SET state = 'pending', due_at = ?, attempts = ?, lease_until = NULL WHERE id = ?",
            (ts(due_at), attempts, reminder_id),
        )

    async def list(self, club_id: int, target_id: int | None = None) -> builtins.list[Reminder]:
        sql = f"SELECT {rows.REMINDER_COLS} FROM reminders WHERE club_id = ?"
        args: list[Any] = [club_id]
        if target_id is not None:
            sql += " AND target_id = ?"
            args.append(target_id)
        found = await self.conn.fetchall(sql + " ORDER BY due_at, id", args)
        return [rows.reminder(r) for r in found]

    async def later_due(self, reminder: Reminder, now: datetime) -> bool:
        row = await self.conn.fetchone(
            "SELECT 1 FROM reminders WHERE club_id = ? AND target_id = ? AND kind = ? "
            "AND COALESCE(user_id, '') = ? AND state IN ('pending', 'claimed', 'sent') "
            "AND COALESCE(offset_minutes, 0) < ? AND due_at > ? AND due_at <= ? AND id <> ? LIMIT 1",
            (
                reminder.club_id,
                reminder.target_id,
                reminder.kind.value,
                reminder.user_id or "",
                reminder.offset_minutes or 0,
                ts(reminder.due_at),
                ts(now),
                reminder.id,
            ),
        )
        return row is not None
