"""Importing pegawai with riwayat jabatan and pangkat: a valid XLSX and CSV create everything
with the current fields the services would derive and the audit entries they would write; one
bad row anywhere saves nothing and the error names its sheet, row and column; the jabatan must
be in the importer's scope; a failure while saving rolls everything back."""

import datetime as dt

from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import AuditLog, ImportJob
from apps.pegawai import services
from apps.pegawai.models import Pegawai, RiwayatJabatan, RiwayatPangkat

from ..factories import golongan, make_nip
from .conftest import csv_file, xlsx

PEGAWAI = [
    "NIP",
    "Nama",
    "Gelar belakang",
    "Jenis kelamin",
    "Tempat lahir",
    "Tanggal lahir",
    "Jenis ASN",
    "NIK",
    "ID jabatan",
    "TMT jabatan",
    "Golongan",
    "TMT golongan",
    "Masa kerja tahun",
    "Masa kerja bulan",
]
RJ = ["NIP", "ID jabatan", "Jenis penugasan", "TMT", "Tanggal selesai", "Nomor SK"]
RP = ["NIP", "Golongan", "Jenis kenaikan pangkat", "TMT", "Masa kerja tahun", "Masa kerja bulan"]

LAHIR_A, LAHIR_B = dt.date(1986, 4, 12), dt.date(1992, 9, 30)
NIP_A = make_nip(LAHIR_A, "1", tmt=dt.date(2010, 1, 1), urut=501)
NIP_B = make_nip(LAHIR_B, "2", tmt=dt.date(2019, 3, 1), urut=502)


def pegawai_row(nip, nama, lahir, jk, jabatan, **extra):
    row = {
        "NIP": nip,
        "Nama": nama,
        "Gelar belakang": "",
        "Jenis kelamin": jk,
        "Tempat lahir": "Sabang",
        "Tanggal lahir": lahir,
        "Jenis ASN": "PNS",
        "NIK": "",
        "ID jabatan": jabatan.pk,
        "TMT jabatan": dt.date(2020, 2, 3),
        "Golongan": "III/b",
        "TMT golongan": dt.date(2014, 4, 1),
        "Masa kerja tahun": 4,
        "Masa kerja bulan": 3,
        **extra,
    }
    return [row[h] for h in PEGAWAI]


def workbook(org, pegawai_rows=None, rj_rows=None, rp_rows=None):
    pegawai_rows = pegawai_rows or [
        pegawai_row(NIP_A, "Andi Saputra", LAHIR_A, "L", org.j_staf, **{"Gelar belakang": "S.Kom."}),
        pegawai_row(
            NIP_B,
            "Rina Wati",
            LAHIR_B,
            "P",
            org.j_staf_dinkes,
            NIK="1172017009920003",
            Golongan="III/a",
            **{"TMT golongan": "01-03-2020", "Masa kerja tahun": 1, "Masa kerja bulan": 0, "TMT jabatan": "2021-01-04"},
        ),
    ]
    sheets = {"Pegawai": [PEGAWAI, *pegawai_rows]}
    if rj_rows is not None:
        sheets["Riwayat Jabatan"] = [RJ, *rj_rows]
    if rp_rows is not None:
        sheets["Riwayat Pangkat"] = [RP, *rp_rows]
    return xlsx(sheets)


def upload(client, file, kind="pegawai"):
    response = client.post(reverse("impor:index"), {"kind": kind, "file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.latest("pk")
    assert response["Location"] == reverse("impor:job", kwargs={"pk": job.pk})
    return job


def errors_of(job):
    return [(e["sheet"], e["row"], e["column"], e["reason"]) for e in job.errors]


def test_a_valid_workbook_creates_pegawai_with_riwayat_current_fields_and_audit(clients, persona, org):
    existing_before = org.staf.version
    rj = [
        [NIP_A, org.j_staf_dinkes.pk, "definitif", dt.date(2012, 1, 2), dt.date(2020, 2, 2), "SK/1/2012"],
        [NIP_A, org.j_kabid.pk, "plt", dt.date(2023, 5, 1), "", "SK/PLT/2023"],
    ]
    rp = [
        [NIP_A, "III/a", "cpns", dt.date(2010, 1, 1), 0, 0],
        # An existing pegawai in scope: a later golongan becomes the current one.
        [org.staf.nip, "III/b", "reguler", dt.date(2023, 4, 1), 4, 0],
    ]
    job = upload(clients.staf_bkpsdm, workbook(org, rj_rows=rj, rp_rows=rp))

    job.refresh_from_db()
    assert job.status == ImportJob.Status.SELESAI, job.errors
    assert job.total == 6 and job.error_count == 0 and not job.file
    a = Pegawai.objects.get(nip=NIP_A)
    assert (a.nama, a.gelar_belakang, a.jenis_kelamin, a.tanggal_lahir) == ("Andi Saputra", "S.Kom.", "1", LAHIR_A)
    # The Pegawai sheet's jabatan is the current one (the plt row is not definitif).
    assert (a.jabatan, a.tmt_jabatan, a.unit_kerja) == (org.j_staf, dt.date(2020, 2, 3), org.bidang)
    assert (a.golongan, a.tmt_golongan) == (golongan("III/b"), dt.date(2014, 4, 1))
    assert a.mkg_mulai == dt.date(2010, 1, 1)  # TMT 1 April 2014 less 4 years 3 months
    assert a.riwayat_jabatan.count() == 3 and a.riwayat_pangkat.count() == 2
    b = Pegawai.objects.get(nip=NIP_B)
    assert (b.nik, b.jabatan, b.unit_kerja, b.tmt_jabatan) == (
        "1172017009920003",
        org.j_staf_dinkes,
        org.dinkes,
        dt.date(2021, 1, 4),
    )
    assert (b.golongan, b.mkg_mulai) == (golongan("III/a"), dt.date(2019, 3, 1))

    # What the service derives from the same riwayat is what the import wrote.
    for pegawai in (a, b):
        before = {f: getattr(pegawai, f) for f in services.CURRENT_FIELDS}
        services._sync_current(pegawai)
        assert {f: getattr(pegawai, f) for f in services.CURRENT_FIELDS} == before

    staf = Pegawai.objects.get(pk=org.staf.pk)
    assert (staf.golongan, staf.tmt_golongan, staf.mkg_mulai) == (
        golongan("III/b"),
        dt.date(2023, 4, 1),
        dt.date(2019, 4, 1),
    )
    assert staf.version == existing_before + 1

    entries = AuditLog.objects.filter(pegawai_id=a.pk)
    assert {(e.object_type, e.action) for e in entries} == {
        ("pegawai.pegawai", "create"),
        ("pegawai.riwayatjabatan", "create"),
        ("pegawai.riwayatpangkat", "create"),
    }
    assert entries.count() == 1 + 3 + 2
    assert all(e.actor_id == persona.staf_bkpsdm.pk for e in entries)
    create = entries.get(object_type="pegawai.pegawai")
    assert create.changes["nip"] == [None, NIP_A] and create.changes["jabatan"] == [None, org.j_staf.nama]
    assert AuditLog.objects.filter(pegawai_id=staf.pk, object_type="pegawai.pegawai", action="update").exists()
    assert "2 pegawai baru disimpan." in job.result["summary"]


def test_a_csv_with_semicolons_imports_the_sheet_its_header_names(clients, org):
    rows = [PEGAWAI, pegawai_row(NIP_A, "Andi Saputra", "12-04-1986", "1", org.j_staf, **{"TMT jabatan": "03/02/2020"})]
    job = upload(clients.staf_bkpsdm, csv_file(rows))
    job.refresh_from_db()
    assert job.status == "selesai", job.errors
    a = Pegawai.objects.get(nip=NIP_A)
    assert (a.tanggal_lahir, a.tmt_jabatan, a.golongan.kode) == (LAHIR_A, dt.date(2020, 2, 3), "III/b")


def test_a_csv_of_riwayat_pangkat_with_commas_adds_to_an_existing_pegawai(clients, org):
    rows = [RP, [org.staf.nip, "iii/b", "", "01-04-2023", "4", "0"]]
    job = upload(clients.staf_bkpsdm, csv_file(rows, delimiter=",", bom=False))
    job.refresh_from_db()
    assert job.status == "selesai", job.errors
    org.staf.refresh_from_db()
    assert org.staf.golongan == golongan("III/b")
    assert org.staf.riwayat_pangkat.get(tmt=dt.date(2023, 4, 1)).jenis_kp == "reguler"


def test_one_bad_row_saves_nothing_and_names_that_row_and_column(clients, org):
    pegawai_before, audit_before = Pegawai.objects.count(), AuditLog.objects.count()
    rows = [
        pegawai_row(NIP_A, "Andi Saputra", LAHIR_A, "L", org.j_staf),
        # Born a day later than the NIP says.
        pegawai_row(NIP_B, "Rina Wati", LAHIR_B + dt.timedelta(days=1), "P", org.j_staf),
        pegawai_row(make_nip(dt.date(1990, 1, 5), "1", urut=777), "Budi", dt.date(1990, 1, 5), "L", org.j_staf),
    ]
    rj = [[NIP_A, org.j_staf_dinkes.pk, "", dt.date(2012, 1, 2), "", ""]]
    job = upload(clients.staf_bkpsdm, workbook(org, rows, rj_rows=rj))

    job.refresh_from_db()
    assert job.status == ImportJob.Status.GAGAL
    assert errors_of(job) == [
        ("Pegawai", 3, "Tanggal lahir", "Tanggal lahir tidak sesuai dengan NIP (NIP menyatakan 30-09-1992).")
    ]
    assert Pegawai.objects.count() == pegawai_before
    assert AuditLog.objects.count() == audit_before
    assert not RiwayatJabatan.objects.filter(nomor_sk="SK/1/2012").exists()

    page = clients.staf_bkpsdm.get(reverse("impor:job", kwargs={"pk": job.pk}))
    assert "Tidak ada data yang disimpan" in page.content.decode()
    assert "Tanggal lahir tidak sesuai dengan NIP" in page.content.decode()
    report = clients.staf_bkpsdm.get(reverse("impor:job_errors_csv", kwargs={"pk": job.pk}))
    assert report.status_code == 200
    lines = report.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Lembar;Baris;Kolom;Alasan"
    assert lines[1].startswith("Pegawai;3;Tanggal lahir;")


def test_every_error_of_every_row_is_collected(clients, org):
    rows = [
        pegawai_row("12345", "", LAHIR_A, "X", org.j_staf, **{"Tanggal lahir": "31-02-1986", "Golongan": "IX"}),
        pegawai_row(NIP_A, "Andi", LAHIR_A, "L", org.j_staf, **{"TMT jabatan": "kemarin"}),
        pegawai_row(NIP_A, "Andi lagi", LAHIR_A, "L", org.j_staf),
    ]
    job = upload(clients.staf_bkpsdm, workbook(org, rows))
    job.refresh_from_db()
    found = {(row, column) for _, row, column, _ in errors_of(job)}
    assert {
        (2, "NIP"),
        (2, "Nama"),
        (2, "Jenis kelamin"),
        (2, "Tanggal lahir"),
        (3, "TMT jabatan"),
        (4, "NIP"),
    } <= found
    reasons = {(row, column): reason for _, row, column, reason in errors_of(job)}
    assert reasons[(2, "NIP")] == "NIP harus 18 digit (terisi 5 digit)."
    assert reasons[(2, "Nama")] == "Wajib diisi."
    assert reasons[(4, "NIP")] == "NIP ini sudah ada di baris 3."
    assert not Pegawai.objects.filter(nip=NIP_A).exists()


def test_golongan_must_match_jenis_asn(clients, org):
    rows = [pegawai_row(NIP_A, "Andi", LAHIR_A, "L", org.j_staf, **{"Jenis ASN": "PPPK"})]
    job = upload(clients.staf_bkpsdm, workbook(org, rows))
    job.refresh_from_db()
    assert errors_of(job) == [
        (
            "Pegawai",
            2,
            "Golongan",
            "Golongan III/b tidak sesuai dengan jenis ASN PPPK (PPPK memakai golongan I–XVII; PNS dan CPNS I/a–IV/e).",
        )
    ]


def test_a_jabatan_outside_the_staffs_scope_is_an_error(clients, org):
    rows = [pegawai_row(NIP_A, "Andi", LAHIR_A, "L", org.j_b)]
    job = upload(clients.staf_bkpsdm, workbook(org, rows))
    job.refresh_from_db()
    assert errors_of(job) == [
        (
            "Pegawai",
            2,
            "ID jabatan",
            f"Jabatan dengan ID “{org.j_b.pk}” tidak ditemukan dalam lingkup Anda. "
            "Lihat lembar Referensi Jabatan pada templat.",
        )
    ]
    assert not Pegawai.objects.filter(nip=NIP_A).exists()
    # The same file is fine for the staff of pemda B.
    job = upload(clients.staf_bkpsdm_b, workbook(org, rows))
    job.refresh_from_db()
    assert job.status == "selesai", job.errors


def test_riwayat_of_a_pegawai_outside_the_scope_or_unknown_is_an_error(clients, org):
    rp = [[org.pegawai_b.nip, "III/b", "", dt.date(2023, 4, 1), 4, 0]]
    job = upload(clients.staf_bkpsdm, xlsx({"Riwayat Pangkat": [RP, *rp]}))
    job.refresh_from_db()
    assert errors_of(job) == [
        (
            "Riwayat Pangkat",
            2,
            "NIP",
            "Pegawai dengan NIP ini tidak ada di lembar Pegawai dan tidak ditemukan dalam lingkup Anda.",
        )
    ]


def test_an_existing_nip_is_refused_on_the_pegawai_sheet(clients, org):
    rows = [pegawai_row(org.staf.nip, org.staf.nama, org.staf.tanggal_lahir, "L", org.j_staf)]
    job = upload(clients.staf_bkpsdm, workbook(org, rows))
    job.refresh_from_db()
    assert [(r, c) for _, r, c, _ in errors_of(job)] == [(2, "NIP")]
    assert "sudah terdaftar" in job.errors[0]["reason"]


def test_riwayat_of_a_new_pegawai_must_be_older_than_its_current_jabatan_and_golongan(clients, org):
    rj = [[NIP_A, org.j_staf_dinkes.pk, "definitif", dt.date(2021, 1, 1), "", ""]]
    rp = [[NIP_A, "III/a", "", dt.date(2014, 4, 1), 0, 0], [NIP_A, "III/c", "", dt.date(2015, 4, 1), 0, 0]]
    rows = [pegawai_row(NIP_A, "Andi", LAHIR_A, "L", org.j_staf)]
    job = upload(clients.staf_bkpsdm, workbook(org, rows, rj_rows=rj, rp_rows=rp))
    job.refresh_from_db()
    assert [(s, r, c) for s, r, c, _ in errors_of(job)] == [
        ("Riwayat Jabatan", 2, "TMT"),
        ("Riwayat Pangkat", 2, "TMT"),
        ("Riwayat Pangkat", 3, "TMT"),
    ]


def test_doubled_riwayat_in_the_file_and_in_the_database_are_errors(clients, org):
    rp = [
        [org.staf.nip, "III/a", "", dt.date(2019, 4, 1), 0, 0],  # the one pegawai_create wrote
        [org.staf.nip, "III/b", "", dt.date(2023, 4, 1), 4, 0],
        [org.staf.nip, "III/b", "", dt.date(2023, 4, 1), 4, 0],
    ]
    job = upload(clients.staf_bkpsdm, xlsx({"Riwayat Pangkat": [RP, *rp]}))
    job.refresh_from_db()
    assert [(r, reason) for _, r, _, reason in errors_of(job)] == [
        (2, "Riwayat pangkat dengan golongan dan TMT ini sudah tercatat."),
        (4, "Riwayat pangkat dengan golongan dan TMT ini sudah ada di baris 3."),
    ]


def test_a_missing_required_column_is_one_error_on_the_header_row(clients, org):
    header = [h for h in PEGAWAI if h != "Tanggal lahir"]
    rows = [
        [
            v
            for h, v in zip(PEGAWAI, pegawai_row(NIP_A, "Andi", LAHIR_A, "L", org.j_staf), strict=True)
            if h != "Tanggal lahir"
        ]
    ] * 3
    job = upload(clients.staf_bkpsdm, xlsx({"Pegawai": [header, *rows]}))
    job.refresh_from_db()
    assert errors_of(job)[0] == ("Pegawai", 1, "Tanggal lahir", "Kolom wajib ini tidak ada pada baris judul.")
    assert not any(c == "Tanggal lahir" and r != 1 for _, r, c, _ in errors_of(job))


def test_a_nip_in_a_number_cell_is_refused_with_the_reason(clients, org):
    # XLSX keeps numbers as floating point: 18 digits come back rounded, never as typed.
    rows = [pegawai_row(int(NIP_A), "Andi", LAHIR_A, "L", org.j_staf)]
    job = upload(clients.staf_bkpsdm, workbook(org, rows))
    job.refresh_from_db()
    assert errors_of(job) == [
        (
            "Pegawai",
            2,
            "NIP",
            "NIP ditulis sebagai angka, yang hanya tepat sampai 15 digit (Excel membulatkan sisanya). "
            "Format kolom sebagai Teks lalu ketik ulang.",
        )
    ]


def test_a_failure_while_saving_rolls_everything_back_and_is_reported(clients, org, monkeypatch):
    pegawai_before = Pegawai.objects.count()

    def broken(*args, **kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(RiwayatPangkat.objects, "bulk_create", broken)
    job = upload(clients.staf_bkpsdm, workbook(org))
    job.refresh_from_db()
    assert job.status == "gagal"
    assert "Tidak ada data yang disimpan" in job.errors[0]["reason"]
    assert Pegawai.objects.count() == pegawai_before
    page = clients.staf_bkpsdm.get(reverse("impor:job", kwargs={"pk": job.pk}))
    assert page.status_code == 200


def test_an_unexpected_error_is_a_failed_job_not_a_server_error(clients, org, monkeypatch):
    monkeypatch.setattr(RiwayatJabatan.objects, "bulk_create", lambda *a, **k: 1 / 0)
    job = upload(clients.staf_bkpsdm, workbook(org))
    job.refresh_from_db()
    assert job.status == "gagal"
    assert job.errors[0]["reason"].startswith("Terjadi kesalahan tak terduga")
    assert not Pegawai.objects.filter(nip=NIP_A).exists()


def test_the_import_issues_the_same_queries_whatever_the_number_of_rows(clients, org):
    def queries_for(size, first):
        rows = [
            pegawai_row(make_nip(LAHIR_A, "1", urut=first + i), f"Pegawai {first + i}", LAHIR_A, "L", org.j_staf)
            for i in range(size)
        ]
        rj = [[row[0], org.j_staf_dinkes.pk, "", dt.date(2012, 1, 2), "", ""] for row in rows]
        file = workbook(org, rows, rj_rows=rj)
        with CaptureQueriesContext(connection) as context:
            job = upload(clients.staf_bkpsdm, file)
        job.refresh_from_db()
        assert job.status == "selesai", job.errors
        # SQLite splits a bulk INSERT into batches of 999 parameters; PostgreSQL sends one per
        # 1,000 rows. Every other query is one per import.
        return [q["sql"].split(" ")[0] for q in context.captured_queries if not q["sql"].startswith("INSERT")]

    assert len(queries_for(3, 600)) == len(queries_for(80, 700))


def test_a_riwayat_jabatan_csv_moves_an_existing_pegawai_as_the_service_would(clients, org):
    rows = [RJ, [org.staf.nip, str(org.j_staf_dinkes.pk), "Definitif", "02-01-2025", "", "SK/MUTASI/2025"]]
    job = upload(clients.staf_bkpsdm, csv_file(rows))
    job.refresh_from_db()
    assert job.status == "selesai", job.errors
    staf = Pegawai.objects.get(pk=org.staf.pk)
    assert (staf.jabatan, staf.unit_kerja, staf.tmt_jabatan) == (org.j_staf_dinkes, org.dinkes, dt.date(2025, 1, 2))
    riwayat = staf.riwayat_jabatan.get(nomor_sk="SK/MUTASI/2025")
    assert (riwayat.nama_jabatan, riwayat.nama_unit_kerja) == (org.j_staf_dinkes.nama, org.dinkes.nama)
    update = AuditLog.objects.get(pegawai_id=staf.pk, object_type="pegawai.pegawai", action="update")
    assert update.changes["unit_kerja"] == [org.bidang.nama, org.dinkes.nama]
    page = clients.staf_bkpsdm.get(reverse("impor:job", kwargs={"pk": job.pk})).content.decode()
    assert "Impor berhasil." in page and "1 pegawai yang sudah ada mendapat riwayat baru." in page
    # The same file again: the entry is there already, nothing changes.
    job = upload(clients.staf_bkpsdm, csv_file(rows))
    job.refresh_from_db()
    assert [e["reason"] for e in job.errors] == ["Riwayat jabatan ini sudah tercatat untuk pegawai tersebut."]
