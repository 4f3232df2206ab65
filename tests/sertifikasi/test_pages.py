import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.sertifikasi import services
from apps.sertifikasi.models import Sertifikasi

from ..factories import JabatanFactory, PegawaiFactory, UnitKerjaFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def data(**overrides):
    values = {
        "jenis": "pbj_dasar",
        "nama": "Sertifikat Dasar PBJ",
        "penerbit": "LKPP",
        "nomor": "PBJ-0001/2024",
        "tanggal_terbit": dt.date(2024, 3, 1),
        "tanggal_kedaluwarsa": dt.date(2027, 3, 1),
    }
    values.update(overrides)
    return values


def submit(org, persona, **overrides):
    """A certificate submitted by ``org.staf`` (the subordinate of the kabid)."""
    return services.sertifikasi_create(actor=persona.bawahan, pegawai=org.staf, **data(**overrides))


def form_data(**overrides):
    values = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data().items()}
    values.update(overrides)
    return values


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def url(name, row=None):
    base = {"index": "/sertifikasi/", "saya": "/sertifikasi/saya/", "create": "/sertifikasi/tambah/"}
    if name in base:
        return base[name]
    if name in ("daftar", "antrean"):
        return f"/sertifikasi/{name}/"
    if name == "per_unit":
        return "/sertifikasi/kedaluwarsa-per-unit/"
    suffix = {"detail": "", "edit": "ubah/", "delete": "hapus/", "bukti": "bukti/"}.get(name, f"{name}/")
    return f"/sertifikasi/{row.pk}/{suffix}"


# ---------------------------------------------------------------------------------------------
# Landing and "Sertifikat saya"


def test_the_landing_sends_staff_to_the_list_and_others_to_their_own(clients):
    assert clients.staf_bkpsdm.get(url("index"))["Location"] == "/sertifikasi/daftar/"
    assert clients.bawahan.get(url("index"))["Location"] == "/sertifikasi/saya/"


def test_a_pegawai_submits_a_certificate_with_a_pdf(org, clients):
    upload = SimpleUploadedFile("sertifikat saya.pdf", PDF, content_type="application/pdf")
    response = clients.bawahan.post(url("create"), form_data(bukti=upload))
    row = Sertifikasi.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", row)
    assert row.pegawai == org.staf and row.verifikasi == "diajukan"
    assert row.bukti.name.endswith(".pdf") and Path(row.bukti.path).read_bytes() == PDF
    assert "diajukan untuk diverifikasi" in texts(response)[-1]
    page = clients.bawahan.get(url("saya")).content.decode()
    assert "Sertifikat Dasar PBJ" in page and "Menunggu verifikasi" in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("sertifikat.pdf", b"this is only text, not a PDF", "bukan salah satunya"),
        ("besar.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024), "terlalu besar"),
    ],
)
def test_an_upload_that_is_not_a_small_pdf_or_image_is_refused_and_nothing_saved(
    org, clients, settings, name, content, message
):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = clients.bawahan.post(url("create"), form_data(bukti=upload))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Sertifikasi.objects.exists()
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*.*"))


def test_the_rejection_reason_shows_on_the_pegawai_page(org, persona, clients):
    row = submit(org, persona)
    services.sertifikasi_tolak(actor=persona.staf_bkpsdm, sertifikasi=row, alasan="Berkas tidak terbaca.")
    assert "Berkas tidak terbaca." in clients.bawahan.get(url("saya")).content.decode()
    assert "Berkas tidak terbaca." in clients.bawahan.get(url("detail", row)).content.decode()


def test_the_pegawai_edits_while_not_verified_and_not_after(org, persona, clients):
    row = submit(org, persona)
    response = clients.bawahan.post(url("edit", row), form_data(nama="Sertifikat Dasar PBJ (perbaikan)", version=1))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.nama == "Sertifikat Dasar PBJ (perbaikan)" and row.version == 2
    services.sertifikasi_verifikasi(actor=persona.staf_bkpsdm, sertifikasi=row, expected_version=2)
    response = clients.bawahan.get(url("edit", row))
    assert response.status_code == 302 and "tidak dapat Anda ubah" in texts(response)[-1]
    response = clients.bawahan.post(url("delete", row), {"version": 3})
    assert response.status_code == 302 and Sertifikasi.objects.filter(pk=row.pk).exists()


def test_a_stale_edit_is_refused_with_a_message_and_nothing_changed(org, persona, clients):
    row = submit(org, persona)
    services.sertifikasi_update(actor=persona.bawahan, sertifikasi=row, expected_version=1, nama="Baru")
    response = clients.bawahan.post(url("edit", row), form_data(nama="Lama", version=1))
    assert response.status_code == 200 and "telah diubah oleh pengguna lain" in response.content.decode()
    row.refresh_from_db()
    assert row.nama == "Baru"


def test_the_pegawai_deletes_an_unverified_certificate(org, persona, clients):
    row = submit(org, persona)
    assert clients.bawahan.get(url("delete", row)).status_code == 200
    response = clients.bawahan.post(url("delete", row), {"version": 1})
    assert response["Location"] == url("saya") and not Sertifikasi.objects.exists()


# ---------------------------------------------------------------------------------------------
# Scope


def test_a_certificate_outside_the_scope_is_404_on_every_page(org, persona, clients):
    row = submit(org, persona, bukti=SimpleUploadedFile("s.pdf", PDF))
    for client in (clients.atasan_lain, clients.staf_bkpsdm_b, clients.pegawai_b):
        for name in ("detail", "bukti", "edit", "delete"):
            assert client.get(url(name, row)).status_code == 404, name
        for name in ("verifikasi", "tolak"):
            assert client.post(url(name, row), {"version": 1, "alasan": "x"}).status_code == 404, name
    row.refresh_from_db()
    assert row.verifikasi == "diajukan"


def test_the_evidence_downloads_for_owner_atasan_and_staff(org, persona, clients):
    row = submit(org, persona, bukti=SimpleUploadedFile("s.pdf", PDF))
    for client in (clients.bawahan, clients.atasan, clients.staf_bkpsdm):
        response = client.get(url("bukti", row))
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"


def test_an_atasan_sees_a_subordinates_certificate_but_may_not_verify_it(org, persona, clients):
    row = submit(org, persona)
    page = clients.atasan.get(url("detail", row)).content.decode()
    assert "Sertifikat Dasar PBJ" in page and 'action="/sertifikasi/' not in page
    response = clients.atasan.post(url("verifikasi", row), {"version": 1})
    assert response.status_code == 302 and "staf BKPSDM" in texts(response)[-1]
    row.refresh_from_db()
    assert row.verifikasi == "diajukan" and row.version == 1
    assert clients.atasan.get(url("edit", row)).status_code == 302


@pytest.mark.parametrize("name", ["daftar", "antrean", "per_unit"])
def test_the_staff_pages_are_404_for_others(clients, name):
    assert clients.atasan.get(url(name)).status_code == 404
    assert clients.bawahan.get(url(name)).status_code == 404
    assert clients.staf_bkpsdm.get(url(name)).status_code == 200


def test_the_staff_list_shows_only_the_scope(org, persona, clients):
    submit(org, persona)
    services.sertifikasi_create(actor=persona.pegawai_b, pegawai=org.pegawai_b, **data(nama="Sertifikat Pemandu"))
    page = clients.staf_bkpsdm.get(url("daftar")).content.decode()
    assert "Sertifikat Dasar PBJ" in page and "Sertifikat Pemandu" not in page
    page = clients.staf_bkpsdm_b.get(url("daftar")).content.decode()
    assert "Sertifikat Dasar PBJ" not in page and "Sertifikat Pemandu" in page


# ---------------------------------------------------------------------------------------------
# Staff recording and verifying


def test_staff_record_a_certificate_for_a_pegawai_they_manage_verified_at_once(org, clients):
    upload = SimpleUploadedFile("s.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    response = clients.staf_bkpsdm.post(url("create"), form_data(nip=org.staf_dinkes.nip, bukti=upload))
    assert response.status_code == 302
    row = Sertifikasi.objects.get()
    assert row.pegawai == org.staf_dinkes and row.verifikasi == "terverifikasi"


def test_staff_may_not_record_for_a_pegawai_outside_their_scope(org, clients):
    upload = SimpleUploadedFile("s.pdf", PDF)
    response = clients.staf_bkpsdm.post(url("create"), form_data(nip=org.pegawai_b.nip, bukti=upload))
    assert response.status_code == 200 and "tidak ditemukan dalam lingkup" in response.content.decode()
    assert not Sertifikasi.objects.exists()


def test_staff_verify_from_the_queue(org, persona, clients):
    row = submit(org, persona)
    assert "Sertifikat Dasar PBJ" in clients.staf_bkpsdm.get(url("antrean")).content.decode()
    response = clients.staf_bkpsdm.post(url("verifikasi", row), {"version": 1, "dari": "antrean"})
    assert response["Location"] == url("antrean")
    assert "terverifikasi" in texts(response)[-1]
    row.refresh_from_db()
    assert row.verifikasi == "terverifikasi" and row.diverifikasi_oleh == persona.staf_bkpsdm
    assert list(clients.staf_bkpsdm.get(url("antrean")).context["page"].object_list) == []
    history = clients.staf_bkpsdm.get(url("detail", row)).content.decode()
    assert "Terverifikasi" in history and "Menunggu verifikasi" in history  # the audit row: old → new


def test_staff_reject_with_a_reason_and_a_reason_is_required(org, persona, clients):
    row = submit(org, persona)
    response = clients.staf_bkpsdm.post(url("tolak", row), {"version": 1, "alasan": "  "})
    assert "alasan" in texts(response)[-1].lower()
    row.refresh_from_db()
    assert row.verifikasi == "diajukan"
    response = clients.staf_bkpsdm.post(url("tolak", row), {"version": 1, "alasan": "Nomor tidak cocok."})
    assert response["Location"] == url("detail", row) and "ditolak" in texts(response)[-1]
    row.refresh_from_db()
    assert row.verifikasi == "ditolak" and row.alasan_penolakan == "Nomor tidak cocok."


def test_a_stale_decision_changes_nothing_and_says_why(org, persona, clients):
    row = submit(org, persona)
    services.sertifikasi_update(actor=persona.bawahan, sertifikasi=row, expected_version=1, nama="Baru")
    response = clients.staf_bkpsdm.post(url("verifikasi", row), {"version": 1, "dari": "antrean"})
    assert "telah diubah oleh pengguna lain" in texts(response)[-1]
    row.refresh_from_db()
    assert row.verifikasi == "diajukan" and row.version == 2


# ---------------------------------------------------------------------------------------------
# Filters and the expiry report


def test_the_list_filters_by_unit_subtree_status_and_window(org, persona, clients):
    with time_machine.travel(dt.datetime(2026, 11, 24, 9, 0), tick=False):
        submit(org, persona, nama="Habis 30 hari", nomor="A", tanggal_kedaluwarsa=dt.date(2026, 12, 24))
        submit(org, persona, nama="Habis 120 hari", nomor="B", tanggal_kedaluwarsa=dt.date(2027, 3, 24))
        services.sertifikasi_create(
            actor=persona.staf_bkpsdm, pegawai=org.staf_dinkes, **data(nama="Dinkes lewat", nomor="C",
            tanggal_terbit=dt.date(2020, 1, 1), tanggal_kedaluwarsa=dt.date(2026, 1, 1))
        )  # fmt: skip

        def names(query):
            response = clients.staf_bkpsdm.get(url("daftar") + query)
            return {s.nama for s in response.context["page"].object_list}

        assert names("?status_berlaku=akan_kedaluwarsa") == {"Habis 30 hari"}
        assert names("?status_berlaku=akan_kedaluwarsa&dalam=180") == {"Habis 30 hari", "Habis 120 hari"}
        assert names("?status_berlaku=aktif") == {"Habis 120 hari"}
        assert names("?status_berlaku=kedaluwarsa") == {"Dinkes lewat"}
        assert names(f"?unit_kerja={org.disdik.pk}") == {"Habis 30 hari", "Habis 120 hari"}
        assert names(f"?q={org.staf_dinkes.nip[:10]}") == {"Dinkes lewat"}
        assert names("?verifikasi=terverifikasi") == {"Dinkes lewat"}
        assert names("?jenis=profesi") == set()


def test_expiring_per_unit_on_a_worked_example(org, persona, clients):
    """On 24 November 2026 with a 90-day window: Disdik has two expiring (one in a bidang below
    it, one on its last day) and one expired; Dinkes one expired; a submitted, a rejected one
    and one beyond the window do not count; pemda B is not shown."""
    with time_machine.travel(dt.datetime(2026, 11, 24, 9, 0), tick=False):
        staff = persona.staf_bkpsdm
        make = services.sertifikasi_create
        make(actor=staff, pegawai=org.staf, **data(nomor="1", tanggal_kedaluwarsa=dt.date(2027, 2, 22)))  # day 90
        make(actor=staff, pegawai=org.kadis, **data(nomor="2", tanggal_kedaluwarsa=dt.date(2026, 11, 24)))  # today
        make(actor=staff, pegawai=org.kabid, **data(nomor="3", tanggal_kedaluwarsa=dt.date(2027, 2, 23)))  # day 91
        make(actor=staff, pegawai=org.kabid, **data(nomor="4", tanggal_terbit=dt.date(2020, 1, 1),
             tanggal_kedaluwarsa=dt.date(2026, 11, 23)))  # fmt: skip
        make(actor=staff, pegawai=org.staf_dinkes, **data(nomor="5", tanggal_terbit=dt.date(2020, 1, 1),
             tanggal_kedaluwarsa=dt.date(2025, 1, 1)))  # fmt: skip
        rejected = submit(org, persona, nomor="6", tanggal_kedaluwarsa=dt.date(2026, 12, 1))
        services.sertifikasi_tolak(actor=staff, sertifikasi=rejected, alasan="Palsu.")
        submit(org, persona, nomor="8", tanggal_kedaluwarsa=dt.date(2026, 12, 2))
        make(
            actor=persona.pegawai_b, pegawai=org.pegawai_b, **data(nomor="7", tanggal_kedaluwarsa=dt.date(2026, 12, 1))
        )

        response = clients.staf_bkpsdm.get(url("per_unit"))
        counts = {u.nama: (u.akan_kedaluwarsa, u.kedaluwarsa) for u in response.context["units"]}
        assert counts == {"Dinas Pendidikan": (2, 1), "Dinas Kesehatan": (0, 1), "BKPSDM": (0, 0)}
        page = response.content.decode()
        link = (
            f"?unit_kerja={org.disdik.pk}&amp;status_berlaku=akan_kedaluwarsa&amp;dalam=90&amp;verifikasi=terverifikasi"
        )
        assert link in page

        response = clients.staf_bkpsdm.get(url("per_unit") + "?dalam=91")
        counts = {u.nama: u.akan_kedaluwarsa for u in response.context["units"]}
        assert counts["Dinas Pendidikan"] == 3

        listed = clients.staf_bkpsdm.get(url("daftar") + link.replace("&amp;", "&"))
        assert listed.context["page"].paginator.count == 2  # the link lists what was counted


# ---------------------------------------------------------------------------------------------
# Query counts


def _many(org, persona, n):
    unit = UnitKerjaFactory(nama=f"Bidang {n}", parent=org.disdik, jenis="bidang")
    jabatan = JabatanFactory(nama=f"Pelaksana {n}", unit_kerja=unit)
    for i in range(n):
        pegawai = PegawaiFactory(jabatan=jabatan)
        services.sertifikasi_create(actor=persona.staf_bkpsdm, pegawai=pegawai, **data(nomor=f"N{n}-{i}"))
        row = services.sertifikasi_create(actor=persona.staf_bkpsdm, pegawai=pegawai, **data(nomor=f"M{n}-{i}"))
        Sertifikasi.objects.filter(pk=row.pk).update(verifikasi="diajukan")


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["daftar", "antrean", "per_unit"])
def test_the_staff_pages_issue_a_flat_number_of_queries(org, persona, clients, name):
    _many(org, persona, 5)
    few = _queries(clients.staf_bkpsdm, url(name))
    _many(org, persona, 45)
    many = _queries(clients.staf_bkpsdm, url(name))
    assert few == many, (few, many)


def test_sertifikat_saya_issues_a_flat_number_of_queries(org, persona, clients):
    for i in range(5):
        submit(org, persona, nomor=f"a{i}")
    few = _queries(clients.bawahan, url("saya"))
    for i in range(45):
        submit(org, persona, nomor=f"b{i}")
    assert _queries(clients.bawahan, url("saya")) == few
