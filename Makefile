# docclub — make run · make test · make bench · make lint
SHELL := /bin/bash
UV := scripts/uv
PY := .venv/bin/python

.PHONY: run test bench bench-quick lint install

## Install uv if missing (scripts/uv), then the locked dependencies into .venv.
install:
	@$(UV) sync --all-extras --locked --quiet

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
