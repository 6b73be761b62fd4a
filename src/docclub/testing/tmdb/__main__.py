"""`python -m docclub.testing.tmdb [--port 8765] [--key demo]`: serve the fake TMDB until Ctrl-C."""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from docclub.testing.tmdb.server import FakeTmdb


async def serve(port: int, key: str) -> None:
    fake = await FakeTmdb(key=key).start(port)
    print(f"fake TMDB at {fake.url} (key {key!r}); Ctrl-C stops it", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await fake.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--key", default="demo")
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.port, args.key))


if __name__ == "__main__":
    main()
