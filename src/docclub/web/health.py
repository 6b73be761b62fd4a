"""`/healthz` and `/metrics` for operators: no member data, no secrets.

`/healthz` answers 200 when the event loop runs a callback promptly and the store answers a
read; otherwise 503 with the reason (a fixed phrase and an exception's class, never a database
address or a message that might hold one)."""

from __future__ import annotations

import asyncio
import time

from aiohttp import web

from docclub import metrics
from docclub.core.ports import ClubStore

__all__ = ["operator_routes"]

STORE_TIMEOUT = 2.0  # seconds a health read may take
LOOP_LAG_LIMIT = 1.0  # seconds a callback may wait for the loop


async def _loop_lag() -> float:
    loop = asyncio.get_running_loop()
    started = time.perf_counter()
    ran = loop.create_future()
    loop.call_soon(ran.set_result, None)
    await ran
    return time.perf_counter() - started


def operator_routes(store: ClubStore) -> list[web.RouteDef]:
    async def healthz(_: web.Request) -> web.Response:
        lag = await _loop_lag()
        if lag > LOOP_LAG_LIMIT:
            return _unhealthy(f"event loop lagging {lag:.1f} s")
        try:
            await asyncio.wait_for(store.read(lambda tx: tx.clubs.get_by_id(0)), STORE_TIMEOUT)
        except TimeoutError:
            return _unhealthy(f"store did not answer within {STORE_TIMEOUT:g} s")
        except Exception as exc:
            return _unhealthy(f"store unreachable ({type(exc).__name__})")
        return web.json_response({"status": "ok"}, headers={"Cache-Control": "no-store"})

    async def metrics_text(_: web.Request) -> web.Response:
        body = await asyncio.to_thread(metrics.exposition)
        return web.Response(body=body, headers={"Content-Type": metrics.CONTENT_TYPE, "Cache-Control": "no-store"})

    return [web.get("/healthz", healthz), web.get("/metrics", metrics_text)]


def _unhealthy(reason: str) -> web.Response:
    return web.json_response(
        {"status": "unavailable", "reason": reason}, status=503, headers={"Cache-Control": "no-store"}
    )
