"""Forgetting the clubs of spaces that let docclub go.

When a Slack workspace uninstalls docclub (or revokes its token), its token is dropped at once
but the club's films, polls, parties and ratings stay, so a workspace that reinstalls finds its
club as it left it. DOCCLUB_FORGET_UNINSTALLED_DAYS after the uninstall (30 by default; 0 keeps
them until an operator runs `docclub forget`), the club's data is deleted for good, in one
transaction with the installation's record. The check runs once an hour on the runtime's Clock,
in every process; deleting what another process deleted already is nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from docclub.core.models import ClubKey
from docclub.core.ports import Clock, ClubStore, ClubTx

__all__ = ["CHECK_EVERY", "Forgetting", "forget_club"]

log = logging.getLogger("docclub")
CHECK_EVERY = timedelta(hours=1)


async def forget_club(tx: ClubTx, key: ClubKey) -> bool:
    """Delete everything of the club at `key` and its installation's record; False when
    there was neither."""
    club = await tx.clubs.delete(key)
    installation = await tx.installations.forget(key)
    return club or installation


class Forgetting:
    def __init__(
        self,
        store: ClubStore,
        clock: Clock,
        after: timedelta,
        *,
        forgotten: Callable[[ClubKey], None] = lambda key: None,
        every: timedelta = CHECK_EVERY,
    ) -> None:
        """`after`: how long after its uninstall a club is forgotten (zero: never);
        `forgotten`: told each club forgotten (the core drops what it keeps of it)."""
        self.store = store
        self.clock = clock
        self.after = after
        self.forgotten = forgotten
        self.every = every

    async def forget_due(self) -> list[ClubKey]:
        """Forget every club uninstalled longer than `after` ago; the clubs forgotten."""
        if self.after <= timedelta(0):
            return []
        cutoff = self.clock.now() - self.after

        async def work(tx: ClubTx) -> list[ClubKey]:
            due = await tx.installations.removed_before(cutoff)
            for key in due:
                await forget_club(tx, key)
            return due

        due = await self.store.write(work)
        for key in due:
            self.forgotten(key)
            log.info("forgot the club of %s:%s, uninstalled more than %s ago", key.platform, key.space_id, self.after)
        return due

    async def run(self) -> None:
        """Check now and then every `every`, until cancelled; a failed check is logged and retried."""
        if self.after <= timedelta(0):
            return
        while True:
            try:
                await self.forget_due()
            except Exception:
                log.exception("forgetting uninstalled clubs failed; trying again in %s", self.every)
            await self.clock.sleep(self.every.total_seconds())
