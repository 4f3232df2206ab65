"""The import pages: who may use them, whose jobs one sees, the uploads refused by content, the
downloadable templates, the progress endpoint and the background thread."""

import datetime as dt
import io
import threading
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from apps.core import imports
from apps.core.models import ImportJob
from apps.pegawai.models import Pegawai

from .conftest import csv_file, xlsx

NOT_STAFF = ["atasan", "bawahan", "atasan_lain", "pegawai_b", "kadis"]


def job_of(user, **kwargs):
    return ImportJob.objects.create(kind="pegawai", user=user, file_name="a.xlsx", format="xlsx", **kwargs)


@pytest.mark.parametrize("name", NOT_STAFF)
def test_only_bkpsdm_staff_and_superusers_may_import(clients, persona, name):
    client = getattr(clients, name)
    job = job_of(persona.staf_bkpsdm)
    for url in (
        reverse("impor:index"),
        reverse("impor:template_xlsx", kwargs={"kind": "pegawai"}),
        reverse("impor:template_csv", kwargs={"kind": "pegawai", "sheet": "pegawai"}),
        reverse("impor:job", kwargs={"pk": job.pk}),
        reverse("impor:job_status", kwargs={"pk": job.pk}),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("impor:index"), {"kind": "pegawai"}).status_code == 403
    assert clients.staf_bkpsdm.get(reverse("impor:index")).status_code == 200
    assert clients.superuser.get(reverse("impor:index")).status_code == 200


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("impor:index"))
    assert response.status_code == 302 and "/akun/" in response["Location"]


def test_a_job_is_seen_by_its_creator_and_the_superuser_only(clients, persona):
    job = job_of(persona.staf_bkpsdm, errors=[{"sheet": "Pegawai", "row": 2, "column": "NIP", "reason": "x"}])
    urls = [
        reverse("impor:job", kwargs={"pk": job.pk}),
        reverse("impor:job_status", kwargs={"pk": job.pk}),
        reverse("impor:job_errors_csv", kwargs={"pk": job.pk}),
    ]
    for url in urls:
        assert clients.staf_bkpsdm.get(url).status_code == 200
        assert clients.superuser.get(url).status_code == 200
        assert clients.staf_bkpsdm_b.get(url).status_code == 404
    assert clients.staf_bkpsdm.get(reverse("impor:job", kwargs={"pk": job.pk + 100})).status_code == 404
    # The list of recent imports shows one's own jobs only.
    mine = clients.staf_bkpsdm_b.get(reverse("impor:index"))
    assert reverse("impor:job", kwargs={"pk": job.pk}) not in mine.content.decode()


def test_the_status_endpoint_reports_progress(clients, persona):
    job = job_of(persona.staf_bkpsdm, status="validasi", total=10_000, processed=2500)
    data = clients.staf_bkpsdm.get(reverse("impor:job_status", kwargs={"pk": job.pk})).json()
    assert data == {
        "status": "validasi",
        "status_label": "Memeriksa data",
        "total": 10_000,
        "processed": 2500,
        "percent": 25,
        "finished": False,
        "errors": 0,
    }
    page = clients.staf_bkpsdm.get(reverse("impor:job", kwargs={"pk": job.pk})).content.decode()
    assert "js/import.js" in page and "<script>" not in page
    assert 'data-import-status="/impor/' in page and "2.500 dari 10.000 baris" in page


@pytest.mark.django_db(transaction=True)
def test_progress_is_written_every_500_rows(django_user_model):
    job = job_of(django_user_model.objects.create(username="staf", role="bkpsdm"))
    progress = imports.Progress(job)
    progress.start("validasi", 1200)
    seen = []
    for _ in range(1200):
        progress.step()
        seen.append(ImportJob.objects.get(pk=job.pk).processed)
    assert sorted(set(seen)) == [0, 500, 1000]


@pytest.mark.django_db(transaction=True)
def test_progress_inside_the_saving_transaction_is_visible_before_the_commit(django_user_model):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite allows one writer at a time: there the count waits for the commit")
    job = job_of(django_user_model.objects.create(username="staf", role="bkpsdm"))
    progress = imports.Progress(job)
    try:
        with transaction.atomic():
            progress.start("menyimpan", 1000)
            for _ in range(600):
                progress.step()
            # What the polling request reads (read committed: the side connection's update).
            assert ImportJob.objects.values_list("status", "processed").get(pk=job.pk) == ("menyimpan", 500)
    finally:
        progress.close()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "data.xlsx", "Berkas ini PDF"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "data.csv", "Berkas harus XLSX atau CSV"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "data.xls", "Format .xls (Excel 97–2003) tidak didukung"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "data.csv", "Berkas harus XLSX atau CSV"),
        (b"", "kosong.csv", "Berkas kosong"),
    ],
)
def test_files_that_are_not_xlsx_or_utf8_csv_are_refused(clients, content, name, message):
    upload = SimpleUploadedFile(name, content)
    response = clients.staf_bkpsdm.post(reverse("impor:index"), {"kind": "pegawai", "file": upload})
    assert response.status_code == 200
    assert message.lower() in response.content.decode().lower()
    assert not ImportJob.objects.exists()


def test_a_zip_that_is_not_a_workbook_is_refused(clients):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    upload = SimpleUploadedFile("data.xlsx", out.getvalue())
    response = clients.staf_bkpsdm.post(reverse("impor:index"), {"kind": "pegawai", "file": upload})
    assert "bukan XLSX yang dapat dibaca" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_csv_in_another_encoding_is_refused_with_the_way_to_fix_it(clients):
    upload = SimpleUploadedFile("data.csv", "NIP;Nama\n1;Sétiawan\n".encode("latin-1"))
    response = clients.staf_bkpsdm.post(reverse("impor:index"), {"kind": "pegawai", "file": upload})
    assert "Berkas harus XLSX atau CSV berenkode UTF-8" in response.content.decode()


def test_a_file_over_the_size_limit_is_refused(clients, monkeypatch):
    monkeypatch.setattr(imports, "MAX_BYTES", 100)
    upload = SimpleUploadedFile("data.csv", b"NIP;Nama\n" * 20)
    response = clients.staf_bkpsdm.post(reverse("impor:index"), {"kind": "pegawai", "file": upload})
    assert "Berkas terlalu besar" in response.content.decode()


def test_a_workbook_without_the_expected_sheets_fails_with_the_reason(clients):
    job_response = clients.staf_bkpsdm.post(
        reverse("impor:index"), {"kind": "pegawai", "file": xlsx({"Data": [["NIP"], ["1"]]})}
    )
    job = ImportJob.objects.get()
    assert job_response["Location"] == reverse("impor:job", kwargs={"pk": job.pk})
    assert job.status == "gagal"
    assert job.errors == [
        {
            "sheet": "",
            "row": None,
            "column": "",
            "reason": "Lembar “Pegawai”, “Riwayat Jabatan”, “Riwayat Pangkat” tidak ditemukan di berkas ini.",
        }
    ]


def test_a_csv_whose_header_fits_no_kind_fails_with_the_expected_columns(clients):
    clients.staf_bkpsdm.post(
        reverse("impor:index"), {"kind": "pegawai", "file": csv_file([["NIP", "Nama"], ["1", "a"]])}
    )
    job = ImportJob.objects.get()
    assert job.status == "gagal"
    assert job.errors[0]["reason"].startswith("Judul kolom CSV tidak cocok dengan jenis data mana pun.")


def test_the_xlsx_template_has_the_sheets_the_petunjuk_and_the_jabatan_in_scope(clients, org):
    response = clients.staf_bkpsdm.get(reverse("impor:template_xlsx", kwargs={"kind": "pegawai"}))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="templat-impor-pegawai.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Pegawai",
        "Riwayat Jabatan",
        "Riwayat Pangkat",
        "Petunjuk",
        "Referensi Jabatan",
        "Referensi Golongan",
    ]
    header = [c.value for c in workbook["Pegawai"][1]]
    assert header[:3] == ["NIP", "Nama", "Gelar depan"] and "ID jabatan" in header
    example = dict(zip(header, [c.value for c in workbook["Pegawai"][2]], strict=True))
    assert example["NIP"] == "198505172010011001" and workbook["Pegawai"]["A2"].number_format == "@"
    petunjuk = "\n".join(" ".join(str(v) for v in row if v) for row in workbook["Petunjuk"].iter_rows(values_only=True))
    for text in ("DD-MM-YYYY", "III/a", "IX", "PNS, CPNS, PPPK", "definitif", "reguler"):
        assert text in petunjuk, text
    jabatan_ids = {row[0] for row in workbook["Referensi Jabatan"].iter_rows(min_row=2, values_only=True)}
    assert org.j_staf.pk in jabatan_ids and org.j_b.pk not in jabatan_ids


def test_the_pelatihan_template_lists_the_siasn_jenis_diklat(clients):
    response = clients.staf_bkpsdm.get(reverse("impor:template_xlsx", kwargs={"kind": "pelatihan"}))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Riwayat Pelatihan", "Petunjuk", "Referensi Jenis Diklat"]
    petunjuk = " ".join(str(v) for row in workbook["Petunjuk"].iter_rows(values_only=True) for v in row if v)
    assert "1 Diklat Struktural" in petunjuk and "25 Pelatihan Nonklasikal Lainnya" in petunjuk
    ids = [row[0] for row in workbook["Referensi Jenis Diklat"].iter_rows(min_row=2, values_only=True)]
    assert ids == list(range(1, 26))


def test_the_csv_templates_have_the_header_and_an_example(clients):
    response = clients.staf_bkpsdm.get(
        reverse("impor:template_csv", kwargs={"kind": "pegawai", "sheet": "riwayat-pangkat"})
    )
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("NIP;Golongan;Jenis kenaikan pangkat;TMT;")
    assert lines[1].startswith("198505172010011001;III/a;cpns;01-01-2010;")
    assert clients.staf_bkpsdm.get("/impor/templat/pegawai/tidak-ada.csv").status_code == 404
    assert clients.staf_bkpsdm.get("/impor/templat/tidak-ada.xlsx").status_code == 404


def test_the_template_with_its_example_rows_left_in_is_refused(clients):
    template = clients.staf_bkpsdm.get(reverse("impor:template_xlsx", kwargs={"kind": "pegawai"})).content
    upload = SimpleUploadedFile("templat.xlsx", template)
    clients.staf_bkpsdm.post(reverse("impor:index"), {"kind": "pegawai", "file": upload})
    job = ImportJob.objects.get()
    assert job.status == "gagal"
    example_errors = [e for e in job.errors if e["reason"].startswith("Ini baris contoh dari templat")]
    assert [(e["sheet"], e["row"]) for e in example_errors] == [
        ("Pegawai", 2),
        ("Riwayat Jabatan", 2),
        ("Riwayat Pangkat", 2),
    ]


def test_the_nav_links_to_the_import_page_for_staff_only(clients):
    assert 'href="/impor/"' in clients.staf_bkpsdm.get("/").content.decode()
    assert 'href="/impor/"' not in clients.bawahan.get("/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_without_import_sync_the_job_runs_in_a_background_thread(settings, org, persona, monkeypatch):
    from types import SimpleNamespace

    from django.test import Client

    settings.IMPORT_SYNC = False
    started = []

    class Deferred(threading.Thread):
        # Started once the request is over: the test database (SQLite in memory) fails a second
        # writer at once instead of letting it wait as a database file or PostgreSQL does.
        def start(self):
            started.append(self)

    monkeypatch.setattr(imports, "threading", SimpleNamespace(Thread=Deferred))
    client = Client()
    client.force_login(persona.staf_bkpsdm)
    response = client.post(reverse("impor:index"), {"kind": "pegawai", "file": xlsx({"Data": [["NIP"], ["1"]]})})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == "menunggu" and job.file
    (thread,) = started
    assert thread.daemon
    threading.Thread.start(thread)
    thread.join(timeout=30)
    job.refresh_from_db()
    assert job.status == "gagal" and "tidak ditemukan" in job.errors[0]["reason"]
    assert not job.file
    assert Pegawai.objects.count() == 7


def test_the_page_offers_the_templates_and_lists_ones_own_recent_imports(clients, persona):
    job_of(persona.staf_bkpsdm, status="selesai", total=12)
    page = clients.staf_bkpsdm.get(reverse("impor:index")).content.decode()
    for url in (
        "/impor/templat/pegawai.xlsx",
        "/impor/templat/pegawai/pegawai.csv",
        "/impor/templat/pegawai/riwayat-jabatan.csv",
        "/impor/templat/pegawai/riwayat-pangkat.csv",
        "/impor/templat/pelatihan.xlsx",
        "/impor/templat/pelatihan/riwayat-pelatihan.csv",
    ):
        assert f'href="{url}"' in page, url
    assert "Pegawai dengan riwayat jabatan dan pangkat" in page and "a.xlsx" in page
    assert 'enctype="multipart/form-data"' in page


def test_a_job_whose_thread_died_is_shown_as_stopped(clients, persona):
    job = job_of(persona.staf_bkpsdm, status="menyimpan", total=100, processed=40)
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=11))
    assert clients.staf_bkpsdm.get(reverse("impor:job_status", kwargs={"pk": job.pk})).json()["finished"] is True
    page = clients.staf_bkpsdm.get(reverse("impor:job", kwargs={"pk": job.pk})).content.decode()
    assert "Impor ini terhenti" in page and "js/import.js" not in page
    assert "Terhenti" in clients.staf_bkpsdm.get(reverse("impor:index")).content.decode()
