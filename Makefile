# docclub — make run · make test · make bench · make lint
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
PY := .venv/bin/python

.PHONY: run test test-fast bench bench-quick lint install uv

uv:
	@command -v uv >/dev/null 2>&1 || [ -x "$(UV)" ] || python3 -m pip install --user --quiet uv || python3 -m pip install --quiet uv

install: uv
	@$$(command -v uv || echo "$(UV)") sync --all-extras --locked --quiet

## Start the bot: every platform whose tokens are set, or the console when none are.
run: install
	@$(PY) -m docclub run

## The whole test suite (core, storage, scheduler, console, scenarios, adapters, reliability).
test: install
	$(PY) -m pytest -q

bench: install
	$(PY) -m benchmarks

bench-quick: install
	$(PY) -m benchmarks --quick

lint: install
	.venv/bin/ruff check src adapters tests benchmarks
	.venv/bin/ruff format --check src adapters
	.venv/bin/mypy src adapters/discord/src adapters/slack/src
