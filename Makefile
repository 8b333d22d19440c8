# Lunch: `make run` starts everything locally, `make test` runs the whole suite.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
RUN_ARGS ?=
PYTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: help setup run test test-faults lint format typecheck bench clean

help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

setup: ## Install the locked Python deps and the `lunch` command into .venv; build the Mini App
	@if command -v uv >/dev/null 2>&1; then uv=uv; \
	else $(PYTHON) -m pip install --quiet uv && uv="$(PYTHON) -m uv"; fi; \
	echo "$$uv sync --frozen"; $$uv sync --frozen
	@if [ -f miniapp/package.json ]; then $(MAKE) --no-print-directory miniapp; fi
	@if [ -f miniapp/package.json ] && [ ! -x /usr/bin/chromium ]; then $(MAKE) --no-print-directory chromium; fi

.PHONY: chromium
chromium: # Debian's Chromium for the Mini App's browser tests (Playwright cannot download one here)
	@sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	$$sudo apt-get update -q && $$sudo apt-get install -y -q chromium

.PHONY: miniapp
miniapp: # Install the Mini App's packages when they changed, rebuild it when its sources did
	@cd miniapp && \
	if [ ! -d node_modules ] || [ package.json -nt node_modules ] || \
	   { [ -f package-lock.json ] && [ package-lock.json -nt node_modules ]; }; then \
		if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; \
		else npm install --no-audit --no-fund; fi && mkdir -p node_modules && touch node_modules; \
	fi && \
	if [ ! -d dist ] || [ -n "$$(find . -path ./node_modules -prune -o -path ./dist -prune \
	     -o -type f -newer dist -print -quit)" ]; then \
		npm run build && touch dist; \
	fi

run: setup ## Start the embedded stack and every component (`lunch run`; RUN_ARGS="--port 8001")
	$(BIN)/lunch run $(RUN_ARGS)

test: setup ## Run the whole test suite; fixtures start the services it needs
	@code=0; $(BIN)/pytest $(PYTEST_ARGS) || code=$$?; \
	if [ $$code -eq 5 ]; then echo "pytest collected no tests: nothing ran"; code=0; fi; \
	exit $$code

test-faults: setup ## The long fault-injection cases only (kill -9, broker loss, outages)
	$(BIN)/pytest -m faults tests/faults $(PYTEST_ARGS)

lint: ## ruff, formatting and the dependency contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	@if [ -d miniapp/node_modules ]; then cd miniapp && npm run --silent lint; fi

format: ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: ## mypy --strict
	$(BIN)/mypy

bench: setup ## Run every tests/bench/bench_*.py script (BENCH_ARGS="--quick"); a missed goal fails at the end
	@found=0; missed=; for script in tests/bench/bench_*.py; do \
		[ -e "$$script" ] || continue; found=1; \
		module=$${script%.py}; module=$${module//\//.}; \
		echo "== $$module"; $(BIN)/python -m $$module $(BENCH_ARGS) || missed="$$missed $$module"; \
	done; [ $$found = 1 ] || echo "no tests/bench/bench_*.py scripts yet"; \
	if [ -n "$$missed" ]; then echo "missed a goal or failed:$$missed"; exit 1; fi

clean: ## Remove caches and build output (keeps .venv and the .lunch data)
	rm -rf .pytest_cache .mypy_cache .ruff_cache miniapp/dist build dist *.egg-info
	find . -path ./.venv -prune -o -name __pycache__ -type d -exec rm -rf {} +

.PHONY: install-prod build-check
UV ?= $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")

install-prod: ## The image's install step: locked runtime deps and `lunch` into $UV_PROJECT_ENVIRONMENT
	@# Never into the development .venv: `uv sync --no-dev` would remove the dev tools from it.
	@if [ -z "$$UV_PROJECT_ENVIRONMENT" ]; then \
		echo "set UV_PROJECT_ENVIRONMENT to the venv to create (ops/Dockerfile and ops/build-check do)"; \
		exit 2; fi
	$(UV) sync --frozen --no-dev

build-check: ## Run ops/Dockerfile's install and build steps in a scratch folder
	ops/build-check
