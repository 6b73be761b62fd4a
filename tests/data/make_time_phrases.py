"""Writes tests/data/time_phrases.csv, the corpus of times members write.

Run `python tests/data/make_time_phrases.py tests/data/time_phrases.csv` after adding phrases.
Each expectation is worked out here from the calendar and the tz database (zoneinfo), by the
rules the README's "Times" section states, never by calling docclub's reader; phrases whose
answer is a question or a refusal say which words the member must see.
"""

import csv
import sys
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

rows = []
WD = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
AB = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
MON = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def iso(dt):
    return dt.isoformat(timespec="minutes")


def add(ctx, phrase, expect, note=""):
    tz, order, lang, now = ctx
    rows.append([tz, order, lang, now.strftime("%Y-%m-%dT%H:%M"), phrase, expect, note])


def wall(tz, d, hh, mm, fold=0):
    return datetime.combine(d, time(hh, mm), tzinfo=ZoneInfo(tz)).replace(fold=fold)


def next_wd(now, wd, hh, mm, strict):
    ahead = (wd - now.weekday()) % 7
    if ahead == 0 and (strict or time(hh, mm) <= now.time()):
        ahead = 7
    return now.date() + timedelta(days=ahead)


def exists(tz, d, hh, mm):
    w = wall(tz, d, hh, mm)
    rt = w.astimezone(UTC).astimezone(ZoneInfo(tz))
    return rt.replace(tzinfo=None) == w.replace(tzinfo=None)


def expect_wall(tz, d, hh, mm):
    if not exists(tz, d, hh, mm):
        return "refuse: does not exist"
    return iso(wall(tz, d, hh, mm))


def common(ctx):
    tz, _order, _lang, now = ctx
    today = now.date()
    # weekdays, plain and "next", at an evening hour
    for wd in range(7):
        d = next_wd(now, wd, 20, 0, False)
        add(ctx, f"{AB[wd]} 20:00", expect_wall(tz, d, 20, 0))
        d = next_wd(now, wd, 20, 0, True)
        add(ctx, f"next {WD[wd]} 8pm", expect_wall(tz, d, 20, 0), f'"next {WD[wd]}" is the first')
    # today's weekday, earlier and later than now
    wd = now.weekday()
    add(ctx, f"{WD[wd]} {now.hour + 1:02d}:30", expect_wall(tz, today, now.hour + 1, 30))
    early = now.hour - 1
    add(ctx, f"{AB[wd]} {early:02d}:00", expect_wall(tz, today + timedelta(days=7), early, 0), "has passed today")
    # tomorrow, tonight, bare times
    add(ctx, "tomorrow 19:30", expect_wall(tz, today + timedelta(days=1), 19, 30))
    add(ctx, "tmrw 7:15pm", expect_wall(tz, today + timedelta(days=1), 19, 15))
    add(ctx, "tonight 9pm", expect_wall(tz, today, 21, 0) if now.hour < 21 else "refuse: in the past")
    add(ctx, "on sat at 8pm", expect_wall(tz, next_wd(now, 5, 20, 0, False), 20, 0))
    later = now.hour + 2
    add(ctx, f"{later:02d}:00", expect_wall(tz, today, later, 0))
    add(ctx, f"{early:02d}:45", expect_wall(tz, today + timedelta(days=1), early, 45), "has passed today")
    # spans from now
    for phrase, span in (
        ("in 90 minutes", timedelta(minutes=90)),
        ("in 2 hours", timedelta(hours=2)),
        ("in half an hour", timedelta(minutes=30)),
        ("in 1h30", timedelta(minutes=90)),
        ("in an hour", timedelta(hours=1)),
    ):
        add(ctx, phrase, iso((now.astimezone(UTC) + span).astimezone(ZoneInfo(tz))))
    # days and weeks count on the wall clock: the same time of day
    add(ctx, "in 2 days", expect_wall(tz, today + timedelta(days=2), now.hour, now.minute))
    add(ctx, "in 1 week", expect_wall(tz, today + timedelta(days=7), now.hour, now.minute))
    # ISO is always ISO
    d = today + timedelta(days=40)
    add(ctx, f"{d.isoformat()} 20:00", expect_wall(tz, d, 20, 0))
    add(ctx, f"{d.isoformat()}T18:30", expect_wall(tz, d, 18, 30))
    add(ctx, f"{(today - timedelta(days=3)).isoformat()} 20:00", "refuse: in the past")
    # month names, ahead and just gone
    d = today + timedelta(days=10)
    add(ctx, f"{d.day} {MON[d.month - 1]} 20:00", expect_wall(tz, d, 20, 0))
    add(ctx, f"{MON[d.month - 1]} {d.day} 8:30pm", expect_wall(tz, d, 20, 30))
    gone = today - timedelta(days=1)
    add(ctx, f"{gone.day} {MON[gone.month - 1]} 20:00", "refuse: has passed. Did you mean")
    # questions
    add(ctx, "sat 8", "ask: Which time on")
    add(ctx, "8", 'ask: Which time? "8" could be 08:00 or 20:00')
    add(ctx, "friday", "ask: Which time on")
    add(ctx, f"{d.day} {MON[d.month - 1]}", "ask: Which time on")
    add(ctx, "at 20", 'ask: "20" needs minutes')
    # refusals
    add(ctx, "blurday", "refuse: couldn't read")
    add(ctx, "sat 25:00", "refuse: couldn't read")
    add(ctx, "sat 8pm 9pm", "refuse: couldn't read")
    add(ctx, "next week", "refuse: couldn't read")


def zones(ctx, cases):
    """cases: (phrase, written zone, weekday or None for a bare time, hh, mm)"""
    tz, _order, _lang, now = ctx
    for phrase, zone, wd, hh, mm, note in cases:
        there = now.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
        if wd is None:
            d = there.date() if time(hh, mm) > there.time() else there.date() + timedelta(days=1)
        else:
            d = next_wd(there, wd, hh, mm, False)
        theirs = datetime.combine(d, time(hh, mm), tzinfo=ZoneInfo(zone))
        add(ctx, phrase, iso(theirs.astimezone(ZoneInfo(tz))), note)


def fixed(ctx, cases):
    tz, _order, _lang, _now = ctx
    for phrase, utc in cases:
        add(ctx, phrase, iso(utc.astimezone(ZoneInfo(tz))))


def numeric(ctx, day):
    """day: a date ahead; written in each order"""
    tz, order, _lang, _now = ctx
    eff = (
        order
        if order != "auto"
        else {"America/New_York": "mdy", "America/Los_Angeles": "mdy", "Asia/Tokyo": "ymd"}.get(tz, "dmy")
    )
    if eff == "dmy":
        add(ctx, f"{day.day:02d}/{day.month:02d} 20:00", expect_wall(tz, day, 20, 0))
        add(ctx, f"{day.day}.{day.month}.{day.year} 20:00", expect_wall(tz, day, 20, 0))
    else:
        add(ctx, f"{day.month:02d}/{day.day:02d} 20:00", expect_wall(tz, day, 20, 0))
        if eff == "mdy":
            add(ctx, f"{day.month}/{day.day}/{day.year % 100} 20:00", expect_wall(tz, day, 20, 0))
        else:
            add(ctx, f"{day.year % 100}/{day.month:02d}/{day.day:02d} 20:00", expect_wall(tz, day, 20, 0))
    add(ctx, f"{day.isoformat()} 20:00", expect_wall(tz, day, 20, 0))


def ctx(tz, order, lang, y, m, d, hh, mm):
    return (tz, order, lang, datetime(y, m, d, hh, mm, tzinfo=ZoneInfo(tz)))


U = UTC

# ---- Europe/Berlin ----
c = ctx("Europe/Berlin", "auto", "en", 2026, 10, 12, 10, 0)  # Mon, summer time
common(c)
zones(
    c,
    [
        ("sat 20:00 PST", "America/Los_Angeles", 5, 20, 0, "read as Pacific time (PDT that day)"),
        ("sat 8pm ET", "America/New_York", 5, 20, 0, "read as Eastern time (EDT)"),
        ("sat 20:00 Europe/London", "Europe/London", 5, 20, 0, "you wrote"),
        ("fri 19:00 JST", "Asia/Tokyo", 4, 19, 0, "you wrote"),
        ("sat 20:00 IST", "Asia/Kolkata", 5, 20, 0, "read as India time"),
        ("sat 20:00 CST", "America/Chicago", 5, 20, 0, "read as Central time (CDT that day)"),
        ("sat 20:00 AEDT", "Australia/Sydney", 5, 20, 0, ""),
        ("20:00 CET", "Europe/Berlin", None, 20, 0, "read as Central European time (CEST that day)"),
        ("20:00 CEST", "Europe/Berlin", None, 20, 0, ""),
        ("sat 8pm BST", "Europe/London", 5, 20, 0, ""),
    ],
)
fixed(
    c,
    [
        ("2026-12-05T20:00Z", datetime(2026, 12, 5, 20, 0, tzinfo=U)),
        ("2026-12-05 20:00 UTC", datetime(2026, 12, 5, 20, 0, tzinfo=U)),
        ("2026-12-05 20:00 GMT", datetime(2026, 12, 5, 20, 0, tzinfo=U)),
        ("2026-12-05 20:00 UTC+2", datetime(2026, 12, 5, 18, 0, tzinfo=U)),
        ("2026-12-05 20:00 UTC-3", datetime(2026, 12, 5, 23, 0, tzinfo=U)),
        ("2026-12-05 20:00 UTC+05:30", datetime(2026, 12, 5, 14, 30, tzinfo=U)),
        ("2026-12-05T20:00+02:00", datetime(2026, 12, 5, 18, 0, tzinfo=U)),
        ("2026-12-05 20:00 +0100", datetime(2026, 12, 5, 19, 0, tzinfo=U)),
    ],
)
zones(
    c,
    [
        ("sat 8pm pacific time", "America/Los_Angeles", 5, 20, 0, "Pacific time (PDT)"),
        ("sat 20:00 UK time", "Europe/London", 5, 20, 0, "UK time (BST)"),
        ("sat 20:00 eastern", "Europe/Athens", 5, 20, 0, "Eastern European time (EEST)"),
        ("sat 20:00 central european time", "Europe/Berlin", 5, 20, 0, ""),
    ],
)
add(c, "sat 5 dec 20:00", expect_wall("Europe/Berlin", date(2026, 12, 5), 20, 0))
add(c, "saturday december 5th 8pm", expect_wall("Europe/Berlin", date(2026, 12, 5), 20, 0))
add(c, "fri 5 dec 20:00", 'refuse: Sat 05 Dec 2026 is a Saturday, not a Friday. Write "2026-12-05 20:00" for the date')
add(c, "fri 05/12 20:00", 'refuse: or "2026-12-04 20:00" for the Friday of that week.')
add(c, "sun 2026-12-05 20:00", "refuse: is a Saturday, not a Sunday")
add(c, "tonight 8:30", expect_wall("Europe/Berlin", date(2026, 10, 12), 20, 30))
add(c, "sat evening 8:00", expect_wall("Europe/Berlin", date(2026, 10, 17), 20, 0))
add(c, "sat night 11:30", expect_wall("Europe/Berlin", date(2026, 10, 17), 23, 30))
add(c, "tonight 8am", "refuse: couldn't read")
add(c, "friday the 20:00", "refuse: couldn't read")
numeric(c, date(2026, 12, 5))
add(c, "12/25 20:00", 'refuse: Did you mean "25/12"?')
add(c, "sat 8pm pst est", "refuse: names two zones")

c = ctx("Europe/Berlin", "auto", "en", 2026, 10, 24, 12, 0)  # Sat before the clocks go back
add(c, "2026-10-25 02:30", iso(wall("Europe/Berlin", date(2026, 10, 25), 2, 30, 0)))
add(c, "sun 2:30", iso(wall("Europe/Berlin", date(2026, 10, 25), 2, 30, 0)))
add(c, "sun 20:00", iso(wall("Europe/Berlin", date(2026, 10, 25), 20, 0)))
add(c, "sun 01:59", iso(wall("Europe/Berlin", date(2026, 10, 25), 1, 59)))
add(c, "sun 03:00", iso(wall("Europe/Berlin", date(2026, 10, 25), 3, 0)))
add(c, "in 24 hours", iso((c[3].astimezone(U) + timedelta(hours=24)).astimezone(ZoneInfo("Europe/Berlin"))))
add(c, "tomorrow 12:00", iso(wall("Europe/Berlin", date(2026, 10, 25), 12, 0)))
zones(c, [("sun 20:00 ET", "America/New_York", 6, 20, 0, "")])
common(c)

c = ctx("Europe/Berlin", "auto", "en", 2026, 3, 28, 12, 0)  # Sat before the clocks go forward
add(c, "2026-03-29 02:30", "refuse: does not exist in Europe/Berlin")
add(c, "sun 2:30", "refuse: does not exist")
add(c, "sun 02:00", "refuse: does not exist")
add(c, "sun 01:30", iso(wall("Europe/Berlin", date(2026, 3, 29), 1, 30)))
add(c, "sun 03:00", iso(wall("Europe/Berlin", date(2026, 3, 29), 3, 0)))
add(c, "sun 20:00", iso(wall("Europe/Berlin", date(2026, 3, 29), 20, 0)))
add(c, "in 14 hours", iso((c[3].astimezone(U) + timedelta(hours=14)).astimezone(ZoneInfo("Europe/Berlin"))))
zones(
    c,
    [
        ("sun 8pm ET", "America/New_York", 6, 20, 0, "read as Eastern time (EDT)"),
        ("sun 8pm EST", "America/New_York", 6, 20, 0, "read as Eastern time (EDT that day)"),
    ],
)
common(c)

c = ctx("Europe/Berlin", "auto", "en", 2026, 12, 28, 10, 0)  # Mon, year end
common(c)
add(c, "3 jan 20:00", expect_wall("Europe/Berlin", date(2027, 1, 3), 20, 0))
add(c, "jan 3rd 8pm", expect_wall("Europe/Berlin", date(2027, 1, 3), 20, 0))
add(c, "02/01 20:00", expect_wall("Europe/Berlin", date(2027, 1, 2), 20, 0))
add(c, "31.12. 23:30", expect_wall("Europe/Berlin", date(2026, 12, 31), 23, 30))
add(c, "31 dec 23:59", expect_wall("Europe/Berlin", date(2026, 12, 31), 23, 59))
add(c, "1 jan 00:30", expect_wall("Europe/Berlin", date(2027, 1, 1), 0, 30))
add(c, "new year's eve 20:00", "refuse: couldn't read")
add(c, "2027-01-08 20:00", expect_wall("Europe/Berlin", date(2027, 1, 8), 20, 0))
add(c, "20 dec 20:00", "refuse: has passed. Did you mean Mon 20 Dec 2027?")
add(
    c,
    "fri midnight",
    'ask: Which midnight? The one that starts Fri 01 Jan is "2027-01-01 00:00"; '
    'the one that ends it is "2027-01-02 00:00".',
)

c = ctx("Europe/Berlin", "auto", "en", 2028, 2, 26, 10, 0)  # Sat, leap year
add(c, "29 feb 20:00", expect_wall("Europe/Berlin", date(2028, 2, 29), 20, 0))
add(c, "feb 29 8pm", expect_wall("Europe/Berlin", date(2028, 2, 29), 20, 0))
add(c, "29/02 20:00", expect_wall("Europe/Berlin", date(2028, 2, 29), 20, 0))
add(c, "2028-02-29 20:00", expect_wall("Europe/Berlin", date(2028, 2, 29), 20, 0))
add(c, "tue 20:00", expect_wall("Europe/Berlin", date(2028, 2, 29), 20, 0))
add(c, "1 mar 20:00", expect_wall("Europe/Berlin", date(2028, 3, 1), 20, 0))
add(c, "2027-02-29 20:00", "refuse: couldn't read")
c = ctx("Europe/Berlin", "auto", "en", 2027, 3, 1, 10, 0)  # no 29 Feb this year
add(c, "29 feb 20:00", expect_wall("Europe/Berlin", date(2028, 2, 29), 20, 0))
add(c, "29/02 20:00", expect_wall("Europe/Berlin", date(2028, 2, 29), 20, 0))
add(c, "28 feb 20:00", "refuse: has passed. Did you mean Mon 28 Feb 2028?")
c = ctx("Europe/Berlin", "auto", "en", 2026, 2, 10, 10, 0)
add(c, "29 feb 20:00", "refuse: There is no 29 Feb this year. The next one is Tue 29 Feb 2028")
add(c, "2026-02-29 20:00", "refuse: couldn't read")

# ---- America/New_York ----
c = ctx("America/New_York", "auto", "en", 2026, 10, 12, 10, 0)  # Mon, EDT
common(c)
zones(
    c,
    [
        ("8pm CET", "Europe/Berlin", None, 20, 0, "read as Central European time (CEST that day)"),
        ("8pm ET", "America/New_York", None, 20, 0, ""),
        ("sat 5pm PT", "America/Los_Angeles", 5, 17, 0, "read as Pacific time (PDT)"),
        ("sat 20:00 Europe/London", "Europe/London", 5, 20, 0, ""),
        ("sat 9am AEST", "Australia/Sydney", 5, 9, 0, "read as Eastern Australia time (AEDT that day)"),
        ("sat 20:00 GMT", "UTC", 5, 20, 0, ""),
        ("sat 20:00 UTC", "UTC", 5, 20, 0, ""),
        ("sat 7pm MT", "America/Denver", 5, 19, 0, ""),
        ("sat 7pm CDT", "America/Chicago", 5, 19, 0, ""),
    ],
)
zones(
    c,
    [
        ("sat 8pm central", "America/Chicago", 5, 20, 0, "Central time (CDT)"),
        ("sat 5pm pacific", "America/Los_Angeles", 5, 17, 0, "Pacific time (PDT)"),
        ("sat 8pm Eastern Time", "America/New_York", 5, 20, 0, ""),
    ],
)
numeric(c, date(2026, 12, 5))
add(c, "12/05 8pm", expect_wall("America/New_York", date(2026, 12, 5), 20, 0))
add(c, "25/12 20:00", 'refuse: Did you mean "12/25"?')
add(c, "10/11 20:00", "refuse: has passed")
c2 = ("America/New_York", "dmy", "en", c[3])
add(c2, "12/05 8pm", "refuse: Tue 12 May 2026 has passed. Did you mean Wed 12 May 2027?")
add(c2, "05/12 8pm", expect_wall("America/New_York", date(2026, 12, 5), 20, 0))
add(c2, "2026-12-05 8pm", expect_wall("America/New_York", date(2026, 12, 5), 20, 0))

c = ctx("America/New_York", "auto", "en", 2026, 3, 7, 12, 0)  # Sat before spring forward
add(c, "2026-03-08 02:30", "refuse: does not exist in America/New_York")
add(c, "sun 2:30am", "refuse: does not exist")
add(c, "sun 3:30am", iso(wall("America/New_York", date(2026, 3, 8), 3, 30)))
add(c, "sun 1:30am", iso(wall("America/New_York", date(2026, 3, 8), 1, 30)))
add(c, "sun 8pm", iso(wall("America/New_York", date(2026, 3, 8), 20, 0)))
zones(c, [("sun 20:00 CET", "Europe/Berlin", 6, 20, 0, "")])
common(c)

c = ctx("America/New_York", "auto", "en", 2026, 10, 31, 12, 0)  # Sat before fall back
add(c, "sun 1:30am", iso(wall("America/New_York", date(2026, 11, 1), 1, 30, 0)))
add(c, "2026-11-01 01:30", iso(wall("America/New_York", date(2026, 11, 1), 1, 30, 0)))
add(c, "sun 8pm", iso(wall("America/New_York", date(2026, 11, 1), 20, 0)))
add(c, "in 24 hours", iso((c[3].astimezone(U) + timedelta(hours=24)).astimezone(ZoneInfo("America/New_York"))))
zones(c, [("sun 8pm GMT", "UTC", 6, 20, 0, ""), ("sun 20:00 CET", "Europe/Berlin", 6, 20, 0, "")])
common(c)

c = ctx("America/New_York", "auto", "en", 2026, 12, 31, 18, 0)  # Thu, New Year's Eve
add(c, "tonight 11:30pm", expect_wall("America/New_York", date(2026, 12, 31), 23, 30))
add(c, "tomorrow 8pm", expect_wall("America/New_York", date(2027, 1, 1), 20, 0))
add(c, "1/2 8pm", expect_wall("America/New_York", date(2027, 1, 2), 20, 0))
add(c, "jan 2 8pm", expect_wall("America/New_York", date(2027, 1, 2), 20, 0))
add(c, "12/30 8pm", "refuse: has passed")
add(c, "midnight", expect_wall("America/New_York", date(2027, 1, 1), 0, 0))
zones(c, [("fri 01:00 UTC", "UTC", 4, 1, 0, ""), ("sat 9am JST", "Asia/Tokyo", 5, 9, 0, "")])
common(c)

# ---- Australia/Sydney ----
c = ctx("Australia/Sydney", "auto", "en", 2026, 10, 3, 12, 0)  # Sat before the clocks go forward
add(c, "2026-10-04 02:30", "refuse: does not exist in Australia/Sydney")
add(c, "sun 2:30am", "refuse: does not exist")
add(c, "sun 3:00am", iso(wall("Australia/Sydney", date(2026, 10, 4), 3, 0)))
add(c, "sun 8pm", iso(wall("Australia/Sydney", date(2026, 10, 4), 20, 0)))
zones(c, [("sat 8pm PT", "America/Los_Angeles", 5, 20, 0, ""), ("sun 20:00 AEST", "Australia/Sydney", 6, 20, 0, "")])
numeric(c, date(2026, 12, 5))
common(c)

c = ctx("Australia/Sydney", "auto", "en", 2026, 4, 4, 12, 0)  # Sat before the clocks go back
add(c, "2026-04-05 02:30", iso(wall("Australia/Sydney", date(2026, 4, 5), 2, 30, 0)))
add(c, "sun 2:30am", iso(wall("Australia/Sydney", date(2026, 4, 5), 2, 30, 0)))
add(c, "sun 8pm", iso(wall("Australia/Sydney", date(2026, 4, 5), 20, 0)))
zones(c, [("sat 20:00 NZT", "Pacific/Auckland", 5, 20, 0, "")])
common(c)

c = ctx("Australia/Sydney", "auto", "en", 2026, 12, 30, 10, 0)  # Wed, summer, year end
add(c, "2 jan 8pm", expect_wall("Australia/Sydney", date(2027, 1, 2), 20, 0))
add(c, "02/01 20:00", expect_wall("Australia/Sydney", date(2027, 1, 2), 20, 0))
add(c, "28 dec 20:00", "refuse: has passed")
zones(c, [("thu 8pm ET", "America/New_York", 3, 20, 0, "")])
fixed(c, [("2027-01-02 20:00 UTC+10", datetime(2027, 1, 2, 10, 0, tzinfo=U))])
common(c)

# ---- other clubs: languages and orders ----
c = ctx("Europe/Paris", "auto", "fr", 2026, 10, 12, 10, 0)
for phrase, wd, hh, mm in (
    ("samedi 20h", 5, 20, 0),
    ("samedi 20h30", 5, 20, 30),
    ("vendredi 18h", 4, 18, 0),
    ("dimanche à 17h", 6, 17, 0),
    ("mardi 20:00", 1, 20, 0),
    ("sam. 21h", 5, 21, 0),
):
    add(c, phrase, expect_wall("Europe/Paris", next_wd(c[3].replace(tzinfo=None), wd, hh, mm, False), hh, mm))
add(c, "samedi prochain 20h", expect_wall("Europe/Paris", date(2026, 10, 17), 20, 0), "is the first Saturday")
add(c, "demain 19h30", expect_wall("Europe/Paris", date(2026, 10, 13), 19, 30))
add(c, "ce soir 21h", expect_wall("Europe/Paris", date(2026, 10, 12), 21, 0))
add(c, "ce soir 9h", expect_wall("Europe/Paris", date(2026, 10, 12), 21, 0))
add(c, "samedi soir 8h", expect_wall("Europe/Paris", date(2026, 10, 17), 20, 0))
add(c, "après-demain 20h", expect_wall("Europe/Paris", date(2026, 10, 14), 20, 0))
add(c, "5 décembre 20h", expect_wall("Europe/Paris", date(2026, 12, 5), 20, 0))
add(c, "le 5 décembre à 20h", expect_wall("Europe/Paris", date(2026, 12, 5), 20, 0))
add(c, "05/12 20h", expect_wall("Europe/Paris", date(2026, 12, 5), 20, 0))
add(c, "dans 2 heures", iso((c[3].astimezone(U) + timedelta(hours=2)).astimezone(ZoneInfo("Europe/Paris"))))
add(c, "11 octobre 20h", "refuse: has passed")
add(c, "sat 8pm", expect_wall("Europe/Paris", date(2026, 10, 17), 20, 0))
add(c, "2026-12-05 20:00", expect_wall("Europe/Paris", date(2026, 12, 5), 20, 0))
add(c, "samedi", "ask: Which time on Sat 17 Oct")
add(c, "blurday", "refuse: couldn't read")
c = ctx("Europe/Paris", "auto", "en", 2026, 10, 12, 10, 0)
add(c, "samedi 20h", "refuse: if that is French, an organizer can change it with: config set language fr")
add(c, "sat 20h", expect_wall("Europe/Paris", date(2026, 10, 17), 20, 0))
c = ctx("Europe/Berlin", "auto", "de", 2026, 10, 12, 10, 0)
add(c, "Samstag 20 Uhr", expect_wall("Europe/Berlin", date(2026, 10, 17), 20, 0))
add(c, "Samstag 20:30 Uhr", expect_wall("Europe/Berlin", date(2026, 10, 17), 20, 30))
add(c, "nächsten Freitag 20:00", expect_wall("Europe/Berlin", date(2026, 10, 16), 20, 0), "is the first Friday")
add(c, "morgen 19:30", expect_wall("Europe/Berlin", date(2026, 10, 13), 19, 30))
add(c, "heute Abend 20 Uhr", expect_wall("Europe/Berlin", date(2026, 10, 12), 20, 0))
add(c, "Samstag Abend 8 Uhr", expect_wall("Europe/Berlin", date(2026, 10, 17), 20, 0))
add(c, "übermorgen 20 Uhr", expect_wall("Europe/Berlin", date(2026, 10, 14), 20, 0))
add(c, "5. Dezember 20:00", expect_wall("Europe/Berlin", date(2026, 12, 5), 20, 0))
add(c, "05.12. 20:00", expect_wall("Europe/Berlin", date(2026, 12, 5), 20, 0))
add(c, "in 2 Stunden", iso((c[3].astimezone(U) + timedelta(hours=2)).astimezone(ZoneInfo("Europe/Berlin"))))
c = ctx("Europe/Madrid", "auto", "es", 2026, 10, 12, 10, 0)
add(c, "sábado 20:00", expect_wall("Europe/Madrid", date(2026, 10, 17), 20, 0))
add(c, "mañana 19:30", expect_wall("Europe/Madrid", date(2026, 10, 13), 19, 30))
add(c, "el próximo viernes 20:00", expect_wall("Europe/Madrid", date(2026, 10, 16), 20, 0), "is the first Friday")
add(c, "5 de diciembre 20:00", expect_wall("Europe/Madrid", date(2026, 12, 5), 20, 0))
c = ctx("Europe/Amsterdam", "auto", "nl", 2026, 10, 12, 10, 0)
add(c, "zaterdag 20:00", expect_wall("Europe/Amsterdam", date(2026, 10, 17), 20, 0))
add(c, "morgen 19:30", expect_wall("Europe/Amsterdam", date(2026, 10, 13), 19, 30))
c = ctx("Europe/Rome", "auto", "it", 2026, 10, 12, 10, 0)
add(c, "sabato 20:00", expect_wall("Europe/Rome", date(2026, 10, 17), 20, 0))
add(c, "domani 21:00", expect_wall("Europe/Rome", date(2026, 10, 13), 21, 0))
c = ctx("America/Sao_Paulo", "auto", "pt", 2026, 10, 12, 10, 0)
add(c, "sábado 20:00", expect_wall("America/Sao_Paulo", date(2026, 10, 17), 20, 0))
add(c, "amanhã 19:30", expect_wall("America/Sao_Paulo", date(2026, 10, 13), 19, 30))

c = ctx("Asia/Tokyo", "auto", "en", 2026, 10, 12, 10, 0)
numeric(c, date(2026, 12, 5))
add(c, "2026/12/05 20:00", expect_wall("Asia/Tokyo", date(2026, 12, 5), 20, 0))
zones(c, [("sat 8pm PST", "America/Los_Angeles", 5, 20, 0, ""), ("sat 20:00 KST", "Asia/Seoul", 5, 20, 0, "")])
add(c, "sat 8pm", expect_wall("Asia/Tokyo", date(2026, 10, 17), 20, 0))
c = ctx("Asia/Tokyo", "auto", "ja", 2026, 10, 12, 10, 0)
add(c, "土曜日 20:00", expect_wall("Asia/Tokyo", date(2026, 10, 17), 20, 0))
c = ctx("Europe/Dublin", "auto", "en", 2026, 10, 12, 10, 0)
zones(c, [("sat 20:00 IST", "Europe/Dublin", 5, 20, 0, ""), ("sat 20:00 GMT", "UTC", 5, 20, 0, "")])
c = ctx("Asia/Shanghai", "auto", "en", 2026, 10, 12, 10, 0)
zones(c, [("sat 20:00 CST", "Asia/Shanghai", 5, 20, 0, ""), ("sat 8pm ET", "America/New_York", 5, 20, 0, "")])
c = ctx("Asia/Kolkata", "auto", "en", 2026, 10, 12, 10, 0)
zones(
    c,
    [("sat 20:00 IST", "Asia/Kolkata", 5, 20, 0, ""), ("sat 20:00 BST", "Europe/London", 5, 20, 0, "read as UK time")],
)
c = ctx("America/Los_Angeles", "auto", "en", 2026, 7, 6, 10, 0)
zones(
    c,
    [
        ("sat 8pm PST", "America/Los_Angeles", 5, 20, 0, "read as Pacific time (PDT that day)"),
        ("sat 8pm PDT", "America/Los_Angeles", 5, 20, 0, ""),
        ("sat 8pm ET", "America/New_York", 5, 20, 0, ""),
    ],
)
numeric(c, date(2026, 8, 7))
c = ctx("Europe/London", "mdy", "en", 2026, 10, 12, 10, 0)
add(c, "12/05 20:00", expect_wall("Europe/London", date(2026, 12, 5), 20, 0))
add(c, "12/5/26 20:00", expect_wall("Europe/London", date(2026, 12, 5), 20, 0))
add(c, "12.05. 20:00", expect_wall("Europe/London", date(2026, 12, 5), 20, 0))
add(c, "5/12 20:00", "refuse: has passed")
add(c, "13/12 20:00", 'refuse: Did you mean "12/13"?')
add(c, "2026-12-05 20:00", expect_wall("Europe/London", date(2026, 12, 5), 20, 0))
add(c, "5 dec 20:00", expect_wall("Europe/London", date(2026, 12, 5), 20, 0))
add(c, "dec 5 20:00", expect_wall("Europe/London", date(2026, 12, 5), 20, 0))
c = ctx("UTC", "auto", "en", 2026, 11, 27, 10, 0)
common(c)
c = ctx("Europe/London", "ymd", "en", 2026, 10, 12, 10, 0)
add(c, "12/05 20:00", expect_wall("Europe/London", date(2026, 12, 5), 20, 0))
add(c, "26/12/05 20:00", expect_wall("Europe/London", date(2026, 12, 5), 20, 0))
zones(c, [("sat 8pm ET", "America/New_York", 5, 20, 0, "read as Eastern time (EDT)")])

with open(sys.argv[1], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["timezone", "date_order", "language", "now", "phrase", "expect", "note"])
    w.writerows(rows)
print(len(rows), "rows")
