# Pontive developer tasks. `make run` serves the app with demo data; `make test` is what CI runs first.
#
#   make venv           .venv with the project and its dev tools (reinstalled when pyproject.toml changes)
#   make translations   compile the Babel catalogues, if there are any
#   make translations-update  extract the UI strings into messages.pot and merge them into each .po
#   make db             migrate instance/pontive.db (or $DATABASE_URL) and load demo data into an empty one
#   make run            all of the above, print the demo logins, serve on 127.0.0.1:$PORT (default 5000)
#   make browser        install Debian's Chromium for the browser tests (root only; never fails)
#   make lint           ruff check + ruff format --check
#   make test           lint + the whole pytest suite (browser tests included)
#   make bench          seed --scale 1 and 10, serve each with gunicorn, load every role's pages (bench/README.md)
#   make soak           the reliability tests for longer (SOAK_SECONDS=120)
#   make clean          caches, build output and compiled catalogues (keeps .venv and instance/)
#   make distclean      clean, and remove .venv too

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.pontive-installed
FLASK := $(BIN)/flask --app wsgi
CHROMIUM := /usr/bin/chromium

.PHONY: help venv translations translations-update db run browser lint test bench soak clean distclean

help:
	@sed -n 's/^#   //p' $(firstword $(MAKEFILE_LIST))

# --- virtualenv ---------------------------------------------------------------------------------

venv: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The stamp lives inside .venv, so a recreated venv is reinstalled too.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -e '.[dev]'
	touch $@

# --- app ----------------------------------------------------------------------------------------

translations: venv
	@if find pontive/translations -name '*.po' 2>/dev/null | grep -q .; then \
		$(BIN)/pybabel compile -d pontive/translations; \
	else \
		echo "translations: no .po catalogues under pontive/translations, nothing to compile"; \
	fi

# After adding or changing a string: run this, translate every new or "fuzzy" entry in
# pontive/translations/en/LC_MESSAGES/messages.po, then `make translations` (tests/web/test_i18n.py
# fails while any entry is untranslated or fuzzy).
translations-update: venv
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ -k lazy_gettext \
		--project=Pontive --copyright-holder="Pontive" --msgid-bugs-address="" \
		-o pontive/translations/messages.pot .
	$(BIN)/pybabel update -i pontive/translations/messages.pot -d pontive/translations --ignore-obsolete

db: venv
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty

run: venv translations db
	@echo
	@echo "Demo logins (password: $${DEMO_PASSWORD:-pontive-demo}, as set when the demo data was first loaded)"
	@$(BIN)/python -c 'from pontive.accounts.demo import DEMO_USERS; from pontive.accounts.roles import ROLE_LABELS; \
		print("  %-14s %s" % ("username", "role")); \
		print("\n".join("  %-14s %s" % (r.value, ROLE_LABELS[r]) for r in DEMO_USERS))'
	@echo
	@echo "Pontive on http://127.0.0.1:$${PORT:-5000}/  (Ctrl-C stops it)"
	exec $(BIN)/gunicorn -w 2 -b 127.0.0.1:$${PORT:-5000} --access-logfile - wsgi:app

# --- checks -------------------------------------------------------------------------------------

# Chromium for tests/browser. Never fails: without a browser the tests skip (or fail under CI=...).
browser:
	@if [ -x $(CHROMIUM) ]; then \
		echo "browser: $(CHROMIUM) present"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "browser: installing Debian's chromium"; \
		( export DEBIAN_FRONTEND=noninteractive; \
		  apt-get update -qq && apt-get install -y -qq chromium ) </dev/null \
		|| echo "browser: WARNING: could not install chromium; the browser tests decide what that means"; \
	else \
		echo "browser: WARNING: $(CHROMIUM) missing and not root; install Debian's chromium to run tests/browser"; \
	fi

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: venv translations browser lint
	$(BIN)/pytest

# Prints one table and writes bench/results/<date>-<scale>.csv and <date>-summary.csv.
# BENCH_SCALES=1 for a quick run; BENCH_DATABASE_URL=postgresql://… to bench PostgreSQL.
bench: venv
	$(BIN)/python bench/run.py

soak: venv translations
	SOAK_SECONDS=$${SOAK_SECONDS:-120} $(BIN)/pytest -q tests/reliability

# --- cleaning -----------------------------------------------------------------------------------

clean:
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	find pontive -name '*.mo' -delete
	rm -rf .pytest_cache .ruff_cache build dist test-results *.egg-info

distclean: clean
	rm -rf $(VENV)
