"""Riwayat penghargaan and hukuman disiplin on the pegawai page: added by the managing staff; a
disciplinary record shown to them and to the pegawai, never to the atasan."""

import datetime as dt

from django.urls import reverse

from apps.pegawai import services
from apps.pegawai.models import RiwayatHukumanDisiplin, RiwayatPenghargaan


def detail_url(pegawai):
    return reverse("pegawai:detail", kwargs={"nip": pegawai.nip})


def add_url(pegawai, jenis):
    return reverse(f"pegawai:riwayat_{jenis}_add", kwargs={"nip": pegawai.nip})


def test_staff_add_an_award(clients, org):
    data = {
        "jenis": "satyalancana_10",
        "nama": "Satyalancana Karya Satya X Tahun",
        "pemberi": "Presiden RI",
        "tanggal": "2024-08-17",
        "nomor_sk": "Keppres 12/TK/2024",
    }
    response = clients.staf_bkpsdm.post(add_url(org.staf, "penghargaan"), data)
    assert response.status_code == 302
    assert RiwayatPenghargaan.objects.get(pegawai=org.staf).pemberi == "Presiden RI"
    page = clients.atasan.get(detail_url(org.staf)).text
    assert "Satyalancana Karya Satya X Tahun" in page


def test_staff_add_a_penalty_and_its_postponement_follows_the_kind(clients, org):
    data = {
        "jenis": "potong_tukin_9",
        "tanggal_mulai": "2026-01-05",
        "tanggal_selesai": "2026-10-04",
        "menunda_kp": "",
        "menunda_kgb": "",
        "pelanggaran": "Tidak masuk kerja tanpa alasan sah 12 hari",
        "nomor_sk": "800/7/BKPSDM/2026",
        "tanggal_sk": "2026-01-02",
    }
    response = clients.staf_bkpsdm.post(add_url(org.staf, "hukuman_disiplin"), data)
    assert response.status_code == 302, response.content
    row = RiwayatHukumanDisiplin.objects.get(pegawai=org.staf)
    assert (row.tingkat, row.menunda_kp, row.menunda_kgb) == ("sedang", True, False)
    assert "Pemotongan tunjangan kinerja 25% selama 9 bulan" in clients.staf_bkpsdm.get(detail_url(org.staf)).text
    assert "Pemotongan tunjangan kinerja" in clients.bawahan.get(detail_url(org.staf)).text
    atasan_page = clients.atasan.get(detail_url(org.staf)).text
    assert "Riwayat hukuman disiplin" not in atasan_page and "Pemotongan" not in atasan_page


def test_bad_penalty_dates_are_a_form_error(clients, org):
    data = {
        "jenis": "teguran_tertulis",
        "tanggal_mulai": "2026-01-05",
        "tanggal_selesai": "2025-01-05",
        "nomor_sk": "800/8/2026",
        "tanggal_sk": "2026-01-02",
    }
    response = clients.staf_bkpsdm.post(add_url(org.staf, "hukuman_disiplin"), data)
    assert response.status_code == 200
    assert "tidak boleh sebelum tanggal mulai" in response.text
    assert not RiwayatHukumanDisiplin.objects.exists()


def test_only_managing_staff_reach_the_forms(clients, org):
    for who in ("atasan", "bawahan", "staf_bkpsdm_b"):
        assert getattr(clients, who).get(add_url(org.staf, "hukuman_disiplin")).status_code == 404
        assert getattr(clients, who).get(add_url(org.staf, "penghargaan")).status_code == 404


def test_delete_a_penalty(clients, org):
    row = services.riwayat_hukuman_disiplin_add(
        actor=None,
        pegawai=org.staf,
        jenis="teguran_lisan",
        tanggal_mulai=dt.date(2026, 1, 5),
        nomor_sk="800/9/2026",
        tanggal_sk=dt.date(2026, 1, 2),
    )
    url = reverse("pegawai:riwayat_delete", kwargs={"nip": org.staf.nip, "jenis": "hukuman-disiplin", "pk": row.pk})
    assert clients.atasan.post(url).status_code == 404
    assert clients.staf_bkpsdm.post(url).status_code == 302
    assert not RiwayatHukumanDisiplin.objects.exists()
