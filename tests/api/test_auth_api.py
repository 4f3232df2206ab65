"""Session and token authentication: 401 without credentials, 403 for read-only tokens."""

import datetime as dt

import pytest

from apps.akun.models import ApiToken
from apps.pegawai.models import UnitKerja

from .conftest import make_token, results, token_client

URL = "/api/v1/pegawai/"
ENDPOINTS = [
    "/api/v1/pegawai/",
    "/api/v1/unit-kerja/",
    "/api/v1/jabatan/",
    "/api/v1/golongan/",
    "/api/v1/riwayat-jabatan/",
    "/api/v1/riwayat-pangkat/",
    "/api/v1/riwayat-pendidikan/",
]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_without_credentials_every_endpoint_answers_401(api, url):
    response = api.anon.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "detail" in response.json()
    assert api.anon.post(url, {}, format="json").status_code == 401


def test_a_token_authenticates_with_the_key_whose_hash_is_stored(org, persona):
    token, key = make_token(persona.atasan)
    assert token.key_hash != key
    assert not ApiToken.objects.filter(key_hash=key).exists()
    response = token_client(key).get(URL)
    assert {row["nip"] for row in results(response)} == {org.kabid.nip, org.staf.nip}
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_token_sees_what_its_account_sees(org, persona):
    _, key = make_token(persona.staf_bkpsdm_b)
    assert {row["nip"] for row in results(token_client(key).get(URL))} == {org.pegawai_b.nip}
    assert token_client(key).get(f"{URL}{org.staf.nip}/").status_code == 404


def test_a_read_only_token_may_read_but_not_write(org, persona):
    _, key = make_token(persona.staf_bkpsdm, read_only=True)
    client = token_client(key)
    assert client.get(URL).status_code == 200
    data = {"nama": "Seksi Kurikulum", "jenis": "seksi", "parent": org.bidang.pk}
    response = client.post("/api/v1/unit-kerja/", data, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Token ini hanya boleh membaca data."
    assert client.patch(f"{URL}{org.staf.nip}/", {"version": 1, "nama": "X"}, format="json").status_code == 403
    assert not UnitKerja.objects.filter(nama="Seksi Kurikulum").exists()


def test_a_writable_token_of_staff_may_write(org, persona):
    _, key = make_token(persona.staf_bkpsdm, read_only=False)
    data = {"nama": "Seksi Kurikulum", "jenis": "seksi", "parent": org.bidang.pk}
    response = token_client(key).post("/api/v1/unit-kerja/", data, format="json")
    assert response.status_code == 201, response.content
    # Token requests carry no CSRF cookie and need none.
    assert UnitKerja.objects.filter(nama="Seksi Kurikulum").exists()


@pytest.mark.parametrize(
    "make",
    [
        lambda user: make_token(user, revoked=True)[1],
        lambda user: make_token(user, expires_in=-dt.timedelta(minutes=1))[1],
        lambda user: "0" * 40,
        lambda user: make_token(user)[1][:-1],
    ],
    ids=["revoked", "expired", "unknown", "truncated"],
)
def test_a_revoked_expired_or_unknown_token_is_a_401(persona, make):
    response = token_client(make(persona.staf_bkpsdm)).get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_token_of_a_deactivated_account_is_a_401(persona):
    _, key = make_token(persona.staf_bkpsdm)
    persona.staf_bkpsdm.is_active = False
    persona.staf_bkpsdm.save(update_fields=["is_active"])
    assert token_client(key).get(URL).status_code == 401


@pytest.mark.parametrize("header", ["Token", "Token a b", "Bearer abc", "Token \u00e9\u00e9"])
def test_a_malformed_authorization_header_is_not_a_500(api, header):
    response = api.anon.get(URL, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_session_writes_need_the_csrf_token(org, persona):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(persona.staf_bkpsdm)
    data = {"nama": "Seksi Kurikulum", "jenis": "seksi", "parent": org.bidang.pk}
    assert client.post("/api/v1/unit-kerja/", data, format="json").status_code == 403
    assert client.get("/api/v1/unit-kerja/").status_code == 200
