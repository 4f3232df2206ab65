"""The audit log page (/audit/) and the append-only audit trail."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from apps.akun import services as akun_services
from apps.core import audit
from apps.core import views as core_views
from apps.core.models import AuditLog
from apps.pegawai import services
from apps.pegawai.models import Pegawai
from apps.standar_kinerja import services as standar_services
from apps.standar_kinerja.models import Kompetensi

from ..factories import UserFactory, akun_for

pytestmark = pytest.mark.django_db

AUDIT = reverse("core:audit")


def shown(response):
    """The entries on the page, newest first."""
    assert response.status_code == 200
    return [row["entry"] for row in response.context["audit_rows"]]


def about(response):
    """(object_type, object_id) of the entries on the page."""
    return {(entry.object_type, entry.object_id) for entry in shown(response)}


def everything(client):
    """Every entry the client may see, whatever the page size (the fixtures write a few dozen)."""
    response = client.get(AUDIT)
    assert response.status_code == 200
    assert response.context["page"].paginator.num_pages == 1, "more fixtures than one page: page through"
    return response


# ---------------------------------------------------------------------------------------------
# Who may open it


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(AUDIT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("akun:login"))


@pytest.mark.parametrize("name", ["bawahan", "atasan", "kadis", "atasan_lain", "pegawai_b"])
def test_pegawai_and_atasan_are_refused(clients, name):
    assert getattr(clients, name).get(AUDIT).status_code == 403


def test_a_bkpsdm_account_without_units_sees_an_empty_log(org):
    from django.test import Client

    client = Client()
    client.force_login(UserFactory(username="bkpsdm_tanpa_unit", role="bkpsdm"))
    response = client.get(AUDIT)
    assert shown(response) == []
    assert "Belum ada jejak perubahan" in response.content.decode()


def test_the_nav_links_to_the_log_for_staff_only(clients):
    assert f'href="{AUDIT}"' in clients.staf_bkpsdm.get(reverse("home")).content.decode()
    assert f'href="{AUDIT}"' in clients.superuser.get(reverse("home")).content.decode()
    assert f'href="{AUDIT}"' not in clients.atasan.get(reverse("home")).content.decode()


# ---------------------------------------------------------------------------------------------
# Scope


def test_staff_see_the_changes_to_the_pegawai_they_manage_and_not_another_pemda(clients, persona, org):
    services.pegawai_update(actor=persona.staf_bkpsdm, pegawai=org.staf, kedudukan_hukum="03")
    services.pegawai_update(actor=persona.staf_bkpsdm_b, pegawai=org.pegawai_b, kedudukan_hukum="03")

    mine = {entry.pegawai_id for entry in shown(everything(clients.staf_bkpsdm))}
    theirs = {entry.pegawai_id for entry in shown(everything(clients.staf_bkpsdm_b))}

    managed_a = set(Pegawai.objects.manageable_by(persona.staf_bkpsdm).values_list("pk", flat=True))
    assert mine - {None} == managed_a
    assert org.pegawai_b.pk not in mine
    assert theirs - {None} == {org.pegawai_b.pk}


def test_staff_see_unit_and_jabatan_changes_in_their_scope_only(clients, persona, org):
    unit_a = services.unit_kerja_create(
        actor=persona.staf_bkpsdm, nama="Bagian Umum", jenis="bidang", parent=org.dinkes
    )
    unit_b = services.unit_kerja_create(
        actor=persona.staf_bkpsdm_b, nama="Bidang Destinasi", jenis="bidang", parent=org.dinas_b
    )
    services.jabatan_update(actor=persona.staf_bkpsdm, jabatan=org.j_staf, nama="Pranata Data Pendidikan")
    services.jabatan_update(actor=persona.staf_bkpsdm_b, jabatan=org.j_b, nama="Pengelola Wisata")

    seen_a = about(everything(clients.staf_bkpsdm))
    seen_b = about(everything(clients.staf_bkpsdm_b))

    assert ("pegawai.unitkerja", str(unit_a.pk)) in seen_a
    assert ("pegawai.unitkerja", str(unit_b.pk)) not in seen_a
    assert ("pegawai.jabatan", str(org.j_staf.pk)) in seen_a
    assert ("pegawai.jabatan", str(org.j_b.pk)) not in seen_a
    assert ("pegawai.unitkerja", str(unit_b.pk)) in seen_b
    assert ("pegawai.jabatan", str(org.j_b.pk)) in seen_b
    assert ("pegawai.unitkerja", str(org.pemda.pk)) not in seen_b


def test_staff_see_their_own_pemdas_appraisal_periods(clients, periode, org):
    assert ("penilaian.periodepenilaian", str(periode.pk)) in about(everything(clients.staf_bkpsdm))
    assert ("penilaian.periodepenilaian", str(periode.pk)) not in about(everything(clients.staf_bkpsdm_b))


def test_token_events_are_for_superusers_only(clients, persona):
    token, _key = akun_services.token_create(actor=persona.staf_bkpsdm, user=persona.staf_bkpsdm, name="SIASN")

    assert ("akun.apitoken", str(token.pk)) not in about(everything(clients.staf_bkpsdm))
    assert ("akun.apitoken", str(token.pk)) in about(clients.superuser.get(f"{AUDIT}?jenis=akun.apitoken"))


def test_the_superuser_sees_every_entry(clients, org):
    response = clients.superuser.get(AUDIT)
    assert response.context["page"].paginator.count == AuditLog.objects.count()


# ---------------------------------------------------------------------------------------------
# What a row shows


def test_rows_are_newest_first_with_who_what_and_the_field_changes(clients, persona, org):
    services.pegawai_update(actor=persona.staf_bkpsdm, pegawai=org.staf, kedudukan_hukum="03")
    services.pegawai_update(actor=persona.staf_bkpsdm, pegawai=org.staf, kedudukan_hukum="01")

    response = clients.staf_bkpsdm.get(AUDIT)
    entries = shown(response)
    assert entries == sorted(entries, key=lambda e: (e.created_at, e.pk), reverse=True)

    row = response.context["audit_rows"][0]
    assert row["entry"].object_type == "pegawai.pegawai" and row["entry"].pegawai_id == org.staf.pk
    assert row["actor"] == audit.actor_name(persona.staf_bkpsdm) == org.analis.nama_lengkap
    assert row["pegawai"].nip == org.staf.nip
    # Choices by their label, as on the pegawai's own history.
    assert [(c["label"], c["old"], c["new"]) for c in row["changes"]] == [("kedudukan hukum", "Tugas Belajar", "Aktif")]

    html = response.content.decode()
    assert org.analis.nama_lengkap in html
    assert reverse("pegawai:detail", kwargs={"nip": org.staf.nip}) in html
    assert "Kedudukan hukum" in html


def test_entries_by_the_system_and_without_a_pegawai_render(clients, persona, org):
    services.unit_kerja_create(actor=None, nama="Seksi Baru", jenis="seksi", parent=org.bidang)
    response = clients.superuser.get(f"{AUDIT}?jenis=pegawai.unitkerja")
    row = response.context["audit_rows"][0]
    assert row["actor"] == "Sistem"
    assert row["pegawai"] is None
    assert "Seksi Baru" in response.content.decode()


def test_a_change_to_a_jabatans_standar_renders(clients, persona, org):
    kompetensi = Kompetensi.objects.order_by("kode").first()
    standar_services.kompetensi_save_all(actor=persona.staf_bkpsdm, jabatan=org.j_staf, levels={kompetensi: 3})

    # Recorded as {"standar_kompetensi": {...}}: the name of a reverse relation, not of a field.
    response = clients.staf_bkpsdm.get(f"{AUDIT}?jenis=pegawai.jabatan")
    rows = [row for row in response.context["audit_rows"] if row["entry"].object_id == str(org.j_staf.pk)]
    assert [change["label"] for row in rows for change in row["changes"]] == ["standar_kompetensi"]


# ---------------------------------------------------------------------------------------------
# Filters


def test_filter_by_pegawai_name_or_nip(clients, persona, org):
    by_name = shown(clients.staf_bkpsdm.get(f"{AUDIT}?pegawai=iqbal"))
    by_nip = shown(clients.staf_bkpsdm.get(f"{AUDIT}?pegawai={org.staf.nip[:12]}"))

    assert by_name and {e.pegawai_id for e in by_name} == {org.staf.pk}
    assert {e.pegawai_id for e in by_nip} == {org.staf.pk}
    assert shown(clients.staf_bkpsdm.get(f"{AUDIT}?pegawai=simanjuntak")) == [], "pemda B stays out of scope"


def test_the_superuser_finds_any_pegawai(clients, org):
    entries = shown(clients.superuser.get(f"{AUDIT}?pegawai=simanjuntak"))
    assert entries and {e.pegawai_id for e in entries} == {org.pegawai_b.pk}


def test_filter_by_user(clients, persona, org):
    services.pegawai_update(actor=persona.staf_bkpsdm, pegawai=org.staf, kedudukan_hukum="03")
    services.pegawai_update(actor=persona.superuser, pegawai=org.kabid, kedudukan_hukum="03")

    entries = shown(clients.superuser.get(f"{AUDIT}?pengguna={persona.staf_bkpsdm.username[:10]}"))
    assert [e.pegawai_id for e in entries] == [org.staf.pk]
    assert [e.pegawai_id for e in shown(clients.superuser.get(f"{AUDIT}?pengguna=ROOT"))] == [org.kabid.pk]


def test_filter_by_date_range(clients, persona, org):
    for day, pegawai in [(3, org.staf), (5, org.kabid), (7, org.kadinkes)]:
        with time_machine.travel(dt.datetime(2026, 3, day, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))):
            services.pegawai_update(actor=persona.staf_bkpsdm, pegawai=pegawai, kedudukan_hukum="03")

    def ids(query):
        return [e.pegawai_id for e in shown(clients.staf_bkpsdm.get(f"{AUDIT}?{query}"))]

    # Days are Jakarta days: 23.30 WIB on the 5th is still the 5th.
    assert ids("dari=2026-03-05&sampai=2026-03-05") == [org.kabid.pk]
    assert ids("dari=2026-03-04&sampai=2026-03-07") == [org.kadinkes.pk, org.kabid.pk]
    assert ids("dari=2026-03-01&sampai=2026-03-04") == [org.staf.pk]


def test_filter_by_kind_of_data_and_action(clients, persona, org):
    riwayat = services.riwayat_pendidikan_add(
        actor=persona.staf_bkpsdm,
        pegawai=org.staf,
        tingkat="S1",
        jurusan="Statistika",
        institusi="Universitas Syiah Kuala",
        tahun_lulus=2012,
    )
    riwayat_id = riwayat.pk
    services.riwayat_delete(actor=persona.staf_bkpsdm, riwayat=riwayat)

    deleted = shown(clients.staf_bkpsdm.get(f"{AUDIT}?jenis=pegawai.riwayatpendidikan&aksi=delete"))
    assert [(e.object_type, e.action, e.object_id) for e in deleted] == [
        ("pegawai.riwayatpendidikan", "delete", str(riwayat_id))
    ]
    updates = shown(clients.staf_bkpsdm.get(f"{AUDIT}?aksi=update"))
    assert updates and {e.action for e in updates} == {"update"}


def test_invalid_filters_are_reported_and_left_out(clients, org):
    everything_count = clients.staf_bkpsdm.get(AUDIT).context["page"].paginator.count
    for query in [
        "dari=kemarin",
        "sampai=2026-13-40",
        "dari=0001-01-01",
        "sampai=9999-12-31",
        "jenis=auth.user",
        "aksi=hapus-semua",
        "hal=99999",
        "hal=x",
    ]:
        response = clients.staf_bkpsdm.get(f"{AUDIT}?{query}")
        assert response.status_code == 200, query
        assert response.context["page"].paginator.count == everything_count, query
        if not query.startswith("hal="):
            assert "Sebagian filter tidak valid" in response.content.decode(), query


def test_a_date_range_backwards_is_an_error(clients, org):
    response = clients.staf_bkpsdm.get(f"{AUDIT}?dari=2026-03-05&sampai=2026-03-01")
    assert response.status_code == 200
    assert "Sampai tanggal: Tanggal akhir tidak boleh sebelum tanggal awal." in response.content.decode()


# ---------------------------------------------------------------------------------------------
# Paging and queries


def write_entries(pegawai_list, n, actor):
    for i in range(n):
        pegawai = pegawai_list[i % len(pegawai_list)]
        audit.record(
            actor=actor,
            action=AuditLog.Action.UPDATE,
            obj=pegawai,
            changes={"telepon": [f"0811{i:06d}", f"0812{i:06d}"], "kedudukan_hukum": ["01", "03"]},
            pegawai_id=pegawai.pk,
        )


def test_pages_hold_fifty_entries(clients, persona, org):
    write_entries([org.staf, org.kabid], 60, persona.staf_bkpsdm)
    first = clients.staf_bkpsdm.get(AUDIT)
    assert len(shown(first)) == 50
    second = clients.staf_bkpsdm.get(f"{AUDIT}?hal=2")
    assert not {e.pk for e in shown(first)} & {e.pk for e in shown(second)}


def test_a_long_log_counts_up_to_the_limit_and_says_there_is_more(clients, persona, org, monkeypatch):
    monkeypatch.setattr(core_views, "AUDIT_COUNT_LIMIT", 5)
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC)):
        write_entries([org.staf], 7, persona.staf_bkpsdm)

    response = clients.staf_bkpsdm.get(AUDIT)
    assert len(shown(response)) == 5
    assert response.context["page"].paginator.has_more
    html = response.content.decode()
    assert "Lebih dari" in html and "perubahan terbaru" in html

    narrowed = clients.staf_bkpsdm.get(f"{AUDIT}?dari=2026-03-01&sampai=2026-03-31&pegawai=iqbal")
    assert len(shown(narrowed)) == 5 and narrowed.context["page"].paginator.has_more
    exact = clients.staf_bkpsdm.get(f"{AUDIT}?dari=2026-03-01&sampai=2026-03-31&aksi=create")
    assert shown(exact) == [] and not exact.context["page"].paginator.has_more


@pytest.mark.parametrize("name", ["staf_bkpsdm", "superuser"])
def test_query_count_does_not_grow_with_the_rows(clients, persona, org, name, django_assert_max_num_queries):
    client = getattr(clients, name)
    # Many actors and many pegawai on the page: names must come in bulk, not one query per row.
    actors = [persona.staf_bkpsdm, persona.superuser, persona.atasan, None]
    people = [org.staf, org.kabid, org.kadis, org.kadinkes, org.staf_dinkes, org.analis]
    filters = "?aksi=update&jenis=pegawai.pegawai"

    for i in range(5):
        write_entries(people[i:], 1, actors[i % len(actors)])
    with django_assert_max_num_queries(12) as few:
        assert len(shown(client.get(f"{AUDIT}{filters}"))) == 5

    for i in range(45):
        write_entries(people[i % len(people) :], 1, actors[i % len(actors)])
    with django_assert_max_num_queries(len(few)) as many:
        assert len(shown(client.get(f"{AUDIT}{filters}"))) == 50
    assert len(many) == len(few)


# ---------------------------------------------------------------------------------------------
# Append-only


def test_an_audit_entry_cannot_be_changed_or_deleted(org):
    entry = AuditLog.objects.first()
    entry.object_repr = "dipalsukan"
    with pytest.raises(ValueError, match="tidak boleh diubah"):
        entry.save()
    with pytest.raises(ValueError, match="tidak boleh dihapus"):
        entry.delete()
    with pytest.raises(ValueError, match="tidak boleh diubah"):
        AuditLog.objects.filter(pk=entry.pk).update(object_repr="dipalsukan")
    with pytest.raises(ValueError, match="tidak boleh diubah"):
        AuditLog.objects.all().update(actor=None, changes={})
    with pytest.raises(ValueError, match="tidak boleh dihapus"):
        AuditLog.objects.all().delete()
    with pytest.raises(ValueError, match="tidak boleh diubah"):
        AuditLog.objects.bulk_update([entry], ["object_repr"])
    assert AuditLog.objects.get(pk=entry.pk).object_repr != "dipalsukan"


def test_deleting_an_account_keeps_its_entries_without_the_actor(org):
    user = akun_for(org.kadinkes, role="bkpsdm", scopes=[org.dinkes])
    services.pegawai_update(actor=user, pegawai=org.staf_dinkes, kedudukan_hukum="03")
    entry = AuditLog.objects.filter(actor=user).get()

    user.delete()

    entry = AuditLog.objects.get(pk=entry.pk)
    assert entry.actor is None
    assert entry.changes == {"kedudukan_hukum": ["01", "03"]}
