"""Changes to certificates: submitted by the pegawai (or recorded by BKPSDM), verified or
rejected by BKPSDM; atomic, versioned and audited."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core import audit
from apps.core.exceptions import ConflictError, NotAllowedError, WorkflowError
from apps.core.models import AuditLog
from apps.pegawai.models import Pegawai

from .models import Sertifikasi

FIELDS = ("jenis", "nama", "skema", "penerbit", "nomor", "tanggal_terbit", "tanggal_kedaluwarsa")


def _is_manager(user, pegawai_id):
    return Pegawai.objects.manageable_by(user).filter(pk=pegawai_id).exists()


def _check_change(actor, row, is_manager, verb):
    """Staff change any certificate they manage; the pegawai their own until it is verified."""
    if is_manager:
        return
    if actor.pegawai_id != row.pegawai_id:
        raise NotAllowedError(f"Anda tidak berwenang {verb} sertifikat ini.")
    if row.verifikasi == Sertifikasi.Verifikasi.TERVERIFIKASI:
        raise WorkflowError(
            f"Sertifikat yang sudah diverifikasi hanya dapat di{verb.removeprefix('meng')} oleh staf BKPSDM."
        )


def allowed(user, row):
    """What ``user`` may do with ``row`` now, by the same rules as the services: for showing
    the right buttons. Returns ``{"ubah": bool, "verifikasi": bool}``."""
    is_manager = _is_manager(user, row.pegawai_id)
    try:
        _check_change(user, row, is_manager, "mengubah")
        may_change = True
    except (NotAllowedError, WorkflowError):
        may_change = False
    return {"ubah": may_change, "verifikasi": is_manager and row.verifikasi == Sertifikasi.Verifikasi.DIAJUKAN}


def _save(row):
    row.full_clean(exclude=["pegawai", "diverifikasi_oleh"])
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise ValidationError({"nomor": ["Sertifikat dengan penerbit dan nomor ini sudah tercatat."]}) from None


@transaction.atomic
def sertifikasi_create(*, actor, pegawai, bukti=None, **data):
    """A pegawai submits their own certificate for verification; BKPSDM staff may record one for a
    pegawai they manage, verified at once."""
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    is_self = actor.pegawai_id == pegawai.pk
    is_manager = _is_manager(actor, pegawai.pk)
    if not (is_self or is_manager):
        raise NotAllowedError("Sertifikat hanya dapat diajukan oleh pegawai itu sendiri atau staf BKPSDM.")
    row = Sertifikasi(pegawai=pegawai, **data)
    if bukti:
        row.bukti = bukti
    if is_manager and not is_self:
        row.verifikasi = Sertifikasi.Verifikasi.TERVERIFIKASI
        row.diverifikasi_oleh, row.diverifikasi_pada = actor, timezone.now()
    _save(row)
    audit.record(
        actor=actor,
        action=AuditLog.Action.CREATE,
        obj=row,
        changes=audit.created(row, (*FIELDS, "verifikasi")),
        pegawai_id=pegawai.pk,
    )
    return row


def _lock(row, expected_version):
    locked = Sertifikasi.objects.select_for_update().get(pk=row.pk)
    if expected_version is not None and int(expected_version) != locked.version:
        raise ConflictError()
    return locked


@transaction.atomic
def sertifikasi_update(*, actor, sertifikasi, expected_version=None, bukti=None, **data):
    """Correct a certificate. The pegawai may while it is not verified (a rejected one goes back
    for verification); BKPSDM staff may at any time."""
    locked = _lock(sertifikasi, expected_version)
    is_manager = _is_manager(actor, locked.pegawai_id)
    _check_change(actor, locked, is_manager, "mengubah")
    before = audit.snapshot(locked, (*FIELDS, "verifikasi"))
    for name, value in data.items():
        if name not in FIELDS:
            raise TypeError(f"Unknown field: {name}")
        setattr(locked, name, value)
    if bukti:
        locked.bukti = bukti
    if not is_manager and locked.verifikasi == Sertifikasi.Verifikasi.DITOLAK:
        locked.verifikasi, locked.alasan_penolakan = Sertifikasi.Verifikasi.DIAJUKAN, ""
    changes = audit.diff(before, audit.snapshot(locked, (*FIELDS, "verifikasi")))
    if bukti:
        changes["bukti"] = [None, locked.bukti.name]
    if not changes:
        return locked
    locked.version += 1
    _save(locked)
    audit.record(actor=actor, action=AuditLog.Action.UPDATE, obj=locked, changes=changes, pegawai_id=locked.pegawai_id)
    return locked


def _decide(actor, sertifikasi, expected_version, verifikasi, alasan=""):
    locked = _lock(sertifikasi, expected_version)
    if not _is_manager(actor, locked.pegawai_id):
        raise NotAllowedError("Verifikasi sertifikat dilakukan oleh staf BKPSDM.")
    if locked.verifikasi != Sertifikasi.Verifikasi.DIAJUKAN:
        raise WorkflowError(f"Sertifikat ini sudah {locked.get_verifikasi_display().lower()}.")
    old = locked.verifikasi
    locked.verifikasi, locked.alasan_penolakan = verifikasi, alasan
    locked.diverifikasi_oleh, locked.diverifikasi_pada = actor, timezone.now()
    locked.version += 1
    locked.save(
        update_fields=[
            "verifikasi",
            "alasan_penolakan",
            "diverifikasi_oleh",
            "diverifikasi_pada",
            "version",
            "updated_at",
        ]
    )
    changes = {"verifikasi": [old, verifikasi]}
    if alasan:
        changes["alasan_penolakan"] = [None, alasan]
    audit.record(actor=actor, action=AuditLog.Action.UPDATE, obj=locked, changes=changes, pegawai_id=locked.pegawai_id)
    return locked


@transaction.atomic
def sertifikasi_verifikasi(*, actor, sertifikasi, expected_version=None):
    """BKPSDM confirms a submitted certificate against its evidence."""
    return _decide(actor, sertifikasi, expected_version, Sertifikasi.Verifikasi.TERVERIFIKASI)


@transaction.atomic
def sertifikasi_tolak(*, actor, sertifikasi, alasan, expected_version=None):
    """BKPSDM rejects a submitted certificate, saying why; the pegawai may correct and resubmit."""
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError({"alasan": ["Tuliskan alasan penolakan."]})
    return _decide(actor, sertifikasi, expected_version, Sertifikasi.Verifikasi.DITOLAK, alasan)


@transaction.atomic
def sertifikasi_delete(*, actor, sertifikasi, expected_version=None):
    """Remove a certificate entered by mistake: the pegawai while it is not verified, or BKPSDM."""
    locked = _lock(sertifikasi, expected_version)
    _check_change(actor, locked, _is_manager(actor, locked.pegawai_id), "menghapus")
    changes = audit.deleted(locked, FIELDS)
    audit.record(actor=actor, action=AuditLog.Action.DELETE, obj=locked, changes=changes, pegawai_id=locked.pegawai_id)
    locked.delete()
