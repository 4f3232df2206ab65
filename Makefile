# asnkarier: every set-up step lives here. `make demo` serves the app with demo data,
# `make test` runs lint, the migrations check and the whole test suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo run migrate seed lint format migrations-check check-deploy test test-fast e2e bench bench-load audit clean

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

# Django's deployment checklist with production settings (the key is made up on the spot).
check-deploy: install
	DEBUG=0 SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	ALLOWED_HOSTS=karier.example.go.id CSRF_TRUSTED_ORIGINS=https://karier.example.go.id \
	SECURE_SSL_REDIRECT=1 SECURE_HSTS_SECONDS=31536000 SECURE_COOKIES=1 SECURE_PROXY_SSL_HEADER=1 \
	$(PY) manage.py check --deploy --fail-level WARNING

test: lint migrations-check check-deploy
	$(VENV)/bin/pytest --create-db

test-fast: install
	$(VENV)/bin/pytest -x -m "not e2e"

bench: install
	$(PY) bench/bench_pegawai.py
	$(PY) bench/bench_pelatihan.py

# 50 users for 60 s against gunicorn and the 100,000-pegawai database (bench/README.md).
bench-load: install
	$(PY) bench/load.py

audit: install
	$(VENV)/bin/pip install --quiet pip-audit
	$(VENV)/bin/pip-audit -r requirements.txt -r requirements-dev.txt

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
