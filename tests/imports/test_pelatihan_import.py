"""Importing training records: recorded by BKPSDM, verified at once and counted in the JP of the
year they ended (as ``services.mandiri_ajukan`` by staff); pegawai outside the scope, the staff's
own trainings, unfinished trainings and doubles are refused, and then nothing is saved."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from apps.core.models import AuditLog, ImportJob
from apps.pelatihan import selectors
from apps.pelatihan.models import RiwayatPelatihan, Status

from ..factories import RiwayatPelatihanFactory
from .conftest import csv_file, xlsx

HEADER = [
    "NIP",
    "Nama pelatihan",
    "Jenis diklat",
    "Pelatihan kepemimpinan",
    "Penyelenggara",
    "Tanggal mulai",
    "Tanggal selesai",
    "JP",
    "Nomor sertifikat/STTPP",
]


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(dt.datetime(2026, 11, 24, 9, 0), tick=False):
        yield


def upload(client, file):
    response = client.post(reverse("impor:index"), {"kind": "pelatihan", "file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.latest("pk")
    job.refresh_from_db()
    return job


def test_imported_trainings_are_verified_at_once_and_their_jp_count(clients, persona, org):
    assert selectors.jp_tahun(org.staf, 2026) == 0
    rows = [
        HEADER,
        [org.staf.nip, "Bimtek Arsip Dinamis", 8, "", "ANRI", dt.date(2026, 3, 9), dt.date(2026, 3, 11), 24, "S/1"],
        [
            org.staf.nip,
            "Pelatihan Kepemimpinan Pengawas",
            "Pelatihan Manajerial",
            "PKP",
            "BPSDM Aceh",
            "01-06-2026",
            "30-07-2026",
            180,
            "",
        ],
        [org.kabid.nip, "E-Learning Etika ASN", "16", "", "LAN", "2025-12-30", "2026-01-02", 10, ""],
        [org.kabid.nip, "Seminar tahun lalu", 9, "", "LAN", "2025-05-05", "2025-05-05", 4, ""],
    ]
    job = upload(clients.staf_bkpsdm, xlsx({"Riwayat Pelatihan": rows}))
    assert job.status == "selesai", job.errors
    assert job.result["summary"] == ["4 riwayat pelatihan dicatat untuk 2 pegawai, 218 JP diakui."]

    assert selectors.jp_tahun(org.staf, 2026) == 204
    assert selectors.jp_tahun(org.kabid, 2026) == 10  # counted in the year it ended
    assert selectors.jp_tahun(org.kabid, 2025) == 4
    row = RiwayatPelatihan.objects.get(nama="Pelatihan Kepemimpinan Pengawas")
    assert (row.sumber, row.status, row.hadir, row.lulus, row.jp_diakui) == (
        "pencatatan",
        Status.TERVERIFIKASI,
        True,
        True,
        180,
    )
    assert (row.jenis_diklat, row.kepemimpinan, row.jalur) == (5, "pkp", "klasikal")
    assert row.diputuskan_oleh == persona.staf_bkpsdm
    assert RiwayatPelatihan.objects.get(nama="E-Learning Etika ASN").jalur == "non_klasikal"
    entry = AuditLog.objects.get(object_type="pelatihan.riwayatpelatihan", object_id=str(row.pk))
    assert (entry.action, entry.pegawai_id, entry.actor) == ("create", org.staf.pk, persona.staf_bkpsdm)
    assert entry.changes["status"] == [None, "terverifikasi"]


def test_a_csv_works_the_same(clients, org):
    rows = [HEADER, [org.staf.nip, "Bimtek Arsip", "8", "", "ANRI", "09-03-2026", "11-03-2026", "24", ""]]
    job = upload(clients.staf_bkpsdm, csv_file(rows, delimiter=","))
    assert job.status == "selesai", job.errors
    assert selectors.jp_tahun(org.staf, 2026) == 24


def test_one_bad_row_saves_none_of_the_trainings(clients, persona, org):
    rows = [
        HEADER,
        [org.staf.nip, "Bimtek A", 8, "", "ANRI", "09-03-2026", "11-03-2026", 24, ""],
        [org.pegawai_b.nip, "Bimtek B", 8, "", "ANRI", "09-03-2026", "11-03-2026", 24, ""],  # another pemda
        [org.kabid.nip, "Bimtek C", 26, "", "ANRI", "09-03-2026", "11-03-2026", 0, ""],
        [org.kabid.nip, "Bimtek D", 8, "", "ANRI", "01-12-2026", "03-12-2026", 8, ""],  # not over yet
        [org.kabid.nip, "Bimtek E", 8, "", "ANRI", "11-03-2026", "09-03-2026", 8, ""],
        [persona.staf_bkpsdm.pegawai.nip, "Bimtek F", 8, "", "ANRI", "09-03-2026", "11-03-2026", 8, ""],
    ]
    job = upload(clients.staf_bkpsdm, xlsx({"Riwayat Pelatihan": rows}))
    assert job.status == "gagal"
    assert [(e["row"], e["column"]) for e in job.errors] == [
        (3, "NIP"),
        (4, "Jenis diklat"),
        (4, "JP"),
        (5, "Tanggal selesai"),
        (6, "Tanggal selesai"),
        (7, "NIP"),
    ]
    reasons = {(e["row"], e["column"]): e["reason"] for e in job.errors}
    assert reasons[(3, "NIP")] == "Pegawai dengan NIP ini tidak ditemukan dalam lingkup Anda."
    assert reasons[(4, "JP")] == "Harus 1 sampai 2000 (terisi 0)."
    assert reasons[(5, "Tanggal selesai")] == "Pelatihan yang diajukan harus sudah selesai."
    assert not RiwayatPelatihan.objects.exists()
    assert selectors.jp_tahun(org.staf, 2026) == 0


def test_a_training_already_recorded_or_doubled_in_the_file_is_refused(clients, org):
    RiwayatPelatihanFactory(
        pegawai=org.staf, nama="Bimtek Arsip", tanggal_mulai=dt.date(2026, 3, 9), tanggal_selesai=dt.date(2026, 3, 11)
    )
    rows = [
        HEADER,
        [org.staf.nip, "BIMTEK ARSIP", 8, "", "ANRI", "09-03-2026", "11-03-2026", 24, ""],
        [org.kabid.nip, "Bimtek Arsip", 8, "", "ANRI", "09-03-2026", "11-03-2026", 24, ""],
        [org.kabid.nip, "Bimtek Arsip", 8, "", "ANRI", "09-03-2026", "11-03-2026", 24, ""],
    ]
    job = upload(clients.staf_bkpsdm, xlsx({"Riwayat Pelatihan": rows}))
    assert [(e["row"], e["reason"]) for e in job.errors] == [
        (2, "Pelatihan ini sudah tercatat untuk pegawai tersebut (nama dan tanggal sama)."),
        (4, "Pelatihan ini sama dengan baris 3 (NIP, nama dan tanggal)."),
    ]
    assert RiwayatPelatihan.objects.count() == 1


def test_a_single_sheet_workbook_is_read_whatever_its_sheet_is_called(clients, org):
    rows = [HEADER, [org.staf.nip, "Bimtek Arsip", 8, "", "ANRI", "09-03-2026", "11-03-2026", 24, ""]]
    job = upload(clients.staf_bkpsdm, xlsx({"Sheet1": rows}))
    assert job.status == "selesai", job.errors
