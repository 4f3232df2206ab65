"""API clients per persona, signed in by session like the pages' JavaScript, and token helpers."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from apps.akun import services as akun_services
from apps.akun.models import ApiToken, User


def api_client_for(user):
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def api(persona):
    """``api.atasan.get(...)``: one session-authenticated client per persona, plus ``api.anon``."""
    clients = {name: api_client_for(user) for name, user in vars(persona).items()}
    return SimpleNamespace(anon=APIClient(), **clients)


def make_token(user, *, read_only=True, revoked=False, expires_in=None):
    """A token made by the account service, as BKPSDM staff make them; returns (token, key)."""
    actor = User.objects.filter(is_superuser=True).first()
    token, key = akun_services.token_create(actor=actor, user=user, name="integrasi", read_only=read_only)
    if revoked:
        akun_services.token_revoke(actor=actor, token=token)
    if expires_in is not None:
        # The service refuses a date in the past, so an expired token is made by moving it.
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + expires_in)
    token.refresh_from_db()
    return token, key


def token_client(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def count_queries(func):
    with CaptureQueriesContext(connection) as ctx:
        response = func()
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


A_DAY_AGO = dt.timedelta(days=1)
