"""Changes to the training catalogue, training records and competency assessments.

Every function is one transaction, checks who may act, moves a record only along ``STEPS`` and
leaves an audit entry. A stale ``expected_version`` is a ConflictError (409).

Registration for a catalogue training: the pegawai applies (``daftar``), their atasan agrees
(``atasan_setujui``), BKPSDM confirms (``konfirmasi``) and later records the result
(``hasil_catat``). BKPSDM may enrol pegawai directly (``daftarkan``). A training done elsewhere
is submitted with evidence (``mandiri_ajukan``) and verified by BKPSDM (``verifikasi``).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core import audit
from apps.core.exceptions import ConflictError, NotAllowedError, WorkflowError
from apps.core.models import AuditLog
from apps.pegawai.models import Pegawai, UnitKerja

from .models import (
    STATUS_PESERTA,
    AsesmenKompetensi,
    Pelatihan,
    Penyelenggara,
    RiwayatPelatihan,
    Status,
    jalur_for,
)

# ---------------------------------------------------------------------------------------------
# Who may do what: one table.


class Peran:
    PEGAWAI = "pegawai"  # the pegawai the record belongs to
    ATASAN = "atasan"  # the atasan named on the registration
    BKPSDM = "bkpsdm"  # staff who manage the pegawai


@dataclass(frozen=True)
class Step:
    label: str
    sources: tuple
    target: str | None
    roles: tuple


STEPS = {
    "atasan_setujui": Step("Setujui", (Status.DIAJUKAN,), Status.DISETUJUI_ATASAN, (Peran.ATASAN,)),
    "atasan_tolak": Step("Tolak", (Status.DIAJUKAN,), Status.DITOLAK, (Peran.ATASAN,)),
    "konfirmasi": Step(
        "Konfirmasi peserta", (Status.DIAJUKAN, Status.DISETUJUI_ATASAN), Status.TERDAFTAR, (Peran.BKPSDM,)
    ),
    "tolak": Step(
        "Tolak",
        (Status.DIAJUKAN, Status.DISETUJUI_ATASAN, Status.TERDAFTAR, Status.MENUNGGU_VERIFIKASI),
        Status.DITOLAK,
        (Peran.BKPSDM,),
    ),
    "batalkan": Step(
        "Batalkan",
        (Status.DIAJUKAN, Status.DISETUJUI_ATASAN, Status.TERDAFTAR),
        Status.DIBATALKAN,
        (Peran.PEGAWAI, Peran.BKPSDM),
    ),
    "hasil_catat": Step("Catat hasil", (Status.TERDAFTAR, Status.SELESAI), Status.SELESAI, (Peran.BKPSDM,)),
    "verifikasi": Step("Verifikasi", (Status.MENUNGGU_VERIFIKASI,), Status.TERVERIFIKASI, (Peran.BKPSDM,)),
    "ubah": Step(
        "Ubah", (Status.MENUNGGU_VERIFIKASI, Status.DITOLAK), None, (Peran.PEGAWAI, Peran.BKPSDM)
    ),  # outside trainings only; BKPSDM may also correct verified ones (below)
    "hapus": Step("Hapus", (Status.MENUNGGU_VERIFIKASI, Status.DITOLAK), None, (Peran.PEGAWAI, Peran.BKPSDM)),
}


def _roles(user, riwayat, managed_ids):
    roles = set()
    if user.pegawai_id is not None and user.pegawai_id == riwayat.pegawai_id:
        roles.add(Peran.PEGAWAI)
    if user.pegawai_id is not None and user.pegawai_id == riwayat.atasan_id:
        roles.add(Peran.ATASAN)
    if riwayat.pegawai_id in managed_ids:
        roles.add(Peran.BKPSDM)
    return roles


def _managed_ids(user, pegawai_ids):
    if not pegawai_ids or not user.scope.can_manage:
        return set()
    return set(Pegawai.objects.manageable_by(user).filter(pk__in=pegawai_ids).values_list("pk", flat=True))


def roles_of(user, riwayat):
    return _roles(user, riwayat, _managed_ids(user, {riwayat.pegawai_id}))


def _may(step_name, riwayat, roles):
    step = STEPS[step_name]
    if step_name in ("ubah", "hapus"):
        if riwayat.pelatihan_id is not None:
            return False
        if Peran.BKPSDM in roles:
            return True  # staff correct or remove any record of a pegawai they manage
    return riwayat.status in step.sources and bool(roles & set(step.roles))


def allowed_steps_bulk(user, rows):
    """``{row id: [step names]}``: the steps ``user`` may take on each row now, by the same
    table as the services; one query for the whole list."""
    rows = list(rows)
    managed = _managed_ids(user, {row.pegawai_id for row in rows})
    return {row.pk: [name for name in STEPS if _may(name, row, _roles(user, row, managed))] for row in rows}


def allowed_steps(user, riwayat):
    """The steps ``user`` may take on ``riwayat`` now: for showing the right buttons."""
    return allowed_steps_bulk(user, [riwayat])[riwayat.pk]


def _lock(riwayat, expected_version):
    locked = RiwayatPelatihan.objects.select_for_update().get(pk=riwayat.pk)
    if expected_version is not None and int(expected_version) != locked.version:
        raise ConflictError()
    return locked


def _check(actor, riwayat, step_name):
    roles = roles_of(actor, riwayat)
    step = STEPS[step_name]
    if _may(step_name, riwayat, roles):
        return roles
    if not roles & set(step.roles):
        raise NotAllowedError(f"Anda tidak berwenang melakukan langkah '{step.label}' pada pelatihan ini.")
    raise WorkflowError(
        f"Langkah '{step.label}' tidak dapat dilakukan pada pelatihan berstatus '{riwayat.get_status_display()}'."
    )


def _record(actor, action, row, changes):
    audit.record(actor=actor, action=action, obj=row, changes=changes, pegawai_id=row.pegawai_id)


def _save(row, exclude=("pegawai", "pelatihan", "atasan", "diputuskan_oleh")):
    row.full_clean(exclude=list(exclude))
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise ValidationError({"pelatihan": ["Pegawai ini sudah terdaftar pada pelatihan tersebut."]}) from None


def _require_alasan(alasan):
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError({"alasan": ["Tuliskan alasannya."]})
    return alasan


# ---------------------------------------------------------------------------------------------
# Penyelenggara and the catalogue: BKPSDM staff of the instansi.

PENYELENGGARA_FIELDS = ("nama", "jenis", "alamat", "kontak", "situs", "aktif")
PELATIHAN_FIELDS = (
    "nama",
    "jenis_diklat",
    "jalur",
    "kepemimpinan",
    "deskripsi",
    "penyelenggara",
    "jp",
    "tanggal_mulai",
    "tanggal_selesai",
    "daring",
    "lokasi",
    "kuota",
    "pendaftaran_dibuka",
    "batas_pendaftaran",
    "sasaran_jenis_jabatan",
)


def _check_instansi(actor, instansi):
    if not UnitKerja.objects.filter(actor.scope.instansi_manage_q()).filter(pk=instansi.pk).exists():
        raise NotAllowedError("Katalog pelatihan dikelola oleh staf BKPSDM instansi ini.")


def _unknown(data, fields):
    unknown = set(data) - set(fields)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")


def _lock_versioned(model, row, expected_version):
    locked = model.objects.select_for_update().get(pk=row.pk)
    if expected_version is not None and int(expected_version) != locked.version:
        raise ConflictError()
    return locked


def _save_unique(row, field, message, exclude=()):
    row.full_clean(exclude=list(exclude), validate_unique=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise ValidationError({field: [message]}) from None


@transaction.atomic
def penyelenggara_create(*, actor, instansi, **data):
    _unknown(data, PENYELENGGARA_FIELDS)
    _check_instansi(actor, instansi)
    row = Penyelenggara(instansi=instansi, **data)
    _save_unique(row, "nama", "Penyelenggara dengan nama ini sudah ada.", exclude=["instansi"])
    audit.record(actor=actor, action=AuditLog.Action.CREATE, obj=row, changes=audit.created(row, PENYELENGGARA_FIELDS))
    return row


@transaction.atomic
def penyelenggara_update(*, actor, penyelenggara, expected_version=None, **data):
    _unknown(data, PENYELENGGARA_FIELDS)
    locked = _lock_versioned(Penyelenggara, penyelenggara, expected_version)
    _check_instansi(actor, locked.instansi)
    before = audit.snapshot(locked, PENYELENGGARA_FIELDS)
    for name, value in data.items():
        setattr(locked, name, value)
    changes = audit.diff(before, audit.snapshot(locked, PENYELENGGARA_FIELDS))
    if not changes:
        return locked
    locked.version += 1
    _save_unique(locked, "nama", "Penyelenggara dengan nama ini sudah ada.", exclude=["instansi"])
    audit.record(actor=actor, action=AuditLog.Action.UPDATE, obj=locked, changes=changes)
    return locked


def _pelatihan_clean(row, kompetensi):
    errors = {}
    if row.penyelenggara_id and row.penyelenggara.instansi_id != row.instansi_id:
        errors["penyelenggara"] = ["Penyelenggara ini bukan milik instansi tersebut."]
    if row.jenis_diklat and not row.jalur:
        row.jalur = jalur_for(row.jenis_diklat)
    if (
        row.batas_pendaftaran
        and row.tanggal_mulai
        and row.batas_pendaftaran > row.tanggal_mulai
        and "batas_pendaftaran" not in errors
    ):
        errors["batas_pendaftaran"] = ["Batas pendaftaran tidak boleh setelah tanggal mulai."]
    if kompetensi is not None:
        ids = [k.pk for k in kompetensi]
        if len(ids) != len(set(ids)):
            errors["kompetensi"] = ["Kompetensi tidak boleh berulang."]
    if errors:
        raise ValidationError(errors)


def _set_kompetensi(row, kompetensi):
    before = sorted(row.kompetensi.values_list("kode", flat=True)) if row.pk else []
    row.kompetensi.set(kompetensi)
    after = sorted(k.kode for k in kompetensi)
    return {} if before == after else {"kompetensi": [", ".join(before) or None, ", ".join(after) or None]}


@transaction.atomic
def pelatihan_create(*, actor, instansi, kompetensi=(), **data):
    _unknown(data, PELATIHAN_FIELDS)
    _check_instansi(actor, instansi)
    row = Pelatihan(instansi=instansi, **data)
    _pelatihan_clean(row, kompetensi)
    row.full_clean(exclude=["instansi", "kompetensi"])
    row.save()
    changes = audit.created(row, PELATIHAN_FIELDS)
    changes.update(_set_kompetensi(row, list(kompetensi)))
    audit.record(actor=actor, action=AuditLog.Action.CREATE, obj=row, changes=changes)
    return row


@transaction.atomic
def pelatihan_update(*, actor, pelatihan, expected_version=None, kompetensi=None, **data):
    _unknown(data, PELATIHAN_FIELDS)
    locked = _lock_versioned(Pelatihan, pelatihan, expected_version)
    _check_instansi(actor, locked.instansi)
    before = audit.snapshot(locked, PELATIHAN_FIELDS)
    for name, value in data.items():
        setattr(locked, name, value)
    _pelatihan_clean(locked, kompetensi)
    if "kuota" in data:
        taken = locked.peserta.filter(status__in=[Status.TERDAFTAR, Status.SELESAI]).count()
        if locked.kuota is not None and locked.kuota < taken:
            raise ValidationError({"kuota": [f"Kuota tidak boleh kurang dari peserta yang sudah terdaftar ({taken})."]})
    changes = audit.diff(before, audit.snapshot(locked, PELATIHAN_FIELDS))
    if kompetensi is not None:
        changes.update(_set_kompetensi(locked, list(kompetensi)))
    if not changes:
        return locked
    locked.version += 1
    locked.full_clean(exclude=["instansi", "kompetensi"])
    locked.save()
    audit.record(actor=actor, action=AuditLog.Action.UPDATE, obj=locked, changes=changes)
    _sync_peserta(actor, locked)
    return locked


# What a registration copies from its catalogue training (``_from_catalogue``).
DISALIN = ("nama", "jenis_diklat", "jalur", "kepemimpinan", "penyelenggara", "tanggal_mulai", "tanggal_selesai", "jp")


def _sync_peserta(actor, pelatihan):
    """Registrations not yet finished follow a change of the catalogue (new dates, JP, name):
    ``hasil_catat`` checks their end date and the JP count in the year of their end date."""
    values = {name: getattr(pelatihan, name) for name in DISALIN}
    values["penyelenggara"] = pelatihan.penyelenggara.nama
    open_rows = pelatihan.peserta.filter(status__in=[Status.DIAJUKAN, Status.DISETUJUI_ATASAN, Status.TERDAFTAR])
    for row in open_rows.select_for_update().order_by("pk"):
        before = audit.snapshot(row, DISALIN)
        for name, value in values.items():
            setattr(row, name, value)
        changes = audit.diff(before, audit.snapshot(row, DISALIN))
        if changes:
            row.version += 1
            row.save()
            _record(actor, AuditLog.Action.UPDATE, row, changes)


# ---------------------------------------------------------------------------------------------
# Participation in a catalogue training.


def _from_catalogue(pelatihan, pegawai, **extra):
    return RiwayatPelatihan(
        pegawai=pegawai,
        pelatihan=pelatihan,
        nama=pelatihan.nama,
        jenis_diklat=pelatihan.jenis_diklat,
        jalur=pelatihan.jalur,
        kepemimpinan=pelatihan.kepemimpinan,
        penyelenggara=pelatihan.penyelenggara.nama,
        tanggal_mulai=pelatihan.tanggal_mulai,
        tanggal_selesai=pelatihan.tanggal_selesai,
        jp=pelatihan.jp,
        **extra,
    )


def _seats_taken(pelatihan):
    return pelatihan.peserta.filter(status__in=[Status.TERDAFTAR, Status.SELESAI]).count()


def _already(pelatihan, pegawai_ids):
    return set(
        pelatihan.peserta.filter(pegawai_id__in=pegawai_ids, status__in=STATUS_PESERTA).values_list(
            "pegawai_id", flat=True
        )
    )


RIWAYAT_AUDIT = ("nama", "status", "jp", "tanggal_mulai", "tanggal_selesai", "penyelenggara")


@transaction.atomic
def daftar(*, actor, pelatihan, catatan=""):
    """The pegawai applies for a catalogue training open for registration in their instansi.
    Their atasan (the pejabat penilai) is asked to agree; without one it goes to BKPSDM."""
    from apps.penilaian.services import default_parties

    pegawai = actor.scope.pegawai
    if pegawai is None:
        raise NotAllowedError("Hanya pegawai yang dapat mendaftar pelatihan.")
    pelatihan = Pelatihan.objects.select_for_update().select_related("penyelenggara").get(pk=pelatihan.pk)
    if not Pelatihan.objects.visible_to(actor).filter(pk=pelatihan.pk).exists():
        raise NotAllowedError("Pelatihan ini bukan untuk instansi Anda.")
    if not pelatihan.pendaftaran_terbuka_pada(timezone.localdate()):
        raise WorkflowError("Pendaftaran pelatihan ini sudah ditutup.")
    if _already(pelatihan, [pegawai.pk]):
        raise WorkflowError("Anda sudah terdaftar pada pelatihan ini.")
    if _seats_taken(pelatihan) >= pelatihan.kuota:
        raise WorkflowError("Kuota peserta pelatihan ini sudah penuh.")
    atasan, _, _ = default_parties(pegawai)
    row = _from_catalogue(
        pelatihan,
        pegawai,
        sumber=RiwayatPelatihan.Sumber.PENDAFTARAN,
        status=Status.DIAJUKAN if atasan else Status.DISETUJUI_ATASAN,
        atasan=atasan,
        catatan=(catatan or "").strip(),
    )
    _save(row)
    _record(actor, AuditLog.Action.CREATE, row, audit.created(row, RIWAYAT_AUDIT))
    return row


def _move(actor, riwayat, step_name, expected_version, alasan=None, **fields):
    locked = _lock(riwayat, expected_version)
    _check(actor, locked, step_name)
    old = locked.status
    locked.status = STEPS[step_name].target
    changes = {"status": [old, locked.status]}
    if alasan is not None:
        locked.alasan_penolakan = alasan
        changes["alasan_penolakan"] = [None, alasan]
    before = audit.snapshot(locked, fields)
    for name, value in fields.items():
        setattr(locked, name, value)
    changes.update(audit.diff(before, audit.snapshot(locked, fields)))
    if step_name not in ("atasan_setujui", "atasan_tolak", "batalkan"):
        locked.diputuskan_oleh, locked.diputuskan_pada = actor, timezone.now()
    locked.version += 1
    locked.save()
    _record(actor, AuditLog.Action.UPDATE, locked, changes)
    return locked


@transaction.atomic
def atasan_setujui(*, actor, riwayat, expected_version=None):
    return _move(actor, riwayat, "atasan_setujui", expected_version)


@transaction.atomic
def atasan_tolak(*, actor, riwayat, alasan, expected_version=None):
    return _move(actor, riwayat, "atasan_tolak", expected_version, alasan=_require_alasan(alasan))


@transaction.atomic
def konfirmasi(*, actor, riwayat, expected_version=None):
    """BKPSDM confirms the participant, within the training's capacity."""
    locked = _lock(riwayat, expected_version)
    _check(actor, locked, "konfirmasi")
    pelatihan = Pelatihan.objects.select_for_update().get(pk=locked.pelatihan_id)
    if _seats_taken(pelatihan) >= pelatihan.kuota:
        raise WorkflowError(f"Kuota peserta pelatihan ini ({pelatihan.kuota}) sudah penuh.")
    return _move(actor, locked, "konfirmasi", None)


@transaction.atomic
def tolak(*, actor, riwayat, alasan, expected_version=None):
    """BKPSDM declines a registration or an outside training, saying why."""
    return _move(actor, riwayat, "tolak", expected_version, alasan=_require_alasan(alasan))


@transaction.atomic
def batalkan(*, actor, riwayat, alasan="", expected_version=None):
    """Withdraw before the training starts: the pegawai themself, or BKPSDM."""
    locked = _lock(riwayat, expected_version)
    _check(actor, locked, "batalkan")
    if locked.tanggal_mulai <= timezone.localdate() and locked.status == Status.TERDAFTAR:
        raise WorkflowError("Pelatihan sudah dimulai; pembatalan tidak dapat dilakukan lagi.")
    return _move(actor, locked, "batalkan", None, alasan=(alasan or "").strip())


@transaction.atomic
def daftarkan(*, actor, pelatihan, pegawai_list):
    """BKPSDM enrols pegawai directly, one or a whole list: all or nothing. Pegawai already
    registered are left as they are and returned as ``skipped``."""
    pelatihan = Pelatihan.objects.select_for_update().select_related("penyelenggara").get(pk=pelatihan.pk)
    pegawai_list = list({p.pk: p for p in pegawai_list}.values())
    if not pegawai_list:
        raise ValidationError({"pegawai": ["Pilih minimal satu pegawai."]})
    _check_instansi(actor, pelatihan.instansi)
    managed = set(
        Pegawai.objects.manageable_by(actor).filter(pk__in=[p.pk for p in pegawai_list]).values_list("pk", flat=True)
    )
    outside = [p for p in pegawai_list if p.pk not in managed]
    if outside:
        names = ", ".join(p.nama for p in outside[:5])
        raise ValidationError({"pegawai": [f"Pegawai di luar kewenangan Anda: {names}."]})
    wrong = [p for p in pegawai_list if not p.unit_kerja.path.startswith(f"/{pelatihan.instansi_id}/")]
    if wrong:
        names = ", ".join(p.nama for p in wrong[:5])
        raise ValidationError({"pegawai": [f"Pegawai bukan dari instansi penyelenggara katalog ini: {names}."]})
    already = _already(pelatihan, [p.pk for p in pegawai_list])
    new = [p for p in pegawai_list if p.pk not in already]
    free = pelatihan.kuota - _seats_taken(pelatihan)
    if len(new) > free:
        raise ValidationError(
            {"pegawai": [f"Kuota tidak cukup: tersisa {max(free, 0)} tempat untuk {len(new)} pegawai baru."]}
        )
    now = timezone.now()
    rows = [
        _from_catalogue(
            pelatihan,
            pegawai,
            sumber=RiwayatPelatihan.Sumber.PENUGASAN,
            status=Status.TERDAFTAR,
            diputuskan_oleh=actor,
            diputuskan_pada=now,
        )
        for pegawai in new
    ]
    RiwayatPelatihan.objects.bulk_create(rows)
    for row in rows:
        _record(actor, AuditLog.Action.CREATE, row, audit.created(row, RIWAYAT_AUDIT))
    return rows, [p for p in pegawai_list if p.pk in already]


def _hasil_clean(row, hadir, lulus, jp_diakui, nomor_sertifikat):
    errors = {}
    if hadir is None:
        errors["hadir"] = ["Isi kehadiran peserta."]
    if jp_diakui is None:
        jp_diakui = row.jp if hadir else 0
    try:
        jp_diakui = int(jp_diakui)
    except (TypeError, ValueError):
        errors["jp_diakui"] = ["JP diakui harus bilangan bulat."]
    else:
        if jp_diakui < 0 or jp_diakui > row.jp:
            errors["jp_diakui"] = [f"JP diakui harus 0 sampai {row.jp}."]
        elif not hadir and jp_diakui:
            errors["jp_diakui"] = ["Peserta yang tidak hadir tidak memperoleh JP."]
    if errors:
        raise ValidationError(errors)
    return {
        "hadir": hadir,
        "lulus": bool(lulus) if hadir else False,
        "jp_diakui": jp_diakui,
        "nomor_sertifikat": (nomor_sertifikat or "").strip(),
    }


@transaction.atomic
def hasil_catat(*, actor, riwayat, hadir, lulus=None, jp_diakui=None, nomor_sertifikat="", expected_version=None):
    """BKPSDM records the result once the training has ended: attended, passed, the JP earned
    (all JP of the training unless said otherwise) and the certificate number."""
    locked = _lock(riwayat, expected_version)
    _check(actor, locked, "hasil_catat")
    if locked.tanggal_selesai > timezone.localdate():
        raise WorkflowError("Hasil baru dapat dicatat setelah pelatihan selesai.")
    fields = _hasil_clean(locked, hadir, lulus, jp_diakui, nomor_sertifikat)
    before = audit.snapshot(locked, ("status", *fields))
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.status = Status.SELESAI
    changes = audit.diff(before, audit.snapshot(locked, ("status", *fields)))
    if not changes:
        return locked
    locked.diputuskan_oleh, locked.diputuskan_pada = actor, timezone.now()
    locked.version += 1
    locked.save()
    _record(actor, AuditLog.Action.UPDATE, locked, changes)
    return locked


@transaction.atomic
def hasil_catat_semua(*, actor, pelatihan, rows):
    """The results of a whole training in one go: ``rows`` are dicts with ``riwayat`` (a record
    of this training), ``hadir``, ``lulus``, ``jp_diakui``, ``nomor_sertifikat`` and optionally
    ``expected_version``. All or nothing; errors name the row (``baris 3: ...``)."""
    if pelatihan.tanggal_selesai > timezone.localdate():
        raise WorkflowError("Hasil baru dapat dicatat setelah pelatihan selesai.")
    errors = {}
    saved = []
    for index, data in enumerate(rows, start=1):
        data = dict(data)
        riwayat = data.pop("riwayat")
        if riwayat.pelatihan_id != pelatihan.pk:
            errors[f"baris {index}"] = ["Peserta ini bukan peserta pelatihan tersebut."]
            continue
        try:
            with transaction.atomic():
                saved.append(hasil_catat(actor=actor, riwayat=riwayat, **data))
        except ValidationError as exc:
            errors[f"baris {index}"] = [
                f"{field}: {m}" for field, messages in exc.message_dict.items() for m in messages
            ]
        except WorkflowError as exc:  # e.g. a participant who withdrew: name the row, go on checking
            errors[f"baris {index}"] = [exc.message]
    if errors:
        raise ValidationError(errors)
    return saved


# ---------------------------------------------------------------------------------------------
# Trainings done elsewhere: submitted with evidence, verified by BKPSDM.

MANDIRI_FIELDS = (
    "nama",
    "jenis_diklat",
    "jalur",
    "kepemimpinan",
    "penyelenggara",
    "tanggal_mulai",
    "tanggal_selesai",
    "jp",
    "nomor_sertifikat",
    "catatan",
)


def _mandiri_clean(row):
    if row.jenis_diklat and not row.jalur:
        row.jalur = jalur_for(row.jenis_diklat)
    if row.tanggal_selesai and row.tanggal_selesai > timezone.localdate():
        raise ValidationError({"tanggal_selesai": ["Pelatihan yang diajukan harus sudah selesai."]})


@transaction.atomic
def mandiri_ajukan(*, actor, pegawai, bukti=None, **data):
    """A pegawai submits a training done elsewhere, with evidence, for verification. BKPSDM
    staff may record one for a pegawai they manage; it counts at once."""
    _unknown(data, MANDIRI_FIELDS)
    is_self = actor.pegawai_id == pegawai.pk
    is_manager = Pegawai.objects.manageable_by(actor).filter(pk=pegawai.pk).exists()
    if not (is_self or is_manager):
        raise NotAllowedError("Pelatihan hanya dapat diajukan oleh pegawai itu sendiri atau staf BKPSDM.")
    row = RiwayatPelatihan(pegawai=pegawai, **data)
    _mandiri_clean(row)
    if is_self and not bukti:
        raise ValidationError({"bukti": ["Lampirkan sertifikat atau STTPP sebagai bukti."]})
    if bukti:
        row.bukti = bukti
    if is_manager and not is_self:
        row.sumber, row.status = RiwayatPelatihan.Sumber.PENCATATAN, Status.TERVERIFIKASI
        row.hadir = row.lulus = True
        row.jp_diakui = row.jp or 0
        row.diputuskan_oleh, row.diputuskan_pada = actor, timezone.now()
    else:
        row.sumber, row.status = RiwayatPelatihan.Sumber.MANDIRI, Status.MENUNGGU_VERIFIKASI
    _save(row)
    _record(actor, AuditLog.Action.CREATE, row, audit.created(row, (*MANDIRI_FIELDS, "status")))
    return row


@transaction.atomic
def mandiri_ubah(*, actor, riwayat, expected_version=None, bukti=None, **data):
    """Correct an outside training: the pegawai while it is not verified (a rejected one goes
    back for verification); BKPSDM at any time."""
    _unknown(data, MANDIRI_FIELDS)
    locked = _lock(riwayat, expected_version)
    roles = _check(actor, locked, "ubah")
    before = audit.snapshot(locked, (*MANDIRI_FIELDS, "status"))
    for name, value in data.items():
        setattr(locked, name, value)
    _mandiri_clean(locked)
    if bukti:
        locked.bukti = bukti
    if Peran.BKPSDM not in roles and locked.status == Status.DITOLAK:
        locked.status, locked.alasan_penolakan = Status.MENUNGGU_VERIFIKASI, ""
    if locked.status in (Status.TERVERIFIKASI, Status.SELESAI):
        locked.jp_diakui = min(locked.jp_diakui, locked.jp) if locked.jp_diakui else locked.jp
    changes = audit.diff(before, audit.snapshot(locked, (*MANDIRI_FIELDS, "status")))
    if bukti:
        changes["bukti"] = [None, locked.bukti.name]
    if not changes:
        return locked
    locked.version += 1
    _save(locked)
    _record(actor, AuditLog.Action.UPDATE, locked, changes)
    return locked


@transaction.atomic
def verifikasi(*, actor, riwayat, jp_diakui=None, expected_version=None):
    """BKPSDM confirms an outside training against its evidence; its JP (all, unless said
    otherwise) then count."""
    locked = _lock(riwayat, expected_version)
    _check(actor, locked, "verifikasi")
    fields = _hasil_clean(locked, True, True, jp_diakui, locked.nomor_sertifikat)
    return _move(actor, locked, "verifikasi", None, **fields)


@transaction.atomic
def hapus(*, actor, riwayat, expected_version=None):
    """Remove an outside training entered by mistake: the pegawai while not verified, or BKPSDM."""
    locked = _lock(riwayat, expected_version)
    _check(actor, locked, "hapus")
    changes = audit.deleted(locked, RIWAYAT_AUDIT)
    _record(actor, AuditLog.Action.DELETE, locked, changes)
    locked.delete()


# ---------------------------------------------------------------------------------------------
# Competency assessment results: recorded by BKPSDM.

ASESMEN_FIELDS = ("kompetensi", "level", "tanggal", "metode", "asesor", "catatan")


def _mark_latest(pegawai_id, kompetensi_id):
    rows = AsesmenKompetensi.objects.filter(pegawai_id=pegawai_id, kompetensi_id=kompetensi_id)
    latest = rows.order_by("-tanggal", "-id").values_list("pk", flat=True).first()
    rows.filter(terbaru=True).exclude(pk=latest).update(terbaru=False)
    if latest is not None:
        rows.filter(pk=latest, terbaru=False).update(terbaru=True)


def _check_manager(actor, pegawai_id):
    if not Pegawai.objects.manageable_by(actor).filter(pk=pegawai_id).exists():
        raise NotAllowedError("Hasil asesmen kompetensi dicatat oleh staf BKPSDM yang mengelola pegawai ini.")


def _asesmen_save(row):
    row.full_clean(exclude=["pegawai"], validate_unique=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise ValidationError(
            {"tanggal": ["Hasil asesmen kompetensi ini pada tanggal tersebut sudah tercatat."]}
        ) from None


@transaction.atomic
def asesmen_create(*, actor, pegawai, **data):
    _unknown(data, ASESMEN_FIELDS)
    _check_manager(actor, pegawai.pk)
    row = AsesmenKompetensi(pegawai=pegawai, **data)
    _asesmen_save(row)
    _mark_latest(pegawai.pk, row.kompetensi_id)
    _record(actor, AuditLog.Action.CREATE, row, audit.created(row, ASESMEN_FIELDS))
    return row


@transaction.atomic
def asesmen_update(*, actor, asesmen, expected_version=None, **data):
    _unknown(data, ASESMEN_FIELDS)
    locked = _lock_versioned(AsesmenKompetensi, asesmen, expected_version)
    _check_manager(actor, locked.pegawai_id)
    old_kompetensi = locked.kompetensi_id
    before = audit.snapshot(locked, ASESMEN_FIELDS)
    for name, value in data.items():
        setattr(locked, name, value)
    changes = audit.diff(before, audit.snapshot(locked, ASESMEN_FIELDS))
    if not changes:
        return locked
    locked.version += 1
    _asesmen_save(locked)
    for kompetensi_id in {old_kompetensi, locked.kompetensi_id}:
        _mark_latest(locked.pegawai_id, kompetensi_id)
    _record(actor, AuditLog.Action.UPDATE, locked, changes)
    return locked


@transaction.atomic
def asesmen_delete(*, actor, asesmen, expected_version=None):
    locked = _lock_versioned(AsesmenKompetensi, asesmen, expected_version)
    _check_manager(actor, locked.pegawai_id)
    changes = audit.deleted(locked, ASESMEN_FIELDS)
    _record(actor, AuditLog.Action.DELETE, locked, changes)
    locked.delete()
    _mark_latest(locked.pegawai_id, locked.kompetensi_id)
