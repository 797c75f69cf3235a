# Harm Reduction Commons. `make run` and `make test` need only Python 3.11.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test install install-dev migrate seed browser-deps bench lock clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Two locks compiled by pip-tools from requirements/*.in (`make lock`): requirements.txt is what runs the
# site, requirements-dev.txt adds what tests and benchmarks need. Every file is checked against its hash.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Serving on http://$(HOST):$(PORT)/  (demo accounts: organiser, moderator, moderator2, peer, newcomer, supporter, checker; password demo-pass-123)"
	$(BIN)/uvicorn config.asgi:application --host $(HOST) --port $(PORT) --no-access-log --no-proxy-headers --lifespan off --log-config deploy/uvicorn-logging.json

test: install-dev
	$(BIN)/python -m pytest

bench: install-dev
	$(BIN)/python bench/pages.py

# After editing requirements/runtime.in or dev.in: recompile both locks. Versions already locked stay
# unless an .in file asks for another (`make lock UPGRADE=--upgrade-package=django` moves one on purpose).
PIP_COMPILE = cd requirements && ../$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links $(UPGRADE)
lock: | $(BIN)/python
	$(BIN)/pip install --quiet pip-tools==7.6.2
	$(PIP_COMPILE) --output-file=../requirements.txt runtime.in
	$(PIP_COMPILE) --output-file=../requirements-dev.txt dev.in

# Translations (docs/translating.md): collect every wrapped string into locale/es and locale/fr (needs GNU
# gettext's xgettext: `apt-get install gettext`), then compile the .mo files with polib and check that every
# entry is translated. Add a language with `-l xx` here and in settings.LANGUAGES.
messages: install-dev
	$(BIN)/python manage.py makemessages -l es -l fr --no-location --no-obsolete --ignore=.venv --ignore=tests --ignore=var --ignore=staticfiles
	$(BIN)/python -m commons.catalogues compile

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
