import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import AuditLog
from apps.pelatihan import services
from apps.pelatihan.models import Pelatihan, Penyelenggara, RiwayatPelatihan
from apps.standar_kinerja import services as standar_services
from apps.standar_kinerja.models import Kompetensi

from ..factories import JabatanFactory, PegawaiFactory, PelatihanFactory, PenyelenggaraFactory, UnitKerjaFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JAKARTA = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _today():
    """Monday 2 March 2026, 09.00 in Jakarta: the catalogue's dates are set around it."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=JAKARTA), tick=False):
        yield


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def u(name, *args):
    return reverse(f"pelatihan:{name}", args=args)


def step_url(riwayat, step):
    return reverse("pelatihan:langkah", kwargs={"pk": riwayat.pk, "step": step})


@pytest.fixture
def pelatihan(org):
    """An open catalogue training of pemda A starting on 6 April 2026 (24 JP)."""
    return PelatihanFactory(
        instansi=org.pemda,
        penyelenggara=PenyelenggaraFactory(instansi=org.pemda, nama="BPSDM Aceh"),
        nama="Pelatihan Pengelolaan Data",
        tanggal_mulai=dt.date(2026, 4, 6),
        tanggal_selesai=dt.date(2026, 4, 8),
    )


@pytest.fixture
def pelatihan_b(org):
    return PelatihanFactory(instansi=org.pemda_b, nama="Pelatihan Pariwisata", tanggal_mulai=dt.date(2026, 4, 6))


def apply(persona, pelatihan):
    """``org.staf`` applies; the kabid is asked to agree."""
    return services.daftar(actor=persona.bawahan, pelatihan=pelatihan)


def mandiri_data(**overrides):
    values = {
        "nama": "Kursus Analisis Data",
        "jenis_diklat": "11",
        "jalur": "",
        "kepemimpinan": "",
        "penyelenggara": "Universitas Syiah Kuala",
        "tanggal_mulai": "2026-01-12",
        "tanggal_selesai": "2026-01-16",
        "jp": "16",
        "nomor_sertifikat": "USK/2026/0012",
        "catatan": "",
    }
    values.update(overrides)
    return values


def submit_mandiri(org, persona, **overrides):
    data = {
        "nama": "Kursus Analisis Data",
        "jenis_diklat": 11,
        "penyelenggara": "Universitas Syiah Kuala",
        "tanggal_mulai": dt.date(2026, 1, 12),
        "tanggal_selesai": dt.date(2026, 1, 16),
        "jp": 16,
    }
    data.update(overrides)
    bukti = SimpleUploadedFile("sttpp.pdf", PDF)
    return services.mandiri_ajukan(actor=persona.bawahan, pegawai=org.staf, bukti=bukti, **data)


# ---------------------------------------------------------------------------------------------
# Landing and who may open what


def test_the_landing_sends_staff_to_the_catalogue_and_a_pegawai_to_their_own(clients):
    assert clients.staf_bkpsdm.get(u("index"))["Location"] == u("katalog")
    assert clients.staf_bkpsdm_b.get(u("index"))["Location"] == u("katalog")
    assert clients.bawahan.get(u("index"))["Location"] == u("saya")
    assert clients.atasan.get(u("index"))["Location"] == u("saya")


PERSONAS = ["staf_bkpsdm", "staf_bkpsdm_b", "atasan", "bawahan", "atasan_lain", "pegawai_b", "superuser"]
# The expected status per persona, in the order of PERSONAS.
PAGES = {
    "katalog": (200, 200, 200, 200, 200, 200, 200),
    "create": (200, 200, 403, 403, 403, 403, 200),
    "detail": (200, 404, 200, 200, 200, 404, 200),
    "edit": (200, 404, 403, 403, 403, 404, 200),
    "daftarkan": (200, 404, 403, 403, 403, 404, 200),
    "hasil": (200, 404, 403, 403, 403, 404, 200),
    "penyelenggara_list": (200, 200, 403, 403, 403, 403, 200),
    "penyelenggara_create": (200, 200, 403, 403, 403, 403, 200),
    "penyelenggara_edit": (200, 404, 403, 403, 403, 404, 200),
    "saya": (200, 200, 200, 200, 200, 200, 200),
    "mandiri_create": (200, 200, 200, 200, 200, 200, 200),
    "persetujuan": (200, 403, 200, 200, 200, 200, 403),
    "antrean": (200, 200, 403, 403, 403, 403, 200),
    "riwayat": (200, 404, 200, 200, 404, 404, 200),
    "bukti": (200, 404, 200, 200, 404, 404, 200),
    "riwayat_edit": (200, 404, 403, 200, 404, 404, 200),
    "riwayat_delete": (200, 404, 403, 200, 404, 404, 200),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_each_page_answers_each_persona_as_its_scope_says(org, persona, clients, pelatihan, name):
    mandiri = submit_mandiri(org, persona)
    args = {
        "detail": (pelatihan.pk,),
        "edit": (pelatihan.pk,),
        "daftarkan": (pelatihan.pk,),
        "hasil": (pelatihan.pk,),
        "penyelenggara_edit": (pelatihan.penyelenggara_id,),
        "riwayat": (mandiri.pk,),
        "bukti": (mandiri.pk,),
        "riwayat_edit": (mandiri.pk,),
        "riwayat_delete": (mandiri.pk,),
    }.get(name, ())
    got = tuple(getattr(clients, p).get(u(name, *args)).status_code for p in PERSONAS)
    assert got == PAGES[name], dict(zip(PERSONAS, got, strict=True))


def test_a_registration_opens_for_its_atasan_two_levels_up_and_staff_but_not_elsewhere(
    org, persona, clients, pelatihan
):
    riwayat = apply(persona, pelatihan)
    assert riwayat.atasan == org.kabid
    for client in (clients.bawahan, clients.atasan, clients.kadis, clients.staf_bkpsdm, clients.superuser):
        assert client.get(u("riwayat", riwayat.pk)).status_code == 200
    for client in (clients.atasan_lain, clients.staf_bkpsdm_b, clients.pegawai_b):
        assert client.get(u("riwayat", riwayat.pk)).status_code == 404
        for step in ("atasan_setujui", "konfirmasi", "tolak", "batalkan"):
            assert client.post(step_url(riwayat, step), {"version": 1, "alasan": "x"}).status_code == 404
    riwayat.refresh_from_db()
    assert riwayat.status == "diajukan" and riwayat.version == 1


def test_an_unknown_step_is_404(persona, clients, pelatihan):
    riwayat = apply(persona, pelatihan)
    assert clients.staf_bkpsdm.post(step_url(riwayat, "hasil_catat"), {"version": 1}).status_code == 404


def test_a_step_for_another_role_is_403_and_changes_nothing(persona, clients, pelatihan):
    riwayat = apply(persona, pelatihan)
    response = clients.atasan.post(step_url(riwayat, "konfirmasi"), {"version": 1})
    assert response.status_code == 403 and "tidak berwenang" in response.content.decode()
    response = clients.bawahan.post(step_url(riwayat, "atasan_setujui"), {"version": 1})
    assert response.status_code == 403
    response = clients.staf_bkpsdm.post(step_url(riwayat, "atasan_setujui"), {"version": 1})
    assert response.status_code == 403
    riwayat.refresh_from_db()
    assert riwayat.status == "diajukan" and riwayat.version == 1


# ---------------------------------------------------------------------------------------------
# The whole registration through the pages


def test_apply_agree_confirm_and_record_the_result_through_the_pages(org, persona, clients, pelatihan):
    page = clients.bawahan.get(u("detail", pelatihan.pk)).content.decode()
    assert 'id="form-daftar"' in page
    response = clients.bawahan.post(u("daftar", pelatihan.pk), {"catatan": "Untuk tugas pendataan."})
    assert response["Location"] == u("detail", pelatihan.pk)
    assert "menunggu persetujuan Cut Nyak Meutia" in texts(response)[-1]
    riwayat = RiwayatPelatihan.objects.get()
    assert (riwayat.pegawai, riwayat.status, riwayat.atasan) == (org.staf, "diajukan", org.kabid)
    page = clients.bawahan.get(u("detail", pelatihan.pk)).content.decode()
    assert 'id="form-daftar"' not in page and "Menunggu persetujuan atasan" in page

    queue = clients.atasan.get(u("persetujuan"))
    assert [r.pk for r in queue.context["page"].object_list] == [riwayat.pk]
    assert "Untuk tugas pendataan." in queue.content.decode()
    response = clients.atasan.post(step_url(riwayat, "atasan_setujui"), {"version": 1, "dari": "persetujuan"})
    assert response["Location"] == u("persetujuan") and "disetujui" in texts(response)[-1]
    riwayat.refresh_from_db()
    assert riwayat.status == "disetujui_atasan"

    queue = clients.staf_bkpsdm.get(u("antrean"))
    assert [r.pk for r in queue.context["page"].object_list] == [riwayat.pk]
    response = clients.staf_bkpsdm.post(step_url(riwayat, "konfirmasi"), {"version": 2, "dari": "antrean"})
    assert response["Location"] == u("antrean") and "terdaftar sebagai peserta" in texts(response)[-1]
    riwayat.refresh_from_db()
    assert riwayat.status == "terdaftar"
    assert list(clients.staf_bkpsdm.get(u("antrean")).context["page"].object_list) == []

    # Before the training has ended the results cannot be recorded yet.
    page = clients.staf_bkpsdm.get(u("hasil", pelatihan.pk)).content.decode()
    assert "setelah pelatihan selesai" in page and 'id="form-hasil"' not in page

    with time_machine.travel(dt.datetime(2026, 4, 9, 9, 0, tzinfo=JAKARTA), tick=False):
        # Five weeks on, the sessions have expired: log in again.
        clients.staf_bkpsdm.force_login(persona.staf_bkpsdm)
        clients.bawahan.force_login(persona.bawahan)
        page = clients.staf_bkpsdm.get(u("detail", pelatihan.pk)).content.decode()
        assert u("hasil", pelatihan.pk) in page
        prefix = f"r{riwayat.pk}"
        response = clients.staf_bkpsdm.post(
            u("hasil", pelatihan.pk),
            {
                f"{prefix}-hadir": "1",
                f"{prefix}-lulus": "on",
                f"{prefix}-jp_diakui": "",
                f"{prefix}-nomor_sertifikat": "STTPP-0042",
                f"{prefix}-version": "3",
            },
        )
        assert response["Location"] == u("detail", pelatihan.pk), response.content.decode()[:2000]
        riwayat.refresh_from_db()
        assert (riwayat.status, riwayat.hadir, riwayat.lulus, riwayat.jp_diakui) == ("selesai", True, True, 24)
        assert riwayat.nomor_sertifikat == "STTPP-0042"

        mine = clients.bawahan.get(u("saya"))
        assert mine.context["jp"] == 24 and mine.context["kurang"] == 0
        assert "Kewajiban 20 JP tahun ini terpenuhi" in mine.content.decode()
        history = clients.bawahan.get(u("riwayat", riwayat.pk)).content.decode()
        for state in ("Menunggu persetujuan atasan", "Menunggu konfirmasi BKPSDM", "Terdaftar sebagai peserta"):
            assert state in history


def test_a_pegawai_without_an_atasan_goes_straight_to_bkpsdm(org, persona, clients, pelatihan):
    response = clients.staf_bkpsdm.post(u("daftar", pelatihan.pk))
    assert "menunggu konfirmasi BKPSDM" in texts(response)[-1]
    assert RiwayatPelatihan.objects.get().status == "disetujui_atasan"


def test_applying_twice_or_after_the_deadline_is_a_message_not_an_error(org, persona, clients, pelatihan):
    apply(persona, pelatihan)
    response = clients.bawahan.post(u("daftar", pelatihan.pk))
    assert response.status_code == 302 and "sudah terdaftar" in texts(response)[-1]
    Pelatihan.objects.filter(pk=pelatihan.pk).update(batas_pendaftaran=dt.date(2026, 3, 1))
    response = clients.atasan.post(u("daftar", pelatihan.pk))
    assert response.status_code == 302 and "sudah ditutup" in texts(response)[-1]
    assert RiwayatPelatihan.objects.count() == 1


def test_a_pegawai_of_another_pemda_cannot_apply(persona, clients, pelatihan):
    assert clients.pegawai_b.post(u("daftar", pelatihan.pk)).status_code == 404
    assert not RiwayatPelatihan.objects.exists()


def test_the_atasan_rejects_with_a_reason_and_the_reason_is_required(org, persona, clients, pelatihan):
    riwayat = apply(persona, pelatihan)
    response = clients.atasan.post(step_url(riwayat, "atasan_tolak"), {"version": 1, "alasan": "  "})
    assert "alasan" in texts(response)[-1].lower()
    riwayat.refresh_from_db()
    assert riwayat.status == "diajukan"
    response = clients.atasan.post(
        step_url(riwayat, "atasan_tolak"), {"version": 1, "alasan": "Bentrok dengan pendataan.", "dari": "persetujuan"}
    )
    assert response["Location"] == u("persetujuan")
    riwayat.refresh_from_db()
    assert riwayat.status == "ditolak" and riwayat.alasan_penolakan == "Bentrok dengan pendataan."
    assert "Bentrok dengan pendataan." in clients.bawahan.get(u("saya")).content.decode()


def test_the_pegawai_withdraws_from_pelatihan_saya(org, persona, clients, pelatihan):
    riwayat = apply(persona, pelatihan)
    page = clients.bawahan.get(u("saya")).content.decode()
    assert step_url(riwayat, "batalkan") in page
    response = clients.bawahan.post(step_url(riwayat, "batalkan"), {"version": 1, "dari": "saya"})
    assert response["Location"] == u("saya") and "dibatalkan" in texts(response)[-1]
    riwayat.refresh_from_db()
    assert riwayat.status == "dibatalkan"
    # The seat is free again: the pegawai may apply anew.
    assert 'id="form-daftar"' in clients.bawahan.get(u("detail", pelatihan.pk)).content.decode()


def test_staff_see_registrations_still_waiting_on_the_atasan_and_may_confirm_them(org, persona, clients, pelatihan):
    riwayat = apply(persona, pelatihan)
    page = clients.staf_bkpsdm.get(u("antrean")).content.decode()
    assert "masih menunggu atasan: Cut Nyak Meutia" in page
    clients.staf_bkpsdm.post(step_url(riwayat, "konfirmasi"), {"version": 1, "dari": "antrean"})
    riwayat.refresh_from_db()
    assert riwayat.status == "terdaftar"


def test_a_stale_step_changes_nothing_and_says_why(org, persona, clients, pelatihan):
    riwayat = apply(persona, pelatihan)
    services.atasan_setujui(actor=persona.atasan, riwayat=riwayat)
    response = clients.staf_bkpsdm.post(
        step_url(riwayat, "tolak"), {"version": 1, "alasan": "Kuota.", "dari": "antrean"}
    )
    assert "telah diubah oleh pengguna lain" in texts(response)[-1]
    riwayat.refresh_from_db()
    assert riwayat.status == "disetujui_atasan" and riwayat.version == 2


def test_a_full_training_is_refused_at_confirmation_with_a_message(org, persona, clients, pelatihan):
    Pelatihan.objects.filter(pk=pelatihan.pk).update(kuota=1)
    services.daftarkan(actor=persona.staf_bkpsdm, pelatihan=pelatihan, pegawai_list=[org.kadinkes])
    riwayat = RiwayatPelatihan.objects.create(
        pegawai=org.staf, pelatihan=pelatihan, sumber="pendaftaran", status="disetujui_atasan",
        nama=pelatihan.nama, jenis_diklat=3, jalur="klasikal", penyelenggara="BPSDM Aceh",
        tanggal_mulai=pelatihan.tanggal_mulai, tanggal_selesai=pelatihan.tanggal_selesai, jp=24,
    )  # fmt: skip
    response = clients.staf_bkpsdm.post(step_url(riwayat, "konfirmasi"), {"version": 1})
    assert "sudah penuh" in texts(response)[-1]
    riwayat.refresh_from_db()
    assert riwayat.status == "disetujui_atasan"


# ---------------------------------------------------------------------------------------------
# Direct enrolment


def test_staff_enrol_a_pasted_list_of_nips(org, persona, clients, pelatihan):
    apply(persona, pelatihan)  # org.staf is already registered: skipped
    nips = f" {org.kadis.nip[:8]} {org.kadis.nip[8:]}\n{org.staf.nip}\r\n\n{org.staf_dinkes.nip}\n{org.kadis.nip}"
    response = clients.staf_bkpsdm.post(u("daftarkan", pelatihan.pk), {"nip": nips})
    assert response["Location"] == u("detail", pelatihan.pk)
    message = texts(response)[-1]
    assert "2 pegawai didaftarkan" in message and "1 sudah terdaftar" in message and "Muhammad Iqbal" in message
    rows = {r.pegawai: r.status for r in RiwayatPelatihan.objects.filter(sumber="penugasan")}
    assert rows == {org.kadis: "terdaftar", org.staf_dinkes: "terdaftar"}
    peserta = clients.staf_bkpsdm.get(u("detail", pelatihan.pk)).context["peserta"]
    assert peserta.paginator.count == 3


def test_an_unknown_or_out_of_scope_nip_is_named_and_nothing_is_saved(org, persona, clients, pelatihan):
    unknown = "199001012015031999"
    nips = "\n".join([org.kadis.nip, unknown, org.pegawai_b.nip])
    response = clients.staf_bkpsdm.post(u("daftarkan", pelatihan.pk), {"nip": nips})
    assert response.status_code == 200
    page = response.content.decode()
    assert "tidak ditemukan dalam lingkup kelola Anda" in page
    assert unknown in page and org.pegawai_b.nip in page and org.kadis.nip + "," not in page
    assert not RiwayatPelatihan.objects.exists()
    response = clients.staf_bkpsdm.post(u("daftarkan", pelatihan.pk), {"nip": "12345\n"})
    assert "harus 18 angka" in response.content.decode()
    response = clients.staf_bkpsdm.post(u("daftarkan", pelatihan.pk), {"nip": " \n "})
    assert "Isi minimal satu NIP" in response.content.decode()
    assert not RiwayatPelatihan.objects.exists()


def test_enrolling_more_than_the_seats_left_is_a_form_error(org, persona, clients, pelatihan):
    Pelatihan.objects.filter(pk=pelatihan.pk).update(kuota=1)
    response = clients.staf_bkpsdm.post(u("daftarkan", pelatihan.pk), {"nip": f"{org.kadis.nip}\n{org.staf.nip}"})
    assert response.status_code == 200 and "Kuota tidak cukup" in response.content.decode()
    assert not RiwayatPelatihan.objects.exists()


# ---------------------------------------------------------------------------------------------
# Results of a whole training


@pytest.fixture
def selesai(org, persona):
    """A training that ended on 27 February 2026 with two enrolled participants."""
    row = PelatihanFactory(
        instansi=org.pemda, nama="Bimtek SIASN", jp=12,
        tanggal_mulai=dt.date(2026, 2, 25), tanggal_selesai=dt.date(2026, 2, 27),
    )  # fmt: skip
    rows, _ = services.daftarkan(actor=persona.staf_bkpsdm, pelatihan=row, pegawai_list=[org.staf, org.kabid])
    return row, sorted(rows, key=lambda r: r.pegawai.nama)  # the page's order: by name


def _hasil_post(rows, **per_row):
    data = {}
    for riwayat in rows:
        values = {"hadir": "1", "lulus": "on", "jp_diakui": "", "nomor_sertifikat": "", "version": riwayat.version}
        values.update(per_row.get(riwayat.pegawai.nama, {}))
        data.update({f"r{riwayat.pk}-{k}": v for k, v in values.items() if v is not None})
    return data


def test_results_of_a_whole_training_in_one_go(org, clients, selesai):
    row, rows = selesai
    data = _hasil_post(rows, **{"Muhammad Iqbal": {"hadir": "0", "lulus": None}})
    response = clients.staf_bkpsdm.post(u("hasil", row.pk), data)
    assert response.status_code == 302 and "Hasil 2 peserta" in texts(response)[-1]
    results = {r.pegawai.nama: (r.status, r.hadir, r.jp_diakui) for r in RiwayatPelatihan.objects.all()}
    assert results == {"Muhammad Iqbal": ("selesai", False, 0), "Cut Nyak Meutia": ("selesai", True, 12)}


def test_a_bad_row_is_marked_and_nothing_is_saved(org, clients, selesai):
    row, rows = selesai
    data = _hasil_post(rows, **{"Muhammad Iqbal": {"jp_diakui": "30"}})
    response = clients.staf_bkpsdm.post(u("hasil", row.pk), data)
    assert response.status_code == 200
    items = {r.pegawai.nama: f for r, f in response.context["items"]}
    assert "JP diakui harus 0 sampai 12." in items["Muhammad Iqbal"].errors["jp_diakui"]
    assert not items["Cut Nyak Meutia"].errors
    assert not RiwayatPelatihan.objects.filter(status="selesai").exists()
    data = _hasil_post(rows, **{"Cut Nyak Meutia": {"hadir": "0", "jp_diakui": "5"}})
    response = clients.staf_bkpsdm.post(u("hasil", row.pk), data)
    items = {r.pegawai.nama: f for r, f in response.context["items"]}
    assert "tidak hadir tidak memperoleh JP" in " ".join(items["Cut Nyak Meutia"].errors["jp_diakui"])
    assert not RiwayatPelatihan.objects.filter(status="selesai").exists()


def test_rows_left_blank_are_not_saved_and_a_stale_row_refuses_all(org, persona, clients, selesai):
    row, rows = selesai
    data = _hasil_post(rows, **{"Muhammad Iqbal": {"hadir": ""}})
    response = clients.staf_bkpsdm.post(u("hasil", row.pk), data)
    assert response.status_code == 302
    assert {r.pegawai.nama: r.status for r in RiwayatPelatihan.objects.all()} == {
        "Muhammad Iqbal": "terdaftar",
        "Cut Nyak Meutia": "selesai",
    }
    stale = _hasil_post(rows)  # versions as first read
    response = clients.staf_bkpsdm.post(u("hasil", row.pk), stale)
    assert response.status_code == 200 and "telah diubah oleh pengguna lain" in response.content.decode()
    assert RiwayatPelatihan.objects.get(pegawai=org.staf).status == "terdaftar"


# ---------------------------------------------------------------------------------------------
# Trainings done elsewhere


def test_a_pegawai_submits_an_outside_training_with_a_pdf_and_staff_verify_it(org, persona, clients):
    upload = SimpleUploadedFile("sttpp kursus.pdf", PDF, content_type="application/pdf")
    response = clients.bawahan.post(u("mandiri_create"), mandiri_data(bukti=upload))
    row = RiwayatPelatihan.objects.get()
    assert response["Location"] == u("riwayat", row.pk)
    assert (row.pegawai, row.status, row.sumber, row.jalur) == (org.staf, "menunggu_verifikasi", "mandiri", "klasikal")
    assert row.bukti.name.endswith(".pdf") and Path(row.bukti.path).read_bytes() == PDF
    assert "diajukan untuk diverifikasi" in texts(response)[-1]

    queue = clients.staf_bkpsdm.get(u("antrean") + "?tab=verifikasi")
    assert [r.pk for r in queue.context["page"].object_list] == [row.pk]
    assert queue.context["counts"] == {"verifikasi": 1, "pendaftaran": 0}
    download = clients.staf_bkpsdm.get(u("bukti", row.pk))
    assert b"".join(download.streaming_content) == PDF and download["Content-Type"] == "application/pdf"
    response = clients.staf_bkpsdm.post(
        step_url(row, "verifikasi"), {"version": 1, "jp_diakui": "12", "dari": "antrean_verifikasi"}
    )
    assert response["Location"] == u("antrean") + "?tab=verifikasi"
    assert "12 JP diakui" in texts(response)[-1]
    row.refresh_from_db()
    assert (row.status, row.jp_diakui) == ("terverifikasi", 12)
    assert clients.bawahan.get(u("saya")).context["jp"] == 12


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("sttpp.pdf", b"this is only text, not a PDF", "bukan salah satunya"),
        ("besar.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024), "terlalu besar"),
    ],
)
def test_an_upload_that_is_not_a_small_pdf_or_image_is_refused_and_nothing_saved(
    clients, settings, name, content, message
):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = clients.bawahan.post(u("mandiri_create"), mandiri_data(bukti=upload))
    assert response.status_code == 200 and message in response.content.decode()
    assert not RiwayatPelatihan.objects.exists()
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*.*"))


def test_an_outside_training_needs_its_evidence_and_must_have_ended(clients):
    response = clients.bawahan.post(u("mandiri_create"), mandiri_data())
    assert response.status_code == 200 and "Lampirkan sertifikat" in response.content.decode()
    upload = SimpleUploadedFile("s.pdf", PDF)
    response = clients.bawahan.post(
        u("mandiri_create"), mandiri_data(bukti=upload, tanggal_mulai="2026-03-10", tanggal_selesai="2026-03-12")
    )
    assert response.status_code == 200 and "harus sudah selesai" in response.content.decode()
    assert not RiwayatPelatihan.objects.exists()


def test_staff_record_an_outside_training_for_a_pegawai_they_manage_verified_at_once(org, clients):
    response = clients.staf_bkpsdm.post(u("mandiri_create"), mandiri_data(nip=org.staf_dinkes.nip))
    assert response.status_code == 302
    row = RiwayatPelatihan.objects.get()
    assert (row.pegawai, row.status, row.jp_diakui) == (org.staf_dinkes, "terverifikasi", 16)
    response = clients.staf_bkpsdm.post(u("mandiri_create"), mandiri_data(nip=org.pegawai_b.nip))
    assert response.status_code == 200 and "tidak ditemukan dalam lingkup" in response.content.decode()
    assert RiwayatPelatihan.objects.count() == 1


def test_a_rejected_outside_training_is_corrected_and_goes_back_for_verification(org, persona, clients):
    row = submit_mandiri(org, persona)
    services.tolak(actor=persona.staf_bkpsdm, riwayat=row, alasan="JP tidak sesuai STTPP.")
    page = clients.bawahan.get(u("riwayat", row.pk)).content.decode()
    assert "JP tidak sesuai STTPP." in page and u("riwayat_edit", row.pk) in page
    response = clients.bawahan.post(u("riwayat_edit", row.pk), mandiri_data(jp="12", version=2))
    assert response["Location"] == u("riwayat", row.pk)
    row.refresh_from_db()
    assert (row.status, row.jp, row.version, row.alasan_penolakan) == ("menunggu_verifikasi", 12, 3, "")


def test_a_stale_edit_is_a_form_error_and_nothing_changes(org, persona, clients):
    row = submit_mandiri(org, persona)
    services.mandiri_ubah(actor=persona.bawahan, riwayat=row, expected_version=1, nama="Kursus Statistik")
    response = clients.bawahan.post(u("riwayat_edit", row.pk), mandiri_data(nama="Kursus Lama", version=1))
    assert response.status_code == 200 and "telah diubah oleh pengguna lain" in response.content.decode()
    assert response.context["conflict"] is True
    row.refresh_from_db()
    assert row.nama == "Kursus Statistik"


def test_the_pegawai_deletes_a_pending_outside_training_but_not_a_verified_one(org, persona, clients):
    row = submit_mandiri(org, persona)
    response = clients.bawahan.post(u("riwayat_delete", row.pk), {"version": 1})
    assert response["Location"] == u("saya") and not RiwayatPelatihan.objects.exists()
    assert AuditLog.objects.filter(object_type="pelatihan.riwayatpelatihan", action="delete").exists()
    row = submit_mandiri(org, persona)
    services.verifikasi(actor=persona.staf_bkpsdm, riwayat=row)
    response = clients.bawahan.get(u("riwayat_delete", row.pk))
    assert response.status_code == 302 and "tidak dapat dilakukan" in texts(response)[-1]
    response = clients.bawahan.post(u("riwayat_delete", row.pk), {"version": 2})
    assert RiwayatPelatihan.objects.filter(pk=row.pk).exists()


# ---------------------------------------------------------------------------------------------
# The catalogue and its forms


def test_the_catalogue_shows_only_the_users_instansi(clients, pelatihan, pelatihan_b):
    names = {p.nama for p in clients.bawahan.get(u("katalog")).context["page"].object_list}
    assert names == {"Pelatihan Pengelolaan Data"}
    names = {p.nama for p in clients.staf_bkpsdm_b.get(u("katalog")).context["page"].object_list}
    assert names == {"Pelatihan Pariwisata"}
    names = {p.nama for p in clients.superuser.get(u("katalog")).context["page"].object_list}
    assert names == {"Pelatihan Pengelolaan Data", "Pelatihan Pariwisata"}


def test_the_catalogue_filters(org, clients, pelatihan):
    kompetensi = Kompetensi.objects.order_by("kode").first()
    other = PenyelenggaraFactory(instansi=org.pemda, nama="LAN", jenis="lan")
    PelatihanFactory(
        instansi=org.pemda, penyelenggara=other, nama="PKA Angkatan I", jenis_diklat=1, kepemimpinan="pka",
        tanggal_mulai=dt.date(2026, 5, 4), tanggal_selesai=dt.date(2026, 8, 28), kompetensi=[kompetensi],
    )  # fmt: skip
    PelatihanFactory(
        instansi=org.pemda, penyelenggara=other, nama="E-Learning Etika", jenis_diklat=16, jalur="non_klasikal",
        tanggal_mulai=dt.date(2025, 9, 1), tanggal_selesai=dt.date(2025, 9, 30),
    )  # fmt: skip

    def names(query):
        response = clients.bawahan.get(u("katalog") + query)
        assert response.status_code == 200
        return {p.nama for p in response.context["page"].object_list}

    assert names("?q=pengelolaan") == {"Pelatihan Pengelolaan Data"}
    assert names("?tahun=2025") == {"E-Learning Etika"}
    assert names("?jenis_diklat=1") == {"PKA Angkatan I"}
    assert names("?jalur=non_klasikal") == {"E-Learning Etika"}
    assert names("?kepemimpinan=pka") == {"PKA Angkatan I"}
    assert names(f"?kompetensi={kompetensi.pk}") == {"PKA Angkatan I"}
    assert names(f"?penyelenggara={other.pk}") == {"PKA Angkatan I", "E-Learning Etika"}
    assert names("?terbuka=on") == {"Pelatihan Pengelolaan Data", "PKA Angkatan I"}
    assert len(names("?jenis_diklat=abc&tahun=1")) == 3  # invalid filters are ignored, and said so
    assert "tidak valid" in clients.bawahan.get(u("katalog") + "?jenis_diklat=abc").content.decode()


def test_trainings_that_fit_the_pegawai_come_first_with_the_reason(org, persona, clients, pelatihan):
    kompetensi = Kompetensi.objects.get(kode="M.01")
    standar_services.kompetensi_save_all(actor=None, jabatan=org.j_staf, levels={kompetensi: 3})
    services.asesmen_create(
        actor=persona.staf_bkpsdm, pegawai=org.staf, kompetensi=kompetensi, level=2,
        tanggal=dt.date(2026, 1, 10), metode="cat", asesor="UPT Asesmen",
    )  # fmt: skip
    fits = PelatihanFactory(
        instansi=org.pemda, nama="Pelatihan Integritas", kompetensi=[kompetensi],
        tanggal_mulai=dt.date(2026, 3, 20), tanggal_selesai=dt.date(2026, 3, 21),
    )  # fmt: skip
    pka = PelatihanFactory(
        instansi=org.pemda, nama="PKA Angkatan I", jenis_diklat=1, kepemimpinan="pka",
        tanggal_mulai=dt.date(2026, 5, 4), tanggal_selesai=dt.date(2026, 8, 28),
    )  # fmt: skip
    # Not open any more: never "sesuai", whatever it develops.
    PelatihanFactory(
        instansi=org.pemda, nama="Integritas Angkatan Lalu", kompetensi=[kompetensi],
        tanggal_mulai=dt.date(2026, 2, 20), tanggal_selesai=dt.date(2026, 2, 21),
    )  # fmt: skip

    response = clients.bawahan.get(u("katalog"))
    rows = list(response.context["page"].object_list)
    assert rows[0] == fits and rows[0].reasons
    assert kompetensi.nama in rows[0].reasons[0] and "level Anda 2" in rows[0].reasons[0]
    assert [r.nama for r in rows if r.reasons] == ["Pelatihan Integritas"]
    assert "Sesuai kebutuhan Anda" in response.content.decode()

    # The kabid (administrator) lacks the PKA: that one fits them.
    rows = list(clients.atasan.get(u("katalog")).context["page"].object_list)
    assert rows[0] == pka and "PKA" in rows[0].reasons[0]
    page = clients.atasan.get(u("detail", pka.pk)).content.decode()
    assert 'id="sesuai"' in page
    # Once registered, a training is no longer put forward.
    services.daftar(actor=persona.atasan, pelatihan=pka)
    rows = list(clients.atasan.get(u("katalog")).context["page"].object_list)
    assert not any(r.reasons for r in rows) and rows[0].mine.status == "diajukan"
    assert 'id="sesuai"' not in clients.atasan.get(u("detail", pka.pk)).content.decode()


def test_staff_add_a_training_to_the_catalogue(org, clients):
    penyelenggara = PenyelenggaraFactory(instansi=org.pemda, nama="BPSDM Aceh")
    kompetensi = list(Kompetensi.objects.order_by("kode")[:2])
    data = {
        "nama": "Pelatihan Barang/Jasa",
        "jenis_diklat": "3",
        "jalur": "",
        "kepemimpinan": "",
        "deskripsi": "",
        "penyelenggara": penyelenggara.pk,
        "jp": "32",
        "tanggal_mulai": "2026-05-04",
        "tanggal_selesai": "2026-05-07",
        "lokasi": "Aula BKPSDM",
        "kuota": "40",
        "pendaftaran_dibuka": "on",
        "batas_pendaftaran": "2026-04-20",
        "sasaran_jenis_jabatan": "",
        "kompetensi": [k.pk for k in kompetensi],
    }
    response = clients.staf_bkpsdm.post(u("create"), data)
    row = Pelatihan.objects.get()
    assert response["Location"] == u("detail", row.pk)
    assert (row.instansi, row.jalur, row.jp) == (org.pemda, "klasikal", 32)
    assert set(row.kompetensi.all()) == set(kompetensi)
    response = clients.staf_bkpsdm.post(u("create"), data | {"batas_pendaftaran": "2026-05-10"})
    assert response.status_code == 200 and "Batas pendaftaran tidak boleh setelah tanggal mulai" in (
        response.content.decode()
    )
    assert Pelatihan.objects.count() == 1


def test_the_superuser_chooses_the_instansi_and_a_penyelenggara_of_another_is_refused(org, clients):
    penyelenggara_b = PenyelenggaraFactory(instansi=org.pemda_b, nama="Politeknik Pariwisata")
    data = {
        "instansi": org.pemda.pk, "nama": "Pelatihan X", "jenis_diklat": "3", "penyelenggara": penyelenggara_b.pk,
        "jp": "8", "tanggal_mulai": "2026-05-04", "tanggal_selesai": "2026-05-04", "kuota": "10",
    }  # fmt: skip
    response = clients.superuser.post(u("create"), data)
    assert response.status_code == 200 and "bukan milik instansi" in response.content.decode()
    response = clients.superuser.post(u("create"), data | {"instansi": org.pemda_b.pk})
    assert response.status_code == 302 and Pelatihan.objects.get().instansi == org.pemda_b


def test_a_stale_catalogue_edit_is_a_form_error(org, persona, clients, pelatihan):
    services.pelatihan_update(actor=persona.staf_bkpsdm, pelatihan=pelatihan, expected_version=1, kuota=50)
    page = clients.staf_bkpsdm.get(u("edit", pelatihan.pk))
    data = {k: v for k, v in page.context["form"].initial.items() if v not in (None, "")}
    data.update(version=1, nama="Nama Lama", tanggal_mulai="2026-04-06", tanggal_selesai="2026-04-08")
    data["kompetensi"] = []
    data["penyelenggara"] = pelatihan.penyelenggara_id
    data["pendaftaran_dibuka"] = "on"
    response = clients.staf_bkpsdm.post(u("edit", pelatihan.pk), data)
    assert response.status_code == 200 and "telah diubah oleh pengguna lain" in response.content.decode()
    pelatihan.refresh_from_db()
    assert pelatihan.nama == "Pelatihan Pengelolaan Data"
    data["version"] = 2
    response = clients.staf_bkpsdm.post(u("edit", pelatihan.pk), data)
    assert response.status_code == 302
    pelatihan.refresh_from_db()
    assert (pelatihan.nama, pelatihan.version) == ("Nama Lama", 3)


def test_penyelenggara_create_edit_and_a_duplicate_name(org, persona, clients):
    data = {"nama": "Universitas Syiah Kuala", "jenis": "perguruan_tinggi", "kontak": "Pusat Pelatihan", "aktif": "on"}
    response = clients.staf_bkpsdm.post(u("penyelenggara_create"), data)
    assert response["Location"] == u("penyelenggara_list")
    row = Penyelenggara.objects.get()
    assert row.instansi == org.pemda
    response = clients.staf_bkpsdm.post(u("penyelenggara_create"), data)
    assert response.status_code == 200 and "sudah ada" in response.content.decode()
    response = clients.staf_bkpsdm.post(u("penyelenggara_edit", row.pk), data | {"aktif": "", "version": 1})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.aktif is False and row.version == 2
    assert "Universitas Syiah Kuala" in clients.staf_bkpsdm.get(u("penyelenggara_list")).content.decode()
    assert "Universitas Syiah Kuala" not in clients.staf_bkpsdm_b.get(u("penyelenggara_list")).content.decode()


# ---------------------------------------------------------------------------------------------
# Query counts


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _catalogue(org, n):
    kompetensi = list(Kompetensi.objects.order_by("kode")[:2])
    penyelenggara = PenyelenggaraFactory(instansi=org.pemda)
    for i in range(n):
        PelatihanFactory(
            instansi=org.pemda, penyelenggara=penyelenggara, kompetensi=kompetensi,
            tanggal_mulai=dt.date(2026, 4, 1) + dt.timedelta(days=i % 20), sasaran_jenis_jabatan="pelaksana",
        )  # fmt: skip


@pytest.mark.parametrize("who", ["bawahan", "staf_bkpsdm"])
def test_the_catalogue_issues_a_flat_number_of_queries(org, persona, clients, who):
    client = getattr(clients, who)
    _catalogue(org, 5)
    for p in Pelatihan.objects.all()[:3]:
        services.daftar(actor=persona.bawahan, pelatihan=p)
    few = _queries(client, u("katalog"))
    _catalogue(org, 45)
    assert _queries(client, u("katalog")) == few


def _waiting(org, persona, n):
    """``n`` outside trainings to verify and ``n`` registrations (half still with the kabid)."""
    unit = UnitKerjaFactory(nama=f"Bidang {n}", parent=org.disdik, jenis="bidang")
    jabatan = JabatanFactory(nama=f"Pelaksana {n}", unit_kerja=unit, atasan=org.j_kabid)
    training = PelatihanFactory(instansi=org.pemda, kuota=500)
    for i in range(n):
        pegawai = PegawaiFactory(jabatan=jabatan)
        services.mandiri_ajukan(
            actor=persona.staf_bkpsdm, pegawai=pegawai, nama=f"Kursus {i}", jenis_diklat=11, penyelenggara="X",
            tanggal_mulai=dt.date(2026, 1, 5), tanggal_selesai=dt.date(2026, 1, 6), jp=8,
        )  # fmt: skip
        RiwayatPelatihan.objects.filter(pegawai=pegawai).update(status="menunggu_verifikasi", sumber="mandiri")
        RiwayatPelatihan.objects.create(
            pegawai=pegawai, pelatihan=training, sumber="pendaftaran", atasan=org.kabid, jp=24,
            status="diajukan" if i % 2 else "disetujui_atasan", nama=training.nama, jenis_diklat=3,
            jalur="klasikal", penyelenggara="X", tanggal_mulai=training.tanggal_mulai,
            tanggal_selesai=training.tanggal_selesai,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("who", "path"),
    [("staf_bkpsdm", "/pelatihan/antrean/"), ("staf_bkpsdm", "/pelatihan/antrean/?tab=verifikasi"),
     ("atasan", "/pelatihan/persetujuan/")],
)  # fmt: skip
def test_the_waiting_lists_issue_a_flat_number_of_queries(org, persona, clients, who, path):
    client = getattr(clients, who)
    _waiting(org, persona, 5)
    few = _queries(client, path)
    _waiting(org, persona, 45)
    assert len(client.get(path).context["page"].object_list) >= 24  # a full page
    assert _queries(client, path) == few


def test_the_training_page_with_its_participants_issues_a_flat_number_of_queries(org, persona, clients, pelatihan):
    _waiting(org, persona, 0)
    jabatan = JabatanFactory(unit_kerja=org.bidang, atasan=org.j_kabid)
    Pelatihan.objects.filter(pk=pelatihan.pk).update(kuota=500)
    services.daftarkan(
        actor=persona.staf_bkpsdm, pelatihan=pelatihan, pegawai_list=[PegawaiFactory(jabatan=jabatan) for _ in range(5)]
    )
    few = _queries(clients.staf_bkpsdm, u("detail", pelatihan.pk))
    services.daftarkan(
        actor=persona.staf_bkpsdm,
        pelatihan=pelatihan,
        pegawai_list=[PegawaiFactory(jabatan=jabatan) for _ in range(40)],
    )
    assert _queries(clients.staf_bkpsdm, u("detail", pelatihan.pk)) == few


def test_pelatihan_saya_issues_a_flat_number_of_queries(org, persona, clients):
    def add(n, offset):
        for i in range(n):
            submit_mandiri(org, persona, nama=f"Kursus {offset + i}")

    add(5, 0)
    few = _queries(clients.bawahan, u("saya"))
    add(45, 100)
    assert _queries(clients.bawahan, u("saya")) == few
