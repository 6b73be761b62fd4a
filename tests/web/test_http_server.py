"""The process's one HTTP server: one port for the page, the operators' endpoints and Slack."""

from __future__ import annotations

import logging
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from docclub.bootstrap import runtime, serve_http
from docclub.config import Settings
from docclub.testing import FakeClock


def settings(tmp_path: Path, port: int = 0, public: str | None = None, db: str = "club.db") -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        docclub_database_url=f"sqlite:///{tmp_path / db}",
        docclub_http_host="127.0.0.1",
        docclub_http_port=port,
        docclub_public_url=public,
    )


async def test_routes_an_adapter_adds_share_the_port_with_the_page(tmp_path: Path) -> None:
    async with runtime(settings(tmp_path), clock=FakeClock()) as rt:
        rt.http.add_routes([web.post("/slack/events", lambda _: web.Response(text="slack"))])
        assert await serve_http(rt, required=True)
        async with aiohttp.ClientSession() as http:
            async with http.post(rt.http.local_url + "/slack/events") as resp:
                assert await resp.text() == "slack"
            async with http.get(rt.http.local_url + "/healthz") as resp:
                assert resp.status == 200
        with pytest.raises(RuntimeError):
            rt.http.add_routes([web.get("/late", lambda _: web.Response())])


async def test_a_taken_port_leaves_the_console_running_and_says_why(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with runtime(settings(tmp_path, db="a.db"), clock=FakeClock()) as first:
        await serve_http(first, required=True)
        async with runtime(settings(tmp_path, port=first.http.port, db="b.db"), clock=FakeClock()) as second:
            with caplog.at_level(logging.WARNING, logger="docclub"):
                assert not await serve_http(second, required=False)
            assert "DOCCLUB_HTTP_PORT" in caplog.text
            with pytest.raises(OSError):
                await serve_http(second, required=True)


async def test_links_use_the_public_address_when_one_is_set(tmp_path: Path) -> None:
    async with runtime(settings(tmp_path, public="https://club.example.org"), clock=FakeClock()) as rt:
        await serve_http(rt, required=True)
        assert rt.app.club_page.base_url == "https://club.example.org"
