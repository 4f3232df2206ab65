"""Pages of apps/pelatihan/views_kebutuhan.py: the 20 JP report and its list of pegawai under
20 JP, the training needs with enrolment, the competency assessments with the gap table, and
the panel on the pegawai detail page. The clock stands at 24 November 2026."""

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.pelatihan import services
from apps.pelatihan.models import AsesmenKompetensi, RiwayatPelatihan
from apps.penilaian.models import Penilaian
from apps.standar_kinerja.models import Kompetensi, StandarKompetensi

from ..conftest import client_for
from ..factories import (
    JabatanFactory,
    PegawaiFactory,
    PelatihanFactory,
    RiwayatPelatihanFactory,
    UnitKerjaFactory,
    UserFactory,
)

TODAY = dt.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 24, 9, 0), tick=False):
        yield


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def kompetensi(kode):
    return Kompetensi.objects.get(kode=kode)


def standar(jabatan, **levels):
    """The standar kompetensi of ``jabatan``: standar(j, M_04=3, SK_01=2)."""
    for kode, level in levels.items():
        StandarKompetensi.objects.create(jabatan=jabatan, kompetensi=kompetensi(kode.replace("_", ".")), level=level)


def asesmen(actor, pegawai, kode, level, tanggal=dt.date(2026, 3, 2)):
    return services.asesmen_create(
        actor=actor,
        pegawai=pegawai,
        kompetensi=kompetensi(kode),
        level=level,
        tanggal=tanggal,
        metode="assessment_center",
        asesor="UPT Penilaian Kompetensi",
    )


def jp(pegawai, n, tahun=2026, **kwargs):
    return RiwayatPelatihanFactory(pegawai=pegawai, jp=n, tanggal_selesai=dt.date(tahun, 6, 12), **kwargs)


REKAP = "/pelatihan/jp/"
KURANG = "/pelatihan/jp/kurang/"
KEBUTUHAN = "/pelatihan/kebutuhan/"


def asesmen_url(pegawai, suffix=""):
    return f"/pelatihan/asesmen/{pegawai.nip}/{suffix}"


# ---------------------------------------------------------------------------------------------
# Scope


@pytest.mark.parametrize("path", [REKAP, KURANG])
def test_the_jp_report_is_for_bkpsdm_staff_and_superusers_only(clients, path):
    for name in ("staf_bkpsdm", "staf_bkpsdm_b", "superuser"):
        assert getattr(clients, name).get(path).status_code == 200, name
    for name in ("kadis", "atasan", "bawahan", "atasan_lain", "pegawai_b"):
        assert getattr(clients, name).get(path).status_code == 403, name


@pytest.mark.parametrize("path", [REKAP, KURANG])
def test_a_unit_outside_the_managed_scope_is_404(org, clients, path):
    assert clients.staf_bkpsdm.get(f"{path}?unit={org.dinas_b.pk}").status_code == 404
    assert clients.staf_bkpsdm_b.get(f"{path}?unit={org.disdik.pk}").status_code == 404
    assert clients.staf_bkpsdm.get(f"{path}?unit=abc").status_code == 404
    assert clients.staf_bkpsdm.get(f"{path}?unit=99999999999999999999").status_code == 404
    assert clients.superuser.get(f"{path}?unit={org.dinas_b.pk}").status_code == 200


def test_the_needs_page_is_for_staff_and_atasan_not_for_a_plain_pegawai(org, clients):
    for name in ("staf_bkpsdm", "staf_bkpsdm_b", "superuser", "kadis", "atasan", "atasan_lain"):
        assert getattr(clients, name).get(KEBUTUHAN).status_code == 200, name
    for name in ("bawahan", "pegawai_b"):
        assert getattr(clients, name).get(KEBUTUHAN).status_code == 403, name


def _listed(client, jenis="jp"):
    response = client.get(f"{KEBUTUHAN}?jenis={jenis}")
    return {item.pegawai.nama for item in response.context["page"].object_list}


def test_each_sees_the_needs_of_their_own_scope(org, clients):
    pemda_a = {"Teuku Rizal", "Cut Nyak Meutia", "Muhammad Iqbal", "Rahmawati", "Zulfikar", "Nurul Hidayah"}
    assert _listed(clients.staf_bkpsdm) == pemda_a
    assert _listed(clients.staf_bkpsdm_b) == {"Sahat Simanjuntak"}
    assert _listed(clients.superuser) == pemda_a | {"Sahat Simanjuntak"}
    assert _listed(clients.atasan) == {"Muhammad Iqbal"}  # subordinates, not self
    assert _listed(clients.kadis) == {"Cut Nyak Meutia", "Muhammad Iqbal"}
    assert _listed(clients.atasan_lain) == {"Zulfikar"}


def test_an_atasan_sees_the_needs_without_enrol_controls_and_may_not_post(org, clients):
    pelatihan = PelatihanFactory(instansi=org.pemda)
    response = clients.atasan.get(f"{KEBUTUHAN}?jenis=jp")
    page = response.content.decode()
    assert response.context["can_enrol"] is False
    assert 'name="pegawai"' not in page and 'name="satu"' not in page and 'method="post" id="daftarkan"' not in page
    response = clients.atasan.post(KEBUTUHAN, {"pegawai": [org.staf.pk], "pelatihan": pelatihan.pk})
    assert response.status_code == 403
    assert not RiwayatPelatihan.objects.exists()


@pytest.mark.parametrize("suffix", ["", "tambah/"])
def test_the_assessment_pages_follow_the_pegawai_scope(org, clients, suffix):
    path = asesmen_url(org.staf, suffix)
    expected = {
        "staf_bkpsdm": 200,
        "superuser": 200,
        "atasan": 200 if not suffix else 403,
        "kadis": 200 if not suffix else 403,
        "bawahan": 200 if not suffix else 403,  # self
        "atasan_lain": 404,
        "staf_bkpsdm_b": 404,
        "pegawai_b": 404,
    }
    for name, status in expected.items():
        assert getattr(clients, name).get(path).status_code == status, name


def test_editing_or_deleting_an_assessment_follows_the_scope(org, persona, clients):
    row = asesmen(persona.staf_bkpsdm, org.staf, "M.04", 2)
    for suffix in ("ubah", "hapus"):
        path = f"/pelatihan/asesmen/{row.pk}/{suffix}/"
        assert clients.staf_bkpsdm.get(path).status_code == 200
        assert clients.atasan.get(path).status_code == 403
        assert clients.bawahan.get(path).status_code == 403
        for name in ("atasan_lain", "staf_bkpsdm_b", "pegawai_b"):
            assert getattr(clients, name).get(path).status_code == 404, name
            assert getattr(clients, name).post(path, {"version": 1}).status_code == 404, name
    assert AsesmenKompetensi.objects.filter(pk=row.pk).exists()


# ---------------------------------------------------------------------------------------------
# Rekap 20 JP on a worked example


@pytest.fixture
def jp_2026(org):
    """JP confirmed in 2026: kadis 21 (12 + 9), kabid exactly 20, staf 19; kadinkes 5 (and 25 in
    2025); staf_dinkes none; analis 10 confirmed plus 10 awaiting verification. A pegawai on
    leave (CLTN) in the bidang has none but is not counted; pemda B is not counted."""
    jp(org.kadis, 12)
    jp(org.kadis, 9)
    jp(org.kabid, 20)
    jp(org.staf, 19)
    jp(org.kadinkes, 5)
    jp(org.kadinkes, 25, tahun=2025)
    jp(org.analis, 10)
    jp(org.analis, 10, status="menunggu_verifikasi", sumber="mandiri")
    PegawaiFactory(nama="Pegawai Cuti", jabatan=JabatanFactory(unit_kerja=org.bidang), kedudukan_hukum="02")
    jp(org.pegawai_b, 1)


def _figures(response):
    return {
        r.unit.nama: (r.jumlah_pegawai, r.memenuhi, r.kurang, r.persen_memenuhi, r.rata_jp)
        for r in response.context["rows"]
    }


def test_the_rekap_counts_19_as_under_and_20_and_21_as_met(org, clients, jp_2026):
    response = clients.staf_bkpsdm.get(REKAP)
    assert response.context["induk"] == org.pemda and response.context["tahun"] == 2026
    assert _figures(response) == {
        "Dinas Pendidikan": (3, 2, 1, 66.7, 20.0),
        "Dinas Kesehatan": (2, 0, 2, 0.0, 2.5),
        "BKPSDM": (1, 0, 1, 0.0, 10.0),
    }
    total = response.context["total"]
    assert (total.jumlah_pegawai, total.memenuhi, total.kurang) == (6, 2, 4)
    page = response.content.decode()
    assert 'value="66.7"' in page  # the bar, in a machine-readable number whatever the locale
    assert f'href="?tahun=2026&amp;unit={org.disdik.pk}"' in page  # Disdik has sub-units
    assert f'href="?tahun=2026&amp;unit={org.dinkes.pk}"' not in page  # Dinkes has none
    assert f"/pelatihan/jp/kurang/?tahun=2026&amp;unit={org.dinkes.pk}" in page


def test_the_rekap_of_another_year_counts_that_years_records(org, clients, jp_2026):
    response = clients.staf_bkpsdm.get(f"{REKAP}?tahun=2025")
    assert _figures(response)["Dinas Kesehatan"] == (2, 1, 1, 50.0, 12.5)
    assert _figures(clients.staf_bkpsdm.get(f"{REKAP}?tahun=zzz"))["Dinas Kesehatan"][1] == 0  # this year


def test_the_rekap_drills_down_into_a_unit(org, clients, jp_2026):
    response = clients.staf_bkpsdm.get(f"{REKAP}?tahun=2026&unit={org.disdik.pk}")
    assert _figures(response) == {
        "Dinas Pendidikan": (1, 1, 0, 100.0, 21.0),  # the kadis sits in the dinas itself
        "Bidang Pembinaan SD": (2, 1, 1, 50.0, 19.5),
    }
    rows = response.context["rows"]
    assert rows[0].is_induk and not rows[0].can_drill and not rows[1].can_drill
    assert response.context["trail"] == [org.pemda]


def test_a_superuser_starts_from_every_instansi(org, clients, jp_2026):
    response = clients.superuser.get(REKAP)
    figures = _figures(response)
    assert figures["Pemerintah Kota Sabang"] == (6, 2, 4, 33.3, 12.5)
    assert figures["Pemerintah Kota Tebingtinggi"] == (1, 0, 1, 0.0, 1.0)


def test_staff_of_a_single_perangkat_daerah_start_from_it(org, clients, jp_2026):
    user = UserFactory(username="bkpsdm_disdik", role="bkpsdm", scopes=[org.disdik])
    response = client_for(user).get(REKAP)
    assert response.context["induk"] == org.disdik
    assert set(_figures(response)) == {"Dinas Pendidikan", "Bidang Pembinaan SD"}


def _kurang(client, query=""):
    response = client.get(KURANG + query)
    assert response.status_code == 200
    return [(p.nama, p.jp_tahun, p.kekurangan_jp) for p in response.context["page"].object_list]


def test_the_list_under_20_jp_is_sorted_by_name_or_shortfall(org, clients, jp_2026):
    assert [row[0] for row in _kurang(clients.staf_bkpsdm)] == [
        "Muhammad Iqbal",
        "Nurul Hidayah",
        "Rahmawati",
        "Zulfikar",
    ]
    assert _kurang(clients.staf_bkpsdm, "?urut=kekurangan") == [
        ("Zulfikar", 0, 20),
        ("Rahmawati", 5, 15),
        ("Nurul Hidayah", 10, 10),
        ("Muhammad Iqbal", 19, 1),
    ]
    assert [row[0] for row in _kurang(clients.staf_bkpsdm, "?urut=-kekurangan")] == [
        "Muhammad Iqbal",
        "Nurul Hidayah",
        "Rahmawati",
        "Zulfikar",
    ]
    assert [row[0] for row in _kurang(clients.staf_bkpsdm, "?urut=nama")][0] == "Muhammad Iqbal"
    assert _kurang(clients.staf_bkpsdm, f"?unit={org.disdik.pk}") == [("Muhammad Iqbal", 19, 1)]
    assert ("Rahmawati", 25, -5) not in _kurang(clients.staf_bkpsdm, "?tahun=2025")
    assert _kurang(clients.staf_bkpsdm_b) == [("Sahat Simanjuntak", 1, 19)]
    page = clients.staf_bkpsdm.get(KURANG).content.decode()
    assert org.staf.nip_display in page and "Pengelola Data Pendidikan" in page and "Bidang Pembinaan SD" in page


def test_the_list_under_20_jp_is_paginated(org, clients):
    jabatan = JabatanFactory(unit_kerja=org.bidang)
    for _ in range(30):
        PegawaiFactory(jabatan=jabatan)
    response = clients.staf_bkpsdm.get(KURANG)
    assert len(response.context["page"].object_list) == 25 and response.context["page"].paginator.count == 36
    assert len(clients.staf_bkpsdm.get(KURANG + "?hal=2").context["page"].object_list) == 11


# ---------------------------------------------------------------------------------------------
# Kebutuhan pelatihan: tabs, details, enrolment


@pytest.fixture
def needs(org, persona):
    """The staf's jabatan requires M.01 3, M.04 3 and SK.01 2; the staf was assessed 3, 2, 1
    (two negative gaps, JPM 75%). The kabid holds PKA; the kadis and kadinkes lack PKN II. The
    staf's latest final SKP is Butuh Perbaikan."""
    standar(org.j_staf, M_01=3, M_04=3, SK_01=2)
    for kode, level in (("M.01", 3), ("M.04", 2), ("SK.01", 1)):
        asesmen(persona.staf_bkpsdm, org.staf, kode, level)
    jp(org.kabid, 30, kepemimpinan="pka", jenis_diklat=1)
    return org


def test_the_tabs_count_each_need(org, clients, needs):
    response = clients.staf_bkpsdm.get(KEBUTUHAN)
    counts = {kind: count for kind, _, count in response.context["tabs"]}
    # The open tab is counted; the others show what was counted when they were last open.
    assert counts == {"kompetensi": 1, "predikat": None, "jp": None, "kepemimpinan": None}
    for kind in ("predikat", "jp", "kepemimpinan"):
        clients.staf_bkpsdm.get(f"{KEBUTUHAN}?jenis={kind}")
    response = clients.staf_bkpsdm.get(KEBUTUHAN)
    counts = {kind: count for kind, _, count in response.context["tabs"]}
    assert counts == {"kompetensi": 1, "predikat": 0, "jp": 5, "kepemimpinan": 2}
    assert response.context["jenis"] == "kompetensi"
    assert _listed(clients.staf_bkpsdm, "kepemimpinan") == {"Teuku Rizal", "Rahmawati"}


def test_the_predikat_tab_lists_a_latest_final_skp_below_baik(org, clients, needs, skp):
    Penilaian.objects.filter(pk=skp.pk).update(status="final", predikat=3)
    assert _listed(clients.staf_bkpsdm, "predikat") == {"Muhammad Iqbal"}
    page = clients.staf_bkpsdm.get(f"{KEBUTUHAN}?jenis=predikat").content.decode()
    assert "Butuh Perbaikan" in page


def test_a_row_shows_the_gaps_jpm_jp_leadership_and_recommendations(org, clients, needs):
    pelatihan = PelatihanFactory(instansi=org.pemda, nama="Pelatihan Orientasi Hasil", kompetensi=[kompetensi("M.04")])
    PelatihanFactory(instansi=org.pemda_b, nama="Pelatihan Pemda Lain", kompetensi=[kompetensi("M.04")])
    response = clients.staf_bkpsdm.get(KEBUTUHAN)
    (item,) = response.context["page"].object_list
    assert item.pegawai == org.staf and item.gap.jpm == 75.0 and item.gap.band == "Masih Memenuhi Syarat"
    assert item.rekomendasi == [pelatihan]
    page = response.content.decode()
    assert "M.04 Orientasi pada Hasil: 2 dari 3" in page and "(−1)" in page
    assert "SK.01 Perekat Bangsa: 1 dari 2" in page
    assert "M.01 Integritas: 3 dari 3" not in page
    assert "75.0%" in page or "75,0%" in page
    assert "Pelatihan Orientasi Hasil" in page and "Pelatihan Pemda Lain" not in page
    assert f'value="{org.staf.pk}:{pelatihan.pk}"' in page
    kepemimpinan = clients.staf_bkpsdm.get(f"{KEBUTUHAN}?jenis=kepemimpinan").content.decode()
    assert "Belum mengikuti" in kepemimpinan and "PKN Tingkat II" in kepemimpinan


def test_the_needs_filter_by_name_nip_and_unit(org, clients, needs):
    response = clients.staf_bkpsdm.get(f"{KEBUTUHAN}?jenis=kepemimpinan&q=zulfi")
    assert {kind: c for kind, _, c in response.context["tabs"]}["kepemimpinan"] == 0
    response = clients.staf_bkpsdm.get(f"{KEBUTUHAN}?jenis=jp&q=zulfi")
    assert {i.pegawai.nama for i in response.context["page"].object_list} == {"Zulfikar"}
    assert {kind: c for kind, _, c in response.context["tabs"]}["kepemimpinan"] == 0
    response = clients.staf_bkpsdm.get(f"{KEBUTUHAN}?jenis=jp&q={org.staf.nip[:12]}")
    assert {i.pegawai.nama for i in response.context["page"].object_list} == {"Muhammad Iqbal"}
    response = clients.staf_bkpsdm.get(f"{KEBUTUHAN}?jenis=jp&unit_kerja={org.disdik.pk}")
    # The kabid has 30 JP: in Disdik but not under 20 JP.
    assert {i.pegawai.nama for i in response.context["page"].object_list} == {"Teuku Rizal", "Muhammad Iqbal"}
    response = clients.staf_bkpsdm.get(f"{KEBUTUHAN}?jenis=jp&unit_kerja={org.dinas_b.pk}")
    assert response.context["unit"] is None and "tidak ditemukan" in response.content.decode()


def test_staff_enrol_ticked_pegawai_in_an_upcoming_training(org, clients, needs):
    pelatihan = PelatihanFactory(instansi=org.pemda, nama="Bimtek Data")
    response = clients.staf_bkpsdm.post(
        f"{KEBUTUHAN}?jenis=jp", {"pegawai": [org.staf.pk, org.staf_dinkes.pk], "pelatihan": pelatihan.pk}
    )
    assert response.status_code == 302 and response["Location"] == f"{KEBUTUHAN}?jenis=jp"
    assert "2 pegawai didaftarkan pada “Bimtek Data”." in texts(response)[-1]
    rows = RiwayatPelatihan.objects.filter(pelatihan=pelatihan)
    assert {(r.pegawai_id, r.status, r.sumber) for r in rows} == {
        (org.staf.pk, "terdaftar", "penugasan"),
        (org.staf_dinkes.pk, "terdaftar", "penugasan"),
    }


def test_pegawai_already_registered_are_skipped_and_said_so(org, clients, needs):
    pelatihan = PelatihanFactory(instansi=org.pemda, nama="Bimtek Data")
    clients.staf_bkpsdm.post(KEBUTUHAN, {"pegawai": [org.staf.pk], "pelatihan": pelatihan.pk})
    response = clients.staf_bkpsdm.post(KEBUTUHAN, {"pegawai": [org.staf.pk, org.kadis.pk], "pelatihan": pelatihan.pk})
    message = texts(response)[-1]
    assert "1 pegawai didaftarkan" in message and "1 pegawai dilewati karena sudah terdaftar: Muhammad Iqbal" in message
    assert RiwayatPelatihan.objects.filter(pelatihan=pelatihan).count() == 2
    response = clients.staf_bkpsdm.post(KEBUTUHAN, {"pegawai": [org.staf.pk], "pelatihan": pelatihan.pk})
    assert "Tidak ada pegawai baru yang didaftarkan" in texts(response)[-1]


def test_one_click_enrols_one_pegawai_in_a_recommended_training(org, clients, needs):
    pelatihan = PelatihanFactory(instansi=org.pemda, kompetensi=[kompetensi("M.04")])
    other = PelatihanFactory(instansi=org.pemda)
    # The ticked boxes and the select travel with the form; the button decides.
    data = {"satu": f"{org.staf.pk}:{pelatihan.pk}", "pegawai": [org.kadis.pk], "pelatihan": other.pk}
    response = clients.staf_bkpsdm.post(KEBUTUHAN, data)
    assert response.status_code == 302
    enrolled = RiwayatPelatihan.objects.filter(pelatihan__isnull=False).values_list("pegawai_id", "pelatihan_id")
    assert list(enrolled) == [(org.staf.pk, pelatihan.pk)]
    page = clients.staf_bkpsdm.get(KEBUTUHAN).content.decode()  # the kompetensi tab: the staf's row
    assert f'value="{org.staf.pk}:{pelatihan.pk}"' not in page and ">Terdaftar</span>" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            lambda org, p: {"pegawai": [org.staf.pk, org.pegawai_b.pk], "pelatihan": p.pk},
            "tidak ditemukan dalam lingkup",
        ),
        (lambda org, p: {"pegawai": [], "pelatihan": p.pk}, "Centang minimal satu pegawai"),
        (lambda org, p: {"pegawai": ["x"], "pelatihan": p.pk}, "Pilihan pegawai tidak valid"),
        (lambda org, p: {"pegawai": [org.staf.pk]}, "Pilih pelatihan tujuan"),
        (lambda org, p: {"pegawai": [org.staf.pk], "pelatihan": 987654}, "Pelatihan tidak ditemukan"),
        (lambda org, p: {"satu": f"{org.pegawai_b.pk}:{p.pk}"}, "tidak ditemukan dalam lingkup"),
        (lambda org, p: {"satu": "garbage"}, "Pilihan pegawai tidak valid"),
    ],
)
def test_a_bad_enrolment_shows_the_error_and_saves_nothing(org, clients, needs, data, message):
    pelatihan = PelatihanFactory(instansi=org.pemda)
    response = clients.staf_bkpsdm.post(f"{KEBUTUHAN}?jenis=jp", data(org, pelatihan))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Pendaftaran tidak disimpan." in page and message in page
    assert not RiwayatPelatihan.objects.filter(pelatihan__isnull=False).exists()


def test_a_training_of_another_instansi_or_already_started_cannot_be_chosen(org, clients, needs):
    lain = PelatihanFactory(instansi=org.pemda_b)
    mulai = PelatihanFactory(instansi=org.pemda, tanggal_mulai=TODAY - dt.timedelta(days=1))
    for pelatihan in (lain, mulai):
        response = clients.staf_bkpsdm.post(KEBUTUHAN, {"pegawai": [org.staf.pk], "pelatihan": pelatihan.pk})
        assert response.status_code == 200 and "Pelatihan tidak ditemukan" in response.content.decode()
    page = clients.staf_bkpsdm.get(f"{KEBUTUHAN}?jenis=jp").content.decode()
    assert f'<option value="{lain.pk}"' not in page and f'<option value="{mulai.pk}"' not in page
    assert not RiwayatPelatihan.objects.filter(pelatihan__isnull=False).exists()


def test_the_service_refusal_is_shown_and_nothing_is_saved(org, clients, needs):
    pelatihan = PelatihanFactory(instansi=org.pemda, kuota=1)
    response = clients.staf_bkpsdm.post(
        KEBUTUHAN, {"pegawai": [org.staf.pk, org.staf_dinkes.pk], "pelatihan": pelatihan.pk}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Kuota tidak cukup: tersisa 1 tempat untuk 2 pegawai baru." in page
    assert response.context["checked"] == {org.staf.pk, org.staf_dinkes.pk}  # ticked again
    assert not RiwayatPelatihan.objects.filter(pelatihan=pelatihan).exists()


def test_staff_of_a_subtree_cannot_enrol_into_the_instansi_catalogue(org, clients, needs):
    user = UserFactory(username="bkpsdm_disdik", role="bkpsdm", scopes=[org.disdik])
    pelatihan = PelatihanFactory(instansi=org.pemda)
    client = client_for(user)
    page = client.get(f"{KEBUTUHAN}?jenis=jp").content.decode()
    assert "Belum ada pelatihan yang akan datang" in page
    response = client.post(KEBUTUHAN, {"pegawai": [org.staf.pk], "pelatihan": pelatihan.pk})
    assert response.status_code == 200 and "Pelatihan tidak ditemukan" in response.content.decode()
    assert not RiwayatPelatihan.objects.filter(pelatihan__isnull=False).exists()


# ---------------------------------------------------------------------------------------------
# Asesmen kompetensi: the gap table and the records


def test_the_gap_table_and_jpm_on_a_worked_example(org, persona, clients):
    """Standard M.01 3, M.04 3, SK.01 2, M.08 2; assessed 3, 2 (an older 1 replaced), 3, and M.08
    not yet: JPM waits. Once M.08 is assessed at 2: Σmin = 3+2+2+2 = 9 of 10 → 90%."""
    standar(org.j_staf, M_01=3, M_04=3, SK_01=2, M_08=2)
    staff = persona.staf_bkpsdm
    asesmen(staff, org.staf, "M.01", 3)
    asesmen(staff, org.staf, "M.04", 1, tanggal=dt.date(2024, 5, 1))
    asesmen(staff, org.staf, "M.04", 2)
    asesmen(staff, org.staf, "SK.01", 3)
    asesmen(staff, org.staf, "M.02", 4)  # not in the standard: history only

    response = clients.atasan.get(asesmen_url(org.staf))
    gap = response.context["gap"]
    assert [(r.kompetensi.kode, r.dipersyaratkan, r.hasil, r.gap) for r in gap.rows] == [
        ("M.01", 3, 3, 0),
        ("M.04", 3, 2, -1),
        ("M.08", 2, None, None),
        ("SK.01", 2, 3, 1),
    ]
    assert gap.jpm is None
    page = response.content.decode()
    assert "belum diases" in page and "Belum dapat dihitung" in page and "−1" in page and "+1" in page
    assert "digantikan" in page and "M.02 Kerja Sama" in page  # the replaced one and the history
    assert "/pelatihan/asesmen/tambah" not in page and "Ubah</a>" not in page  # the atasan reads only

    asesmen(staff, org.staf, "M.08", 2)
    response = clients.bawahan.get(asesmen_url(org.staf))
    assert response.context["gap"].jpm == 90.0
    page = response.content.decode()
    assert "Memenuhi Syarat" in page and "badge-success" in page


def test_the_competency_choices_put_the_standard_first(org, clients):
    standar(org.j_staf, M_04=3, SK_01=2)
    form = clients.staf_bkpsdm.get(asesmen_url(org.staf, "tambah/")).context["form"]
    choices = form.fields["kompetensi"].choices
    assert choices[1][0] == "Standar kompetensi jabatan"
    assert [label for _, label in choices[1][1]] == [
        "M.04 Orientasi pada Hasil — standar level 3",
        "SK.01 Perekat Bangsa — standar level 2",
    ]
    assert choices[2][0] == "Kompetensi lainnya" and len(choices[2][1]) == Kompetensi.objects.count() - 2


def _form(**overrides):
    values = {
        "kompetensi": kompetensi("M.04").pk,
        "level": 3,
        "tanggal": "2026-10-01",
        "metode": "uji_kompetensi",
        "asesor": "BKN Kanreg VI",
        "catatan": "",
    }
    values.update(overrides)
    return values


def test_staff_add_an_assessment_and_it_becomes_the_level(org, persona, clients):
    standar(org.j_staf, M_04=3)
    asesmen(persona.staf_bkpsdm, org.staf, "M.04", 2, tanggal=dt.date(2025, 1, 1))
    response = clients.staf_bkpsdm.post(asesmen_url(org.staf, "tambah/"), _form())
    assert response.status_code == 302 and response["Location"] == asesmen_url(org.staf)
    assert "level 3 tercatat" in texts(response)[-1]
    gap = clients.staf_bkpsdm.get(asesmen_url(org.staf)).context["gap"]
    assert [(r.hasil, r.gap) for r in gap.rows] == [(3, 0)] and gap.jpm == 100.0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"level": 7}, "bukan salah satu dari pilihan"),
        ({"kompetensi": 999999}, "Pilih kompetensi dari daftar"),
        ({"tanggal": ""}, "Bidang ini harus diisi"),
        ({"asesor": ""}, "Bidang ini harus diisi"),
    ],
)
def test_a_bad_assessment_is_a_form_error(org, clients, overrides, message):
    response = clients.staf_bkpsdm.post(asesmen_url(org.staf, "tambah/"), _form(**overrides))
    assert response.status_code == 200 and message in response.content.decode()
    assert not AsesmenKompetensi.objects.exists()


def test_the_same_competency_twice_on_one_day_is_refused_on_the_form(org, persona, clients):
    asesmen(persona.staf_bkpsdm, org.staf, "M.04", 2, tanggal=dt.date(2026, 10, 1))
    response = clients.staf_bkpsdm.post(asesmen_url(org.staf, "tambah/"), _form())
    assert response.status_code == 200 and "sudah tercatat" in response.content.decode()
    assert AsesmenKompetensi.objects.count() == 1


def test_an_atasan_may_not_add_an_assessment(org, clients):
    assert clients.atasan.post(asesmen_url(org.staf, "tambah/"), _form()).status_code == 403
    assert clients.bawahan.post(asesmen_url(org.staf, "tambah/"), _form()).status_code == 403
    assert not AsesmenKompetensi.objects.exists()


def test_staff_edit_an_assessment_and_a_stale_version_is_refused(org, persona, clients):
    row = asesmen(persona.staf_bkpsdm, org.staf, "M.04", 2)
    path = f"/pelatihan/asesmen/{row.pk}/ubah/"
    form = clients.staf_bkpsdm.get(path).context["form"]
    assert form.initial["version"] == 1 and form.initial["level"] == 2
    response = clients.staf_bkpsdm.post(path, _form(level=3, tanggal="2026-03-02", version=1))
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.level, row.version) == (3, 2)

    response = clients.staf_bkpsdm.post(path, _form(level=4, tanggal="2026-03-02", version=1))
    page = response.content.decode()
    assert response.status_code == 200 and "telah diubah oleh pengguna lain" in page and "Muat data terbaru" in page
    row.refresh_from_db()
    assert (row.level, row.version) == (3, 2)


def test_staff_delete_an_assessment_and_the_older_one_counts_again(org, persona, clients):
    standar(org.j_staf, M_04=3)
    older = asesmen(persona.staf_bkpsdm, org.staf, "M.04", 1, tanggal=dt.date(2024, 1, 1))
    newer = asesmen(persona.staf_bkpsdm, org.staf, "M.04", 3)
    path = f"/pelatihan/asesmen/{newer.pk}/hapus/"
    services.asesmen_update(actor=persona.staf_bkpsdm, asesmen=newer, expected_version=1, catatan="dikoreksi")

    response = clients.staf_bkpsdm.post(path, {"version": 1})  # read before the correction
    assert response["Location"] == asesmen_url(org.staf) and "telah diubah" in texts(response)[-1]
    assert AsesmenKompetensi.objects.filter(pk=newer.pk).exists()

    response = clients.staf_bkpsdm.post(path, {"version": 2})
    assert response["Location"] == asesmen_url(org.staf) and "dihapus" in texts(response)[-1]
    assert not AsesmenKompetensi.objects.filter(pk=newer.pk).exists()
    older.refresh_from_db()
    assert older.terbaru
    gap = clients.staf_bkpsdm.get(asesmen_url(org.staf)).context["gap"]
    assert [(r.hasil, r.gap) for r in gap.rows] == [(1, -2)]


def test_an_atasan_may_not_delete_an_assessment(org, persona, clients):
    row = asesmen(persona.staf_bkpsdm, org.staf, "M.04", 2)
    assert clients.atasan.post(f"/pelatihan/asesmen/{row.pk}/hapus/", {"version": 1}).status_code == 403
    assert AsesmenKompetensi.objects.filter(pk=row.pk).exists()


# ---------------------------------------------------------------------------------------------
# The panel on the pegawai detail page


def test_the_pegawai_page_shows_jp_leadership_and_jpm(org, persona, clients):
    jp(org.kabid, 12)
    standar(org.j_kabid, M_01=4)
    asesmen(persona.staf_bkpsdm, org.kabid, "M.01", 3)  # 75%
    for client in (clients.staf_bkpsdm, clients.atasan, clients.kadis):
        response = client.get(f"/pegawai/{org.kabid.nip}/")
        data = response.context["pengembangan"]
        assert (data["jp"], data["kekurangan"]) == (12, 8)
        assert data["kepemimpinan"] == "pka" and data["gap"].jpm == 75.0
        page = response.content.decode()
        assert "12 dari 20 JP" in page and "Kurang 8 JP" in page and "PKA" in page
        assert "Masih Memenuhi Syarat" in page and asesmen_url(org.kabid) in page
    jp(org.kabid, 8, kepemimpinan="pka")
    page = clients.atasan.get(f"/pegawai/{org.kabid.nip}/").content.decode()
    assert "20 dari 20 JP" in page and "Memenuhi 20 JP" in page and "Sudah mengikuti pelatihan kepemimpinan" in page


def test_the_pegawai_sees_their_own_panel_with_a_link_to_their_trainings(org, clients):
    response = clients.bawahan.get(f"/pegawai/{org.staf.nip}/")
    page = response.content.decode()
    assert response.status_code == 200 and "0 dari 20 JP" in page and "Jabatan tanpa standar kompetensi" in page
    assert f'href="/pelatihan/riwayat/pegawai/{org.staf.nip}/"' in page


# ---------------------------------------------------------------------------------------------
# Query counts


def _many(org, persona, n):
    """``n`` active pegawai in a new bidang of Disdik, each with a JP record, two assessments
    (one below the standard), and a recommended training for the bidang's jabatan."""
    unit = UnitKerjaFactory(nama=f"Bidang {n}", parent=org.disdik, jenis="bidang")
    sub = UnitKerjaFactory(nama=f"Seksi {n}", parent=unit, jenis="seksi")
    jabatan = JabatanFactory(nama=f"Pelaksana {n}", unit_kerja=sub, atasan=org.j_kabid)
    standar(jabatan, M_01=3, M_04=3)
    PelatihanFactory(instansi=org.pemda, kompetensi=[kompetensi("M.04")])
    for i in range(n):
        pegawai = PegawaiFactory(jabatan=jabatan)
        jp(pegawai, 5 + i % 20)
        asesmen(persona.staf_bkpsdm, pegawai, "M.01", 3)
        asesmen(persona.staf_bkpsdm, pegawai, "M.04", 2)


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "path",
    [REKAP, f"{REKAP}?unit=disdik", KURANG, KEBUTUHAN, f"{KEBUTUHAN}?jenis=jp", f"{KEBUTUHAN}?jenis=kepemimpinan"],
)
def test_the_lists_issue_a_flat_number_of_queries(org, persona, clients, path):
    path = path.replace("unit=disdik", f"unit={org.disdik.pk}")
    _many(org, persona, 5)
    few = _queries(clients.staf_bkpsdm, path)
    _many(org, persona, 50)
    many = _queries(clients.staf_bkpsdm, path)
    assert few == many, (few, many)


def test_the_pegawai_page_with_the_panel_issues_a_flat_number_of_queries(org, persona, clients):
    standar(org.j_staf, M_01=3, M_04=3)
    path = f"/pegawai/{org.staf.nip}/"
    for i in range(5):
        jp(org.staf, 2)
        asesmen(persona.staf_bkpsdm, org.staf, "M.04", 2, tanggal=dt.date(2020, 1, 1) + dt.timedelta(days=i))
    few = _queries(clients.staf_bkpsdm, path)
    for i in range(45):
        jp(org.staf, 1)
        asesmen(persona.staf_bkpsdm, org.staf, "M.01", 3, tanggal=dt.date(2020, 1, 1) + dt.timedelta(days=i))
    assert _queries(clients.staf_bkpsdm, path) == few
