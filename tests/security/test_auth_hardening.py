"""Login hardening: lockout (per account and per address), its Indonesian page and the ways to
unlock, the auth log, password rules, idle sessions, disabled accounts, API rate limits."""

import datetime as dt
import logging

import pytest
import time_machine
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from apps.akun import services as akun_services
from apps.akun.forms import LOGIN_ERROR
from apps.akun.models import ApiToken, UserSession
from apps.core.models import AuditLog
from apps.core.validators import format_nip

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_URL = "/akun/masuk/"
LOCKED = "Terlalu banyak percobaan masuk yang gagal"
WRONG = "salah-sekali-123"
# Documentation addresses (RFC 5737): only ever REMOTE_ADDR values of the test client.
IP_A, IP_B, IP_C = "192.0.2.10", "198.51.100.20", "203.0.113.30"


def login(client, username, password=PASSWORD, ip=IP_A, path=LOGIN_URL):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in(client):
    return client.session.get("_auth_user_id")


def fail(client, username, times, ip=IP_A):
    return [login(client, username, WRONG, ip=ip) for _ in range(times)]


# --------------------------------------------------------------------------------------------
# Lockout


def test_five_failures_lock_the_account_with_an_indonesian_login_page(client, persona, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    responses = fail(client, persona.bawahan.pegawai.nip, 4)
    assert all(r.status_code == 200 and LOGIN_ERROR in r.text for r in responses)

    locked = login(client, persona.bawahan.pegawai.nip, WRONG)

    assert locked.status_code == 429
    assert LOCKED in locked.text
    assert "Coba lagi dalam 15 menit" in locked.text
    assert 'name="username"' in locked.text  # the login form itself, not a bare text
    assert locked["Content-Type"].startswith("text/html")


def test_a_locked_account_is_refused_even_with_the_right_password(client, persona):
    fail(client, persona.bawahan.pegawai.nip, 5)

    response = login(client, persona.bawahan.pegawai.nip)

    assert response.status_code == 429
    assert LOCKED in response.text
    assert signed_in(client) is None


def test_the_account_lock_holds_from_other_addresses_and_for_every_way_of_typing_the_nip(client, persona):
    nip = persona.atasan.pegawai.nip
    typed = [nip, format_nip(nip), f"  {format_nip(nip)} ", nip, format_nip(nip)]
    for n, name in enumerate(typed):
        login(client, name, WRONG, ip=f"192.0.2.{n + 1}")

    response = login(client, nip, ip=IP_C)

    assert response.status_code == 429
    assert signed_in(client) is None
    # Counted under the account's username, however it was typed.
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {persona.atasan.username}


def test_a_staff_username_in_another_case_counts_for_the_same_account(client, persona):
    for name in ["bkpsdm_tebingtinggi", "BKPSDM_Tebingtinggi", "Bkpsdm_tebingtinggi", "bkpsdm_TEBINGTINGGI"]:
        login(client, name, WRONG, ip=IP_B)
    assert login(client, "bkpsdm_tebingtinggi", WRONG, ip=IP_C).status_code == 429


def test_failures_from_one_address_lock_that_address_for_every_account(client, persona):
    for name in ["tidak.ada", "root", persona.kadis.username, "siapa.saja", persona.atasan_lain.username]:
        login(client, name, WRONG, ip=IP_A)

    from_same_address = login(client, "bkpsdm_tebingtinggi", ip=IP_A)
    assert from_same_address.status_code == 429
    assert signed_in(client) is None

    from_elsewhere = login(Client(), "bkpsdm_tebingtinggi", ip=IP_B)
    assert from_elsewhere.status_code == 302


def test_the_other_accounts_are_not_locked_by_one_accounts_failures(client, persona):
    fail(client, persona.bawahan.username, 5, ip=IP_A)

    response = login(Client(), persona.atasan.username, ip=IP_B)

    assert response.status_code == 302


def test_the_lock_ends_after_the_cool_off(client, persona, settings):
    cool_off = settings.AXES_COOLOFF_TIME
    assert cool_off == dt.timedelta(minutes=15)
    fail(client, persona.bawahan.username, 5)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10)):
        assert login(client, persona.bawahan.username).status_code == 429
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        response = login(client, persona.bawahan.username)
    assert response.status_code == 302
    assert signed_in(client) == str(persona.bawahan.pk)


def test_attempts_during_the_lock_do_not_extend_it(client, persona):
    fail(client, persona.bawahan.username, 5)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=14)):
        fail(client, persona.bawahan.username, 3)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        assert login(client, persona.bawahan.username).status_code == 302


def test_the_admin_login_is_locked_by_the_same_count(client, persona):
    fail(client, "root", 3, ip=IP_B)
    for _ in range(2):
        login(client, "root", WRONG, ip=IP_B, path="/admin/login/?next=/admin/")

    response = login(client, "root", ip=IP_C, path="/admin/login/?next=/admin/")

    assert response.status_code == 429
    assert LOCKED in response.text
    assert signed_in(client) is None


def test_staff_unlock_an_account_with_the_management_command_by_nip(client, persona, capsys):
    nip = persona.bawahan.pegawai.nip
    fail(client, nip, 5)
    assert login(client, nip).status_code == 429

    call_command("akun_buka_kunci", format_nip(nip))

    assert "kunci dibuka" in capsys.readouterr().out
    assert login(client, nip).status_code == 302


def test_axes_own_reset_command_works_with_the_username(client, persona):
    fail(client, persona.bawahan.username, 5)

    call_command("axes_reset_username", persona.bawahan.username)

    assert login(client, persona.bawahan.username).status_code == 302


def test_staff_unlock_an_address_with_the_management_command(client, persona):
    for name in ["a.satu", "a.dua", "a.tiga", "a.empat", "a.lima"]:
        login(client, name, WRONG, ip=IP_A)
    assert login(client, "bkpsdm_tebingtinggi", ip=IP_A).status_code == 429

    call_command("akun_buka_kunci", "--ip", IP_A)

    assert login(client, "bkpsdm_tebingtinggi", ip=IP_A).status_code == 302


def test_the_unlock_command_needs_an_account_or_an_address():
    with pytest.raises(Exception, match="Sebutkan akun"):
        call_command("akun_buka_kunci")


def test_a_superuser_unlocks_in_the_admin(client, persona, clients):
    fail(client, persona.bawahan.username, 5)
    attempt = AccessAttempt.objects.get()

    listing = clients.superuser.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert persona.bawahan.username in listing.text
    response = clients.superuser.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert login(client, persona.bawahan.username).status_code == 302


def test_only_superusers_reach_the_lockout_admin(clients):
    assert clients.staf_bkpsdm.get("/admin/axes/accessattempt/").status_code == 302


# --------------------------------------------------------------------------------------------
# What is logged


def test_login_failure_and_logout_are_logged_with_account_and_address(client, persona, caplog):
    caplog.set_level(logging.INFO, logger="asnkarier.auth")

    login(client, "bkpsdm_tebingtinggi", WRONG, ip=IP_B)
    login(client, "bkpsdm_tebingtinggi", ip=IP_B)
    client.post("/akun/keluar/", REMOTE_ADDR=IP_B)

    lines = [r.getMessage() for r in caplog.records if r.name == "asnkarier.auth"]
    assert lines == [
        f"login gagal: nama='bkpsdm_tebingtinggi' ip={IP_B}",
        f"login berhasil: akun=bkpsdm_tebingtinggi ip={IP_B}",
        f"logout: akun=bkpsdm_tebingtinggi ip={IP_B}",
    ]
    assert "rahasia" not in caplog.text and WRONG not in caplog.text
    assert AccessLog.objects.filter(username="bkpsdm_tebingtinggi", logout_time__isnull=False).count() == 1


def test_a_lockout_is_logged(client, persona, caplog):
    caplog.set_level(logging.INFO, logger="asnkarier.auth")
    fail(client, persona.bawahan.username, 5, ip=IP_C)
    assert f"login dikunci sementara: akun={persona.bawahan.username} ip={IP_C}" in [
        r.getMessage() for r in caplog.records if r.name == "asnkarier.auth"
    ]


def test_behind_a_proxy_the_forwarded_address_is_the_clients(client, persona, settings, caplog):
    settings.NUM_PROXIES = 1
    caplog.set_level(logging.INFO, logger="asnkarier.auth")
    client.post(
        LOGIN_URL,
        {"username": "x", "password": WRONG},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=f"1.2.3.4, {IP_C}",  # the left entry is the client's to forge
    )
    assert AccessAttempt.objects.get().ip_address == IP_C
    assert f"ip={IP_C}" in caplog.text


def test_the_test_clients_login_and_force_login_keep_working(persona):
    client = Client()
    assert client.login(username="bkpsdm_tebingtinggi", password=PASSWORD)
    assert client.get("/").status_code == 200
    other = Client()
    other.force_login(persona.bawahan)
    assert other.get("/").status_code == 200


# --------------------------------------------------------------------------------------------
# Passwords and sessions


@pytest.mark.parametrize(
    "password",
    ["pendek-12", "1234567890123", "password123", "bkpsdm_tebingtinggi"],
    ids=["9-characters", "numeric", "common", "like-the-username"],
)
def test_weak_passwords_are_refused(persona, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=persona.staf_bkpsdm_b)


def test_a_long_uncommon_password_is_accepted(persona):
    assert validate_password("kopi-gayo-di-pagi-hari", user=persona.staf_bkpsdm_b) is None


def test_the_admin_refuses_a_short_password_for_a_new_account(clients):
    from apps.akun.models import User

    response = clients.superuser.post(
        "/admin/akun/user/add/",
        {
            "username": "akun.baru",
            "usable_password": "true",
            "password1": "pendek-12",
            "password2": "pendek-12",
            "role": "pegawai",
        },
    )
    assert response.status_code == 200
    assert "Kata sandi terlalu pendek. Harus mengandung setidaknya 10 karakter." in response.text
    assert not User.objects.filter(username="akun.baru").exists()


def test_an_idle_session_expires_after_an_hour(persona, settings):
    assert settings.SESSION_COOKIE_AGE == 60 * 60
    client = Client()
    login(client, "bkpsdm_tebingtinggi")
    assert client.get("/").status_code == 200

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=61)):
        response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_activity_keeps_the_session_alive(persona):
    client = Client()
    login(client, "bkpsdm_tebingtinggi")
    start = timezone.now()
    for minutes in (45, 90, 135):
        with time_machine.travel(start + dt.timedelta(minutes=minutes)):
            assert client.get("/").status_code == 200


# --------------------------------------------------------------------------------------------
# Disabled accounts


def test_disabling_an_account_ends_all_its_sessions(persona):
    laptop, phone = Client(), Client()
    login(laptop, persona.bawahan.username, ip=IP_A)
    login(phone, persona.bawahan.username, ip=IP_B)
    other = Client()
    login(other, persona.atasan.username, ip=IP_C)
    assert UserSession.objects.filter(user=persona.bawahan).count() == 2

    persona.bawahan.is_active = False
    persona.bawahan.save()

    assert not Session.objects.filter(session_key__in=[laptop.session.session_key, phone.session.session_key]).exists()
    assert laptop.get("/")["Location"].startswith(LOGIN_URL)
    assert phone.get("/")["Location"].startswith(LOGIN_URL)
    assert other.get("/").status_code == 200
    assert not UserSession.objects.filter(user=persona.bawahan).exists()


def test_disabling_with_update_fields_ends_force_login_sessions_too(persona, clients):
    assert clients.bawahan.get("/").status_code == 200
    persona.bawahan.is_active = False
    persona.bawahan.save(update_fields=["is_active"])

    assert clients.bawahan.get("/").status_code == 302


def test_disabling_an_account_revokes_its_api_tokens_with_an_audit_entry(persona):
    actor = persona.superuser
    active, key = akun_services.token_create(actor=actor, user=persona.staf_bkpsdm, name="simpeg")
    already, _ = akun_services.token_create(actor=actor, user=persona.staf_bkpsdm, name="lama")
    akun_services.token_revoke(actor=actor, token=already)
    already.refresh_from_db()
    other, other_key = akun_services.token_create(actor=actor, user=persona.staf_bkpsdm_b, name="lain")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/pegawai/").status_code == 200

    persona.staf_bkpsdm.is_active = False
    persona.staf_bkpsdm.save()

    active.refresh_from_db()
    assert active.revoked_at is not None
    assert ApiToken.objects.get(pk=already.pk).revoked_at == already.revoked_at
    assert ApiToken.objects.get(pk=other.pk).revoked_at is None
    entry = AuditLog.objects.filter(object_type="akun.apitoken", object_id=str(active.pk)).latest("pk")
    assert entry.changes["alasan"] == [None, "akun dinonaktifkan"]
    assert entry.actor is None
    assert api.get("/api/v1/pegawai/").status_code == 401

    # Enabling the account again does not bring the token back.
    persona.staf_bkpsdm.is_active = True
    persona.staf_bkpsdm.save()
    assert api.get("/api/v1/pegawai/").status_code == 401


def test_saving_an_active_account_touches_no_session(persona, clients):
    persona.bawahan.first_name = "Iqbal"
    persona.bawahan.save()
    persona.bawahan.save(update_fields=["last_login"])
    assert clients.bawahan.get("/").status_code == 200


def test_logout_forgets_the_session(persona):
    client = Client()
    login(client, persona.bawahan.username)
    assert UserSession.objects.filter(user=persona.bawahan).count() == 1
    client.post("/akun/keluar/")
    assert not UserSession.objects.filter(user=persona.bawahan).exists()


def test_expired_sessions_are_forgotten_at_the_next_login(persona):
    first = Client()
    login(first, persona.bawahan.username)
    Session.objects.filter(session_key=first.session.session_key).delete()  # as clearsessions would

    login(Client(), persona.bawahan.username)

    assert UserSession.objects.filter(user=persona.bawahan).count() == 1


# --------------------------------------------------------------------------------------------
# API rate limits


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "3/min", "anon": "2/min"},
    }


def token_api(user, name="integrasi"):
    _token, key = akun_services.token_create(actor=user, user=user, name=name)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_the_default_rates_come_from_the_environment_defaults(settings):
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] == {"user": "600/min", "anon": "60/min"}


def test_a_token_over_its_rate_gets_429_in_indonesian_with_retry_after(persona, low_rates):
    api = token_api(persona.staf_bkpsdm)
    assert [api.get("/api/v1/golongan/").status_code for _ in range(3)] == [200, 200, 200]

    response = api.get("/api/v1/golongan/")

    assert response.status_code == 429
    assert response.json()["detail"].startswith("Terlalu banyak permintaan. Coba lagi dalam ")
    assert 0 < int(response["Retry-After"]) <= 60
    assert response["Cache-Control"] == "no-store"


def test_each_token_has_its_own_budget_and_the_session_another(persona, low_rates):
    first = token_api(persona.staf_bkpsdm, "satu")
    second = token_api(persona.staf_bkpsdm, "dua")
    for _ in range(3):
        first.get("/api/v1/golongan/")
    assert first.get("/api/v1/golongan/").status_code == 429

    assert second.get("/api/v1/golongan/").status_code == 200
    session = APIClient()
    session.force_login(persona.staf_bkpsdm)
    assert session.get("/api/v1/golongan/").status_code == 200


def test_the_budget_comes_back_after_the_window(persona, low_rates):
    api = token_api(persona.staf_bkpsdm)
    for _ in range(3):
        api.get("/api/v1/golongan/")
    assert api.get("/api/v1/golongan/").status_code == 429
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=61)):
        assert api.get("/api/v1/golongan/").status_code == 200


def test_anonymous_clients_are_limited_per_address(db, low_rates):
    # The schema is the one API answer open to anonymous clients.
    client = APIClient()
    statuses = [client.get("/api/v1/schema/", REMOTE_ADDR=IP_A).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.get("/api/v1/schema/", REMOTE_ADDR=IP_B).status_code == 200
