# Harm Reduction Commons. `make run` and `make test` need only Python 3.11.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test install migrate seed browser-deps bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Serving on http://$(HOST):$(PORT)/  (demo accounts: organiser, moderator, moderator2, peer, newcomer, supporter; password demo-pass-123)"
	$(BIN)/uvicorn config.asgi:application --host $(HOST) --port $(PORT) --no-access-log --no-proxy-headers --lifespan off --log-config deploy/uvicorn-logging.json

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
