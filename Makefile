# wuye — two commands set up a machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist): 2 by default (CI machines have 2 cores); PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=
# Directories compilemessages/makemessages never look into (they hold other projects' catalogues).
I18N_IGNORE := --ignore=.venv --ignore=node_modules --ignore=var --ignore=.git
# Apps that keep their own catalogue in wuye/<app>/locale/.
APP_LOCALES := $(patsubst %/locale/,%,$(wildcard wuye/*/locale/))

.PHONY: run test test-s3 install install-dev frontend migrate demo messages makemessages serve lint check clean bench help \
	loadtest stack-check

help:
	@echo "make run          - install, migrate, compile translations, load the demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test         - install what the tests need and run the whole suite (PYTEST_ARGS=..., PYTEST_WORKERS=0)"
	@echo "make test-s3      - the modules that store files, against a throwaway Ceph S3 gateway (scripts/test_s3.sh)"
	@echo "make lint         - ruff and makemigrations --check"
	@echo "make makemessages - extract messages into every catalogue (locale/ and wuye/<app>/locale/)"
	@echo "make loadtest     - load and fault test on the production stack, loopback only (loadtest/run.sh; not in make test)"
	@echo "make stack-check DATABASE_URL=postgres://... - start the production stack on an empty PostgreSQL database"
	@echo "                    and check it from outside (scripts/ci_stack.sh: gunicorn, Redis, Celery worker and beat)"

$(VENV)/.installed-base: requirements/base.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements/base.lock
	@touch $@

$(VENV)/.installed-dev: requirements/dev.lock $(VENV)/.installed-base
	$(PIP) install --quiet --disable-pip-version-check -r requirements/dev.lock
	@touch $@

install: $(VENV)/.installed-base frontend
install-dev: $(VENV)/.installed-dev frontend

# Front-end libraries (Bootstrap, Bootstrap Icons, htmx) from npm, served by the app itself (no CDN).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

frontend: node_modules/.installed

# Compiles every catalogue: locale/ and each app's wuye/<app>/locale/ (compilemessages walks the tree).
messages: install
	$(PY) manage.py compilemessages $(I18N_IGNORE) -v 0

# For the owner of a catalogue: extract messages. Each app's from its own directory; the project-level one
# (config/, wuye/templates/) from the root, leaving out the apps that have their own catalogue.
makemessages: install
	@for app in $(APP_LOCALES); do \
		echo "$$app"; (cd $$app && DJANGO_SETTINGS_MODULE=config.settings.local PYTHONPATH=$(CURDIR) \
			$(CURDIR)/$(VENV)/bin/django-admin makemessages -l zh_Hans --no-obsolete -v 0) || exit 1; \
	done
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete -v 0 $(I18N_IGNORE) \
		$(foreach app,$(APP_LOCALES),--ignore=$(app)) --ignore=wuye/static

migrate: install
	$(PY) manage.py migrate --noinput -v 0

demo: migrate messages
	$(PY) manage.py load_demo

serve:
	$(PY) manage.py runserver $(HOST):$(PORT)

run: demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev messages
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest \
		$(if $(filter-out 0,$(PYTEST_WORKERS)),-n $(PYTEST_WORKERS)) $(PYTEST_ARGS)

# The modules that store files, again with the files in a real S3-compatible bucket (Ceph's RADOS Gateway, started
# and stopped by scripts/test_s3.sh; needs Debian's ceph-mon ceph-osd radosgw ceph-common, which .ci/run installs).
test-s3: install-dev messages
	PYTEST_WORKERS=$(filter-out 0,$(PYTEST_WORKERS)) bash scripts/test_s3.sh $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

check: lint

bench: install-dev
	$(PY) manage.py bench

# The load and fault test (docs/deploy.md section 13, docs/benchmarks.md): bounded in time, 127.0.0.1 only.
loadtest: install-dev messages
	bash loadtest/run.sh

# The production stack started for real and checked from outside (CI runs it too): DATABASE_URL names an empty
# PostgreSQL database.
stack-check: install messages
	@test -n "$(DATABASE_URL)" || { echo "make stack-check DATABASE_URL=postgres://USER@HOST:PORT/EMPTY_DB"; exit 2; }
	bash scripts/ci_stack.sh "$(DATABASE_URL)"

clean:
	rm -rf $(VENV) node_modules var/static
