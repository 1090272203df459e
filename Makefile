PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# axe-core for the browser tests' accessibility checks (package.json); only the tests need Node.js.
NODE_STAMP := node_modules/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench worker beat lint install migrate demo help-screenshots

# DEBUG is off by default (config/settings.py); the local targets turn it on unless DEBUG is given.
# worker and beat are what production runs, so they take DEBUG, SECRET_KEY and the rest from the environment.
migrate demo run bench: export DEBUG ?= true

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

$(NODE_STAMP): package.json
	npm install --no-audit --no-fund --silent
	touch $(NODE_STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo --scale small

run: demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install $(NODE_STAMP)
	$(PY) -m pytest

# The help's screenshots (static/help/) are taken by a browser test walking each role's main tasks.
help-screenshots: install
	HELP_SCREENSHOTS_DIR=static/help BROWSER_TESTS=required $(PY) -m pytest tests/browser/test_help_screenshots.py -q

bench: install
	$(PY) bench/run.py

worker: install
	$(VENV)/bin/celery -A config worker -l info

beat: install
	$(VENV)/bin/celery -A config beat -l info

lint: install
	$(VENV)/bin/ruff check .
