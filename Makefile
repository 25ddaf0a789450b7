# The two commands of README.md are `make run` and `make test`; the rest serve them.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test setup lint fmt bench messages lock check-deploy clean

# Create the virtual environment and install the locked versions, again only when the lock changes.
$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

setup: $(VENV)/.installed messages

# Test settings: these commands need no production secrets, even where DATABASE_URL is set.
MANAGE_TEST := DJANGO_SETTINGS_MODULE=portal.test_settings $(PY) manage.py

messages: $(VENV)/.installed
	$(MANAGE_TEST) compilemessages --ignore=.venv --verbosity 0

# Runs the portal with demo data on the embedded default (SQLite, tasks in-process).
run: setup
	$(PY) manage.py migrate --noinput --verbosity 0
	$(PY) manage.py seed_demo
	@echo "Portal: http://127.0.0.1:$(PORT)/"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The whole suite: lint, migrations check, then pytest (PostgreSQL/Redis when DATABASE_URL and
# REDIS_URL are set, as in CI; SQLite with eager tasks otherwise).
test: setup lint
	$(MANAGE_TEST) makemigrations --check --dry-run --verbosity 0
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

# Ruff (style, and no imports inside functions) and import-linter (apps and modules in layers).
lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

fmt:
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# The load benchmark (not a test): see README, "Benchmarks". It drops and refills the database
# named in BENCH_DATABASE_URL (its name must contain "bench"), so it never touches another one.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/15
bench: setup
	@command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) SECRET_KEY=bench-only \
	  ALLOWED_HOSTS=127.0.0.1 PORTAL_DEVTOOLS=true $(PY) manage.py benchmark --fresh $(BENCH_ARGS)

# Regenerate the lock from pyproject.toml in a throw-away environment.
lock:
	rm -rf /tmp/portal-lock && $(PYTHON) -m venv /tmp/portal-lock
	$(PYTHON) -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
	  print('\n'.join(p['dependencies'] + p['optional-dependencies']['dev']))" > /tmp/portal-lock/req.in
	/tmp/portal-lock/bin/pip install --quiet --upgrade pip
	/tmp/portal-lock/bin/pip install --quiet -r /tmp/portal-lock/req.in
	/tmp/portal-lock/bin/pip freeze > requirements.lock

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-artifacts
