# The two commands: `make run` starts the portal, `make test` runs the whole test suite.
# Both set everything up from a fresh clone (Python 3.11+ and Node/npm are all you need).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python

.PHONY: run test setup lint check clean

run: setup
	$(PY) manage.py seed_demo --if-empty
	@echo "Starting the portal on http://127.0.0.1:$${PORTAL_PORT:-8000} with a Celery worker and beat (Ctrl-C stops all three)."
	$(BIN)/honcho start -f Procfile

# pytest-xdist, one process per core; the 25 slowest tests are listed at the end, so a test
# that makes CI slow is seen where CI's output is read.
test: setup $(VENV)/.dev-installed
	$(BIN)/pytest -n auto --durations=25

# Install what changed, migrate and make sure beat's schedule exists.
setup: $(VENV)/.installed node_modules/.installed
	$(PY) manage.py migrate --no-input
	$(PY) manage.py install_schedules

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

check: setup
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

clean:
	rm -rf $(VENV) node_modules staticfiles
