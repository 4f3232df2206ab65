"""Serving in production: Django's deployment checklist passes with production settings, the
gunicorn configuration, the cache choice, and a database outage answered with 503, not 500."""

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import InterfaceError, OperationalError, ProgrammingError
from django.db.backends.utils import CursorWrapper
from rest_framework.test import APIClient

from apps.akun import services as akun_services

ROOT = Path(settings.BASE_DIR)

PRODUCTION = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "karier.example.go.id",
    "CSRF_TRUSTED_ORIGINS": "https://karier.example.go.id",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_COOKIES": "1",
    "SECURE_PROXY_SSL_HEADER": "1",
}


# Test-run settings that production never has (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE).
NOT_INHERITED = ("DEBUG", "SECURE_", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")


def manage(*args, env=None):
    base = {k: v for k, v in os.environ.items() if not k.startswith(NOT_INHERITED)}
    return subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_deploy_check_passes_with_production_settings():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(50)}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_fails_when_production_is_configured_like_development():
    env = {
        **PRODUCTION,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
    }
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W008" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", env=PRODUCTION)
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_the_makefile_runs_the_deploy_check_before_the_tests():
    makefile = (ROOT / "Makefile").read_text()
    assert "\ncheck-deploy:" in makefile
    test_line = next(line for line in makefile.splitlines() if line.startswith("test:"))
    assert "check-deploy" in test_line
    # The key is made up in the recipe, never written down.
    assert "secrets.token_urlsafe" in makefile


def test_gunicorn_takes_its_settings_from_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_TIMEOUT", "45")
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:9000")
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (config["workers"], config["timeout"], config["bind"]) == (3, 45, "0.0.0.0:9000")
    assert config["accesslog"] == "-"


def test_gunicorn_accepts_the_configuration_and_finds_the_application():
    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = {**os.environ, **PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(50)}
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [str(gunicorn), "--check-config", "asnkarier.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({}, "django.core.cache.backends.locmem.LocMemCache"),
        ({"REDIS_URL": "redis://127.0.0.1:6379/3"}, "django.core.cache.backends.redis.RedisCache"),
        ({"CACHE_URL": "redis://127.0.0.1:6379/3"}, "django.core.cache.backends.redis.RedisCache"),
    ],
    ids=["none", "REDIS_URL", "CACHE_URL"],
)
def test_the_cache_is_redis_when_a_url_is_given(env, backend):
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    base = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CACHE_URL")}
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "asnkarier.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == backend


def test_the_rate_limits_work_against_a_real_redis(settings, persona):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"asnkarier-test-{secrets.token_hex(4)}",
        }
    }
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "2/min", "anon": "2/min"}}
    from rest_framework import throttling

    # DRF binds the cache at import; point it at the Redis one for this test.
    with mock.patch.object(throttling.SimpleRateThrottle, "cache", caches["default"]):
        _token, key = akun_services.token_create(actor=persona.superuser, user=persona.staf_bkpsdm, name="x")
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        statuses = [api.get("/api/v1/golongan/").status_code for _ in range(3)]
        caches["default"].clear()
    assert statuses == [200, 200, 429]


# --------------------------------------------------------------------------------------------
# The database is down

DOWN = "server closed the connection unexpectedly"


def database_down(error=OperationalError):
    return mock.patch.object(CursorWrapper, "execute", side_effect=error(DOWN))


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError, InterfaceError], ids=["operational", "interface"])
def test_a_page_answers_503_in_indonesian_when_the_database_is_down(clients, error):
    with database_down(error):
        response = clients.atasan.get("/pegawai/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Layanan sementara tidak tersedia" in response.text
    assert response["Content-Type"].startswith("text/html")
    assert response["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in response
    assert DOWN not in response.text


@pytest.mark.django_db
def test_the_login_answers_503_when_the_database_is_down(client):
    with database_down():
        response = client.post("/akun/masuk/", {"username": "siapa", "password": "rahasia-sekali-123"})
    assert response.status_code == 503
    assert "Layanan sementara tidak tersedia" in response.text


@pytest.mark.django_db
def test_the_api_answers_json_503_when_the_database_is_down(persona, clients):
    _token, key = akun_services.token_create(actor=persona.superuser, user=persona.staf_bkpsdm, name="x")
    token_client = APIClient()
    token_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    session_client = APIClient()
    session_client.force_login(persona.atasan)

    with database_down():
        by_token = token_client.get("/api/v1/pegawai/")
        by_session = session_client.get("/api/v1/pegawai/")

    for response in (by_token, by_session):
        assert response.status_code == 503
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "Layanan sementara tidak tersedia. Silakan coba lagi beberapa saat lagi."}
        assert response["Retry-After"] == "30"


@pytest.mark.django_db
def test_the_health_check_still_answers_503(client):
    with database_down():
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


@pytest.mark.django_db
def test_other_database_errors_are_still_errors(clients):
    # A bug (bad SQL) is not an outage: it must not hide behind a 503.
    with database_down(ProgrammingError), pytest.raises(ProgrammingError):
        clients.atasan.get("/pegawai/")


@pytest.mark.django_db
def test_once_the_database_is_back_the_page_answers_again(clients):
    with database_down():
        assert clients.atasan.get("/pegawai/").status_code == 503
    assert clients.atasan.get("/pegawai/").status_code == 200


@pytest.mark.django_db
def test_an_outage_met_by_a_middleware_after_the_view_is_also_a_503(persona):
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(persona.atasan)
    # The view reads the session fine; saving it afterwards (SessionMiddleware) fails.
    with mock.patch.object(SessionStore, "save", side_effect=OperationalError(DOWN)):
        response = client.get("/pegawai/")

    assert response.status_code == 503
    assert "Layanan sementara tidak tersedia" in response.content.decode()
    assert response["Retry-After"] == "30"
