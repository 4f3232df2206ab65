"""Changes to the training catalogue, training records and competency assessments: who may do
each step from which state, the registration rules (closed, full, twice), the all-or-nothing
writes, outside trainings with evidence, optimistic locking and the audit trail."""

import datetime as dt
from contextlib import contextmanager

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.exceptions import ConflictError, NotAllowedError, WorkflowError
from apps.core.models import AuditLog
from apps.pelatihan import selectors, services
from apps.pelatihan.models import AsesmenKompetensi, Pelatihan, RiwayatPelatihan, Status
from apps.pelatihan.services import STEPS, Peran
from apps.standar_kinerja.models import Kompetensi

from ..factories import PelatihanFactory, PenyelenggaraFactory, RiwayatPelatihanFactory, akun_for

TODAY = dt.date(2026, 11, 24)
MULAI = dt.date(2026, 12, 7)  # the catalogue training: 7–9 December, registration open


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(dt.datetime(2026, 11, 24, 9, 0), tick=False):
        yield


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@contextmanager
def on(day):
    with time_machine.travel(dt.datetime.combine(day, dt.time(9, 0)), tick=False):
        yield


def pelatihan(org, mulai=MULAI, **kwargs):
    kwargs.setdefault("instansi", org.pemda)
    return PelatihanFactory(tanggal_mulai=mulai, tanggal_selesai=mulai + dt.timedelta(days=2), **kwargs)


def bukti():
    return SimpleUploadedFile("sttpp.pdf", b"%PDF-1.4\n% demo\n", content_type="application/pdf")


def entries(pegawai):
    return AuditLog.objects.filter(pegawai_id=pegawai.pk)


def akun(pegawai):
    return akun_for(pegawai)


def fresh(row):
    return RiwayatPelatihan.objects.get(pk=row.pk)


# ---------------------------------------------------------------------------------------------
# Registration for a catalogue training


def test_a_registration_runs_from_application_to_counted_jp(org, persona):
    training = pelatihan(org, jp=24)

    row = services.daftar(actor=persona.bawahan, pelatihan=training, catatan=" Untuk tugas verifikasi data. ")
    assert (row.status, row.atasan, row.sumber, row.catatan) == (
        Status.DIAJUKAN,
        org.kabid,
        "pendaftaran",
        "Untuk tugas verifikasi data.",
    )
    assert (row.nama, row.jp, row.tanggal_selesai, row.penyelenggara) == (
        training.nama,
        24,
        MULAI + dt.timedelta(days=2),
        training.penyelenggara.nama,
    )
    row = services.atasan_setujui(actor=persona.atasan, riwayat=row, expected_version=row.version)
    assert row.status == Status.DISETUJUI_ATASAN and row.diputuskan_oleh is None
    row = services.konfirmasi(actor=persona.staf_bkpsdm, riwayat=row, expected_version=row.version)
    assert (row.status, row.diputuskan_oleh) == (Status.TERDAFTAR, persona.staf_bkpsdm)
    assert selectors.jp_tahun(org.staf, 2026) == 0
    with on(dt.date(2026, 12, 10)):
        row = services.hasil_catat(
            actor=persona.staf_bkpsdm, riwayat=row, hadir=True, lulus=True, nomor_sertifikat="X1"
        )

    assert (row.status, row.hadir, row.lulus, row.jp_diakui, row.version) == (Status.SELESAI, True, True, 24, 4)
    assert selectors.jp_tahun(org.staf, 2026) == 24
    log = list(AuditLog.objects.for_object(row).order_by("id"))
    assert [(e.action, e.changes["status"]) for e in log] == [
        ("create", [None, "diajukan"]),
        ("update", ["diajukan", "disetujui_atasan"]),
        ("update", ["disetujui_atasan", "terdaftar"]),
        ("update", ["terdaftar", "selesai"]),
    ]
    assert {e.pegawai_id for e in log} == {org.staf.pk}
    assert [e.actor for e in log] == [persona.bawahan, persona.atasan, persona.staf_bkpsdm, persona.staf_bkpsdm]
    assert log[-1].changes["jp_diakui"] == [0, 24]


def test_a_top_official_without_an_atasan_goes_straight_to_bkpsdm(org, persona):
    row = services.daftar(actor=persona.kadis, pelatihan=pelatihan(org))

    assert (row.status, row.atasan) == (Status.DISETUJUI_ATASAN, None)
    assert services.allowed_steps(persona.staf_bkpsdm, row) == ["konfirmasi", "tolak", "batalkan"]


@pytest.mark.parametrize(
    ("change", "day", "open_"),
    [
        ({"pendaftaran_dibuka": False}, TODAY, False),
        ({"batas_pendaftaran": dt.date(2026, 11, 30)}, dt.date(2026, 11, 30), True),
        ({"batas_pendaftaran": dt.date(2026, 11, 30)}, dt.date(2026, 12, 1), False),
        ({}, MULAI, True),  # without a deadline: up to the first day
        ({}, MULAI + dt.timedelta(days=1), False),
    ],
)
def test_registration_closes(org, persona, change, day, open_):
    training = pelatihan(org, **change)

    with on(day):
        if open_:
            assert services.daftar(actor=persona.bawahan, pelatihan=training).status == Status.DIAJUKAN
        else:
            with pytest.raises(WorkflowError, match="ditutup"):
                services.daftar(actor=persona.bawahan, pelatihan=training)
            assert not RiwayatPelatihan.objects.exists()


def test_a_full_training_refuses_applications_and_confirmations(org, persona):
    training = pelatihan(org, kuota=1)
    waiting = services.daftar(actor=persona.bawahan, pelatihan=training)
    services.daftarkan(actor=persona.staf_bkpsdm, pelatihan=training, pegawai_list=[org.staf_dinkes])

    with pytest.raises(WorkflowError, match="penuh"):
        services.daftar(actor=persona.atasan, pelatihan=training)
    with pytest.raises(WorkflowError, match="penuh"):
        services.konfirmasi(actor=persona.staf_bkpsdm, riwayat=waiting)
    assert fresh(waiting).status == Status.DIAJUKAN


def test_a_pending_application_holds_no_seat(org, persona):
    training = pelatihan(org, kuota=1)
    services.daftar(actor=persona.bawahan, pelatihan=training)

    row = services.daftar(actor=persona.atasan, pelatihan=training)

    assert row.status == Status.DIAJUKAN


def test_one_registration_per_training_until_withdrawn(org, persona):
    training = pelatihan(org)
    row = services.daftar(actor=persona.bawahan, pelatihan=training)

    with pytest.raises(WorkflowError, match="sudah terdaftar"):
        services.daftar(actor=persona.bawahan, pelatihan=training)
    services.batalkan(actor=persona.bawahan, riwayat=row)
    again = services.daftar(actor=persona.bawahan, pelatihan=training)

    assert again.pk != row.pk and fresh(row).status == Status.DIBATALKAN


def test_a_training_of_another_instansi_is_not_open_to_its_pegawai(org, persona):
    with pytest.raises(NotAllowedError):
        services.daftar(actor=persona.pegawai_b, pelatihan=pelatihan(org))


def test_only_a_pegawai_applies(org, persona):
    with pytest.raises(NotAllowedError):
        services.daftar(actor=persona.staf_bkpsdm_b, pelatihan=pelatihan(org, instansi=org.pemda_b))


def test_a_registered_participant_cannot_withdraw_once_it_started(org, persona):
    training = pelatihan(org)
    [row], _ = services.daftarkan(actor=persona.staf_bkpsdm, pelatihan=training, pegawai_list=[org.staf])

    with on(MULAI), pytest.raises(WorkflowError, match="sudah dimulai"):
        services.batalkan(actor=persona.bawahan, riwayat=row)
    row = services.batalkan(actor=persona.bawahan, riwayat=row, alasan=" Tugas luar daerah. ")
    assert (row.status, row.alasan_penolakan) == (Status.DIBATALKAN, "Tugas luar daerah.")


def test_a_rejection_needs_a_reason(org, persona):
    row = services.daftar(actor=persona.bawahan, pelatihan=pelatihan(org))

    with pytest.raises(ValidationError) as exc_info:
        services.atasan_tolak(actor=persona.atasan, riwayat=row, alasan="  ")
    assert "alasan" in exc_info.value.message_dict
    with pytest.raises(ValidationError):
        services.tolak(actor=persona.staf_bkpsdm, riwayat=row, alasan="")
    row = services.atasan_tolak(actor=persona.atasan, riwayat=row, alasan="Bentrok dengan akhir tahun anggaran.")
    assert (row.status, row.alasan_penolakan) == (Status.DITOLAK, "Bentrok dengan akhir tahun anggaran.")


# ---------------------------------------------------------------------------------------------
# Every step × state × role, as the table says

ACTORS = {
    Peran.PEGAWAI: "bawahan",
    Peran.ATASAN: "atasan",
    Peran.BKPSDM: "staf_bkpsdm",
    "atasan lain": "atasan_lain",
    "BKPSDM pemda lain": "staf_bkpsdm_b",
}
OUTSIDE_STEPS = {"verifikasi", "ubah", "hapus"}


def record_in(org, step, status):
    """A record of ``org.staf`` in ``status``, of a training fit for ``step``: an outside one for
    the verification steps, otherwise a catalogue one (ended for ``hasil_catat``)."""
    if step in OUTSIDE_STEPS or (step == "tolak" and status in (Status.MENUNGGU_VERIFIKASI, Status.TERVERIFIKASI)):
        return RiwayatPelatihanFactory(pegawai=org.staf, sumber="mandiri", status=status, bukti="pelatihan/x.pdf")
    training = pelatihan(org, mulai=dt.date(2026, 11, 2) if step == "hasil_catat" else MULAI)
    return RiwayatPelatihanFactory(
        pegawai=org.staf,
        pelatihan=training,
        sumber="pendaftaran",
        status=status,
        atasan=org.kabid,
        nama=training.nama,
        tanggal_mulai=training.tanggal_mulai,
        tanggal_selesai=training.tanggal_selesai,
        jp=training.jp,
    )


def do(step, actor, row):
    call = {
        "atasan_setujui": lambda: services.atasan_setujui(actor=actor, riwayat=row),
        "atasan_tolak": lambda: services.atasan_tolak(actor=actor, riwayat=row, alasan="Beban kerja tinggi."),
        "konfirmasi": lambda: services.konfirmasi(actor=actor, riwayat=row),
        "tolak": lambda: services.tolak(actor=actor, riwayat=row, alasan="Tidak sesuai kebutuhan."),
        "batalkan": lambda: services.batalkan(actor=actor, riwayat=row),
        "hasil_catat": lambda: services.hasil_catat(actor=actor, riwayat=row, hadir=True, lulus=True, jp_diakui=5),
        "verifikasi": lambda: services.verifikasi(actor=actor, riwayat=row),
        "ubah": lambda: services.mandiri_ubah(actor=actor, riwayat=row, catatan="Nomor STTPP diperbaiki."),
        "hapus": lambda: services.hapus(actor=actor, riwayat=row),
    }[step]
    return call()


def expected(step, status, role):
    spec = STEPS[step]
    if role not in spec.roles:
        return NotAllowedError
    if step in ("ubah", "hapus") and role == Peran.BKPSDM:
        return None  # staff correct or remove any outside record of a pegawai they manage
    return None if status in spec.sources else WorkflowError


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("step", list(STEPS))
def test_every_step_from_every_state_by_every_party(step, status, org, persona):
    for role, name in ACTORS.items():
        row = record_in(org, step, status)
        actor = getattr(persona, name)
        outcome = expected(step, status, role)
        log_before = entries(org.staf).count()
        if outcome is not None:
            with pytest.raises(outcome):
                do(step, actor, row)
            after = fresh(row)
            assert (after.status, after.version) == (status, row.version), (role, "changed on refusal")
            assert entries(org.staf).count() == log_before
            continue
        do(step, actor, row)
        assert entries(org.staf).count() > log_before, (role, "no audit entry")
        if step == "hapus":
            assert not RiwayatPelatihan.objects.filter(pk=row.pk).exists()
            continue
        after = fresh(row)
        if step == "ubah":
            back = role == Peran.PEGAWAI and status == Status.DITOLAK
            assert after.status == (Status.MENUNGGU_VERIFIKASI if back else status), role
        else:
            assert after.status == STEPS[step].target, role
        assert after.version == row.version + 1


@pytest.mark.parametrize("step", ["ubah", "hapus"])
def test_a_catalogue_record_is_never_edited_or_removed_as_an_outside_one(step, org, persona):
    for status in (Status.DITOLAK, Status.DIAJUKAN):
        row = record_in(org, "konfirmasi", status)
        for actor in (persona.bawahan, persona.staf_bkpsdm):
            with pytest.raises(WorkflowError):
                do(step, actor, row)
            assert step not in services.allowed_steps(actor, row)


def test_allowed_steps_tell_the_buttons_what_the_services_accept(org, persona):
    row = record_in(org, "konfirmasi", Status.DIAJUKAN)

    assert services.allowed_steps(persona.bawahan, row) == ["batalkan"]
    assert services.allowed_steps(persona.atasan, row) == ["atasan_setujui", "atasan_tolak"]
    assert services.allowed_steps(persona.staf_bkpsdm, row) == ["konfirmasi", "tolak", "batalkan"]
    assert services.allowed_steps(persona.atasan_lain, row) == []
    assert services.allowed_steps(persona.superuser, row) == ["konfirmasi", "tolak", "batalkan"]


# ---------------------------------------------------------------------------------------------
# BKPSDM enrols pegawai directly


def test_staff_enrol_a_list_skipping_those_already_registered(org, persona):
    training = pelatihan(org, kuota=3)
    applied = services.daftar(actor=persona.bawahan, pelatihan=training)

    rows, skipped = services.daftarkan(
        actor=persona.staf_bkpsdm, pelatihan=training, pegawai_list=[org.staf, org.kabid, org.staf_dinkes, org.kabid]
    )

    assert sorted(r.pegawai.nama for r in rows) == ["Cut Nyak Meutia", "Zulfikar"]
    assert {r.status for r in rows} == {Status.TERDAFTAR} and {r.sumber for r in rows} == {"penugasan"}
    assert skipped == [org.staf] and fresh(applied).status == Status.DIAJUKAN
    for row in rows:
        [entry] = AuditLog.objects.for_object(row)
        assert (entry.action, entry.pegawai_id, entry.actor) == ("create", row.pegawai_id, persona.staf_bkpsdm)


def test_enrolment_beyond_the_free_seats_enrols_nobody(org, persona):
    training = pelatihan(org, kuota=2)
    services.daftarkan(actor=persona.staf_bkpsdm, pelatihan=training, pegawai_list=[org.staf])

    with pytest.raises(ValidationError, match="tersisa 1 tempat untuk 2 pegawai"):
        services.daftarkan(actor=persona.staf_bkpsdm, pelatihan=training, pegawai_list=[org.kabid, org.staf_dinkes])
    assert list(training.peserta.values_list("pegawai__nama", flat=True)) == ["Muhammad Iqbal"]


def test_enrolment_with_one_pegawai_outside_the_scope_enrols_nobody(org, persona):
    training = pelatihan(org)

    with pytest.raises(ValidationError, match="di luar kewenangan Anda: Sahat Simanjuntak"):
        services.daftarkan(actor=persona.staf_bkpsdm, pelatihan=training, pegawai_list=[org.staf, org.pegawai_b])
    assert not training.peserta.exists()


def test_enrolment_of_another_instansi_pegawai_is_refused_even_for_a_superuser(org, persona):
    training = pelatihan(org)

    with pytest.raises(ValidationError, match="bukan dari instansi"):
        services.daftarkan(actor=persona.superuser, pelatihan=training, pegawai_list=[org.staf, org.pegawai_b])
    assert not training.peserta.exists()


def test_enrolment_is_for_the_staff_of_the_training_instansi(org, persona):
    training = pelatihan(org)

    for actor in (persona.staf_bkpsdm_b, persona.atasan):
        with pytest.raises(NotAllowedError):
            services.daftarkan(actor=actor, pelatihan=training, pegawai_list=[org.staf])
    with pytest.raises(ValidationError):
        services.daftarkan(actor=persona.staf_bkpsdm, pelatihan=training, pegawai_list=[])
    assert not training.peserta.exists()


# ---------------------------------------------------------------------------------------------
# Results


@pytest.fixture
def ended(org, persona):
    """A 24 JP training of 2–4 November with three registered participants."""
    training = pelatihan(org, mulai=dt.date(2026, 11, 2), jp=24)
    with on(dt.date(2026, 10, 1)):
        rows, _ = services.daftarkan(
            actor=persona.staf_bkpsdm, pelatihan=training, pegawai_list=[org.staf, org.kabid, org.staf_dinkes]
        )
    return training, sorted(rows, key=lambda r: r.pegawai.nama)


def test_results_wait_for_the_last_day(org, persona):
    training = pelatihan(org)
    [row], _ = services.daftarkan(actor=persona.staf_bkpsdm, pelatihan=training, pegawai_list=[org.staf])

    with on(training.tanggal_selesai - dt.timedelta(days=1)), pytest.raises(WorkflowError, match="setelah pelatihan"):
        services.hasil_catat(actor=persona.staf_bkpsdm, riwayat=row, hadir=True)
    with on(training.tanggal_selesai):
        row = services.hasil_catat(actor=persona.staf_bkpsdm, riwayat=row, hadir=True)
    assert (row.status, row.jp_diakui) == (Status.SELESAI, 24)


@pytest.mark.parametrize(
    ("hadir", "jp_diakui", "error", "counted"),
    [
        (True, None, None, 24),  # all JP unless said otherwise
        (True, 24, None, 24),
        (True, 16, None, 16),
        (True, 25, "jp_diakui", None),
        (True, -1, "jp_diakui", None),
        (True, "dua", "jp_diakui", None),
        (False, None, None, 0),
        (False, 8, "jp_diakui", None),
        (None, None, "hadir", None),
    ],
)
def test_the_jp_earned_stay_within_the_training(org, persona, ended, hadir, jp_diakui, error, counted):
    _, rows = ended
    row = rows[1]  # Muhammad Iqbal

    if error:
        with pytest.raises(ValidationError) as exc_info:
            services.hasil_catat(actor=persona.staf_bkpsdm, riwayat=row, hadir=hadir, jp_diakui=jp_diakui)
        assert error in exc_info.value.message_dict
        assert fresh(row).status == Status.TERDAFTAR
        return
    row = services.hasil_catat(actor=persona.staf_bkpsdm, riwayat=row, hadir=hadir, lulus=True, jp_diakui=jp_diakui)
    assert (row.status, row.jp_diakui, row.lulus) == (Status.SELESAI, counted, bool(hadir))
    assert selectors.jp_tahun(org.staf, 2026) == counted


def test_a_recorded_result_can_be_corrected(org, persona, ended):
    _, rows = ended
    row = services.hasil_catat(actor=persona.staf_bkpsdm, riwayat=rows[1], hadir=True)
    row = services.hasil_catat(actor=persona.staf_bkpsdm, riwayat=row, hadir=True, jp_diakui=12, expected_version=2)

    assert selectors.jp_tahun(org.staf, 2026) == 12
    with pytest.raises(ConflictError):
        services.hasil_catat(actor=persona.staf_bkpsdm, riwayat=row, hadir=True, jp_diakui=10, expected_version=2)
    assert selectors.jp_tahun(org.staf, 2026) == 12


def test_the_results_of_a_whole_training_are_saved_together(org, persona, ended):
    training, rows = ended

    saved = services.hasil_catat_semua(
        actor=persona.staf_bkpsdm,
        pelatihan=training,
        rows=[
            {"riwayat": rows[0], "hadir": True, "lulus": True, "nomor_sertifikat": "BPSDM/2026/001"},
            {"riwayat": rows[1], "hadir": True, "lulus": False, "jp_diakui": 18},
            {"riwayat": rows[2], "hadir": False},
        ],
    )

    assert [(r.status, r.jp_diakui) for r in saved] == [(Status.SELESAI, 24), (Status.SELESAI, 18), (Status.SELESAI, 0)]
    assert (selectors.jp_tahun(org.kabid, 2026), selectors.jp_tahun(org.staf, 2026)) == (24, 18)


def test_one_bad_row_saves_no_result_and_is_named(org, persona, ended):
    training, rows = ended

    with pytest.raises(ValidationError) as exc_info:
        services.hasil_catat_semua(
            actor=persona.staf_bkpsdm,
            pelatihan=training,
            rows=[
                {"riwayat": rows[0], "hadir": True},
                {"riwayat": rows[1], "hadir": True, "jp_diakui": 30},
                {"riwayat": rows[2], "hadir": None, "jp_diakui": "x"},
            ],
        )

    errors = exc_info.value.message_dict
    assert set(errors) == {"baris 2", "baris 3"}
    assert errors["baris 2"] == ["jp_diakui: JP diakui harus 0 sampai 24."]
    assert len(errors["baris 3"]) == 2  # both of its mistakes
    assert {fresh(r).status for r in rows} == {Status.TERDAFTAR}
    assert not AuditLog.objects.filter(action="update", object_type="pelatihan.riwayatpelatihan").exists()


def test_a_row_of_another_training_or_a_withdrawn_participant_is_named(org, persona, ended):
    training, rows = ended
    other = RiwayatPelatihanFactory(pegawai=org.analis)
    RiwayatPelatihan.objects.filter(pk=rows[2].pk).update(status=Status.DIBATALKAN)

    with pytest.raises(ValidationError) as exc_info:
        services.hasil_catat_semua(
            actor=persona.staf_bkpsdm,
            pelatihan=training,
            rows=[
                {"riwayat": rows[0], "hadir": True},
                {"riwayat": other, "hadir": True},
                {"riwayat": rows[2], "hadir": True},
            ],
        )

    assert set(exc_info.value.message_dict) == {"baris 2", "baris 3"}
    assert fresh(rows[0]).status == Status.TERDAFTAR


def test_no_results_for_a_training_not_yet_ended(org, persona):
    training = pelatihan(org)
    [row], _ = services.daftarkan(actor=persona.staf_bkpsdm, pelatihan=training, pegawai_list=[org.staf])

    with pytest.raises(WorkflowError, match="setelah pelatihan"):
        services.hasil_catat_semua(
            actor=persona.staf_bkpsdm, pelatihan=training, rows=[{"riwayat": row, "hadir": True}]
        )


def test_results_are_for_bkpsdm_only(org, persona, ended):
    training, rows = ended

    with pytest.raises(NotAllowedError):
        services.hasil_catat_semua(actor=persona.atasan, pelatihan=training, rows=[{"riwayat": rows[1], "hadir": True}])
    assert fresh(rows[1]).status == Status.TERDAFTAR


# ---------------------------------------------------------------------------------------------
# Trainings done elsewhere

MANDIRI = {
    "nama": "Bimtek Penyusunan Laporan Kinerja",
    "jenis_diklat": 8,
    "penyelenggara": "BPSDM Provinsi Aceh",
    "tanggal_mulai": dt.date(2026, 9, 14),
    "tanggal_selesai": dt.date(2026, 9, 16),
    "jp": 18,
    "nomor_sertifikat": "BPSDM.ACEH/0918/2026",
}


def test_a_pegawai_submits_an_outside_training_with_evidence_and_bkpsdm_verifies(org, persona):
    with pytest.raises(ValidationError) as exc_info:
        services.mandiri_ajukan(actor=persona.bawahan, pegawai=org.staf, **MANDIRI)
    assert "bukti" in exc_info.value.message_dict

    row = services.mandiri_ajukan(actor=persona.bawahan, pegawai=org.staf, bukti=bukti(), **MANDIRI)
    assert (row.status, row.sumber, row.jalur) == (Status.MENUNGGU_VERIFIKASI, "mandiri", "klasikal")
    assert row.bukti.name == f"pelatihan/{org.staf.pk}/sttpp.pdf"
    with fresh(row).bukti.open("rb") as stored:
        assert stored.read().startswith(b"%PDF")
    assert selectors.jp_tahun(org.staf, 2026) == 0

    row = services.verifikasi(actor=persona.staf_bkpsdm, riwayat=row, jp_diakui=16, expected_version=1)

    assert (row.status, row.jp_diakui, row.diputuskan_oleh) == (Status.TERVERIFIKASI, 16, persona.staf_bkpsdm)
    assert selectors.jp_tahun(org.staf, 2026) == 16
    last = AuditLog.objects.for_object(row).order_by("id").last()
    assert (last.pegawai_id, last.changes["status"], last.changes["jp_diakui"]) == (
        org.staf.pk,
        ["menunggu_verifikasi", "terverifikasi"],
        [0, 16],
    )


def test_verification_keeps_the_jp_within_the_training(org, persona):
    row = services.mandiri_ajukan(actor=persona.bawahan, pegawai=org.staf, bukti=bukti(), **MANDIRI)

    with pytest.raises(ValidationError):
        services.verifikasi(actor=persona.staf_bkpsdm, riwayat=row, jp_diakui=19)
    assert fresh(row).status == Status.MENUNGGU_VERIFIKASI


def test_a_training_recorded_by_staff_counts_at_once(org, persona):
    row = services.mandiri_ajukan(actor=persona.staf_bkpsdm, pegawai=org.staf, **{**MANDIRI, "jenis_diklat": 16})

    assert (row.status, row.sumber, row.jp_diakui, row.jalur) == (
        Status.TERVERIFIKASI,
        "pencatatan",
        18,
        "non_klasikal",
    )
    assert selectors.jp_tahun(org.staf, 2026) == 18
    [entry] = AuditLog.objects.for_object(row)
    assert (entry.pegawai_id, entry.changes["status"]) == (org.staf.pk, [None, "terverifikasi"])


def test_staff_do_not_verify_their_own_training(org, persona):
    row = services.mandiri_ajukan(actor=persona.staf_bkpsdm, pegawai=org.analis, bukti=bukti(), **MANDIRI)

    assert row.status == Status.MENUNGGU_VERIFIKASI


def test_others_cannot_submit_for_a_pegawai(org, persona):
    for actor in (persona.atasan, persona.staf_bkpsdm_b):
        with pytest.raises(NotAllowedError):
            services.mandiri_ajukan(actor=actor, pegawai=org.staf, bukti=bukti(), **MANDIRI)
    assert not RiwayatPelatihan.objects.exists()


def test_an_outside_training_must_have_ended(org, persona):
    with pytest.raises(ValidationError) as exc_info:
        services.mandiri_ajukan(
            actor=persona.bawahan,
            pegawai=org.staf,
            bukti=bukti(),
            **{**MANDIRI, "tanggal_mulai": dt.date(2026, 11, 24), "tanggal_selesai": dt.date(2026, 11, 25)},
        )
    assert "tanggal_selesai" in exc_info.value.message_dict


def test_an_outside_training_with_dates_reversed_or_no_jp_is_refused(org, persona):
    for wrong in ({"tanggal_mulai": dt.date(2026, 9, 20)}, {"jp": 0}, {"nama": ""}):
        with pytest.raises(ValidationError):
            services.mandiri_ajukan(actor=persona.staf_bkpsdm, pegawai=org.staf, **{**MANDIRI, **wrong})
    assert not RiwayatPelatihan.objects.exists()


def test_a_rejected_outside_training_corrected_by_the_pegawai_goes_back_for_verification(org, persona):
    row = services.mandiri_ajukan(actor=persona.bawahan, pegawai=org.staf, bukti=bukti(), **MANDIRI)
    row = services.tolak(actor=persona.staf_bkpsdm, riwayat=row, alasan="Sertifikat tidak terbaca.")

    row = services.mandiri_ubah(actor=persona.bawahan, riwayat=row, bukti=bukti(), expected_version=row.version)

    assert (row.status, row.alasan_penolakan) == (Status.MENUNGGU_VERIFIKASI, "")
    last = AuditLog.objects.for_object(row).order_by("id").last()
    assert last.changes["status"] == ["ditolak", "menunggu_verifikasi"] and "bukti" in last.changes


def test_staff_correct_a_verified_outside_training(org, persona):
    row = services.mandiri_ajukan(actor=persona.staf_bkpsdm, pegawai=org.staf, **MANDIRI)

    with pytest.raises(WorkflowError):
        services.mandiri_ubah(actor=persona.bawahan, riwayat=row, jp=24)
    row = services.mandiri_ubah(actor=persona.staf_bkpsdm, riwayat=row, jp=12)

    assert (row.status, row.jp, row.jp_diakui) == (Status.TERVERIFIKASI, 12, 12)
    assert selectors.jp_tahun(org.staf, 2026) == 12


def test_a_pegawai_removes_a_pending_outside_training_but_not_a_verified_one(org, persona):
    pending = services.mandiri_ajukan(actor=persona.bawahan, pegawai=org.staf, bukti=bukti(), **MANDIRI)
    verified = services.mandiri_ajukan(actor=persona.staf_bkpsdm, pegawai=org.staf, **{**MANDIRI, "nama": "Seminar"})

    services.hapus(actor=persona.bawahan, riwayat=pending)
    with pytest.raises(WorkflowError):
        services.hapus(actor=persona.bawahan, riwayat=verified)

    assert list(RiwayatPelatihan.objects.values_list("pk", flat=True)) == [verified.pk]
    entry = AuditLog.objects.filter(action="delete").get()
    assert (entry.object_id, entry.pegawai_id) == (str(pending.pk), org.staf.pk)


# ---------------------------------------------------------------------------------------------
# Optimistic locking


def test_the_second_of_two_saves_on_the_same_version_is_refused(org, persona):
    row = services.daftar(actor=persona.bawahan, pelatihan=pelatihan(org))
    services.atasan_setujui(actor=persona.atasan, riwayat=row, expected_version=1)

    with pytest.raises(ConflictError):
        services.tolak(actor=persona.staf_bkpsdm, riwayat=row, alasan="Kuota bidang habis.", expected_version=1)
    assert fresh(row).status == Status.DISETUJUI_ATASAN

    outside = services.mandiri_ajukan(actor=persona.bawahan, pegawai=org.staf, bukti=bukti(), **MANDIRI)
    services.mandiri_ubah(actor=persona.bawahan, riwayat=outside, jp=16, expected_version=1)
    with pytest.raises(ConflictError):
        services.mandiri_ubah(actor=persona.bawahan, riwayat=outside, jp=20, expected_version="1")
    assert fresh(outside).jp == 16


def test_stale_catalogue_and_assessment_edits_are_refused(org, persona):
    training = pelatihan(org)
    services.pelatihan_update(actor=persona.staf_bkpsdm, pelatihan=training, expected_version=1, kuota=40)
    with pytest.raises(ConflictError):
        services.pelatihan_update(actor=persona.staf_bkpsdm, pelatihan=training, expected_version=1, kuota=50)
    penyelenggara = training.penyelenggara
    services.penyelenggara_update(
        actor=persona.staf_bkpsdm, penyelenggara=penyelenggara, expected_version=1, kontak="x"
    )
    with pytest.raises(ConflictError):
        services.penyelenggara_update(
            actor=persona.staf_bkpsdm, penyelenggara=penyelenggara, expected_version=1, kontak="y"
        )
    row = asesmen(persona, Kompetensi.objects.get(kode="M.01"), 3)
    services.asesmen_update(actor=persona.staf_bkpsdm, asesmen=row, expected_version=1, level=4)
    with pytest.raises(ConflictError):
        services.asesmen_update(actor=persona.staf_bkpsdm, asesmen=row, expected_version=1, level=2)

    assert (Pelatihan.objects.get(pk=training.pk).kuota, AsesmenKompetensi.objects.get(pk=row.pk).level) == (40, 4)


# ---------------------------------------------------------------------------------------------
# The catalogue and its partners

PELATIHAN = {
    "nama": "Pelatihan Pengadaan Barang/Jasa Tingkat Dasar",
    "jenis_diklat": 3,
    "jp": 32,
    "tanggal_mulai": dt.date(2027, 2, 8),
    "tanggal_selesai": dt.date(2027, 2, 11),
    "kuota": 30,
}


def test_staff_build_the_catalogue_of_their_instansi(org, persona):
    lkpp = services.penyelenggara_create(
        actor=persona.staf_bkpsdm, instansi=org.pemda, nama="LKPP", jenis="kementerian", situs="https://lkpp.go.id"
    )
    m04, m06 = Kompetensi.objects.get(kode="M.04"), Kompetensi.objects.get(kode="M.06")

    row = services.pelatihan_create(
        actor=persona.staf_bkpsdm, instansi=org.pemda, penyelenggara=lkpp, kompetensi=[m06, m04], **PELATIHAN
    )

    assert (row.jalur, sorted(row.kompetensi.values_list("kode", flat=True))) == ("klasikal", ["M.04", "M.06"])
    [entry] = AuditLog.objects.for_object(row)
    assert entry.changes["kompetensi"][1].startswith("M.04") and entry.changes["nama"][1] == PELATIHAN["nama"]
    coaching = services.pelatihan_create(
        actor=persona.staf_bkpsdm, instansi=org.pemda, penyelenggara=lkpp, **{**PELATIHAN, "jenis_diklat": 14}
    )
    assert coaching.jalur == "non_klasikal"


def test_the_same_partner_name_twice_is_refused(org, persona):
    services.penyelenggara_create(actor=persona.staf_bkpsdm, instansi=org.pemda, nama="LAN RI", jenis="lan")

    with pytest.raises(ValidationError) as exc_info:
        services.penyelenggara_create(actor=persona.staf_bkpsdm, instansi=org.pemda, nama="LAN RI", jenis="lan")
    assert "nama" in exc_info.value.message_dict
    services.penyelenggara_create(actor=persona.staf_bkpsdm_b, instansi=org.pemda_b, nama="LAN RI", jenis="lan")


def test_a_partner_of_another_instansi_is_refused(org, persona):
    theirs = PenyelenggaraFactory(instansi=org.pemda_b)

    with pytest.raises(ValidationError) as exc_info:
        services.pelatihan_create(actor=persona.staf_bkpsdm, instansi=org.pemda, penyelenggara=theirs, **PELATIHAN)
    assert "penyelenggara" in exc_info.value.message_dict
    training = pelatihan(org)
    with pytest.raises(ValidationError):
        services.pelatihan_update(actor=persona.staf_bkpsdm, pelatihan=training, penyelenggara=theirs)
    assert not Pelatihan.objects.filter(penyelenggara=theirs).exists()


def test_the_registration_deadline_is_not_after_the_start(org, persona):
    ours = PenyelenggaraFactory(instansi=org.pemda)

    with pytest.raises(ValidationError) as exc_info:
        services.pelatihan_create(
            actor=persona.staf_bkpsdm,
            instansi=org.pemda,
            penyelenggara=ours,
            batas_pendaftaran=dt.date(2027, 2, 9),
            **PELATIHAN,
        )
    assert "batas_pendaftaran" in exc_info.value.message_dict
    row = services.pelatihan_create(
        actor=persona.staf_bkpsdm,
        instansi=org.pemda,
        penyelenggara=ours,
        batas_pendaftaran=dt.date(2027, 2, 8),
        **PELATIHAN,
    )
    assert row.batas_pendaftaran == dt.date(2027, 2, 8)


def test_dates_reversed_are_refused(org, persona):
    with pytest.raises(ValidationError):
        services.pelatihan_create(
            actor=persona.staf_bkpsdm,
            instansi=org.pemda,
            penyelenggara=PenyelenggaraFactory(instansi=org.pemda),
            **{**PELATIHAN, "tanggal_selesai": dt.date(2027, 2, 1)},
        )
    assert not Pelatihan.objects.exists()


def test_the_kuota_cannot_drop_below_the_confirmed_participants(org, persona):
    training = pelatihan(org, kuota=5)
    services.daftarkan(actor=persona.staf_bkpsdm, pelatihan=training, pegawai_list=[org.staf, org.kabid])
    services.daftar(actor=akun(org.staf_dinkes), pelatihan=training)  # pending: holds no seat

    with pytest.raises(ValidationError) as exc_info:
        services.pelatihan_update(actor=persona.staf_bkpsdm, pelatihan=training, kuota=1)
    assert "kuota" in exc_info.value.message_dict
    assert services.pelatihan_update(actor=persona.staf_bkpsdm, pelatihan=training, kuota=2).kuota == 2


def test_the_catalogue_is_for_the_staff_of_that_instansi(org, persona):
    ours = PenyelenggaraFactory(instansi=org.pemda)
    training = pelatihan(org, penyelenggara=ours)
    for actor in (persona.staf_bkpsdm_b, persona.atasan, persona.bawahan):
        with pytest.raises(NotAllowedError):
            services.penyelenggara_create(actor=actor, instansi=org.pemda, nama="BPSDM Aceh", jenis="bpsdm")
        with pytest.raises(NotAllowedError):
            services.pelatihan_create(actor=actor, instansi=org.pemda, penyelenggara=ours, **PELATIHAN)
        with pytest.raises(NotAllowedError):
            services.pelatihan_update(actor=actor, pelatihan=training, kuota=10)
        with pytest.raises(NotAllowedError):
            services.penyelenggara_update(actor=actor, penyelenggara=ours, nama="Diganti")
    assert services.pelatihan_update(actor=persona.superuser, pelatihan=training, kuota=10).kuota == 10


def test_unknown_fields_are_a_programming_error(org, persona):
    with pytest.raises(TypeError):
        services.pelatihan_update(actor=persona.staf_bkpsdm, pelatihan=pelatihan(org), instansi=org.pemda_b)


def test_open_registrations_follow_a_rescheduled_training(org, persona):
    training = pelatihan(org, jp=24)
    applied = services.daftar(actor=persona.bawahan, pelatihan=training)
    [enrolled], _ = services.daftarkan(actor=persona.staf_bkpsdm, pelatihan=training, pegawai_list=[org.kabid])
    withdrawn = services.daftar(actor=akun(org.staf_dinkes), pelatihan=training)
    services.batalkan(actor=persona.staf_bkpsdm, riwayat=withdrawn)

    services.pelatihan_update(
        actor=persona.staf_bkpsdm,
        pelatihan=training,
        tanggal_mulai=dt.date(2027, 1, 11),
        tanggal_selesai=dt.date(2027, 1, 13),
        jp=30,
    )

    for row in (applied, enrolled):
        row = fresh(row)
        assert (row.tanggal_mulai, row.tanggal_selesai, row.jp, row.version) == (
            dt.date(2027, 1, 11),
            dt.date(2027, 1, 13),
            30,
            2,
        )
        assert AuditLog.objects.for_object(row).order_by("id").last().changes["tanggal_selesai"] == [
            "2026-12-09",
            "2027-01-13",
        ]
    assert fresh(withdrawn).tanggal_mulai == MULAI  # history stays as it was
    with on(dt.date(2027, 1, 12)), pytest.raises(WorkflowError):
        services.hasil_catat(actor=persona.staf_bkpsdm, riwayat=enrolled, hadir=True)
    with on(dt.date(2027, 1, 13)):
        services.hasil_catat(actor=persona.staf_bkpsdm, riwayat=enrolled, hadir=True)
    assert (selectors.jp_tahun(org.kabid, 2026), selectors.jp_tahun(org.kabid, 2027)) == (0, 30)


# ---------------------------------------------------------------------------------------------
# Competency assessments


def asesmen(persona, kompetensi, level, tanggal=dt.date(2026, 3, 2), pegawai=None, actor=None):
    return services.asesmen_create(
        actor=actor or persona.staf_bkpsdm,
        pegawai=pegawai or persona.bawahan.pegawai,
        kompetensi=kompetensi,
        level=level,
        tanggal=tanggal,
        metode="assessment_center",
        asesor="UPT Penilaian Kompetensi Aparatur",
    )


def latest_flags(org):
    return dict(AsesmenKompetensi.objects.filter(pegawai=org.staf).values_list("tanggal", "terbaru"))


def test_the_latest_flag_follows_create_update_and_delete(org, persona):
    m01, m02 = Kompetensi.objects.get(kode="M.01"), Kompetensi.objects.get(kode="M.02")
    a = asesmen(persona, m01, 2, dt.date(2024, 4, 1))
    b = asesmen(persona, m01, 3, dt.date(2026, 4, 1))
    other = asesmen(persona, m02, 3, dt.date(2025, 1, 1))
    assert latest_flags(org) == {dt.date(2024, 4, 1): False, dt.date(2026, 4, 1): True, dt.date(2025, 1, 1): True}

    # An older result entered late does not replace the latest.
    c = asesmen(persona, m01, 1, dt.date(2025, 4, 1))
    assert AsesmenKompetensi.objects.get(pk=c.pk).terbaru is False

    # The date of the latest was wrong: it is the oldest.
    services.asesmen_update(actor=persona.staf_bkpsdm, asesmen=b, tanggal=dt.date(2023, 4, 1))
    assert latest_flags(org)[dt.date(2025, 4, 1)] is True and latest_flags(org)[dt.date(2023, 4, 1)] is False

    # Moved to another competency: both competencies get their latest again.
    services.asesmen_update(actor=persona.staf_bkpsdm, asesmen=c, kompetensi=m02)
    flags = {(r.kompetensi.kode, r.tanggal): r.terbaru for r in AsesmenKompetensi.objects.filter(pegawai=org.staf)}
    assert flags == {
        ("M.01", dt.date(2024, 4, 1)): True,
        ("M.01", dt.date(2023, 4, 1)): False,
        ("M.02", dt.date(2025, 4, 1)): True,
        ("M.02", dt.date(2025, 1, 1)): False,
    }

    services.asesmen_delete(actor=persona.staf_bkpsdm, asesmen=c)
    services.asesmen_delete(actor=persona.staf_bkpsdm, asesmen=a)
    assert AsesmenKompetensi.objects.get(pk=other.pk).terbaru is True
    assert AsesmenKompetensi.objects.get(pk=b.pk).terbaru is True
    assert AsesmenKompetensi.objects.filter(terbaru=True).count() == 2


def test_assessments_are_recorded_by_the_staff_who_manage_the_pegawai(org, persona):
    m01 = Kompetensi.objects.get(kode="M.01")
    for actor in (persona.bawahan, persona.atasan, persona.staf_bkpsdm_b):
        with pytest.raises(NotAllowedError):
            asesmen(persona, m01, 3, actor=actor)
    row = asesmen(persona, m01, 3)

    [entry] = AuditLog.objects.for_object(row)
    assert (entry.action, entry.pegawai_id, entry.changes["level"]) == ("create", org.staf.pk, [None, 3])
    with pytest.raises(NotAllowedError):
        services.asesmen_delete(actor=persona.staf_bkpsdm_b, asesmen=row)


def test_one_result_per_competency_per_day_and_levels_1_to_5(org, persona):
    m01 = Kompetensi.objects.get(kode="M.01")
    asesmen(persona, m01, 3)

    with pytest.raises(ValidationError) as exc_info:
        asesmen(persona, m01, 4)
    assert "tanggal" in exc_info.value.message_dict
    for level in (0, 6):
        with pytest.raises(ValidationError):
            asesmen(persona, m01, level, dt.date(2026, 5, 5))
    assert AsesmenKompetensi.objects.count() == 1
