"""How a poll is shown: the films, the standings (hidden while an anonymous poll is open),
and when closed the winner and, for ranked choice, every round."""

from __future__ import annotations

from docclub.core.models import (
    Ballot,
    Film,
    Poll,
    PollMethod,
    PollStatus,
)
from docclub.core.replies import (
    Action,
    ActionKind,
    Field,
    Line,
    Reply,
    Time,
    Tone,
    action_label,
    cmd,
    line,
)
from docclub.core.voting import Tally, standings


def poll_reply(
    poll: Poll, films: dict[int, Film], ballots: list[Ballot], result: Tally, *, opened: bool = False
) -> Reply:
    """A poll as members see it: the films, the standings (hidden while an anonymous poll is
    open), and when closed the winner and, for ranked choice, every round."""
    name = {fid: films[fid].label if fid in films else f"#{fid}" for fid in poll.film_ids}
    method_text = {
        PollMethod.SINGLE: "single choice: one vote each",
        PollMethod.APPROVAL: "approval: vote for every film you'd watch",
        PollMethod.RANKED: "ranked choice: list films in order of preference",
    }[poll.method]
    lines: list[Line] = [line(f"{method_text}{' · anonymous' if poll.anonymous else ''}")]
    if poll.closes_at is not None and poll.status is PollStatus.OPEN:
        lines.append(line("Closes ", Time(poll.closes_at), " (", Time(poll.closes_at, "relative"), ")"))
    fields: list[Field] = []
    hidden = poll.anonymous and poll.status is PollStatus.OPEN
    count = len(ballots)
    ballots_text = f"{count} ballot{'s' if count != 1 else ''}"
    if poll.status is PollStatus.OPEN:
        if hidden:
            fields.append(Field("Films", tuple(line(f"#{f} {name[f]}") for f in poll.film_ids)))
            lines.append(line(f"{ballots_text} so far; standings stay hidden until the poll closes."))
        else:
            fields.append(Field("Standings", _standing_lines(poll, result, name, ballots)))
            lines.append(line(f"{ballots_text} so far."))
        films_hint = "<film>" if poll.method is PollMethod.SINGLE else "<film>, <film> ..."
        lines.append(line("Vote with: ", cmd("vote", poll=f"#{poll.id}", films=films_hint)))
    elif poll.status is PollStatus.CANCELLED:
        cast = "was" if count == 1 else "were"
        lines.append(line(f"Cancelled. The films stay in the running ({ballots_text} {cast} cast)."))
    else:
        fields.append(Field("Result", _standing_lines(poll, result, name, ballots, final=True)))
        if poll.winner_film_id is not None:
            lines.append(line(f"Winner: #{poll.winner_film_id} {name[poll.winner_film_id]} ({ballots_text})."))
            if result.tie_break:
                lines.append(line(result.tie_break))
            lines.append(line("The other films stay in the running and are offered first next time."))
        else:
            lines.append(line("No votes were cast; the films stay in the running."))
    if poll.method is PollMethod.RANKED and len(result.rounds) > 1 and not hidden:
        fields.append(Field("Rounds", tuple(_round_lines(result, name))))
    actions: tuple[Action, ...] = ()
    if poll.status is PollStatus.OPEN:
        actions = tuple(Action(ActionKind.VOTE, f"{poll.id}:{f}", action_label(name[f])) for f in poll.film_ids)
    title = (
        f"Poll #{poll.id}"
        + {
            PollStatus.OPEN: " is open" if opened else " (open)",
            PollStatus.CLOSED: " — closed",
            PollStatus.CANCELLED: " — cancelled",
        }[poll.status]
    )
    return Reply(
        title=title,
        lines=tuple(lines),
        fields=tuple(fields),
        actions=actions,
        tone=Tone.OK if opened else Tone.INFO,
        subject=("poll", poll.id),
    )


def _standing_lines(
    poll: Poll, result: Tally, name: dict[int, str], ballots: list[Ballot], final: bool = False
) -> tuple[Line, ...]:
    rows = standings(result) if result.rounds else [(f, 0) for f in poll.film_ids]
    # Films knocked out of a ranked count follow, the last eliminated first.
    knocked_out = [f for rnd in reversed(result.rounds) for f in reversed(rnd.eliminated)]
    rows += [(f, 0) for f in knocked_out if f not in dict(rows)]
    first_round = dict(result.rounds[0].counts) if result.rounds else {}
    out: list[Line] = []
    for film_id, votes in rows:
        shown = votes
        suffix = ""
        if poll.method is PollMethod.RANKED:
            shown = first_round.get(film_id, 0)
            suffix = " first choice" if shown == 1 else " first choices"
        voters = ""
        if not poll.anonymous and poll.method is not PollMethod.RANKED:
            who = [b.display_name for b in ballots if film_id in b.choices]
            if who:
                voters = " — " + ", ".join(who[:10]) + (" …" if len(who) > 10 else "")
        mark = "🏆 " if final and film_id == poll.winner_film_id else ""
        out.append(line(f"{mark}#{film_id} {name[film_id]}: {shown}{suffix}{voters}"))
    for film_id in poll.film_ids:
        if film_id not in dict(rows):
            out.append(line(f"#{film_id} {name[film_id]}: 0"))
    return tuple(out)


def _round_lines(result: Tally, name: dict[int, str]) -> list[Line]:
    out: list[Line] = []
    for i, rnd in enumerate(result.rounds, 1):
        counts = ", ".join(f"{name[f]} {v}" for f, v in rnd.counts)
        text = f"Round {i}: {counts}"
        if rnd.exhausted:
            text += f" (exhausted ballots: {rnd.exhausted})"
        if rnd.eliminated:
            text += " — eliminated " + ", ".join(name[f] for f in rnd.eliminated)
        out.append(line(text))
        if rnd.tie_break:
            out.append(line("  " + rnd.tie_break))
    return out
