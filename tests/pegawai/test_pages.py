"""The pegawai pages, through the Django test client and the personas of conftest.py."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import AuditLog
from apps.pegawai import services
from apps.pegawai.models import Pegawai, RiwayatJabatan, RiwayatPangkat, RiwayatPendidikan

from ..factories import JabatanFactory, PegawaiFactory, UnitKerjaFactory, golongan, make_nip

pytestmark = pytest.mark.django_db

LIST = reverse("pegawai:list")


def detail_url(pegawai):
    return reverse("pegawai:detail", kwargs={"nip": pegawai.nip})


def listed(response):
    """The pegawai on the page, in the order shown."""
    assert response.status_code == 200
    return [p.nama for p in response.context["page"].object_list]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def extra_pegawai(org, n, start=0):
    """``n`` more pegawai in Dinas Pendidikan, each with its own jabatan, golongan and unit."""
    codes = ["II/a", "II/c", "III/a", "III/b", "III/c", "IV/a"]
    for i in range(start, start + n):
        unit = UnitKerjaFactory(nama=f"Seksi {i}", parent=org.bidang, jenis="seksi")
        jabatan = JabatanFactory(nama=f"Pengolah Data {i}", unit_kerja=unit, atasan=org.j_kabid)
        PegawaiFactory(
            nama=f"Tambahan {i:03d}",
            jabatan=jabatan,
            golongan=golongan(codes[i % len(codes)]),
            tanggal_lahir=dt.date(1980 + i % 15, 1 + i % 12, 1 + i % 27),
        )


# ---------------------------------------------------------------------------------------------
# Who sees what


def test_anonymous_visitors_are_sent_to_the_login_page(client, org):
    for url in [LIST, detail_url(org.staf), reverse("pegawai:unit_list"), reverse("pegawai:jabatan_list")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("akun:login"))


def test_staff_see_every_pegawai_of_their_pemda_and_no_other(clients):
    names = listed(clients.staf_bkpsdm.get(LIST))
    assert sorted(names) == sorted(
        ["Teuku Rizal", "Cut Nyak Meutia", "Muhammad Iqbal", "Rahmawati", "Zulfikar", "Nurul Hidayah"]
    )
    assert listed(clients.staf_bkpsdm_b.get(LIST)) == ["Sahat Simanjuntak"]


def test_an_atasan_lists_self_and_subordinates(clients):
    assert listed(clients.atasan.get(LIST)) == ["Cut Nyak Meutia", "Muhammad Iqbal"]
    assert listed(clients.kadis.get(LIST)) == ["Cut Nyak Meutia", "Muhammad Iqbal", "Teuku Rizal"]


def test_a_pegawai_lists_only_self(clients):
    assert listed(clients.bawahan.get(LIST)) == ["Muhammad Iqbal"]
    assert listed(clients.pegawai_b.get(LIST)) == ["Sahat Simanjuntak"]


def test_the_detail_page_answers_404_outside_the_scope(clients, org):
    assert clients.staf_bkpsdm_b.get(detail_url(org.staf)).status_code == 404
    assert clients.atasan_lain.get(detail_url(org.staf)).status_code == 404
    assert clients.bawahan.get(detail_url(org.kabid)).status_code == 404
    assert clients.staf_bkpsdm.get(detail_url(org.pegawai_b)).status_code == 404


def test_the_detail_page_opens_for_everyone_who_may_see_the_pegawai(clients, org):
    for client in [clients.staf_bkpsdm, clients.atasan, clients.kadis, clients.bawahan, clients.superuser]:
        response = client.get(detail_url(org.staf))
        assert response.status_code == 200
        assert "Muhammad Iqbal" in response.text
        assert org.staf.nip_display in response.text
        assert "Pengelola Data Pendidikan" in response.text


def test_a_malformed_nip_in_the_url_is_404(clients):
    assert clients.staf_bkpsdm.get("/pegawai/12345/").status_code == 404
    assert clients.staf_bkpsdm.get("/pegawai/19900101201501100x/").status_code == 404


def _set_personal_data(pegawai):
    services.pegawai_update(
        actor=None,
        pegawai=pegawai,
        alamat="Jalan Teuku Umar No. 7, Sabang",
        telepon="081234567890",
        tempat_lahir="Lhokseumawe",
    )


def test_it_shows_personal_data_to_the_staff_who_manage_the_pegawai(clients, org):
    _set_personal_data(org.staf)
    response = clients.staf_bkpsdm.get(detail_url(org.staf))
    assert response.context["show_personal"] is True
    assert "Jalan Teuku Umar No. 7" in response.text
    assert "081234567890" in response.text
    assert "30 November 1990" in response.text  # tanggal lahir, with an Indonesian month


def test_it_hides_personal_data_from_atasan(clients, org):
    _set_personal_data(org.staf)
    for client in [clients.atasan, clients.kadis]:
        response = client.get(detail_url(org.staf))
        assert response.status_code == 200
        assert response.context["show_personal"] is False
        assert "Jalan Teuku Umar" not in response.text
        assert "081234567890" not in response.text
        assert "Lhokseumawe" not in response.text
        assert "30 November 1990" not in response.text
        # The audit history holds the same values: they are masked there too.
        assert "data pribadi disembunyikan" in response.text


def test_a_pegawai_sees_their_own_personal_data(clients, org):
    _set_personal_data(org.staf)
    response = clients.bawahan.get(detail_url(org.staf))
    assert response.context["show_personal"] is True
    assert "Jalan Teuku Umar No. 7" in response.text


def test_a_superuser_sees_personal_data(clients, org):
    _set_personal_data(org.staf)
    assert "081234567890" in clients.superuser.get(detail_url(org.staf)).text


def test_the_detail_page_shows_riwayat_and_the_audit_history(clients, org, persona):
    services.riwayat_pendidikan_add(
        actor=persona.staf_bkpsdm,
        pegawai=org.staf,
        tingkat="S1",
        jurusan="Informatika",
        institusi="USK",
        tahun_lulus=2012,
    )
    response = clients.staf_bkpsdm.get(detail_url(org.staf))
    text = response.text
    assert "Riwayat jabatan" in text and "Riwayat pangkat" in text and "Riwayat pendidikan" in text
    assert "III/a Penata Muda" in text
    assert "Informatika" in text and "USK" in text
    assert "1 Januari 2020" in text  # TMT jabatan of the factory
    rows = response.context["audit_rows"]
    # The newest first: the pendidikan terakhir that follows from the riwayat, then the riwayat.
    assert [r["entry"].object_type for r in rows[:2]] == ["pegawai.pegawai", "pegawai.riwayatpendidikan"]
    assert {"label": "pendidikan terakhir", "old": None, "new": "S-1", "hidden": False} in rows[0]["changes"]
    assert {"label": "institusi", "old": None, "new": "USK", "hidden": False} in rows[1]["changes"]
    assert rows[1]["actor"] == "Nurul Hidayah"
    assert rows[-1]["actor"] == "Sistem"


def test_the_audit_history_is_capped_on_the_detail_page_and_paginated_on_its_own(clients, org):
    for i in range(12):
        services.pegawai_update(actor=None, pegawai=Pegawai.objects.get(pk=org.staf.pk), telepon=f"0812000000{i:02d}")
    response = clients.staf_bkpsdm.get(detail_url(org.staf))
    assert len(response.context["audit_rows"]) == 10
    assert response.context["audit_more"] is True

    history = clients.staf_bkpsdm.get(reverse("pegawai:audit", kwargs={"nip": org.staf.nip}))
    assert history.status_code == 200
    assert history.context["page"].paginator.count == AuditLog.objects.for_pegawai(org.staf.pk).count()
    assert clients.atasan_lain.get(reverse("pegawai:audit", kwargs={"nip": org.staf.nip})).status_code == 404


def test_the_audit_history_page_masks_personal_data_for_an_atasan(clients, org):
    _set_personal_data(org.staf)
    response = clients.atasan.get(reverse("pegawai:audit", kwargs={"nip": org.staf.nip}))
    assert response.status_code == 200
    assert "081234567890" not in response.text
    assert "data pribadi disembunyikan" in response.text


# ---------------------------------------------------------------------------------------------
# Search, filters, sorting, pagination


def test_it_finds_pegawai_by_part_of_the_name(clients):
    assert listed(clients.staf_bkpsdm.get(LIST, {"q": "iqba"})) == ["Muhammad Iqbal"]
    assert listed(clients.staf_bkpsdm.get(LIST, {"q": "RIZAL"})) == ["Teuku Rizal"]


def test_it_finds_pegawai_by_part_of_the_nip_even_typed_with_spaces(clients, org):
    assert listed(clients.staf_bkpsdm.get(LIST, {"q": org.staf.nip[:8]})) == ["Muhammad Iqbal"]
    assert listed(clients.staf_bkpsdm.get(LIST, {"q": org.staf.nip_display})) == ["Muhammad Iqbal"]


def test_search_never_reaches_beyond_the_scope(clients):
    assert listed(clients.staf_bkpsdm.get(LIST, {"q": "Sahat"})) == []
    response = clients.staf_bkpsdm.get(LIST, {"q": "Sahat"})
    assert "Tidak ada pegawai yang cocok" in response.text


def test_the_unit_filter_includes_the_whole_subtree(clients, org):
    assert listed(clients.staf_bkpsdm.get(LIST, {"unit_kerja": org.disdik.pk})) == [
        "Cut Nyak Meutia",
        "Muhammad Iqbal",
        "Teuku Rizal",
    ]
    assert listed(clients.staf_bkpsdm.get(LIST, {"unit_kerja": org.bidang.pk})) == ["Cut Nyak Meutia", "Muhammad Iqbal"]


def test_the_chosen_unit_is_named_again_when_the_page_is_reloaded(clients, org):
    response = clients.staf_bkpsdm.get(LIST, {"unit_kerja": org.dinkes.pk})
    assert response.context["unit"] == org.dinkes
    assert 'value="Dinas Kesehatan"' in response.text
    assert re.search(rf'name="unit_kerja"\s+value="{org.dinkes.pk}"', response.text)


def test_a_unit_of_another_pemda_filters_to_nothing_and_is_not_named(clients, org):
    response = clients.staf_bkpsdm.get(LIST, {"unit_kerja": org.dinas_b.pk})
    assert listed(response) == []
    assert response.context["unit"] is None
    assert "Dinas Pariwisata" not in response.text


def test_it_filters_by_golongan_jenis_jabatan_jenis_asn_and_kedudukan(clients, org):
    services.riwayat_pangkat_add(actor=None, pegawai=org.kadis, golongan=golongan("IV/b"), tmt=dt.date(2021, 4, 1))
    services.pegawai_update(actor=None, pegawai=org.staf_dinkes, kedudukan_hukum="03")
    client = clients.staf_bkpsdm

    assert listed(client.get(LIST, {"golongan": golongan("IV/b").pk})) == ["Teuku Rizal"]
    assert listed(client.get(LIST, {"jenis_jabatan": "jpt_pratama"})) == ["Rahmawati", "Teuku Rizal"]
    assert listed(client.get(LIST, {"kedudukan_hukum": "03"})) == ["Zulfikar"]
    assert len(listed(client.get(LIST, {"jenis_asn": "PNS"}))) == 6
    assert listed(client.get(LIST, {"jenis_asn": "PPPK"})) == []
    assert listed(client.get(LIST, {"jenis_jabatan": "jpt_pratama", "unit_kerja": org.dinkes.pk})) == ["Rahmawati"]


def test_it_sorts_by_nip_golongan_jabatan_and_unit_in_both_directions(clients, org):
    services.riwayat_pangkat_add(actor=None, pegawai=org.kadis, golongan=golongan("IV/b"), tmt=dt.date(2021, 4, 1))
    client = clients.staf_bkpsdm
    by_nip = sorted(Pegawai.objects.filter(unit_kerja__path__startswith=org.pemda.path), key=lambda p: p.nip)

    assert listed(client.get(LIST, {"urut": "nip"})) == [p.nama for p in by_nip]
    assert listed(client.get(LIST, {"urut": "-nip"})) == [p.nama for p in reversed(by_nip)]
    assert listed(client.get(LIST, {"urut": "-golongan"}))[0] == "Teuku Rizal"
    assert listed(client.get(LIST, {"urut": "golongan"}))[-1] == "Teuku Rizal"
    assert listed(client.get(LIST, {"urut": "jabatan"}))[0] == "Nurul Hidayah"  # Analis SDM Aparatur
    assert listed(client.get(LIST, {"urut": "unit"}))[0] == "Nurul Hidayah"  # BKPSDM
    assert listed(client.get(LIST, {"urut": "-nama"}))[0] == "Zulfikar"


def test_pagination_keeps_the_filters_and_the_sort_order(clients, org):
    extra_pegawai(org, 30)
    response = clients.staf_bkpsdm.get(LIST, {"q": "Tambahan", "urut": "-nama"})
    page = response.context["page"]
    assert page.paginator.count == 30
    assert len(page.object_list) == 25
    assert listed(response)[0] == "Tambahan 029"
    assert "?q=Tambahan&amp;urut=-nama&amp;hal=2" in response.text

    second = clients.staf_bkpsdm.get(LIST, {"q": "Tambahan", "urut": "-nama", "hal": 2})
    assert listed(second) == ["Tambahan 004", "Tambahan 003", "Tambahan 002", "Tambahan 001", "Tambahan 000"]


@pytest.mark.parametrize(
    "params",
    [
        {"unit_kerja": "abc"},
        {"unit_kerja": "99999999999999999999999"},
        {"unit_kerja": "-1"},
        {"golongan": "9999"},
        {"golongan": "x"},
        {"jenis_asn": "ASN"},
        {"kedudukan_hukum": "77"},
        {"urut": "password"},
        {"urut": "-"},
        {"hal": "9999"},
        {"hal": "-3"},
        {"hal": "satu"},
        {"q": "a\x00b"},
        {"q": "x" * 500},
        {"q": "%_'\""},
    ],
)
def test_bad_filter_values_never_cause_an_error(clients, params):
    response = clients.staf_bkpsdm.get(LIST, params)
    assert response.status_code == 200


def test_an_empty_list_says_so(clients, org):
    response = clients.staf_bkpsdm.get(LIST, {"q": "tidak ada yang bernama begini"})
    assert "Tidak ada pegawai yang cocok dengan pencarian ini." in response.text


def test_the_list_shows_nip_gelar_golongan_jabatan_and_unit(clients, org):
    services.pegawai_update(actor=None, pegawai=org.kabid, gelar_depan="Dr.", gelar_belakang="M.Pd.")
    text = clients.staf_bkpsdm.get(LIST).text
    assert "Dr. Cut Nyak Meutia, M.Pd." in text
    assert org.kabid.nip_display in text
    assert "Kepala Bidang Pembinaan SD" in text
    assert "Bidang Pembinaan SD" in text
    assert "III/a" in text


def test_the_list_issues_the_same_number_of_queries_for_5_and_50_rows(clients, org):
    client = clients.staf_bkpsdm
    client.get(LIST)  # warm up
    extra_pegawai(org, 5)
    with_5 = count_queries(client, LIST)
    filtered_5 = count_queries(client, f"{LIST}?unit_kerja={org.disdik.pk}&q=a&urut=-jabatan")
    extra_pegawai(org, 45, start=5)
    with_50 = count_queries(client, LIST)
    filtered_50 = count_queries(client, f"{LIST}?unit_kerja={org.disdik.pk}&q=a&urut=-jabatan")
    assert with_5 == with_50
    assert filtered_5 == filtered_50
    # Session and user (2), the scope (4), count, ids, rows, golongan choices; saving the session (3).
    assert with_50 <= 13


def test_the_detail_page_issues_a_fixed_number_of_queries(clients, org):
    client = clients.staf_bkpsdm
    client.get(detail_url(org.staf))
    few = count_queries(client, detail_url(org.staf))
    for year in range(2010, 2018):
        services.riwayat_pendidikan_add(
            actor=None, pegawai=org.staf, tingkat="S1", jurusan=f"Jurusan {year}", institusi="USK", tahun_lulus=year
        )
    for kode, year in [("III/b", 2021), ("III/c", 2023)]:
        services.riwayat_pangkat_add(actor=None, pegawai=org.staf, golongan=golongan(kode), tmt=dt.date(year, 4, 1))
    assert count_queries(client, detail_url(org.staf)) == few


# ---------------------------------------------------------------------------------------------
# Create and edit


def new_pegawai_post(org, **overrides):
    lahir = dt.date(1992, 8, 17)
    data = {
        "nip": make_nip(lahir, "2"),
        "nama": "Siti Aisyah",
        "gelar_depan": "",
        "gelar_belakang": "S.Kom.",
        "jenis_kelamin": "2",
        "tempat_lahir": "Sabang",
        "tanggal_lahir": "1992-08-17",
        "nik": "",
        "jenis_asn": "PNS",
        "kedudukan_hukum": "01",
        "email": "",
        "telepon": "",
        "alamat": "",
        "jabatan": org.j_staf.pk,
        "tmt_jabatan": "2017-03-01",
        "nomor_sk": "800/123/2017",
        "golongan": golongan("III/a").pk,
        "tmt_golongan": "2017-03-01",
    }
    data.update(overrides)
    return data


def test_staff_create_a_pegawai_with_the_first_jabatan_and_golongan(clients, org, persona):
    data = new_pegawai_post(org)
    response = clients.staf_bkpsdm.post(reverse("pegawai:create"), data)

    pegawai = Pegawai.objects.get(nip=data["nip"])
    assert response.status_code == 302
    assert response["Location"] == detail_url(pegawai)
    assert pegawai.jabatan == org.j_staf and pegawai.unit_kerja == org.bidang
    assert pegawai.golongan == golongan("III/a") and pegawai.tmt_golongan == dt.date(2017, 3, 1)
    assert pegawai.nik is None
    assert RiwayatJabatan.objects.get(pegawai=pegawai).nomor_sk == "800/123/2017"
    assert AuditLog.objects.for_pegawai(pegawai.pk).filter(actor=persona.staf_bkpsdm).count() == 3
    followed = clients.staf_bkpsdm.get(response["Location"])
    assert "berhasil ditambahkan" in followed.text


def test_a_nip_pasted_with_spaces_is_accepted(clients, org):
    data = new_pegawai_post(org)
    spaced = f"{data['nip'][:8]} {data['nip'][8:14]} {data['nip'][14]} {data['nip'][15:]}"
    response = clients.staf_bkpsdm.post(reverse("pegawai:create"), {**data, "nip": spaced})
    assert response.status_code == 302
    assert Pegawai.objects.filter(nip=data["nip"]).exists()


def test_a_bad_nip_is_an_indonesian_field_error_and_nothing_is_saved(clients, org):
    before = Pegawai.objects.count()
    response = clients.staf_bkpsdm.post(reverse("pegawai:create"), new_pegawai_post(org, nip="19920817201703200"))

    assert response.status_code == 200
    assert response.context["form"].errors["nip"] == ["NIP harus 18 digit (saat ini 17 digit)."]
    assert "NIP harus 18 digit" in response.text
    assert Pegawai.objects.count() == before


def test_a_bad_nip_is_reported_together_with_the_other_missing_fields(clients, org):
    response = clients.staf_bkpsdm.post(
        reverse("pegawai:create"), new_pegawai_post(org, nip="19920817201713200A", tanggal_lahir="")
    )
    errors = response.context["form"].errors
    assert errors["nip"] == ["NIP hanya boleh berisi angka."]
    assert errors["tanggal_lahir"] == ["Bidang ini harus diisi."]


def test_a_birth_date_that_disagrees_with_the_nip_is_a_field_error(clients, org):
    response = clients.staf_bkpsdm.post(reverse("pegawai:create"), new_pegawai_post(org, tanggal_lahir="1992-08-18"))
    assert response.status_code == 200
    assert "Tanggal lahir tidak sesuai dengan NIP" in response.context["form"].errors["tanggal_lahir"][0]
    assert Pegawai.objects.filter(nama="Siti Aisyah").count() == 0


def test_missing_fields_get_indonesian_messages(clients, org):
    response = clients.staf_bkpsdm.post(reverse("pegawai:create"), new_pegawai_post(org, nama="", jabatan=""))
    errors = response.context["form"].errors
    assert errors["nama"] == ["Bidang ini harus diisi."]
    assert errors["jabatan"] == ["Pilih jabatan dari daftar."]


def test_a_jabatan_outside_the_managed_scope_is_refused(clients, org):
    for jabatan in [org.j_b.pk, "abc", "99999999999999999999"]:
        response = clients.staf_bkpsdm.post(reverse("pegawai:create"), new_pegawai_post(org, jabatan=jabatan))
        assert response.status_code == 200
        assert "di luar lingkup kelola Anda" in response.context["form"].errors["jabatan"][0]
    assert not Pegawai.objects.filter(nama="Siti Aisyah").exists()


def test_the_chosen_jabatan_is_named_again_when_the_form_has_errors(clients, org):
    response = clients.staf_bkpsdm.post(reverse("pegawai:create"), new_pegawai_post(org, nama=""))
    assert response.context["jabatan"] == org.j_staf
    assert 'value="Pengelola Data Pendidikan"' in response.text


def test_a_golongan_of_the_wrong_jenis_asn_is_a_field_error(clients, org):
    data = new_pegawai_post(org, jenis_asn="PPPK")
    response = clients.staf_bkpsdm.post(reverse("pegawai:create"), data)
    assert "golongan" in response.context["form"].errors
    assert not Pegawai.objects.filter(nip=data["nip"]).exists()


def test_only_staff_may_open_the_create_form(clients):
    url = reverse("pegawai:create")
    assert clients.staf_bkpsdm.get(url).status_code == 200
    assert clients.superuser.get(url).status_code == 200
    for client in [clients.atasan, clients.kadis, clients.bawahan]:
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404


def edit_post(pegawai, **overrides):
    pegawai.refresh_from_db()
    data = {name: getattr(pegawai, name) or "" for name in services.PEGAWAI_FIELDS}
    data["tanggal_lahir"] = pegawai.tanggal_lahir.isoformat()
    data["version"] = pegawai.version
    data.update(overrides)
    return data


def test_staff_edit_a_pegawai_and_the_change_is_audited(clients, org, persona):
    url = reverse("pegawai:edit", kwargs={"nip": org.staf.nip})
    form_page = clients.staf_bkpsdm.get(url)
    assert form_page.status_code == 200
    assert f'name="version" value="{org.staf.version}"' in form_page.text

    response = clients.staf_bkpsdm.post(url, edit_post(org.staf, gelar_belakang="S.T.", telepon="0811223344"))

    assert response.status_code == 302
    org.staf.refresh_from_db()
    assert org.staf.gelar_belakang == "S.T." and org.staf.telepon == "0811223344"
    entry = AuditLog.objects.for_pegawai(org.staf.pk).first()
    assert entry.actor == persona.staf_bkpsdm
    assert entry.changes["gelar_belakang"] == ["", "S.T."]


def test_a_stale_version_is_refused_with_a_conflict_message_and_nothing_is_saved(clients, org):
    url = reverse("pegawai:edit", kwargs={"nip": org.staf.nip})
    stale = edit_post(org.staf, nama="Muhammad Iqbal Ramadhan")
    services.pegawai_update(actor=None, pegawai=org.staf, telepon="0800")  # someone else saves first

    response = clients.staf_bkpsdm.post(url, stale)

    assert response.status_code == 200
    assert response.context["conflict"] is True
    assert "telah diubah oleh pengguna lain" in response.text
    org.staf.refresh_from_db()
    assert org.staf.nama == "Muhammad Iqbal"
    assert org.staf.telepon == "0800"


def test_a_bad_nik_is_a_field_error_on_edit(clients, org):
    url = reverse("pegawai:edit", kwargs={"nip": org.staf.nip})
    response = clients.staf_bkpsdm.post(url, edit_post(org.staf, nik="1234"))
    assert response.context["form"].errors["nik"] == ["NIK harus 16 digit."]
    org.staf.refresh_from_db()
    assert org.staf.nik is None


def test_a_tampered_version_field_is_a_form_error_not_a_crash(clients, org):
    url = reverse("pegawai:edit", kwargs={"nip": org.staf.nip})
    for version in ["abc", "", "-1", "99999999999999999999"]:
        response = clients.staf_bkpsdm.post(url, edit_post(org.staf, version=version))
        assert response.status_code == 200
        assert "version" in response.context["form"].errors


def test_the_edit_form_is_404_for_anyone_who_does_not_manage_the_pegawai(clients, org):
    url = reverse("pegawai:edit", kwargs={"nip": org.staf.nip})
    for client in [clients.atasan, clients.kadis, clients.bawahan, clients.atasan_lain, clients.staf_bkpsdm_b]:
        assert client.get(url).status_code == 404
        assert client.post(url, edit_post(org.staf, nama="X")).status_code == 404
    org.staf.refresh_from_db()
    assert org.staf.nama == "Muhammad Iqbal"


# ---------------------------------------------------------------------------------------------
# Riwayat


def test_adding_a_riwayat_jabatan_moves_the_current_jabatan_and_unit(clients, org):
    url = reverse("pegawai:riwayat_jabatan_add", kwargs={"nip": org.staf.nip})
    assert clients.staf_bkpsdm.get(url).status_code == 200
    response = clients.staf_bkpsdm.post(
        url,
        {"jabatan": org.j_staf_dinkes.pk, "jenis_penugasan": "definitif", "tmt": "2024-01-02", "nomor_sk": "SK-1"},
    )
    assert response.status_code == 302
    org.staf.refresh_from_db()
    assert org.staf.jabatan == org.j_staf_dinkes
    assert org.staf.unit_kerja == org.dinkes
    assert org.staf.tmt_jabatan == dt.date(2024, 1, 2)


def test_adding_a_riwayat_pangkat_moves_the_current_golongan(clients, org):
    url = reverse("pegawai:riwayat_pangkat_add", kwargs={"nip": org.staf.nip})
    response = clients.staf_bkpsdm.post(
        url,
        {
            "golongan": golongan("III/b").pk,
            "jenis_kp": "reguler",
            "tmt": "2023-04-01",
            "masa_kerja_tahun": "4",
            "masa_kerja_bulan": "0",
        },
    )
    assert response.status_code == 302
    org.staf.refresh_from_db()
    assert org.staf.golongan == golongan("III/b")
    assert org.staf.tmt_golongan == dt.date(2023, 4, 1)


def test_a_riwayat_pangkat_with_a_pppk_golongan_for_a_pns_is_refused(clients, org):
    url = reverse("pegawai:riwayat_pangkat_add", kwargs={"nip": org.staf.nip})
    response = clients.staf_bkpsdm.post(
        url,
        {"golongan": golongan("IX", "PPPK").pk, "jenis_kp": "reguler", "tmt": "2023-04-01", "masa_kerja_tahun": "4"},
    )
    assert response.status_code == 200
    assert "golongan" in response.context["form"].errors
    assert response.context["form"].errors["masa_kerja_bulan"] == ["Bidang ini harus diisi."]
    assert RiwayatPangkat.objects.filter(pegawai=org.staf).count() == 1


def test_a_duplicate_riwayat_pangkat_is_a_field_error(clients, org):
    url = reverse("pegawai:riwayat_pangkat_add", kwargs={"nip": org.staf.nip})
    data = {"golongan": golongan("III/a").pk, "jenis_kp": "reguler", "tmt": "2019-04-01"}
    data.update(masa_kerja_tahun="0", masa_kerja_bulan="13")
    response = clients.staf_bkpsdm.post(url, data)
    assert "masa_kerja_bulan" in response.context["form"].errors
    data["masa_kerja_bulan"] = "0"
    response = clients.staf_bkpsdm.post(url, data)
    assert response.status_code == 200
    assert "sudah ada" in response.context["form"].errors["tmt"][0]


def test_adding_a_riwayat_pendidikan_sets_the_pendidikan_terakhir(clients, org):
    url = reverse("pegawai:riwayat_pendidikan_add", kwargs={"nip": org.staf.nip})
    response = clients.staf_bkpsdm.post(
        url, {"tingkat": "S2", "jurusan": "Manajemen", "institusi": "Universitas Syiah Kuala", "tahun_lulus": "2019"}
    )
    assert response.status_code == 302
    org.staf.refresh_from_db()
    assert (org.staf.pendidikan_tingkat, org.staf.pendidikan_jurusan) == ("S2", "Manajemen")
    bad = clients.staf_bkpsdm.post(url, {"tingkat": "S9", "institusi": "", "tahun_lulus": "1200"})
    assert set(bad.context["form"].errors) == {"tingkat", "institusi", "tahun_lulus"}


def test_riwayat_forms_are_404_for_anyone_who_does_not_manage_the_pegawai(clients, org):
    for name in ["riwayat_jabatan_add", "riwayat_pangkat_add", "riwayat_pendidikan_add"]:
        url = reverse(f"pegawai:{name}", kwargs={"nip": org.staf.nip})
        for client in [clients.atasan, clients.bawahan, clients.staf_bkpsdm_b]:
            assert client.get(url).status_code == 404
            assert client.post(url, {}).status_code == 404


def test_deleting_a_riwayat_asks_for_confirmation_then_derives_the_current_fields_again(clients, org):
    services.riwayat_pangkat_add(actor=None, pegawai=org.staf, golongan=golongan("III/b"), tmt=dt.date(2023, 4, 1))
    riwayat = RiwayatPangkat.objects.get(pegawai=org.staf, golongan=golongan("III/b"))
    url = reverse("pegawai:riwayat_delete", kwargs={"nip": org.staf.nip, "jenis": "pangkat", "pk": riwayat.pk})

    confirm = clients.staf_bkpsdm.get(url)
    assert confirm.status_code == 200
    assert "Hapus riwayat pangkat?" in confirm.text
    assert RiwayatPangkat.objects.filter(pk=riwayat.pk).exists()

    response = clients.staf_bkpsdm.post(url)
    assert response.status_code == 302
    assert not RiwayatPangkat.objects.filter(pk=riwayat.pk).exists()
    org.staf.refresh_from_db()
    assert org.staf.golongan == golongan("III/a")


def test_the_only_definitif_jabatan_cannot_be_deleted(clients, org):
    riwayat = RiwayatJabatan.objects.get(pegawai=org.staf)
    url = reverse("pegawai:riwayat_delete", kwargs={"nip": org.staf.nip, "jenis": "jabatan", "pk": riwayat.pk})
    response = clients.staf_bkpsdm.post(url, follow=True)
    assert "tidak dapat dihapus" in response.text
    assert RiwayatJabatan.objects.filter(pk=riwayat.pk).exists()


def test_a_riwayat_of_another_pegawai_cannot_be_deleted_through_this_pegawai(clients, org):
    other = RiwayatPendidikan.objects.create(pegawai=org.kabid, tingkat="S1", institusi="USK", tahun_lulus=2000)
    url = reverse("pegawai:riwayat_delete", kwargs={"nip": org.staf.nip, "jenis": "pendidikan", "pk": other.pk})
    assert clients.staf_bkpsdm.post(url).status_code == 404
    assert clients.atasan.post(url).status_code == 404
    assert RiwayatPendidikan.objects.filter(pk=other.pk).exists()


# ---------------------------------------------------------------------------------------------
# Unit kerja and jabatan


def test_the_unit_tree_shows_the_visible_units_in_path_order_with_pegawai_counts(clients, org):
    response = clients.staf_bkpsdm.get(reverse("pegawai:unit_list"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [u.nama for u in rows] == [
        "Pemerintah Kota Sabang",
        "Dinas Pendidikan",
        "Bidang Pembinaan SD",
        "Dinas Kesehatan",
        "BKPSDM",
    ]
    counts = {u.nama: (u.jumlah_langsung, u.jumlah) for u in rows}
    assert counts["Pemerintah Kota Sabang"] == (0, 6)
    assert counts["Dinas Pendidikan"] == (1, 3)
    assert counts["Bidang Pembinaan SD"] == (2, 2)
    assert f"{LIST}?unit_kerja={org.disdik.pk}" in response.text
    assert "Tebingtinggi" not in response.text


def test_the_unit_tree_of_another_pemda_is_its_own(clients, org):
    rows = clients.staf_bkpsdm_b.get(reverse("pegawai:unit_list")).context["rows"]
    assert [u.nama for u in rows] == ["Pemerintah Kota Tebingtinggi", "Dinas Pariwisata"]


def test_the_unit_tree_can_focus_on_one_unit_but_not_on_an_invisible_one(clients, org):
    response = clients.staf_bkpsdm.get(reverse("pegawai:unit_list"), {"unit": org.disdik.pk})
    assert [u.nama for u in response.context["rows"]] == ["Dinas Pendidikan", "Bidang Pembinaan SD"]
    other = clients.staf_bkpsdm.get(reverse("pegawai:unit_list"), {"unit": org.dinas_b.pk})
    assert other.context["root"] is None
    assert "Dinas Pariwisata" not in other.text


def test_the_unit_tree_counts_only_the_pegawai_an_atasan_may_see(clients, org):
    rows = clients.atasan.get(reverse("pegawai:unit_list")).context["rows"]
    assert {u.nama: u.jumlah for u in rows}["Pemerintah Kota Sabang"] == 2


def test_the_unit_tree_issues_the_same_number_of_queries_for_5_and_50_units(clients, org):
    client = clients.staf_bkpsdm
    url = reverse("pegawai:unit_list")
    client.get(url)
    extra_pegawai(org, 5)
    few = count_queries(client, url)
    extra_pegawai(org, 45, start=5)
    assert count_queries(client, url) == few


def test_the_jabatan_list_is_scoped_searchable_and_filterable(clients, org):
    url = reverse("pegawai:jabatan_list")
    names = [j.nama for j in clients.staf_bkpsdm.get(url).context["page"].object_list]
    assert len(names) == 6 and "Pengelola Destinasi" not in names

    def found(**params):
        return [j.nama for j in clients.staf_bkpsdm.get(url, params).context["page"].object_list]

    assert found(q="kepala") == ["Kepala Dinas Pendidikan", "Kepala Bidang Pembinaan SD", "Kepala Dinas Kesehatan"]
    assert found(unit_kerja=org.disdik.pk) == [
        "Kepala Dinas Pendidikan",
        "Kepala Bidang Pembinaan SD",
        "Pengelola Data Pendidikan",
    ]
    assert found(jenis="jpt_pratama") == ["Kepala Dinas Pendidikan", "Kepala Dinas Kesehatan"]
    assert found(unit_kerja=org.dinas_b.pk) == []
    assert clients.staf_bkpsdm.get(url, {"unit_kerja": "x", "jenis": "raja"}).status_code == 200


def test_the_jabatan_list_counts_only_visible_holders(clients, org):
    url = reverse("pegawai:jabatan_list")
    page = clients.atasan.get(url).context["page"]
    holders = {j.nama: j.jumlah_pemangku for j in page.object_list}
    assert holders["Pengelola Data Pendidikan"] == 1
    assert holders["Kepala Dinas Kesehatan"] == 0  # the atasan may see the jabatan, not its holder


def test_the_jabatan_list_issues_the_same_number_of_queries_for_5_and_50_rows(clients, org):
    client = clients.staf_bkpsdm
    url = reverse("pegawai:jabatan_list")
    client.get(url)
    extra_pegawai(org, 5)
    few = count_queries(client, url)
    extra_pegawai(org, 45, start=5)
    assert count_queries(client, url) == few


def test_the_jabatan_detail_shows_atasan_bawahan_and_visible_holders(clients, org):
    url = reverse("pegawai:jabatan_detail", kwargs={"pk": org.j_kabid.pk})
    response = clients.staf_bkpsdm.get(url)
    assert response.status_code == 200
    assert response.context["atasan"] == org.j_kadis
    assert list(response.context["bawahan"]) == [org.j_staf]
    assert list(response.context["pemangku"]) == [org.kabid]
    assert "Cut Nyak Meutia" in response.text


def test_the_jabatan_detail_hides_holders_the_user_may_not_see(clients, org):
    url = reverse("pegawai:jabatan_detail", kwargs={"pk": org.j_kadinkes.pk})
    response = clients.atasan.get(url)
    assert response.status_code == 200  # jabatan are visible within the own instansi
    assert list(response.context["pemangku"]) == []
    assert "Rahmawati" not in response.text


def test_the_jabatan_detail_is_404_in_another_pemda(clients, org):
    url = reverse("pegawai:jabatan_detail", kwargs={"pk": org.j_b.pk})
    assert clients.staf_bkpsdm.get(url).status_code == 404
    assert clients.atasan_lain.get(url).status_code == 404
    assert clients.staf_bkpsdm_b.get(url).status_code == 200


def test_a_very_large_tree_shows_two_levels_at_a_time(clients, org, monkeypatch):
    from apps.pegawai import views

    monkeypatch.setattr(views, "MAX_TREE_ROWS", 3)
    response = clients.staf_bkpsdm.get(reverse("pegawai:unit_list"))
    assert response.context["limited"] is True
    assert [u.nama for u in response.context["rows"]] == [
        "Pemerintah Kota Sabang",
        "Dinas Pendidikan",
        "Dinas Kesehatan",
        "BKPSDM",
    ]
    # Counts still include what lies below the levels shown.
    assert {u.nama: u.jumlah for u in response.context["rows"]}["Dinas Pendidikan"] == 3
    focused = clients.staf_bkpsdm.get(reverse("pegawai:unit_list"), {"unit": org.disdik.pk})
    assert [u.nama for u in focused.context["rows"]] == ["Dinas Pendidikan", "Bidang Pembinaan SD"]
