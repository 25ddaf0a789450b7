# The two commands of README.md are `make run` and `make test`; the rest serve them.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test setup lint fmt bench messages lock upgrade check-deploy clean

# uv installs the locked versions (uv.lock) several times faster than pip. When it is not on the
# machine, it is installed from PyPI into a venv of its own (.uv/), pinned like everything else.
UV_VERSION := 0.13.9
UV := $(or $(shell command -v uv 2>/dev/null),.uv/bin/uv)
# Never download a Python: use the machine's python3.11.
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
# Compile .pyc files at install: PYTHONDONTWRITEBYTECODE (above) keeps Python from writing them
# later, so without this every command would compile Django and the rest from source again.
export UV_COMPILE_BYTECODE := 1

# With the interpreter's pip straight into .uv/ (a venv's own pip costs seconds to set up); a
# venv where python3.11 comes without pip.
.uv/bin/uv:
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target .uv uv==$(UV_VERSION) \
	  || { rm -rf .uv && $(PYTHON) -m venv .uv \
	       && .uv/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION); }

# Runtime dependencies only (what production has): enough to run the portal and its demo data.
# --inexact leaves the development tools of an earlier `make test` installed.
$(VENV)/.runtime: uv.lock pyproject.toml | $(UV)
	$(UV) sync --locked --no-dev --inexact --quiet
	touch $@

# Runtime and development dependencies (pytest, Playwright, ruff, factory_boy…), exactly the lock.
$(VENV)/.dev: uv.lock pyproject.toml | $(UV)
	$(UV) sync --locked --quiet
	touch $@ $(VENV)/.runtime

setup: $(VENV)/.runtime messages

# Test settings: these commands need no production secrets, even where DATABASE_URL is set.
MANAGE_TEST := DJANGO_SETTINGS_MODULE=portal.test_settings $(PY) manage.py

messages: $(VENV)/.runtime
	$(MANAGE_TEST) compilemessages --ignore=.venv --verbosity 0

# Runs the portal with demo data on the embedded default (SQLite, tasks in-process). Emails link
# to the address it runs on (SITE_URL, unless set). Prints the address and the demo logins.
SITE_URL ?= http://127.0.0.1:$(PORT)
run: setup
	@$(PY) manage.py migrate --noinput --verbosity 0
	@$(PY) manage.py seed_demo
	@echo "Portal: $(SITE_URL)/"
	@SITE_URL=$(SITE_URL) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The whole suite: lint, migrations check, then pytest (PostgreSQL/Redis when DATABASE_URL and
# REDIS_URL are set, as in CI; SQLite with eager tasks otherwise).
test: $(VENV)/.dev setup lint
	$(MANAGE_TEST) makemigrations --check --dry-run --verbosity 0
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

# Ruff (style, and no imports inside functions) and import-linter (apps and modules in layers).
lint: $(VENV)/.dev
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

# After a change of pyproject.toml: update uv.lock, keeping every other pin as it is.
lock: | $(UV)
	$(UV) lock

# Every package to its newest version that pyproject.toml allows.
upgrade: | $(UV)
	$(UV) lock --upgrade

clean:
	rm -rf $(VENV) .uv db.sqlite3 staticfiles test-artifacts
