"""Reading the time of a watch party or a poll deadline, in the club's timezone.

`reading` reads a time ("sat 8pm", "2026-12-05 20:00", "in 2 hours"); it uses `days` (weekdays,
calendar dates), `zones` (zone
words and the club's date order), `languages` (other languages' words), `spans` (lengths and
reminder offsets) and `wording` (how days are said back). Nothing here knows of a club's store:
these modules import only `errors`, `models` and `replies`, and each other in that order
(wording, spans <- zones, days, languages <- reading).
"""

from docclub.core.when.languages import LIKELY_LANGUAGES, find_language
from docclub.core.when.reading import Reading, parse_when, read_in_club, read_when, warm_up
from docclub.core.when.spans import check_duration, check_offset, parse_duration, parse_offset
from docclub.core.when.wording import describe
from docclub.core.when.zones import DATE_ORDERS, countries, date_order_for, zone_country

__all__ = [
    "DATE_ORDERS",
    "LIKELY_LANGUAGES",
    "Reading",
    "check_duration",
    "check_offset",
    "countries",
    "date_order_for",
    "describe",
    "find_language",
    "parse_duration",
    "parse_offset",
    "parse_when",
    "read_in_club",
    "read_when",
    "warm_up",
    "zone_country",
]
