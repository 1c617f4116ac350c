# wuye — two commands set up a machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test install install-dev frontend migrate demo messages serve lint check clean bench help

help:
	@echo "make run    - install, migrate, load the demo data and serve on http://$(HOST):$(PORT)"
	@echo "make test   - install what the tests need and run the whole suite"
	@echo "make lint   - ruff and makemigrations --check"

$(VENV)/.installed-base: requirements/base.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements/base.lock
	@touch $@

$(VENV)/.installed-dev: requirements/dev.lock $(VENV)/.installed-base
	$(PIP) install --quiet --disable-pip-version-check -r requirements/dev.lock
	@touch $@

install: $(VENV)/.installed-base frontend
install-dev: $(VENV)/.installed-dev frontend

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

frontend: node_modules/.installed

messages: install
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

migrate: install
	$(PY) manage.py migrate --noinput -v 0

demo: migrate messages
	$(PY) manage.py load_demo

serve:
	$(PY) manage.py runserver $(HOST):$(PORT)

run: demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev messages
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

bench: install-dev
	$(PY) manage.py bench

clean:
	rm -rf $(VENV) node_modules var/static
