# asnkarier: every set-up step lives here. `make demo` serves the app with demo data,
# `make test` runs lint, the migrations check and the whole test suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo run migrate seed lint format migrations-check test test-fast e2e bench audit clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

demo: seed
	@echo "asnkarier berjalan di http://$(HOST):$(PORT)/ (akun demo: lihat README.md)"
	$(PY) manage.py runserver $(HOST):$(PORT)

run: migrate
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --check --quiet
	$(VENV)/bin/djlint templates --lint --quiet

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/djlint templates --reformat --quiet

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

test: lint migrations-check
	$(VENV)/bin/pytest --create-db

test-fast: install
	$(VENV)/bin/pytest -x -m "not e2e"

bench: install
	$(PY) bench/bench_pegawai.py

audit: install
	$(VENV)/bin/pip install --quiet pip-audit
	$(VENV)/bin/pip-audit -r requirements.txt -r requirements-dev.txt

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
