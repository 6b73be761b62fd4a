"""What Discord keeps as a party's `platform_ref`: where its card was last posted (the message
the discussion thread hangs from) and its scheduled event.

Written as space-separated parts, `msg:<channel id>/<message id> event:<event id>@<unix start>`;
either part may be missing, and a ref written before messages were kept (`event:…@…`) still reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from docclub.core.clubs import Docclub
from docclub.core.models import ClubKey

_MSG = re.compile(r"msg:(?P<channel>\d+)/(?P<message>\d+)")
_EVENT = re.compile(r"event:(?P<id>\d+)@(?P<start>\d+)")


@dataclass(frozen=True, slots=True)
class PartyRef:
    channel_id: int | None = None
    message_id: int | None = None
    event_id: int | None = None
    event_start: int | None = None  # the party start (unix seconds) the event was made for

    @classmethod
    def parse(cls, text: str | None) -> PartyRef:
        ref = cls()
        for part in (text or "").split():
            if m := _MSG.fullmatch(part):
                ref = replace(ref, channel_id=int(m["channel"]), message_id=int(m["message"]))
            elif m := _EVENT.fullmatch(part):
                ref = replace(ref, event_id=int(m["id"]), event_start=int(m["start"]))
        return ref

    def text(self) -> str | None:
        parts = []
        if self.channel_id is not None and self.message_id is not None:
            parts.append(f"msg:{self.channel_id}/{self.message_id}")
        if self.event_id is not None and self.event_start is not None:
            parts.append(f"event:{self.event_id}@{self.event_start}")
        return " ".join(parts) or None


async def update_ref(app: Docclub, key: ClubKey, party_id: int, **changes: int | None) -> PartyRef:
    """Change some parts of the party's ref, keeping the others."""
    ref = replace(PartyRef.parse(await app.parties.platform_ref(key, party_id)), **changes)
    await app.parties.set_platform_ref(key, party_id, ref.text())
    return ref
