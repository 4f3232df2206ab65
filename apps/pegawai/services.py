"""Every write to the organisation and the people: atomic, validated, audited.

Pages and API call these; the current jabatan and golongan of a pegawai are derived here
from the riwayat, so the two can never disagree.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from apps.core import audit
from apps.core.exceptions import ConflictError, DomainError
from apps.core.models import AuditLog
from apps.core.validators import nik_matches, validate_nip_matches

from .models import (
    Jabatan,
    JenisASN,
    Pegawai,
    RiwayatHukumanDisiplin,
    RiwayatJabatan,
    RiwayatPangkat,
    RiwayatPendidikan,
    RiwayatPenghargaan,
    UnitKerja,
)

PEGAWAI_FIELDS = (
    "nip",
    "nik",
    "nama",
    "gelar_depan",
    "gelar_belakang",
    "jenis_kelamin",
    "tempat_lahir",
    "tanggal_lahir",
    "jenis_asn",
    "kedudukan_hukum",
    "email",
    "telepon",
    "alamat",
    "akhir_perjanjian_kerja",
)
CURRENT_FIELDS = (
    "golongan",
    "tmt_golongan",
    "mkg_mulai",
    "jabatan",
    "tmt_jabatan",
    "unit_kerja",
    "pendidikan_tingkat",
    "pendidikan_jurusan",
)
TINGKAT_ORDER = ["SD", "SMP", "SMA", "D1", "D2", "D3", "D4", "S1", "S2", "S3"]


def _full_clean(obj, exclude=None):
    """Model validation (field validators and constraints) as a ValidationError per field."""
    obj.full_clean(exclude=exclude, validate_unique=True, validate_constraints=True)


def _check_version(obj, expected_version):
    if expected_version is not None and int(expected_version) != obj.version:
        raise ConflictError()


# ---------------------------------------------------------------------------------------------
# Unit kerja and jabatan


@transaction.atomic
def unit_kerja_create(*, actor, nama, jenis, parent=None, singkatan="", siasn_id=None):
    """Create a unit under ``parent`` (or an instansi at the root) and set its path."""
    unit = UnitKerja(nama=nama, jenis=jenis, parent=parent, singkatan=singkatan, siasn_id=siasn_id)
    _full_clean(unit, exclude=["path", "depth"])
    unit.save()
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    audit.record(actor=actor, action=AuditLog.Action.CREATE, obj=unit, changes={"nama": [None, nama]})
    return unit


@transaction.atomic
def unit_kerja_move(*, actor, unit, parent):
    """Move ``unit`` and its whole subtree under ``parent``: one UPDATE of the paths."""
    if parent.path.startswith(unit.path):
        raise DomainError(
            "Unit tidak dapat dipindah ke bawah dirinya sendiri.", field_errors={"parent": "Pilih unit lain."}
        )
    old_path, new_path = unit.path, f"{parent.path}{unit.pk}/"
    shift = parent.depth + 1 - unit.depth
    UnitKerja.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + shift,
    )
    old_parent = unit.parent
    UnitKerja.objects.filter(pk=unit.pk).update(parent=parent)
    unit.refresh_from_db()
    audit.record(
        actor=actor,
        action=AuditLog.Action.UPDATE,
        obj=unit,
        changes={"parent": [str(old_parent), str(parent)]},
    )
    return unit


JABATAN_FIELDS = ("nama", "jenis", "jenjang", "eselon", "unit_kerja", "atasan", "kelas_jabatan", "siasn_id")


def _check_atasan_chain(jabatan):
    """The atasan chain must not loop back to the jabatan itself."""
    seen = {jabatan.pk}
    current = jabatan.atasan
    while current is not None:
        if current.pk in seen:
            raise DomainError(
                "Rantai atasan jabatan membentuk lingkaran.",
                field_errors={"atasan": "Atasan ini (atau atasannya) berada di bawah jabatan ini."},
            )
        seen.add(current.pk)
        current = current.atasan


@transaction.atomic
def jabatan_create(*, actor, **data):
    jabatan = Jabatan(**data)
    _full_clean(jabatan)
    jabatan.save()
    audit.record(
        actor=actor,
        action=AuditLog.Action.CREATE,
        obj=jabatan,
        changes={k: [None, v] for k, v in audit.snapshot(jabatan, JABATAN_FIELDS).items()},
    )
    return jabatan


@transaction.atomic
def jabatan_update(*, actor, jabatan, **data):
    before = audit.snapshot(jabatan, JABATAN_FIELDS)
    for name, value in data.items():
        setattr(jabatan, name, value)
    _full_clean(jabatan)
    _check_atasan_chain(jabatan)
    jabatan.save()
    changes = audit.diff(before, audit.snapshot(jabatan, JABATAN_FIELDS))
    if changes:
        audit.record(actor=actor, action=AuditLog.Action.UPDATE, obj=jabatan, changes=changes)
    return jabatan


# ---------------------------------------------------------------------------------------------
# Pegawai


def _validate_pegawai(pegawai):
    errors = {}
    try:
        _full_clean(pegawai, exclude=["unit_kerja"] if pegawai.unit_kerja_id is None else None)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if "nip" not in errors:
        try:
            validate_nip_matches(pegawai.nip, tanggal_lahir=pegawai.tanggal_lahir, jenis_kelamin=pegawai.jenis_kelamin)
        except ValidationError as exc:
            for field, errs in exc.error_dict.items():
                errors.setdefault(field, []).extend(errs)
    nik_checkable = pegawai.nik and "nik" not in errors and pegawai.tanggal_lahir and pegawai.jenis_kelamin
    if nik_checkable and not nik_matches(
        pegawai.nik, tanggal_lahir=pegawai.tanggal_lahir, jenis_kelamin=pegawai.jenis_kelamin
    ):
        errors.setdefault("nik", []).append(
            ValidationError("Tanggal lahir dalam NIK (digit 7–12, +40 untuk wanita) tidak sesuai data pegawai.")
        )
    if pegawai.golongan_id and pegawai.golongan.jenis_asn != ("PPPK" if pegawai.jenis_asn == JenisASN.PPPK else "PNS"):
        errors.setdefault("golongan", []).append(
            ValidationError("Golongan tidak sesuai dengan jenis ASN (PPPK memakai golongan I–XVII).")
        )
    if pegawai.akhir_perjanjian_kerja and pegawai.jenis_asn != JenisASN.PPPK:
        errors.setdefault("akhir_perjanjian_kerja", []).append(
            ValidationError("Akhir perjanjian kerja hanya untuk PPPK; PNS memakai batas usia pensiun.")
        )
    if errors:
        raise ValidationError(errors)


def mkg_mulai(riwayat_pangkat):
    """The day masa kerja golongan was 0: the TMT less the masa kerja on the SK."""
    months = riwayat_pangkat.masa_kerja_tahun * 12 + riwayat_pangkat.masa_kerja_bulan
    tmt = riwayat_pangkat.tmt
    total = tmt.year * 12 + tmt.month - 1 - months
    year, month = divmod(total, 12)
    return tmt.replace(year=year, month=month + 1, day=min(tmt.day, 28))


def _sync_current(pegawai):
    """Set the current jabatan, golongan and education from the riwayat (latest TMT wins)."""
    jabatan = (
        RiwayatJabatan.objects.filter(pegawai=pegawai, jenis_penugasan=RiwayatJabatan.JenisPenugasan.DEFINITIF)
        .select_related("jabatan")
        .order_by("-tmt", "-id")
        .first()
    )
    pangkat = RiwayatPangkat.objects.filter(pegawai=pegawai).select_related("golongan").order_by("-tmt", "-id").first()
    pendidikan = sorted(
        RiwayatPendidikan.objects.filter(pegawai=pegawai),
        key=lambda r: (TINGKAT_ORDER.index(r.tingkat), r.tahun_lulus),
    )
    if jabatan:
        pegawai.jabatan, pegawai.tmt_jabatan = jabatan.jabatan, jabatan.tmt
        pegawai.unit_kerja_id = jabatan.jabatan.unit_kerja_id
    else:
        pegawai.jabatan, pegawai.tmt_jabatan = None, None
    if pangkat:
        pegawai.golongan, pegawai.tmt_golongan = pangkat.golongan, pangkat.tmt
        pegawai.mkg_mulai = mkg_mulai(pangkat)
    else:
        pegawai.golongan, pegawai.tmt_golongan, pegawai.mkg_mulai = None, None, None
    if pendidikan:
        pegawai.pendidikan_tingkat, pegawai.pendidikan_jurusan = pendidikan[-1].tingkat, pendidikan[-1].jurusan
    else:
        pegawai.pendidikan_tingkat, pegawai.pendidikan_jurusan = "", ""


def _save_pegawai_current(*, actor, pegawai, before):
    """Derive the current fields, save if anything changed, and audit the change."""
    _sync_current(pegawai)
    changes = audit.diff(before, audit.snapshot(pegawai, CURRENT_FIELDS))
    if changes:
        pegawai.version += 1
        pegawai.save(update_fields=[*CURRENT_FIELDS, "version", "updated_at"])
        audit.record(actor=actor, action=AuditLog.Action.UPDATE, obj=pegawai, changes=changes, pegawai_id=pegawai.pk)


@transaction.atomic
def pegawai_create(*, actor, jabatan, tmt_jabatan, golongan=None, tmt_golongan=None, nomor_sk="", **data):
    """Create a pegawai with the first riwayat jabatan (and pangkat, when a golongan is given)."""
    unknown = set(data) - set(PEGAWAI_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    if not data.get("nik"):
        data["nik"] = None
    pegawai = Pegawai(**data, jabatan=jabatan, tmt_jabatan=tmt_jabatan, unit_kerja_id=jabatan.unit_kerja_id)
    pegawai.golongan, pegawai.tmt_golongan = golongan, tmt_golongan
    # The first riwayat pangkat below carries masa kerja 0: MKG starts at its TMT.
    pegawai.mkg_mulai = tmt_golongan if golongan is not None else None
    errors = {}
    if golongan is not None and tmt_golongan is None:
        errors["tmt_golongan"] = ["TMT golongan wajib diisi bila golongan diisi."]
    try:
        _validate_pegawai(pegawai)
    except ValidationError as exc:
        for field, errs in exc.error_dict.items():
            errors.setdefault(field, []).extend(m for e in errs for m in e.messages)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            pegawai.save()
    except IntegrityError:
        raise ValidationError({"nip": ["Pegawai dengan NIP ini sudah ada."]}) from None
    audit.record(
        actor=actor,
        action=AuditLog.Action.CREATE,
        obj=pegawai,
        changes={
            k: [None, v]
            for k, v in audit.snapshot(pegawai, PEGAWAI_FIELDS + CURRENT_FIELDS).items()
            if v not in ("", None)
        },
        pegawai_id=pegawai.pk,
    )
    _riwayat_jabatan_insert(actor=actor, pegawai=pegawai, jabatan=jabatan, tmt=tmt_jabatan, nomor_sk=nomor_sk)
    if golongan is not None:
        _riwayat_pangkat_insert(
            actor=actor,
            pegawai=pegawai,
            golongan=golongan,
            tmt=tmt_golongan,
            jenis_kp=RiwayatPangkat.JenisKP.CPNS,
        )
    return pegawai


@transaction.atomic
def pegawai_update(*, actor, pegawai, expected_version=None, **data):
    """Change the master data of a pegawai (not the current jabatan/golongan: those follow the riwayat).

    ``expected_version`` is the version the editor read; a different one means someone else
    saved in between, and the change is refused (ConflictError).
    """
    unknown = set(data) - set(PEGAWAI_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    locked = Pegawai.objects.select_for_update().get(pk=pegawai.pk)
    _check_version(locked, expected_version)
    before = audit.snapshot(locked, PEGAWAI_FIELDS)
    for name, value in data.items():
        setattr(locked, name, value)
    if locked.nik == "":
        locked.nik = None
    _validate_pegawai(locked)
    changes = audit.diff(before, audit.snapshot(locked, PEGAWAI_FIELDS))
    if changes:
        locked.version += 1
        try:
            with transaction.atomic():
                locked.save(update_fields=[*data.keys(), "version", "updated_at"])
        except IntegrityError:
            raise ValidationError({"nik": ["NIK ini sudah dipakai pegawai lain."]}) from None
        audit.record(actor=actor, action=AuditLog.Action.UPDATE, obj=locked, changes=changes, pegawai_id=locked.pk)
    return locked


# ---------------------------------------------------------------------------------------------
# Riwayat


RIWAYAT_JABATAN_FIELDS = ("jabatan", "jenis_penugasan", "tmt", "tanggal_selesai", "nomor_sk", "tanggal_sk")
RIWAYAT_PANGKAT_FIELDS = (
    "golongan",
    "jenis_kp",
    "tmt",
    "masa_kerja_tahun",
    "masa_kerja_bulan",
    "nomor_sk",
    "tanggal_sk",
)
RIWAYAT_PENDIDIKAN_FIELDS = ("tingkat", "jurusan", "institusi", "tahun_lulus", "nomor_ijazah")
RIWAYAT_PENGHARGAAN_FIELDS = ("jenis", "nama", "pemberi", "tanggal", "nomor_sk")
RIWAYAT_HUKUMAN_FIELDS = (
    "jenis",
    "tingkat",
    "tanggal_mulai",
    "tanggal_selesai",
    "menunda_kp",
    "menunda_kgb",
    "pelanggaran",
    "nomor_sk",
    "tanggal_sk",
)


def _riwayat_jabatan_insert(*, actor, pegawai, jabatan, tmt, **data):
    riwayat = RiwayatJabatan(
        pegawai=pegawai,
        jabatan=jabatan,
        nama_jabatan=jabatan.nama,
        nama_unit_kerja=jabatan.unit_kerja.nama,
        tmt=tmt,
        **data,
    )
    _full_clean(riwayat)
    riwayat.save()
    audit.record(
        actor=actor,
        action=AuditLog.Action.CREATE,
        obj=riwayat,
        changes={
            k: [None, v] for k, v in audit.snapshot(riwayat, RIWAYAT_JABATAN_FIELDS).items() if v not in ("", None)
        },
        pegawai_id=pegawai.pk,
    )
    return riwayat


def _riwayat_pangkat_insert(*, actor, pegawai, golongan, tmt, **data):
    expected = "PPPK" if pegawai.jenis_asn == JenisASN.PPPK else "PNS"
    if golongan.jenis_asn != expected:
        raise ValidationError({"golongan": ["Golongan tidak sesuai dengan jenis ASN pegawai."]})
    riwayat = RiwayatPangkat(pegawai=pegawai, golongan=golongan, tmt=tmt, **data)
    _full_clean(riwayat)
    riwayat.save()
    audit.record(
        actor=actor,
        action=AuditLog.Action.CREATE,
        obj=riwayat,
        changes={
            k: [None, v] for k, v in audit.snapshot(riwayat, RIWAYAT_PANGKAT_FIELDS).items() if v not in ("", None)
        },
        pegawai_id=pegawai.pk,
    )
    return riwayat


def _lock(pegawai, expected_version):
    locked = Pegawai.objects.select_for_update(of=("self",)).select_related("golongan", "jabatan").get(pk=pegawai.pk)
    _check_version(locked, expected_version)
    return locked


@transaction.atomic
def riwayat_jabatan_add(*, actor, pegawai, jabatan, tmt, expected_version=None, **data):
    """Add a riwayat jabatan; the current jabatan, TMT and unit kerja follow from the history."""
    locked = _lock(pegawai, expected_version)
    before = audit.snapshot(locked, CURRENT_FIELDS)
    riwayat = _riwayat_jabatan_insert(actor=actor, pegawai=locked, jabatan=jabatan, tmt=tmt, **data)
    _save_pegawai_current(actor=actor, pegawai=locked, before=before)
    return riwayat


@transaction.atomic
def riwayat_pangkat_add(*, actor, pegawai, golongan, tmt, expected_version=None, **data):
    """Add a riwayat pangkat; the current golongan and its TMT follow from the history."""
    locked = _lock(pegawai, expected_version)
    before = audit.snapshot(locked, CURRENT_FIELDS)
    if RiwayatPangkat.objects.filter(pegawai=locked, golongan=golongan, tmt=tmt).exists():
        raise ValidationError({"tmt": ["Riwayat pangkat dengan golongan dan TMT ini sudah ada."]})
    riwayat = _riwayat_pangkat_insert(actor=actor, pegawai=locked, golongan=golongan, tmt=tmt, **data)
    _save_pegawai_current(actor=actor, pegawai=locked, before=before)
    return riwayat


@transaction.atomic
def riwayat_pendidikan_add(*, actor, pegawai, expected_version=None, **data):
    """Add a riwayat pendidikan; the pegawai's pendidikan terakhir follows."""
    locked = _lock(pegawai, expected_version)
    before = audit.snapshot(locked, CURRENT_FIELDS)
    riwayat = RiwayatPendidikan(pegawai=locked, **data)
    _full_clean(riwayat)
    riwayat.save()
    audit.record(
        actor=actor,
        action=AuditLog.Action.CREATE,
        obj=riwayat,
        changes={
            k: [None, v] for k, v in audit.snapshot(riwayat, RIWAYAT_PENDIDIKAN_FIELDS).items() if v not in ("", None)
        },
        pegawai_id=locked.pk,
    )
    _save_pegawai_current(actor=actor, pegawai=locked, before=before)
    return riwayat


def _riwayat_simple_add(actor, pegawai, expected_version, model, fields, data):
    """Add a riwayat that derives no current field of the pegawai (penghargaan, hukuman)."""
    locked = _lock(pegawai, expected_version)
    unknown = set(data) - set(fields)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    riwayat = model(pegawai=locked, **data)
    _full_clean(riwayat)
    riwayat.save()
    audit.record(
        actor=actor,
        action=AuditLog.Action.CREATE,
        obj=riwayat,
        changes=audit.created(riwayat, fields),
        pegawai_id=locked.pk,
    )
    return riwayat


@transaction.atomic
def riwayat_penghargaan_add(*, actor, pegawai, expected_version=None, **data):
    """Add an award (Satyalancana Karya Satya, ASN teladan, ...)."""
    return _riwayat_simple_add(actor, pegawai, expected_version, RiwayatPenghargaan, RIWAYAT_PENGHARGAAN_FIELDS, data)


@transaction.atomic
def riwayat_hukuman_disiplin_add(*, actor, pegawai, expected_version=None, **data):
    """Add a disciplinary penalty. Whether it postpones KP and KGB defaults from its kind
    (``RiwayatHukumanDisiplin.default_penundaan``) unless given."""
    jenis = data.get("jenis")
    if jenis in RiwayatHukumanDisiplin.TINGKAT:
        menunda_kp, menunda_kgb = RiwayatHukumanDisiplin.default_penundaan(jenis)
        if data.get("menunda_kp") is None:
            data["menunda_kp"] = menunda_kp
        if data.get("menunda_kgb") is None:
            data["menunda_kgb"] = menunda_kgb
        data["tingkat"] = RiwayatHukumanDisiplin.TINGKAT[jenis]
    fields = RIWAYAT_HUKUMAN_FIELDS
    return _riwayat_simple_add(actor, pegawai, expected_version, RiwayatHukumanDisiplin, fields, data)


@transaction.atomic
def riwayat_delete(*, actor, riwayat, expected_version=None):
    """Remove a riwayat entered by mistake; the current fields are derived again.

    The last definitif jabatan cannot go: every pegawai sits in a unit.
    """
    locked = _lock(riwayat.pegawai, expected_version)
    if isinstance(riwayat, RiwayatJabatan) and riwayat.jenis_penugasan == RiwayatJabatan.JenisPenugasan.DEFINITIF:
        others = RiwayatJabatan.objects.filter(
            pegawai=locked, jenis_penugasan=RiwayatJabatan.JenisPenugasan.DEFINITIF
        ).exclude(pk=riwayat.pk)
        if not others.exists():
            raise DomainError("Riwayat jabatan definitif satu-satunya tidak dapat dihapus.")
    before = audit.snapshot(locked, CURRENT_FIELDS)
    fields = {
        RiwayatJabatan: RIWAYAT_JABATAN_FIELDS,
        RiwayatPangkat: RIWAYAT_PANGKAT_FIELDS,
        RiwayatPendidikan: RIWAYAT_PENDIDIKAN_FIELDS,
        RiwayatPenghargaan: RIWAYAT_PENGHARGAAN_FIELDS,
        RiwayatHukumanDisiplin: RIWAYAT_HUKUMAN_FIELDS,
    }[type(riwayat)]
    changes = {k: [v, None] for k, v in audit.snapshot(riwayat, fields).items() if v not in ("", None)}
    audit.record(actor=actor, action=AuditLog.Action.DELETE, obj=riwayat, changes=changes, pegawai_id=locked.pk)
    riwayat.delete()
    _save_pegawai_current(actor=actor, pegawai=locked, before=before)
