import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.test import APIRequestFactory

from apps.akun import services
from apps.akun.authentication import ApiTokenAuthentication
from apps.akun.models import ApiToken, User
from apps.core.models import AuditLog

from ..conftest import client_for
from ..factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("akun:token_list")
CREATE = reverse("akun:token_create")


def revoke_url(token):
    return reverse("akun:token_revoke", args=[token.pk])


def make_token(actor, user, name="Integrasi absensi", **kwargs):
    token, _key = services.token_create(actor=actor, user=user, name=name, **kwargs)
    return token


def authenticate(key):
    request = APIRequestFactory().get("/api/v1/golongan/", HTTP_AUTHORIZATION=f"Token {key}")
    return ApiTokenAuthentication().authenticate(request)


@pytest.fixture
def layanan_a(org):
    """A service account (no pegawai) for an integration inside pemda A."""
    return UserFactory(username="integrasi.absensi", role=User.Role.BKPSDM, scopes=[org.disdik])


# --- who reaches the pages ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["atasan", "bawahan", "kadis", "pegawai_b"])
def test_only_bkpsdm_staff_reach_the_token_pages(clients, persona, name):
    token = make_token(persona.staf_bkpsdm, persona.bawahan)
    client = getattr(clients, name)

    assert client.get(LIST).status_code == 404
    assert client.get(CREATE).status_code == 404
    assert client.post(CREATE, {"akun": persona.bawahan.username, "name": "x"}).status_code == 404
    assert client.get(revoke_url(token)).status_code == 404
    assert client.post(revoke_url(token)).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_staff_and_superusers_reach_the_token_pages(clients):
    assert clients.staf_bkpsdm.get(LIST).status_code == 200
    assert clients.staf_bkpsdm.get(CREATE).status_code == 200
    assert clients.superuser.get(LIST).status_code == 200


def test_the_list_shows_the_tokens_of_accounts_in_scope_only(clients, persona, layanan_a):
    own = make_token(persona.staf_bkpsdm, persona.staf_bkpsdm, name="Token saya")
    bawahan = make_token(persona.staf_bkpsdm, persona.bawahan, name="Token bawahan")
    layanan = make_token(persona.staf_bkpsdm, layanan_a, name="Token layanan")
    other_pemda = make_token(persona.staf_bkpsdm_b, persona.pegawai_b, name="Token pemda B")
    other_staff = make_token(persona.staf_bkpsdm_b, persona.staf_bkpsdm_b, name="Token staf B")

    response = clients.staf_bkpsdm.get(LIST)

    assert set(response.context["tokens"]) == {own, bawahan, layanan}
    assert "Token pemda B" not in response.text
    assert "Token staf B" not in response.text
    assert other_pemda.prefix not in response.text
    assert other_staff.prefix not in response.text


def test_staff_of_another_pemda_cannot_see_or_revoke_a_token(clients, persona):
    token = make_token(persona.staf_bkpsdm, persona.bawahan)

    assert token not in clients.staf_bkpsdm_b.get(LIST).context["tokens"]
    assert clients.staf_bkpsdm_b.get(revoke_url(token)).status_code == 404
    assert clients.staf_bkpsdm_b.post(revoke_url(token)).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_staff_of_another_pemda_cannot_create_a_token_for_an_account_outside_their_scope(clients, persona):
    response = clients.staf_bkpsdm_b.post(CREATE, {"akun": persona.bawahan.username, "name": "Coba", "read_only": "on"})

    assert response.status_code == 200
    assert "Akun tidak ditemukan di lingkup Anda." in response.text
    assert not ApiToken.objects.exists()


def test_the_service_refuses_a_token_for_an_account_outside_scope(persona):
    from apps.core.exceptions import DomainError

    with pytest.raises(DomainError):
        services.token_create(actor=persona.staf_bkpsdm_b, user=persona.bawahan, name="Coba")
    with pytest.raises(DomainError):
        services.token_create(actor=persona.atasan, user=persona.bawahan, name="Coba")


# --- which accounts staff manage ----------------------------------------------------------


def test_staff_manage_own_account_pegawai_in_scope_and_service_accounts_inside_their_subtrees(org, persona, layanan_a):
    manageable = set(User.objects.manageable_by(persona.staf_bkpsdm))

    assert {persona.staf_bkpsdm, persona.kadis, persona.atasan, persona.bawahan, persona.atasan_lain, layanan_a} == (
        manageable
    )


def test_no_one_gets_a_token_wider_than_their_own_reach(org, persona):
    staf_disdik = UserFactory(role=User.Role.BKPSDM, scopes=[org.disdik])
    # A pegawai of Dinas Pendidikan whose account administers the whole pemda.
    persona.bawahan.role = User.Role.BKPSDM
    persona.bawahan.save(update_fields=["role"])
    persona.bawahan.unit_scopes.set([org.pemda])
    lintas_pemda = UserFactory(username="integrasi.provinsi", role=User.Role.BKPSDM, scopes=[org.pemda, org.pemda_b])
    tanpa_lingkup = UserFactory(username="tanpa.lingkup")

    assert persona.bawahan not in User.objects.manageable_by(staf_disdik)
    assert persona.atasan in User.objects.manageable_by(staf_disdik)
    assert lintas_pemda not in User.objects.manageable_by(persona.staf_bkpsdm)
    assert tanpa_lingkup not in User.objects.manageable_by(persona.staf_bkpsdm)
    assert persona.superuser not in User.objects.manageable_by(persona.staf_bkpsdm)
    assert lintas_pemda in User.objects.manageable_by(persona.superuser)


def test_atasan_and_pegawai_manage_no_accounts(persona):
    assert not User.objects.manageable_by(persona.atasan).exists()
    assert not User.objects.manageable_by(persona.bawahan).exists()


# --- creating -----------------------------------------------------------------------------


def test_the_form_has_read_only_checked_by_default(clients):
    response = clients.staf_bkpsdm.get(CREATE)

    assert response.context["form"]["read_only"].value() is True
    assert 'name="read_only"' in response.text
    assert "checked" in response.text


def test_the_account_suggestions_stay_inside_scope(clients, persona, layanan_a):
    response = clients.staf_bkpsdm.get(CREATE)

    usernames = [value for value, _label in response.context["suggestions"]]
    assert layanan_a.username in usernames
    assert persona.staf_bkpsdm.username in usernames
    assert persona.staf_bkpsdm_b.username not in usernames


def test_a_created_token_key_is_shown_once_and_only_its_hash_is_stored(clients, persona):
    response = clients.staf_bkpsdm.post(
        CREATE, {"akun": persona.bawahan.pegawai.nip_display, "name": "Aplikasi absensi", "read_only": "on"}
    )

    assert response.status_code == 200
    key = response.context["key"]
    assert key in response.text
    assert "tidak akan ditampilkan lagi" in response.text
    token = ApiToken.objects.get()
    assert token.user == persona.bawahan
    assert token.read_only is True
    assert token.created_by == persona.staf_bkpsdm
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:8]
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in [str(value) for value in stored.values()]
    assert key not in clients.staf_bkpsdm.get(LIST).text
    assert response["Cache-Control"] == "no-store"


def test_the_key_authenticates_as_its_account(clients, persona):
    response = clients.staf_bkpsdm.post(
        CREATE, {"akun": persona.bawahan.username, "name": "Absensi", "read_only": "on"}
    )

    user, token = authenticate(response.context["key"])

    assert user == persona.bawahan
    assert token.read_only is True


def test_the_key_opens_the_api_and_a_wrong_key_does_not(clients, persona):
    response = clients.staf_bkpsdm.post(
        CREATE, {"akun": persona.bawahan.username, "name": "Absensi", "read_only": "on"}
    )
    key = response.context["key"]
    api = Client()

    assert api.get("/api/v1/golongan/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    assert api.get("/api/v1/golongan/", HTTP_AUTHORIZATION=f"Token {key[:-1]}x").status_code == 401
    assert api.get("/api/v1/golongan/").status_code == 401
    assert ApiToken.objects.get().last_used_at is not None


def test_a_token_without_read_only_may_write(clients, persona, layanan_a):
    clients.staf_bkpsdm.post(CREATE, {"akun": layanan_a.username, "name": "Impor nilai"})

    assert ApiToken.objects.get().read_only is False


def test_creating_a_token_is_audited_without_the_key(clients, persona):
    response = clients.staf_bkpsdm.post(
        CREATE, {"akun": persona.bawahan.username, "name": "Absensi", "read_only": "on"}
    )

    token = ApiToken.objects.get()
    entry = AuditLog.objects.for_object(token).get()
    assert entry.actor == persona.staf_bkpsdm
    assert entry.action == AuditLog.Action.CREATE
    assert entry.changes["name"] == [None, "Absensi"]
    assert entry.changes["read_only"] == [None, True]
    assert response.context["key"] not in str(entry.changes)


def test_an_expiry_date_makes_the_token_valid_through_that_day(clients, persona):
    tanggal = timezone.localdate() + dt.timedelta(days=30)

    clients.staf_bkpsdm.post(
        CREATE, {"akun": persona.bawahan.username, "name": "Sementara", "expires_at": tanggal.isoformat()}
    )

    expires = timezone.localtime(ApiToken.objects.get().expires_at)
    assert (expires.date(), expires.time()) == (tanggal + dt.timedelta(days=1), dt.time.min)


def test_an_expiry_date_in_the_past_is_refused_in_indonesian(clients, persona):
    kemarin = timezone.localdate() - dt.timedelta(days=1)

    response = clients.staf_bkpsdm.post(
        CREATE, {"akun": persona.bawahan.username, "name": "Lama", "expires_at": kemarin.isoformat()}
    )

    assert "Tanggal tidak boleh sebelum hari ini." in response.text
    assert not ApiToken.objects.exists()


def test_an_expired_token_no_longer_authenticates(persona):
    token, key = services.token_create(
        actor=persona.staf_bkpsdm,
        user=persona.bawahan,
        name="Sebentar",
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    with pytest.raises(exceptions.AuthenticationFailed):
        authenticate(key)


# --- revoking -----------------------------------------------------------------------------


def test_revoking_sets_revoked_at_and_is_audited(clients, persona):
    token, key = services.token_create(actor=persona.staf_bkpsdm, user=persona.bawahan, name="Absensi")

    response = clients.staf_bkpsdm.post(revoke_url(token))

    assert response.status_code == 302
    assert response["Location"] == LIST
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.status == "dicabut"
    entry = AuditLog.objects.for_object(token).get(action=AuditLog.Action.UPDATE)
    assert entry.actor == persona.staf_bkpsdm
    assert entry.changes["revoked_at"][0] is None
    with pytest.raises(exceptions.AuthenticationFailed):
        authenticate(key)


def test_revoke_asks_for_confirmation_before_it_revokes(clients, persona):
    token = make_token(persona.staf_bkpsdm, persona.bawahan)

    response = clients.staf_bkpsdm.get(revoke_url(token))

    assert response.status_code == 200
    assert "Ya, cabut" in response.text
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_list_links_active_tokens_to_their_revoke_page(clients, persona):
    active = make_token(persona.staf_bkpsdm, persona.bawahan, name="Aktif")
    revoked = make_token(persona.staf_bkpsdm, persona.bawahan, name="Lama")
    services.token_revoke(actor=persona.staf_bkpsdm, token=revoked)

    text = clients.staf_bkpsdm.get(LIST).text

    assert revoke_url(active) in text
    assert revoke_url(revoked) not in text


def test_revoking_twice_says_it_is_already_revoked(clients, persona):
    token = make_token(persona.staf_bkpsdm, persona.bawahan)
    clients.staf_bkpsdm.post(revoke_url(token))

    response = clients.staf_bkpsdm.post(revoke_url(token), follow=True)

    assert "Token ini sudah dicabut." in response.text
    assert AuditLog.objects.for_object(token).filter(action=AuditLog.Action.UPDATE).count() == 1


# --- scale --------------------------------------------------------------------------------


def test_the_list_issues_the_same_number_of_queries_for_2_and_12_tokens(persona, layanan_a):
    def count_queries():
        client = client_for(persona.staf_bkpsdm)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    for user in (persona.bawahan, layanan_a):
        make_token(persona.staf_bkpsdm, user)
    few = count_queries()
    for i in range(5):
        make_token(persona.staf_bkpsdm, persona.atasan, name=f"Atasan {i}")
        make_token(persona.staf_bkpsdm, layanan_a, name=f"Layanan {i}")

    assert count_queries() == few
