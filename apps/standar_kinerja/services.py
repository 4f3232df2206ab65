"""Changes to the standards of a jabatan: atomic and audited."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.core import audit
from apps.core.models import AuditLog

from .models import IndikatorKinerja, StandarKompetensi

INDIKATOR_FIELDS = ("uraian", "indikator", "aspek", "target", "satuan", "bobot", "urutan")


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


@transaction.atomic
def indikator_save_all(*, actor, jabatan, rows):
    """Replace the standar kinerja of ``jabatan`` with ``rows`` (dicts of INDIKATOR_FIELDS).

    Rows with an ``id`` update that indicator, rows without one are added, indicators not in
    ``rows`` are removed; the bobot rule is checked over the result.
    """
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
def kompetensi_save_all(*, actor, jabatan, levels):
    """Set the standar kompetensi of ``jabatan``: ``levels`` maps Kompetensi to a level 1–5
    (None removes it)."""
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
