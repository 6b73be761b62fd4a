"""What Discord keeps as the `platform_ref` of a party or a poll.

A party's: where its card was last posted in the announcement channel (the message the
discussion thread hangs from) and its scheduled event, written as space-separated parts,
`msg:<channel id>/<message id> event:<event id>@<unix start>`; either part may be missing, and a
ref written before messages were kept (`event:…@…`) still reads.

A poll's: the messages that show it with its vote buttons (the latest few), kept current as
votes come in, written the same way: `msg:<channel id>/<message id> msg:…`, oldest first.
Kept in the store, so every process and every restart keeps the same messages current.
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
    """Change some parts of the party's ref, keeping the others (in one transaction)."""
    text = await app.parties.update_platform_ref(
        key, party_id, lambda current: replace(PartyRef.parse(current), **changes).text()
    )
    return PartyRef.parse(text)


Place = tuple[int, int]  # (channel id, message id)
POLL_MESSAGES = 3  # the latest places a poll was posted with its buttons


@dataclass(frozen=True, slots=True)
class PollRef:
    messages: tuple[Place, ...] = ()

    @classmethod
    def parse(cls, text: str | None) -> PollRef:
        found = [(int(m["channel"]), int(m["message"])) for m in _MSG.finditer(text or "")]
        return cls(tuple(found))

    def text(self) -> str | None:
        return " ".join(f"msg:{c}/{m}" for c, m in self.messages) or None

    def adding(self, place: Place) -> PollRef:
        kept = [p for p in self.messages if p != place]
        return PollRef((*kept, place)[-POLL_MESSAGES:])

    def without(self, place: Place) -> PollRef:
        return PollRef(tuple(p for p in self.messages if p != place))
