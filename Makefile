# Inflow: the two commands a new user needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
BENCH_STAMP := $(VENV)/.installed-bench
# A real LRS for the xAPI tests (Ralph), in a venv of its own: its pins clash with ours.
LRS_VENV := .venv-lrs
LRS_STAMP := $(LRS_VENV)/.installed
LRS_REQUIREMENTS := tests/xapi/lrs/requirements.txt
NODE_TOOLS := tests/extension
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint format bench extension wheel browsers node-tools lrs clean

run: $(RUN_STAMP) ## start the companion on 127.0.0.1:8765 with the journal in your data dir
	$(BIN)/inflow serve

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip

$(RUN_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e '.[test]'
	touch $(RUN_STAMP) $@

$(BENCH_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e '.[test,bench]'
	touch $(RUN_STAMP) $(TEST_STAMP) $@

$(LRS_STAMP): $(LRS_REQUIREMENTS)
	$(PYTHON) -m venv $(LRS_VENV)
	$(LRS_VENV)/bin/pip install -q -U pip
	$(LRS_VENV)/bin/pip install -q -r $(LRS_REQUIREMENTS)
	touch $@

lrs: $(LRS_STAMP) ## the test LRS (Ralph) for tests/xapi

browsers: ## Debian's Chromium, Firefox ESR, sqlite3 and systemd-analyze (autostart unit) for the tests
	@test -x /usr/bin/chromium -a -x /usr/bin/firefox-esr -a -x /usr/bin/sqlite3 \
		-a -x /usr/bin/systemd-analyze || { \
		$(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive \
		$(SUDO) apt-get install -y -q chromium firefox-esr sqlite3 systemd; }

node-tools: ## web-ext (Firefox lint), pinned in tests/extension/package-lock.json
	@if [ -f $(NODE_TOOLS)/package-lock.json ]; then \
		cd $(NODE_TOOLS) && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; }; fi

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(TEST_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: $(TEST_STAMP) $(LRS_STAMP) browsers node-tools lint ## install what the tests need and run them all
	@if ls $(NODE_TOOLS)/*.test.mjs >/dev/null 2>&1; then node --test $(NODE_TOOLS)/; fi
	INFLOW_REQUIRE_LRS=1 $(BIN)/pytest

bench: $(BENCH_STAMP) ## benchmarks and quality figures (not part of make test)
	$(BIN)/python -m bench

extension: node-tools ## store packages in dist/: Chrome (a zip without `key`), Firefox (web-ext build)
	$(PYTHON) tests/extension/package_extension.py --out dist

wheel: $(TEST_STAMP) ## dist/inflow-VERSION-py3-none-any.whl, to install with pipx
	rm -rf build  # setuptools would reuse stale files from an earlier build
	$(BIN)/python -m build --wheel --outdir dist .

clean:
	rm -rf $(VENV) $(LRS_VENV) .pytest_cache .ruff_cache test-artifacts dist build
