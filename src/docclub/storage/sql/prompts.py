"""Discussion prompts and which were shown lately, in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from docclub.core.models import Prompt
from docclub.storage.sql.rows import Conn, next_id, ts


class SqlPrompts:
    """`StoredPrompts` over a `Conn`."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def add(self, club_id: int, film_id: int, text: str, by_name: str, at: datetime) -> Prompt:
        prompt_id = await next_id(self.conn, club_id, "prompt")
        await self.conn.execute(
            "INSERT INTO film_prompts (club_id, film_id, id, text, added_by_name, added_at) VALUES (?, ?, ?, ?, ?, ?)",
            (club_id, film_id, prompt_id, text, by_name, ts(at)),
        )
        return Prompt(key=f"film:{prompt_id}", text=text, added_by_name=by_name)

    async def of_film(self, club_id: int, film_id: int) -> list[Prompt]:
        found = await self.conn.fetchall(
            "SELECT id, text, added_by_name FROM film_prompts WHERE club_id = ? AND film_id = ? ORDER BY id",
            (club_id, film_id),
        )
        return [Prompt(key=f"film:{r[0]}", text=r[1], added_by_name=r[2]) for r in found]

    async def recent_keys(self, club_id: int, limit: int) -> list[str]:
        found = await self.conn.fetchall(
            "SELECT prompt_key FROM prompts_shown WHERE club_id = ? ORDER BY seq DESC LIMIT ?",
            (club_id, limit),
        )
        return [r[0] for r in found]

    async def record_shown(self, club_id: int, film_id: int, keys: Sequence[str], at: datetime) -> None:
        for key in keys:
            seq = await next_id(self.conn, club_id, "prompt_shown")
            await self.conn.execute(
                "INSERT INTO prompts_shown (club_id, prompt_key, film_id, shown_at, seq) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (club_id, prompt_key) DO UPDATE SET "
                "film_id = excluded.film_id, shown_at = excluded.shown_at, seq = excluded.seq",
                (club_id, key, film_id, ts(at), seq),
            )

    async def insert(self, club_id: int, film_id: int, prompt: Prompt, at: datetime) -> None:
        """Store a prompt under the id its key carries (`film:<id>`), as a snapshot holds it."""
        prompt_id = int(prompt.key.split(":", 1)[1])
        await self.conn.execute(
            "INSERT INTO film_prompts (club_id, film_id, id, text, added_by_name, added_at) VALUES (?, ?, ?, ?, ?, ?)",
            (club_id, film_id, prompt_id, prompt.text, prompt.added_by_name or "", ts(at)),
        )
