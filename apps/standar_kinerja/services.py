"""Changes to the standards of a jabatan: atomic and audited.

A jabatan's standard has no version column of its own: ``selectors.standar_versi`` derives one
from its rows, and a save that names the version it started from is refused with a conflict
when someone else saved in between (the jabatan row is locked while it is checked).
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.core import audit
from apps.core.exceptions import ConflictError
from apps.core.models import AuditLog
from apps.pegawai.models import Jabatan

from . import selectors
from .models import IndikatorKinerja, Kompetensi, StandarKompetensi

INDIKATOR_FIELDS = ("uraian", "indikator", "aspek", "target", "satuan", "bobot", "urutan")
DECIMAL_FIELDS = ("target", "bobot")


def check_bobot(jabatan):
    """When the indicators of a jabatan carry a bobot, every one does and they total 100."""
    bobot = list(IndikatorKinerja.objects.filter(jabatan=jabatan).values_list("bobot", flat=True))
    used = [b for b in bobot if b is not None]
    if not used:
        return
    if len(used) != len(bobot):
        raise ValidationError({"bobot": ["Bila bobot dipakai, setiap indikator harus diberi bobot."]})
    total = sum(used, Decimal(0))
    if total != 100:
        raise ValidationError({"bobot": [f"Jumlah bobot harus 100 (saat ini {total.normalize():f})."]})


CONFLICT_MESSAGE = (
    "Standar jabatan ini telah diubah oleh pengguna lain sejak Anda membukanya. "
    "Muat ulang halaman, periksa perubahannya, lalu simpan kembali."
)


def _lock(jabatan, expected_versi):
    """Serialise saves of one jabatan's standard; refuse one that started from an older version."""
    Jabatan.objects.select_for_update().filter(pk=jabatan.pk).values_list("pk", flat=True).first()
    if expected_versi is not None and expected_versi != selectors.standar_versi(jabatan):
        raise ConflictError(CONFLICT_MESSAGE)


@transaction.atomic
def indikator_save_all(*, actor, jabatan, rows, expected_versi=None):
    """Replace the standar kinerja of ``jabatan`` with ``rows`` (dicts of INDIKATOR_FIELDS).

    Rows with an ``id`` update that indicator, rows without one are added, indicators not in
    ``rows`` are removed; the bobot rule is checked over the result. With ``expected_versi``,
    a standard changed since that version is refused (ConflictError).
    """
    _lock(jabatan, expected_versi)
    existing = {row.pk: row for row in IndikatorKinerja.objects.filter(jabatan=jabatan)}
    keep, changes = set(), {}
    errors = {}
    for index, data in enumerate(rows):
        data = dict(data)
        pk = data.pop("id", None)
        if pk is not None and pk not in existing:
            raise ValidationError({"id": [f"Baris {index + 1}: indikator tidak ditemukan pada jabatan ini."]})
        row = existing[pk] if pk is not None else IndikatorKinerja(jabatan=jabatan)
        before = audit.snapshot(row, INDIKATOR_FIELDS) if pk is not None else {}
        for name, value in data.items():
            setattr(row, name, value)
        if row.urutan in (None, 0):
            row.urutan = index + 1
        try:
            row.full_clean(exclude=["jabatan"])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(f"Baris {index + 1}: {m}" for m in messages)
            continue
        for name in DECIMAL_FIELDS:
            # Validated to two places: "300" and "300.00" are the same target, not a change.
            if getattr(row, name) is not None:
                setattr(row, name, getattr(row, name).quantize(Decimal("0.01")))
        row.save()
        keep.add(row.pk)
        diff = audit.diff(before, audit.snapshot(row, INDIKATOR_FIELDS))
        if diff:
            changes[f"indikator[{index + 1}]"] = diff
    if errors:
        raise ValidationError(errors)
    removed = [row for pk, row in existing.items() if pk not in keep]
    for row in removed:
        changes[f"dihapus: {row.uraian[:60]}"] = [row.uraian, None]
        row.delete()
    check_bobot(jabatan)
    if changes:
        audit.record(actor=actor, action=AuditLog.Action.UPDATE, obj=jabatan, changes={"standar_kinerja": changes})
    return list(IndikatorKinerja.objects.filter(jabatan=jabatan))


@transaction.atomic
def kompetensi_save_all(*, actor, jabatan, levels, expected_versi=None):
    """Set the standar kompetensi of ``jabatan``: ``levels`` maps Kompetensi to a level 1–5
    (None removes it); ``expected_versi`` as for ``indikator_save_all``."""
    _lock(jabatan, expected_versi)
    current = {row.kompetensi_id: row for row in StandarKompetensi.objects.filter(jabatan=jabatan)}
    changes = {}
    for kompetensi, level in levels.items():
        row = current.get(kompetensi.pk)
        if level in (None, ""):
            if row is not None:
                changes[kompetensi.kode] = [row.level, None]
                row.delete()
            continue
        level = int(level)
        if not 1 <= level <= 5:
            raise ValidationError({"level": [f"{kompetensi.kode}: level harus 1 sampai 5."]})
        if row is None:
            StandarKompetensi.objects.create(jabatan=jabatan, kompetensi=kompetensi, level=level)
            changes[kompetensi.kode] = [None, level]
        elif row.level != level:
            changes[kompetensi.kode] = [row.level, level]
            row.level = level
            row.save(update_fields=["level", "updated_at"])
    if changes:
        audit.record(actor=actor, action=AuditLog.Action.UPDATE, obj=jabatan, changes={"standar_kompetensi": changes})


@transaction.atomic
def standar_copy(*, actor, source, targets, replace=True):
    """Copy the standar kinerja and kompetensi of ``source`` to each jabatan in ``targets``.

    With ``replace`` the targets' own standards are replaced; otherwise the rows are added.
    """
    indikator = list(IndikatorKinerja.objects.filter(jabatan=source))
    kompetensi = list(StandarKompetensi.objects.filter(jabatan=source))
    if not indikator and not kompetensi:
        # Copying nothing with ``replace`` would only wipe the targets' standards.
        raise ValidationError({"jabatan": ["Jabatan sumber belum memiliki standar untuk disalin."]})
    copied = 0
    for target in targets:
        if target.pk == source.pk:
            continue
        if replace:
            IndikatorKinerja.objects.filter(jabatan=target).delete()
            StandarKompetensi.objects.filter(jabatan=target).delete()
        offset = IndikatorKinerja.objects.filter(jabatan=target).count()
        IndikatorKinerja.objects.bulk_create(
            IndikatorKinerja(
                jabatan=target,
                **{name: getattr(row, name) for name in INDIKATOR_FIELDS if name != "urutan"},
                urutan=offset + row.urutan,
            )
            for row in indikator
        )
        have = set(StandarKompetensi.objects.filter(jabatan=target).values_list("kompetensi_id", flat=True))
        StandarKompetensi.objects.bulk_create(
            StandarKompetensi(jabatan=target, kompetensi_id=row.kompetensi_id, level=row.level)
            for row in kompetensi
            if row.kompetensi_id not in have
        )
        check_bobot(target)
        audit.record(
            actor=actor,
            action=AuditLog.Action.UPDATE,
            obj=target,
            changes={"standar_disalin_dari": [None, str(source)], "diganti": [None, replace]},
        )
        copied += 1
    return copied


@transaction.atomic
def standar_replace(*, actor, jabatan, indikator, kompetensi, expected_versi=None):
    """Replace the whole standard of ``jabatan`` at once: ``indikator`` as for
    ``indikator_save_all``, ``kompetensi`` maps Kompetensi to a level (those left out are
    removed). All or nothing."""
    _lock(jabatan, expected_versi)
    indikator_save_all(actor=actor, jabatan=jabatan, rows=indikator)
    current = StandarKompetensi.objects.filter(jabatan=jabatan).select_related("kompetensi")
    levels = {row.kompetensi: None for row in current}
    levels.update(kompetensi)
    kompetensi_save_all(actor=actor, jabatan=jabatan, levels=levels)


KODE_TEKNIS = re.compile(r"T\.[A-Z0-9][A-Z0-9._-]{0,17}")


@transaction.atomic
def kompetensi_teknis_create(*, actor, kode, nama, deskripsi=""):
    """Add a teknis competency to the catalogue. ``kode`` starts with "T." and is unique
    (whatever its case); the manajerial and sosial kultural ones are fixed by regulation."""
    kode = (kode or "").strip().upper()
    nama = (nama or "").strip()
    errors = {}
    if not KODE_TEKNIS.fullmatch(kode):
        errors["kode"] = [
            "Kode kompetensi teknis diawali “T.” lalu huruf, angka, titik atau tanda hubung "
            "(mis. T.PKOM.01), paling banyak 20 karakter."
        ]
    elif Kompetensi.objects.filter(kode__iexact=kode).exists():
        errors["kode"] = [f"Kode {kode} sudah ada di katalog kompetensi."]
    if not nama:
        errors["nama"] = ["Nama kompetensi wajib diisi."]
    if errors:
        raise ValidationError(errors)
    kompetensi = Kompetensi(kode=kode, nama=nama, kelompok=Kompetensi.Kelompok.TEKNIS, deskripsi=deskripsi or "")
    kompetensi.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            kompetensi.save()
    except IntegrityError:
        # Someone added the same kode between the check and the insert.
        raise ValidationError({"kode": [f"Kode {kode} sudah ada di katalog kompetensi."]}) from None
    audit.record(
        actor=actor,
        action=AuditLog.Action.CREATE,
        obj=kompetensi,
        changes={name: [None, getattr(kompetensi, name)] for name in ("kode", "nama", "kelompok", "deskripsi")},
    )
    return kompetensi
