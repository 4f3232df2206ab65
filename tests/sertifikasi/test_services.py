import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from apps.core.exceptions import ConflictError, NotAllowedError, WorkflowError
from apps.core.models import AuditLog
from apps.sertifikasi import services
from apps.sertifikasi.models import Sertifikasi, StatusBerlaku

TODAY = dt.date(2026, 11, 24)


def data(**overrides):
    values = {
        "jenis": "pbj_dasar",
        "nama": "Sertifikat Keahlian Pengadaan Barang/Jasa Tingkat Dasar",
        "penerbit": "LKPP",
        "nomor": "PBJ-0001/2024",
        "tanggal_terbit": dt.date(2024, 3, 1),
        "tanggal_kedaluwarsa": dt.date(2027, 3, 1),
    }
    values.update(overrides)
    return values


def make(org, persona, **overrides):
    return services.sertifikasi_create(actor=persona.bawahan, pegawai=org.staf, **data(**overrides))


@pytest.mark.parametrize(
    ("expiry", "status"),
    [
        (None, StatusBerlaku.AKTIF),
        (TODAY + dt.timedelta(days=91), StatusBerlaku.AKTIF),
        (TODAY + dt.timedelta(days=90), StatusBerlaku.AKAN_KEDALUWARSA),
        (TODAY, StatusBerlaku.AKAN_KEDALUWARSA),  # valid through its last day
        (TODAY - dt.timedelta(days=1), StatusBerlaku.KEDALUWARSA),
    ],
)
def test_the_validity_status_on_the_boundary_days(org, persona, expiry, status):
    with time_machine.travel(dt.datetime(2026, 11, 24, 9, 0), tick=False):
        row = make(org, persona, tanggal_terbit=dt.date(2020, 1, 1), tanggal_kedaluwarsa=expiry)
        assert row.status_berlaku_pada() == status
        annotated = Sertifikasi.objects.with_status_berlaku().get(pk=row.pk)
        assert annotated.status_berlaku == status
        assert Sertifikasi.objects.akan_kedaluwarsa().filter(pk=row.pk).exists() == (
            status == StatusBerlaku.AKAN_KEDALUWARSA
        )
        assert Sertifikasi.objects.kedaluwarsa().filter(pk=row.pk).exists() == (status == StatusBerlaku.KEDALUWARSA)


def test_the_window_is_configurable(org, persona, settings):
    settings.SERTIFIKASI_WINDOW_HARI = 30
    with time_machine.travel(dt.datetime(2026, 11, 24, 9, 0), tick=False):
        row = make(org, persona, tanggal_kedaluwarsa=TODAY + dt.timedelta(days=31))
        assert row.status_berlaku_pada() == StatusBerlaku.AKTIF
        assert not Sertifikasi.objects.akan_kedaluwarsa().exists()
        assert Sertifikasi.objects.akan_kedaluwarsa(dalam=31).filter(pk=row.pk).exists()


def test_a_pegawai_submits_and_staff_verify(org, persona):
    row = make(org, persona)
    assert row.verifikasi == Sertifikasi.Verifikasi.DIAJUKAN
    with pytest.raises(NotAllowedError):
        services.sertifikasi_verifikasi(actor=persona.atasan, sertifikasi=row)
    with pytest.raises(NotAllowedError):
        services.sertifikasi_verifikasi(actor=persona.staf_bkpsdm_b, sertifikasi=row)
    row = services.sertifikasi_verifikasi(actor=persona.staf_bkpsdm, sertifikasi=row, expected_version=1)
    assert (row.verifikasi, row.diverifikasi_oleh) == (Sertifikasi.Verifikasi.TERVERIFIKASI, persona.staf_bkpsdm)
    with pytest.raises(WorkflowError):
        services.sertifikasi_update(actor=persona.bawahan, sertifikasi=row, nama="Diubah")
    assert [e.action for e in AuditLog.objects.for_object(row)] == ["update", "create"]


def test_a_rejection_needs_a_reason_and_a_correction_goes_back_for_verification(org, persona):
    row = make(org, persona)
    with pytest.raises(ValidationError):
        services.sertifikasi_tolak(actor=persona.staf_bkpsdm, sertifikasi=row, alasan=" ")
    row = services.sertifikasi_tolak(actor=persona.staf_bkpsdm, sertifikasi=row, alasan="Nomor tidak terbaca.")
    assert row.verifikasi == Sertifikasi.Verifikasi.DITOLAK
    row = services.sertifikasi_update(actor=persona.bawahan, sertifikasi=row, nomor="PBJ-0001/2024-A")
    assert (row.verifikasi, row.alasan_penolakan) == (Sertifikasi.Verifikasi.DIAJUKAN, "")


def test_staff_record_a_certificate_already_verified(org, persona):
    row = services.sertifikasi_create(actor=persona.staf_bkpsdm, pegawai=org.staf, **data())
    assert row.verifikasi == Sertifikasi.Verifikasi.TERVERIFIKASI


def test_only_the_pegawai_or_staff_submit(org, persona):
    with pytest.raises(NotAllowedError):
        services.sertifikasi_create(actor=persona.atasan, pegawai=org.staf, **data())
    assert not Sertifikasi.objects.exists()


def test_an_expiry_before_the_issue_date_is_refused(org, persona):
    with pytest.raises(ValidationError) as exc_info:
        make(org, persona, tanggal_kedaluwarsa=dt.date(2023, 1, 1))
    assert exc_info.value.message_dict
    assert not Sertifikasi.objects.exists()


def test_the_same_number_from_the_same_issuer_is_refused(org, persona):
    make(org, persona)
    with pytest.raises(ValidationError) as exc_info:
        make(org, persona)
    assert "nomor" in exc_info.value.message_dict or "__all__" in exc_info.value.message_dict


def test_a_stale_version_is_refused(org, persona):
    row = make(org, persona)
    services.sertifikasi_update(actor=persona.bawahan, sertifikasi=row, expected_version=1, skema="Tingkat Dasar")
    with pytest.raises(ConflictError):
        services.sertifikasi_update(actor=persona.bawahan, sertifikasi=row, expected_version=1, skema="Lain")
    assert Sertifikasi.objects.get(pk=row.pk).skema == "Tingkat Dasar"


def test_visibility_follows_the_pegawai(org, persona):
    row = make(org, persona)
    assert Sertifikasi.objects.visible_to(persona.atasan).filter(pk=row.pk).exists()
    assert not Sertifikasi.objects.visible_to(persona.atasan_lain).filter(pk=row.pk).exists()
    assert not Sertifikasi.objects.visible_to(persona.staf_bkpsdm_b).filter(pk=row.pk).exists()


def test_allowed_tells_the_buttons_the_same_rule_the_services_apply(org, persona):
    row = make(org, persona)
    assert services.allowed(persona.bawahan, row) == {"ubah": True, "verifikasi": False}
    assert services.allowed(persona.atasan, row) == {"ubah": False, "verifikasi": False}
    assert services.allowed(persona.staf_bkpsdm, row) == {"ubah": True, "verifikasi": True}
    row = services.sertifikasi_verifikasi(actor=persona.staf_bkpsdm, sertifikasi=row)
    assert services.allowed(persona.bawahan, row) == {"ubah": False, "verifikasi": False}
    with pytest.raises(WorkflowError, match="hanya dapat dihapus oleh staf BKPSDM"):
        services.sertifikasi_delete(actor=persona.bawahan, sertifikasi=row)
