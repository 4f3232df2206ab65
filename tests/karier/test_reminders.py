"""The daily reminders: certificates at 90 and 30 days before expiry and SKP steps waiting,
in the app and by email, each once."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from apps.karier import reminders
from apps.karier.models import Notifikasi
from apps.penilaian import services as penilaian_services
from apps.sertifikasi import services as sertifikasi_services

TODAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _frozen(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(dt.datetime(2026, 3, 2, 6), tick=False):
        yield


@pytest.fixture
def emails(persona):
    for user, address in ((persona.bawahan, "iqbal@example.go.id"), (persona.staf_bkpsdm, "nurul@example.go.id")):
        user.email = address
        user.save(update_fields=["email"])


def certificate(persona, org, days):
    return sertifikasi_services.sertifikasi_create(
        actor=persona.staf_bkpsdm,  # recorded by staff: verified at once
        pegawai=org.staf,
        jenis="kompetensi",
        nama="Ahli Pengadaan Barang/Jasa",
        penerbit="LKPP",
        nomor=f"PBJ-{days}",
        tanggal_terbit=TODAY - dt.timedelta(days=1000),
        tanggal_kedaluwarsa=TODAY + dt.timedelta(days=days),
    )


def keys(user):
    return sorted(Notifikasi.objects.filter(user=user).values_list("kunci", flat=True))


@pytest.mark.parametrize(("days", "batas"), [(91, None), (90, 90), (31, 90), (30, 30), (0, 30), (-1, None)])
def test_certificate_reminders_at_90_and_30_days(org, persona, days, batas):
    row = certificate(persona, org, days)
    reminders.kirim(email=False)
    expiry = (TODAY + dt.timedelta(days=days)).strftime("%Y%m%d")
    expected = [f"sertifikasi:{row.pk}:{expiry}:{batas}"] if batas else []
    assert keys(persona.bawahan) == expected  # the pegawai
    assert keys(persona.staf_bkpsdm) == expected  # the staff who manage them
    assert keys(persona.staf_bkpsdm_b) == []  # not another pemda's staff
    assert keys(persona.atasan) == []


def test_each_reminder_once_and_emailed_once(org, persona, emails):
    certificate(persona, org, 60)
    first = reminders.kirim()
    assert (first.dibuat, first.email_terkirim) == (2, 2)
    assert sorted(m.to[0] for m in mail.outbox) == ["iqbal@example.go.id", "nurul@example.go.id"]
    assert "berakhir dalam 60 hari" in mail.outbox[0].subject
    again = reminders.kirim()
    assert (again.dibuat, again.email_terkirim) == (0, 0)
    assert len(mail.outbox) == 2
    # At 30 days a new reminder, once more.
    with time_machine.travel(dt.datetime(2026, 4, 1, 6), tick=False):
        later = reminders.kirim()
    assert later.dibuat == 2 and len(mail.outbox) == 4


def test_a_failed_email_is_retried_and_then_not_again(org, persona, emails, monkeypatch):
    certificate(persona, org, 60)

    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(reminders, "send_mass_mail", broken)
    failed = reminders.kirim()
    assert (failed.dibuat, failed.email_terkirim, failed.email_gagal) == (2, 0, 2)
    monkeypatch.undo()
    retried = reminders.kirim()
    assert (retried.dibuat, retried.email_terkirim) == (0, 2)
    assert reminders.kirim().email_terkirim == 0


def test_skp_steps_wait_on_the_right_person(org, persona, skp):
    reminders.kirim(email=False)
    [draf] = Notifikasi.objects.filter(user=persona.bawahan)
    assert draf.judul == "SKP 2026 Anda: lengkapi dan ajukan rencana skp"
    assert keys(persona.atasan) == []
    skp = penilaian_services.penilaian_ajukan(actor=persona.bawahan, penilaian=skp)
    reminders.kirim(email=False)
    assert Notifikasi.objects.get(user=persona.atasan).judul.startswith("SKP 2026 Muhammad Iqbal: setujui")
    reminders.kirim(email=False)
    assert Notifikasi.objects.filter(user=persona.atasan).count() == 1
    # Returned, then submitted again: a second round is a new reminder for the atasan.
    skp = penilaian_services.penilaian_kembalikan(actor=persona.atasan, penilaian=skp, catatan="Target terlalu rendah")
    reminders.kirim(email=False)
    assert Notifikasi.objects.filter(user=persona.bawahan, kunci__contains=":dikembalikan:").count() == 1
    penilaian_services.penilaian_ajukan(actor=persona.bawahan, penilaian=skp)
    reminders.kirim(email=False)
    assert Notifikasi.objects.filter(user=persona.atasan).count() == 2


def test_the_command(org, persona, capsys):
    certificate(persona, org, 10)
    call_command("kirim_pengingat", "--tanpa-email")
    assert "Notifikasi baru: 2" in capsys.readouterr().out
    call_command("kirim_pengingat", "--tanggal", "2026-03-02")
    assert "Notifikasi baru: 0" in capsys.readouterr().out
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("kirim_pengingat", "--tanggal", "2026-13-40")


def test_each_user_sees_and_opens_only_their_own(org, persona, clients):
    row = certificate(persona, org, 20)
    reminders.kirim(email=False)
    page = clients.bawahan.get(reverse("karier:notifikasi"))
    assert page.status_code == 200 and "Sertifikat Anda berakhir dalam 20 hari" in page.text
    mine = Notifikasi.objects.get(user=persona.bawahan)
    theirs = Notifikasi.objects.get(user=persona.staf_bkpsdm)
    assert clients.bawahan.post(reverse("karier:notifikasi_buka", kwargs={"pk": theirs.pk})).status_code == 404
    response = clients.bawahan.post(reverse("karier:notifikasi_buka", kwargs={"pk": mine.pk}))
    assert response.status_code == 302 and response["Location"] == reverse("sertifikasi:detail", kwargs={"pk": row.pk})
    mine.refresh_from_db()
    assert mine.dibaca_pada is not None
    assert clients.staf_bkpsdm.post(reverse("karier:notifikasi_baca_semua")).status_code == 302
    assert not Notifikasi.objects.filter(user=persona.staf_bkpsdm, dibaca_pada__isnull=True).exists()
    assert clients.atasan.get(reverse("karier:notifikasi")).status_code == 200
