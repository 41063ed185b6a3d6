# Newsroom: `make run` to try it, `make test` to test it. `make help` lists the rest.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
# Where `make run` is reached: absolute links (canonical URLs, feeds, mails) follow it unless
# SITE_URL says otherwise. A wildcard HOST is reached as localhost, an IPv6 one in brackets.
LINK_HOST = $(if $(filter 0.0.0.0 :: [::],$(HOST)),localhost,$(if $(findstring :,$(HOST)),[$(HOST)],$(HOST)))
DEV_SITE_URL = http://$(LINK_HOST):$(PORT)
# Test processes (pytest-xdist): one per core by default, each with its own test database, Redis
# database, queues and cache folder (newsroom/testing.py). TEST_PROCESSES=0 runs in one process.
# A process that runs out of tests takes some of another's (worksteal): the suite's long tests
# (workers, browsers, the whole stack) would otherwise leave one process busy at the end.
TEST_PROCESSES ?= auto
XDIST = -n $(TEST_PROCESSES) --dist worksteal

.DEFAULT_GOAL := help
.PHONY: help venv lock run test test-quick lint format bench migrate clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.lock requirements-dev.lock
	@$(PYTHON) -c 'import sys; sys.exit("Newsroom needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $(STAMP)

venv: $(STAMP) ## Create .venv and install the locked requirements (hashes checked)

lock: $(STAMP) ## Compile requirements.lock and requirements-dev.lock (with hashes) from the pins
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url \
		--no-emit-find-links --no-header -o requirements.lock requirements.txt
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url \
		--no-emit-find-links --no-header --constraint requirements.lock \
		-o requirements-dev.lock requirements.txt requirements-dev.txt

run: export DEBUG ?= 1
run: export HOST := $(HOST)
run: export PORT := $(PORT)
run: export DEV_SITE_URL := $(DEV_SITE_URL)
run: $(STAMP) ## Run site, worker and beat together on the embedded defaults (Ctrl-C stops all)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py seed_newsletter_demo
	@echo ""
	@echo "  Site:   $(DEV_SITE_URL)/"
	@echo "  Admin:  $(DEV_SITE_URL)/admin/"
	@echo "  API:    $(DEV_SITE_URL)/api/v1/"
	@echo "  Health: $(DEV_SITE_URL)/healthz/full"
	@echo "  Mail:   $(DEV_SITE_URL)/dev/mail/"
	@echo ""
	@echo "  Nothing is mailed by itself: the daily digest waits as a draft (Admin > Editions)."
	@echo ""
	@# honcho answers Ctrl-C with 130 once everything stopped cleanly: no make error for that.
	$(BIN)/honcho start -f Procfile || [ $$? -eq 130 ]

test: $(STAMP) ## Run the whole test suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)
	@# Passwords in the URLs stay out of the log.
	@echo "Testing against database: $${DATABASE_URL:-SQLite (embedded default)}; broker/cache: $${REDIS_URL:-embedded (no Redis)}" | sed -E 's#://[^/@ ]*@#://#g'
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

test-quick: $(STAMP) ## The tests without worker processes, a browser or other slow ones (a quick loop)
	$(BIN)/python -m pytest $(XDIST) -m "not worker and not browser and not slow" $(PYTEST_ARGS)

lint: $(STAMP) ## ruff check and ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## Fix what ruff can fix and format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP) ## Run the benchmarks in bench/ against PostgreSQL and Redis
	$(BIN)/python bench/run.py

clean: ## Remove the local database, cache, broker files, media and mail (keeps .venv)
	rm -rf var
