"""The home page: counts for the user's scope, or one's own summary and direct subordinates."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.pegawai import services

from ..factories import JabatanFactory, PegawaiFactory, UnitKerjaFactory, UserFactory

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("akun:login"))


def test_staff_see_the_counts_of_their_own_pemda(clients, org):
    services.pegawai_update(actor=None, pegawai=org.staf_dinkes, kedudukan_hukum="03")
    response = clients.staf_bkpsdm.get(HOME)

    assert response.status_code == 200
    context = response.context
    assert context["total"] == 6
    assert context["unit_count"] == 5
    assert context["jabatan_count"] == 6
    assert {value: n for value, _, n in context["per_jenis_asn"]} == {"PNS": 6, "CPNS": 0, "PPPK": 0}
    kedudukan = {value: n for value, _, n in context["per_kedudukan"]}
    assert kedudukan["01"] == 5 and kedudukan["03"] == 1
    assert 'id="stat-pegawai">6<' in response.text


def test_staff_of_another_pemda_count_only_theirs(clients):
    context = clients.staf_bkpsdm_b.get(HOME).context
    assert (context["total"], context["unit_count"], context["jabatan_count"]) == (1, 2, 1)


def test_a_superuser_counts_everything(clients):
    context = clients.superuser.get(HOME).context
    assert (context["total"], context["unit_count"], context["jabatan_count"]) == (7, 7, 7)


def test_staff_see_the_latest_changes_in_their_scope_only(clients, org, persona):
    services.pegawai_update(actor=persona.staf_bkpsdm, pegawai=org.staf, gelar_belakang="S.T.")
    services.pegawai_update(actor=None, pegawai=org.pegawai_b, gelar_belakang="S.E.")
    response = clients.staf_bkpsdm.get(HOME)
    recent = response.context["recent"]
    assert recent[0].pegawai == org.staf
    assert all(entry.pegawai_id != org.pegawai_b.pk for entry in recent)
    assert "Sahat" not in response.text


def test_an_atasan_sees_their_summary_and_direct_subordinates_but_no_counts(clients, org):
    response = clients.kadis.get(HOME)
    context = response.context
    assert context["is_staff_view"] is False
    assert "total" not in context
    assert context["me"] == org.kadis
    # Direct subordinates only: the kabid, not the kabid's staf.
    assert context["bawahan"] == [org.kabid]
    assert "Cut Nyak Meutia" in response.text
    assert "Muhammad Iqbal" not in response.text


def test_a_pegawai_without_subordinates_sees_only_their_summary(clients, org):
    response = clients.bawahan.get(HOME)
    assert response.context["me"] == org.staf
    assert response.context["bawahan"] == []
    assert "Bawahan langsung" not in response.text
    assert org.staf.nip_display in response.text
    assert "Pengelola Data Pendidikan" in response.text


def test_staff_linked_to_a_pegawai_see_counts_and_their_own_summary(clients, org):
    response = clients.staf_bkpsdm.get(HOME)
    assert response.context["me"] == org.analis
    assert "Data saya" in response.text


def test_an_account_without_a_pegawai_is_told_so(client, org):
    client.force_login(UserFactory())
    response = client.get(HOME)
    assert response.status_code == 200
    assert "belum terhubung dengan data pegawai" in response.text


def _count(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(HOME).status_code == 200
    return len(ctx)


def test_the_home_page_issues_the_same_number_of_queries_whatever_the_data(clients, org):
    clients.staf_bkpsdm.get(HOME)
    clients.kadis.get(HOME)
    staff_before, atasan_before = _count(clients.staf_bkpsdm), _count(clients.kadis)
    for i in range(20):
        unit = UnitKerjaFactory(nama=f"Seksi {i}", parent=org.disdik, jenis="seksi")
        jabatan = JabatanFactory(nama=f"Kepala Seksi {i}", unit_kerja=unit, atasan=org.j_kadis, jenis="pengawas")
        PegawaiFactory(nama=f"Kasi {i}", jabatan=jabatan, tanggal_lahir=dt.date(1980, 1, 1 + i))
    assert _count(clients.staf_bkpsdm) == staff_before
    assert _count(clients.kadis) == atasan_before
    assert len(clients.kadis.get(HOME).context["bawahan"]) == 21


def test_the_menu_offers_api_tokens_to_staff_only_and_a_logout_button_to_everyone(clients):
    staff = clients.staf_bkpsdm.get(HOME).text
    atasan = clients.atasan.get(HOME).text
    assert f'href="{reverse("akun:token_list")}"' in staff
    assert f'href="{reverse("akun:token_list")}"' not in atasan
    for text in (staff, atasan):
        assert f'action="{reverse("akun:logout")}"' in text
        assert f'href="{reverse("api-docs")}"' in text
