# docclub in a slim image: dependencies installed by uv from uv.lock, run as a non-root user.
#   docker build -t docclub .
#   docker run --env-file .env -v docclub-data:/data docclub        (SQLite in /data)
# or `docker compose up -d` with compose.yaml (PostgreSQL).

FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim AS build
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
WORKDIR /app
# Dependencies first (cached while only docclub's own code changes), then docclub itself.
COPY pyproject.toml uv.lock README.md ./
COPY adapters/discord/pyproject.toml adapters/discord/
COPY adapters/slack/pyproject.toml adapters/slack/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --locked --no-dev --all-extras --no-install-workspace
COPY src src
COPY adapters adapters
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --locked --no-dev --all-extras --no-editable

FROM python:3.12-slim-bookworm
RUN useradd --system --uid 10001 --user-group --home-dir /data --create-home docclub
COPY --from=build /app/.venv /app/.venv
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DOCCLUB_DATABASE_URL=sqlite:////data/docclub.db
USER docclub
WORKDIR /data
VOLUME /data
# The one HTTP server: the club page and its calendar feed, /healthz, /metrics, and Slack HTTP
# mode (POST /slack/events).
EXPOSE 3000
# Healthy when the event loop answers and the database is reachable (/healthz); the image has
# no curl, so Python asks.
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('DOCCLUB_HTTP_PORT', '3000') + '/healthz', timeout=4)"]
ENTRYPOINT ["docclub"]
CMD ["run"]
