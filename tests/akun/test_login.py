import pytest
from django.urls import reverse

from apps.akun.forms import LOGIN_ERROR
from apps.core.validators import format_nip

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_URL = "/akun/masuk/"


def login(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password, **extra})


def session_user_id(client):
    return client.session.get("_auth_user_id")


def test_the_login_page_asks_for_nip_or_username_in_indonesian(client):
    response = client.get(reverse("akun:login"))

    assert response.status_code == 200
    assert reverse("akun:login") == LOGIN_URL
    assert "NIP atau nama pengguna" in response.text
    assert "Kata sandi" in response.text


def test_a_pegawai_logs_in_with_their_nip(client, persona):
    response = login(client, persona.bawahan.pegawai.nip)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert session_user_id(client) == str(persona.bawahan.pk)


def test_a_nip_typed_with_spaces_as_displayed_works(client, persona):
    displayed = format_nip(persona.atasan.pegawai.nip)
    assert " " in displayed

    login(client, displayed)

    assert session_user_id(client) == str(persona.atasan.pk)


def test_staff_log_in_with_their_username(client, persona):
    login(client, "bkpsdm_tebingtinggi")

    assert session_user_id(client) == str(persona.staf_bkpsdm_b.pk)


def test_a_wrong_password_gives_the_indonesian_error_and_no_session(client, persona):
    response = login(client, persona.bawahan.pegawai.nip, password="salah-sekali-123")

    assert response.status_code == 200
    assert LOGIN_ERROR in response.text
    assert session_user_id(client) is None


def test_an_unknown_account_gives_the_same_error(client, persona):
    response = login(client, "tidak.ada")

    assert LOGIN_ERROR in response.text
    assert session_user_id(client) is None


def test_an_inactive_account_is_refused(client, persona):
    persona.bawahan.is_active = False
    persona.bawahan.save(update_fields=["is_active"])

    response = login(client, persona.bawahan.pegawai.nip)

    assert response.status_code == 200
    assert LOGIN_ERROR in response.text
    assert session_user_id(client) is None


def test_login_follows_a_local_next_url(client, persona):
    response = login(client, "bkpsdm_tebingtinggi", next="/akun/token/")

    assert response["Location"] == "/akun/token/"


def test_login_ignores_a_next_url_on_another_site(client, persona):
    response = login(client, "bkpsdm_tebingtinggi", next="https://contoh-jahat.example/curi")

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_a_page_that_needs_login_sends_the_visitor_to_the_login_page(client, db):
    response = client.get(reverse("akun:token_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN_URL}?next=")


def test_logout_requires_post(clients):
    assert clients.bawahan.get(reverse("akun:logout")).status_code == 405
    assert session_user_id(clients.bawahan) is not None


def test_logout_by_post_ends_the_session(clients):
    response = clients.bawahan.post(reverse("akun:logout"))

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert session_user_id(clients.bawahan) is None
