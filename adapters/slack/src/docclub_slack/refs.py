"""What Slack keeps as the `platform_ref` of a poll or a party: the messages that show it with
its buttons, as space-separated `<channel>:<ts>`, oldest first, the latest few. Kept in the
store, so a vote in any process, before or after a restart, edits every one of them.

A party's card (the message its post-party discussion thread hangs from) is its newest message
in the announcement channel. A ref written before several messages were kept (one
`channel:ts`) reads as a list of one.
"""

from __future__ import annotations

__all__ = ["MESSAGES", "Place", "adding", "including", "parse", "text", "without"]

Place = tuple[str, str]  # (channel id, message ts)
MESSAGES = 3


def parse(ref: str | None) -> list[Place]:
    places: list[Place] = []
    for part in (ref or "").split():
        channel, sep, ts = part.partition(":")
        if sep and channel and ts:
            places.append((channel, ts))
    return places


def text(places: list[Place]) -> str | None:
    return " ".join(f"{c}:{t}" for c, t in places[-MESSAGES:]) or None


def adding(ref: str | None, place: Place) -> str | None:
    """`place` becomes the newest message."""
    return text([p for p in parse(ref) if p != place] + [place])


def including(ref: str | None, place: Place) -> str | None:
    """`place` is kept too, without becoming the newest (a button pressed on an older message)."""
    places = parse(ref)
    return ref if place in places else text([place, *places])


def without(ref: str | None, place: Place) -> str | None:
    return text([p for p in parse(ref) if p != place])
