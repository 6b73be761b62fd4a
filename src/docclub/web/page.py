"""The club page and its calendar feed: `/club/<club>/<token>/` and `…/calendar.ics`.

Both ask the core (`app.club_page`), which checks the token and reads the club in one
transaction. Anything that is not a club's working token (no such club, no link, a wrong,
revoked or other club's token, a malformed number) gets the same 404 after the same work.
Templates autoescape; the page loads only its own stylesheet, script and icon, under a
Content-Security-Policy that allows nothing else; no Referer leaves it (the address is a secret).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp_jinja2
import jinja2
from aiohttp import web
from markupsafe import Markup

from docclub.core.club_page import ClubPage, FilmPoint
from docclub.core.club_pages import ClubPages
from docclub.core.models import PollMethod, RatingScale
from docclub.web import charts

__all__ = ["CSP", "page_routes", "render_page", "setup_templates"]

STATIC = Path(__file__).with_name("static")
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "private, no-cache",
}
MAX_DRAWN = 64  # club page addresses whose HTML is kept
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
METHODS = {
    PollMethod.SINGLE: "Single choice",
    PollMethod.APPROVAL: "Approval: a vote for every film you'd watch",
    PollMethod.RANKED: "Ranked choice (instant-runoff)",
}
NOT_FOUND = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Not found</title>"
    "<p>There is no page here. Ask an organizer of your club for the address (club link).</p></html>"
)


def _web_link(value: str | None) -> str | None:
    """A member's text as a link target only when it is plainly a web address."""
    if value and value.startswith(("https://", "http://")) and " " not in value:
        return value
    return None


def setup_templates(app: web.Application) -> jinja2.Environment:
    env = aiohttp_jinja2.setup(
        app,
        loader=jinja2.PackageLoader("docclub.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(charts=charts, methods=METHODS, web_link=_web_link, **_drawn(env))
    return env


def _drawn(env: jinja2.Environment) -> dict[str, Callable[..., Markup]]:
    """The charts as SVG, each drawn once for what it shows. A chart is a function of its numbers
    and labels alone, so one drawn before is kept by those values (never by club or time: a
    changed number is a different key, so a kept chart is never out of date) and the next page
    showing the same numbers takes it as it is. Most films' ratings stop changing once scores
    show, so a page mostly redraws nothing."""
    macros: Any = env.get_template("charts.html").module  # its macros, bars and line

    @functools.lru_cache(maxsize=2048)
    def distribution_svg(distribution: tuple[int, ...], scale: RatingScale) -> Markup:
        return Markup(macros.bars(charts.distribution_chart(distribution, scale), "dist"))

    @functools.lru_cache(maxsize=128)
    def over_time_svg(points: tuple[FilmPoint, ...], scale: RatingScale, zone: ZoneInfo) -> Markup:
        return Markup(macros.line(charts.over_time_chart(points, scale, zone)))

    @functools.lru_cache(maxsize=128)
    def months_svg(per_month: tuple[tuple[date, int], ...]) -> Markup:
        return Markup(macros.bars(charts.months_chart(per_month), "months"))

    return {"distribution_svg": distribution_svg, "over_time_svg": over_time_svg, "months_svg": months_svg}


def _formatters(page: ClubPage) -> dict[str, object]:
    zone = ZoneInfo(page.timezone)

    def when(at: datetime) -> str:
        local = at.astimezone(zone)
        return f"{DAYS[local.weekday()]} {local.day} {charts.MONTHS[local.month - 1]} {local.year}, {local:%H:%M}"

    def day(at: datetime) -> str:
        local = at.astimezone(zone)
        return f"{local.day} {charts.MONTHS[local.month - 1]} {local.year}"

    def zone_name(at: datetime) -> str:
        return at.astimezone(zone).tzname() or page.timezone

    return {"when": when, "day": day, "zone_name": zone_name, "zone": zone}


def render_page(env: jinja2.Environment, page: ClubPage, *, feed_url: str, webcal_url: str) -> str:
    """The page's HTML (for the handler and the benchmark)."""
    template = env.get_template("club.html")
    return template.render(page=page, feed_url=feed_url, webcal_url=webcal_url, **_formatters(page))


def _not_found() -> web.Response:
    return web.Response(status=404, text=NOT_FOUND, content_type="text/html", headers=SECURITY_HEADERS)


def _club_id(text: str) -> int:
    # A malformed number takes the same path as an unknown club (id 0 names none).
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else 0


def page_routes(pages: ClubPages, app: web.Application) -> list[web.AbstractRouteDef]:
    """The page and feed handlers, with templates set up on `app`."""
    env = setup_templates(app)
    # The HTML last drawn for each address: the core gives the very same page again while
    # nothing changed (KeptPages), and the same page at the same address is the same HTML.
    drawn: dict[str, tuple[ClubPage, bytes]] = {}

    async def page(request: web.Request) -> web.Response:
        club_id, token = _club_id(request.match_info["club"]), request.match_info["token"]
        found = await pages.page(club_id, token)
        if found is None:
            return _not_found()
        base = f"{pages.base_url}/club/{club_id}/{token}"
        feed = f"{base}/calendar.ics"
        last = drawn.get(feed)
        if last is not None and last[0] is found:
            body = last[1]
        else:
            webcal = "webcal://" + feed.split("://", 1)[1]
            body = render_page(env, found, feed_url=feed, webcal_url=webcal).encode()
            drawn.pop(feed, None)
            drawn[feed] = (found, body)
            while len(drawn) > MAX_DRAWN:
                drawn.pop(next(iter(drawn)))
        return web.Response(body=body, content_type="text/html", charset="utf-8", headers=SECURITY_HEADERS)

    async def feed(request: web.Request) -> web.Response:
        club_id, token = _club_id(request.match_info["club"]), request.match_info["token"]
        body = await pages.feed(club_id, token)
        if body is None:
            return _not_found()
        return web.Response(
            body=body,
            content_type="text/calendar",
            charset="utf-8",
            headers={**SECURITY_HEADERS, "Content-Disposition": 'inline; filename="docclub-club.ics"'},
        )

    return [
        web.get("/club/{club}/{token}/", page),
        web.get("/club/{club}/{token}", page),
        web.get("/club/{club}/{token}/calendar.ics", feed),
        web.static("/static", STATIC, append_version=False),
    ]
