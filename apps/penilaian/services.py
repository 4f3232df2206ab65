"""Every change to an SKP: checked against the workflow table, atomic, versioned, audited."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from apps.core import audit
from apps.core.exceptions import ConflictError, NotAllowedError, WorkflowError
from apps.core.models import AuditLog
from apps.pegawai.models import Jabatan, Pegawai, RiwayatJabatan

from .models import (
    BerAKHLAK,
    CapaianOrganisasi,
    CapaianUnit,
    EvaluasiPeriodik,
    Penilaian,
    PeriodePenilaian,
    Rating,
    Realisasi,
    RencanaHasilKerja,
    Status,
    predikat_for,
)
from .workflow import STEPS, Peran

# ---------------------------------------------------------------------------------------------
# Periods


@transaction.atomic
def periode_create(*, actor, instansi, tahun, periodik):
    """Open the appraisal year of an instansi."""
    periode = PeriodePenilaian(instansi=instansi, tahun=tahun, periodik=periodik)
    periode.full_clean()
    periode.save()
    audit.record(actor=actor, action=AuditLog.Action.CREATE, obj=periode, changes={"tahun": [None, tahun]})
    return periode


@transaction.atomic
def periode_set_status(*, actor, periode, status):
    """Open or close a period; a closed period accepts no change to its SKPs."""
    if status not in PeriodePenilaian.Status.values:
        raise ValidationError({"status": ["Status periode tidak dikenal."]})
    old = periode.status
    if old == status:
        return periode
    periode.status = status
    periode.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action=AuditLog.Action.UPDATE, obj=periode, changes={"status": [old, status]})
    return periode


@transaction.atomic
def capaian_unit_set(*, actor, periode, unit_kerja, capaian):
    """Record the organisation's own result for a unit and year (while the period is open)."""
    if not periode.is_open:
        raise WorkflowError(f"Periode penilaian {periode.tahun} sudah ditutup.")
    if capaian not in CapaianOrganisasi.values:
        raise ValidationError({"capaian": ["Capaian kinerja organisasi tidak dikenal."]})
    row, created = CapaianUnit.objects.update_or_create(
        periode=periode, unit_kerja=unit_kerja, defaults={"capaian": capaian}
    )
    audit.record(
        actor=actor,
        action=AuditLog.Action.CREATE if created else AuditLog.Action.UPDATE,
        obj=row,
        changes={"capaian": [None, capaian]},
    )
    return row


# ---------------------------------------------------------------------------------------------
# Parties


def _holder_of(jabatan, on_date):
    """Who holds ``jabatan`` on ``on_date``: the definitif holder, else an active Plt/Plh/Pj."""
    holder = Pegawai.objects.filter(jabatan=jabatan, kedudukan_hukum="01").order_by("-tmt_jabatan", "pk").first()
    if holder is not None:
        return holder, "definitif"
    acting = (
        RiwayatJabatan.objects.filter(jabatan=jabatan, jenis_penugasan__in=["plt", "plh", "pj"], tmt__lte=on_date)
        .filter(Q(tanggal_selesai__isnull=True) | Q(tanggal_selesai__gte=on_date))
        .select_related("pegawai")
        .order_by("-tmt")
        .first()
    )
    if acting is not None:
        return acting.pegawai, acting.jenis_penugasan
    return None, ""


def _appraiser_from(jabatan, on_date, exclude_pk):
    """Walk up the atasan chain from ``jabatan``: the first jabatan with a holder decides
    (the atasan langsung, a Plt/Plh, or if vacant the next higher official)."""
    seen = set()
    current = jabatan.atasan if jabatan is not None else None
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        holder, penugasan = _holder_of(current, on_date)
        if holder is not None and holder.pk != exclude_pk:
            return holder, penugasan, current
        current = current.atasan
    return None, "", None


def default_parties(pegawai, on_date=None):
    """(penilai, penugasan, atasan penilai) from the jabatan chain."""
    on_date = on_date or timezone.localdate()
    penilai, penugasan, jabatan_penilai = _appraiser_from(pegawai.jabatan, on_date, pegawai.pk)
    atasan = None
    if jabatan_penilai is not None:
        atasan, _, _ = _appraiser_from(jabatan_penilai, on_date, pegawai.pk)
    return penilai, penugasan, atasan


def organisasi_of(unit):
    """The perangkat daerah of a unit: the second level of the tree (or the instansi itself)."""
    ids = unit.ancestor_ids()
    return ids[1] if len(ids) > 1 else ids[0]


def _party_snapshot(prefix, pegawai):
    if pegawai is None:
        return {f"{prefix}_{k}": "" for k in ("nip", "nama", "golongan", "jabatan", "unit")}
    return {
        f"{prefix}_nip": pegawai.nip,
        f"{prefix}_nama": pegawai.nama_lengkap,
        f"{prefix}_golongan": str(pegawai.golongan) if pegawai.golongan_id else "",
        f"{prefix}_jabatan": pegawai.jabatan.nama if pegawai.jabatan_id else "",
        f"{prefix}_unit": pegawai.unit_kerja.nama,
    }


# ---------------------------------------------------------------------------------------------
# Roles and the workflow check


def roles_of(user, penilaian):
    """The parts ``user`` plays in this SKP."""
    roles = set()
    if not user.is_active:
        return roles
    pegawai_id = user.pegawai_id
    if pegawai_id is not None:
        if pegawai_id == penilaian.pegawai_id:
            roles.add(Peran.PEGAWAI)
        if pegawai_id == penilaian.penilai_id:
            roles.add(Peran.PENILAI)
        if pegawai_id == penilaian.atasan_penilai_id:
            roles.add(Peran.ATASAN_PENILAI)
    if user.scope.can_manage and Penilaian.objects.manageable_by(user).filter(pk=penilaian.pk).exists():
        roles.add(Peran.BKPSDM)
    return roles


def allowed_steps(user, penilaian, roles=None):
    """The step names ``user`` may take now (for showing the right buttons)."""
    if not penilaian.periode.is_open:
        return set()
    roles = roles_of(user, penilaian) if roles is None else roles
    return {name for name, step in STEPS.items() if penilaian.status in step.sources and roles & step.roles}


def _lock(penilaian, expected_version):
    locked = Penilaian.objects.select_for_update(of=("self",)).select_related("periode", "pegawai").get(pk=penilaian.pk)
    if expected_version is not None and int(expected_version) != locked.version:
        raise ConflictError(
            "SKP ini telah diubah oleh pengguna lain sejak Anda membukanya. "
            "Muat ulang halaman, periksa perubahannya, lalu simpan kembali."
        )
    return locked


def _check(user, penilaian, step_name):
    step = STEPS[step_name]
    if not penilaian.periode.is_open:
        raise WorkflowError(f"Periode penilaian {penilaian.periode.tahun} sudah ditutup: SKP tidak dapat diubah.")
    if not roles_of(user, penilaian) & step.roles:
        who = " atau ".join(sorted(Peran(r).label.lower() for r in step.roles))
        raise NotAllowedError(f"Langkah “{step.label}” hanya dapat dilakukan oleh {who}.")
    if penilaian.status not in step.sources:
        if penilaian.status == Status.FINAL:
            raise WorkflowError("SKP sudah final dan tidak dapat diubah. Staf BKPSDM dapat membukanya kembali.")
        raise WorkflowError(
            f"Langkah “{step.label}” tidak dapat dilakukan pada SKP berstatus {Status(penilaian.status).label}."
        )


def _begin(actor, penilaian, step_name, expected_version):
    locked = _lock(penilaian, expected_version)
    _check(actor, locked, step_name)
    return locked


def _finish(actor, penilaian, changes, fields):
    """Bump the version, save ``fields`` and write the audit entry."""
    penilaian.version += 1
    penilaian.save(update_fields=[*fields, "version", "updated_at"])
    audit.record(
        actor=actor, action=AuditLog.Action.UPDATE, obj=penilaian, changes=changes, pegawai_id=penilaian.pegawai_id
    )
    return penilaian


def _move(actor, penilaian, step_name, changes=None, fields=()):
    target = STEPS[step_name].target
    changes = {"status": [penilaian.status, target], "langkah": [None, STEPS[step_name].label], **(changes or {})}
    penilaian.status = target
    return _finish(actor, penilaian, changes, ["status", *fields])


# ---------------------------------------------------------------------------------------------
# Creating SKPs


def _new_penilaian(periode, pegawai, penilai, penugasan, atasan):
    return Penilaian(
        periode=periode,
        pegawai=pegawai,
        unit_kerja_id=pegawai.unit_kerja_id,
        organisasi_id=organisasi_of(pegawai.unit_kerja),
        pegawai_jenis_jabatan=pegawai.jabatan.jenis if pegawai.jabatan_id else "",
        penilai=penilai,
        penilai_penugasan=penugasan,
        atasan_penilai=atasan,
        **_party_snapshot("pegawai", pegawai),
        **_party_snapshot("penilai", penilai),
        **_party_snapshot("atasan_penilai", atasan),
    )


def _prefill_rencana(penilaian, jabatan):
    rows = [
        RencanaHasilKerja(
            penilaian=penilaian,
            jenis=RencanaHasilKerja.Jenis.UTAMA,
            uraian=indikator.uraian,
            aspek=indikator.aspek,
            indikator=indikator.indikator,
            target=indikator.target,
            satuan=indikator.satuan,
            indikator_sumber=indikator,
            urutan=indikator.urutan,
        )
        for indikator in (jabatan.indikator_kinerja.all() if jabatan is not None else [])
    ]
    RencanaHasilKerja.objects.bulk_create(rows)
    return rows


@transaction.atomic
def penilaian_create(*, actor, periode, pegawai):
    """Start the SKP of ``pegawai`` for ``periode``: parties from the jabatan chain, rencana
    prefilled from the standar kinerja of the jabatan. The pegawai or BKPSDM staff may do it."""
    if not periode.is_open:
        raise WorkflowError(f"Periode penilaian {periode.tahun} sudah ditutup.")
    is_self = actor.pegawai_id == pegawai.pk
    if not is_self and not Pegawai.objects.manageable_by(actor).filter(pk=pegawai.pk).exists():
        raise NotAllowedError("SKP hanya dapat dibuat oleh pegawai itu sendiri atau staf BKPSDM.")
    if pegawai.unit_kerja.instansi_id != periode.instansi_id:
        raise ValidationError({"periode": ["Periode ini milik instansi lain."]})
    penilai, penugasan, atasan = default_parties(pegawai)
    penilaian = _new_penilaian(periode, pegawai, penilai, penugasan, atasan)
    try:
        with transaction.atomic():
            penilaian.save()
    except IntegrityError:
        raise ValidationError({"pegawai": [f"SKP {periode.tahun} untuk pegawai ini sudah ada."]}) from None
    _prefill_rencana(penilaian, pegawai.jabatan)
    audit.record(
        actor=actor,
        action=AuditLog.Action.CREATE,
        obj=penilaian,
        changes={"periode": [None, periode.tahun], "penilai": [None, penilaian.penilai_nama]},
        pegawai_id=pegawai.pk,
    )
    return penilaian


@transaction.atomic
def penilaian_set_penilai(*, actor, penilaian, penilai, penugasan="definitif", expected_version=None):
    """BKPSDM sets the pejabat penilai (e.g. a Plt/Plh); the atasan penilai follows from theirs."""
    locked = _begin(actor, penilaian, "penilai", expected_version)
    if penilai.pk == locked.pegawai_id:
        raise ValidationError({"penilai": ["Pegawai tidak dapat menilai dirinya sendiri."]})
    if penugasan not in RiwayatJabatan.JenisPenugasan.values:
        raise ValidationError({"penugasan": ["Jenis penugasan tidak dikenal."]})
    atasan, _, _ = _appraiser_from(penilai.jabatan, timezone.localdate(), locked.pegawai_id)
    before = {"penilai": locked.penilai_nama, "atasan_penilai": locked.atasan_penilai_nama}
    locked.penilai, locked.penilai_penugasan, locked.atasan_penilai = penilai, penugasan, atasan
    snapshot = {**_party_snapshot("penilai", penilai), **_party_snapshot("atasan_penilai", atasan)}
    for name, value in snapshot.items():
        setattr(locked, name, value)
    changes = {
        "penilai": [before["penilai"], locked.penilai_nama],
        "atasan_penilai": [before["atasan_penilai"], locked.atasan_penilai_nama],
    }
    return _finish(actor, locked, changes, ["penilai", "penilai_penugasan", "atasan_penilai", *snapshot])


# ---------------------------------------------------------------------------------------------
# Planning


RENCANA_FIELDS = ("jenis", "rhk_atasan", "uraian", "aspek", "perspektif", "indikator", "target", "satuan", "urutan")


def _rencana_clean(penilaian, row):
    row.full_clean(exclude=["penilaian", "indikator_sumber"])
    if penilaian.is_jpt and not row.perspektif:
        raise ValidationError({"perspektif": ["SKP pejabat pimpinan tinggi dikelompokkan per perspektif."]})
    if not penilaian.is_jpt and not row.aspek:
        raise ValidationError({"aspek": ["Pilih aspek: kuantitas, kualitas, waktu atau biaya."]})


@transaction.atomic
def rencana_add(*, actor, penilaian, expected_version=None, **data):
    locked = _begin(actor, penilaian, "rencana", expected_version)
    row = RencanaHasilKerja(penilaian=locked, **data)
    _rencana_clean(locked, row)
    row.save()
    _finish(actor, locked, {"rencana_hasil_kerja": [None, row.uraian]}, [])
    return row


@transaction.atomic
def rencana_update(*, actor, rencana, expected_version=None, **data):
    locked = _begin(actor, rencana.penilaian, "rencana", expected_version)
    before = audit.snapshot(rencana, RENCANA_FIELDS)
    for name, value in data.items():
        setattr(rencana, name, value)
    _rencana_clean(locked, rencana)
    rencana.save()
    changes = {f"rencana.{k}": v for k, v in audit.diff(before, audit.snapshot(rencana, RENCANA_FIELDS)).items()}
    _finish(actor, locked, changes, [])
    return rencana


@transaction.atomic
def rencana_delete(*, actor, rencana, expected_version=None):
    locked = _begin(actor, rencana.penilaian, "rencana", expected_version)
    uraian = rencana.uraian
    rencana.delete()
    _finish(actor, locked, {"rencana_hasil_kerja": [uraian, None]}, [])


LAMPIRAN_FIELDS = ("dukungan_sumber_daya", "skema_pertanggungjawaban", "konsekuensi")


@transaction.atomic
def ekspektasi_save(*, actor, penilaian, ekspektasi_khusus=None, expected_version=None, **lampiran):
    """The atasan's specific expectation per BerAKHLAK value, and the SKP's appendix."""
    locked = _begin(actor, penilaian, "ekspektasi", expected_version)
    unknown = set(lampiran) - set(LAMPIRAN_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    fields, changes = [], {}
    if ekspektasi_khusus is not None:
        bad = set(ekspektasi_khusus) - set(BerAKHLAK.values)
        if bad:
            raise ValidationError({"ekspektasi_khusus": [f"Nilai BerAKHLAK tidak dikenal: {', '.join(sorted(bad))}."]})
        cleaned = {k: str(v).strip() for k, v in ekspektasi_khusus.items() if str(v).strip()}
        if cleaned != locked.ekspektasi_khusus:
            changes["ekspektasi_khusus"] = [locked.ekspektasi_khusus, cleaned]
            locked.ekspektasi_khusus = cleaned
            fields.append("ekspektasi_khusus")
    for name, value in lampiran.items():
        if getattr(locked, name) != value:
            changes[name] = [getattr(locked, name), value]
            setattr(locked, name, value)
            fields.append(name)
    if not changes:
        return locked
    return _finish(actor, locked, changes, fields)


@transaction.atomic
def penilaian_ajukan(*, actor, penilaian, expected_version=None):
    """The pegawai submits the rencana to the pejabat penilai."""
    locked = _begin(actor, penilaian, "ajukan", expected_version)
    if locked.penilai_id is None:
        raise WorkflowError("SKP belum memiliki pejabat penilai. Hubungi BKPSDM untuk menetapkannya.")
    if not locked.rencana.filter(jenis=RencanaHasilKerja.Jenis.UTAMA).exists():
        raise ValidationError({"rencana": ["Isi paling sedikit satu rencana hasil kerja utama sebelum mengajukan."]})
    return _move(actor, locked, "ajukan")


@transaction.atomic
def penilaian_kembalikan(*, actor, penilaian, catatan, expected_version=None):
    """The penilai returns the rencana to the pegawai, saying what to change."""
    locked = _begin(actor, penilaian, "kembalikan", expected_version)
    catatan = (catatan or "").strip()
    if not catatan:
        raise ValidationError({"catatan": ["Tuliskan catatan: apa yang perlu diperbaiki."]})
    locked.catatan_pengembalian = catatan
    return _move(actor, locked, "kembalikan", {"catatan_pengembalian": [None, catatan]}, ["catatan_pengembalian"])


@transaction.atomic
def penilaian_setujui(*, actor, penilaian, expected_version=None):
    """The penilai agrees the rencana: execution starts."""
    locked = _begin(actor, penilaian, "setujui", expected_version)
    return _move(actor, locked, "setujui")


# ---------------------------------------------------------------------------------------------
# Execution


def _periode_ke(penilaian, periode_ke):
    try:
        periode_ke = int(periode_ke)
    except (TypeError, ValueError):
        raise ValidationError({"periode_ke": ["Periode harus berupa angka."]}) from None
    if not 1 <= periode_ke <= penilaian.periode.jumlah_periodik:
        raise ValidationError({"periode_ke": [f"Periode harus 1 sampai {penilaian.periode.jumlah_periodik}."]})
    return periode_ke


def _rencana_of(penilaian, rencana):
    if rencana.penilaian_id != penilaian.pk:
        raise ValidationError({"rencana": ["Rencana hasil kerja ini bukan bagian dari SKP ini."]})
    return rencana


@transaction.atomic
def realisasi_save(*, actor, penilaian, rencana, periode_ke, expected_version=None, **data):
    """The pegawai's realisasi (and evidence) for one row in one periodic evaluation."""
    locked = _begin(actor, penilaian, "realisasi", expected_version)
    _rencana_of(locked, rencana)
    periode_ke = _periode_ke(locked, periode_ke)
    row = Realisasi.objects.filter(rencana=rencana, periode_ke=periode_ke).first() or Realisasi(
        rencana=rencana, periode_ke=periode_ke
    )
    before = audit.snapshot(row, ("realisasi", "nilai", "bukti_link")) if row.pk else {}
    for name in ("realisasi", "nilai", "bukti_link", "bukti_file"):
        if name in data:
            setattr(row, name, data[name])
    row.full_clean(exclude=["rencana", "umpan_balik"])
    row.save()
    changes = {
        f"realisasi[{periode_ke}].{k}": v
        for k, v in audit.diff(before, audit.snapshot(row, ("realisasi", "nilai", "bukti_link"))).items()
    }
    _finish(actor, locked, changes, [])
    return row


@transaction.atomic
def umpan_balik_save(*, actor, penilaian, rencana, periode_ke, umpan_balik, expected_version=None):
    """The penilai's feedback on one row in one periodic evaluation."""
    locked = _begin(actor, penilaian, "umpan_balik", expected_version)
    _rencana_of(locked, rencana)
    periode_ke = _periode_ke(locked, periode_ke)
    row = Realisasi.objects.filter(rencana=rencana, periode_ke=periode_ke).first()
    if row is None:
        raise ValidationError({"umpan_balik": ["Belum ada realisasi pada periode ini untuk diberi umpan balik."]})
    old = row.umpan_balik
    row.umpan_balik = (umpan_balik or "").strip()
    row.save(update_fields=["umpan_balik", "updated_at"])
    _finish(actor, locked, {f"umpan_balik[{periode_ke}]": [old, row.umpan_balik]}, [])
    return row


def _clean_ratings(rating_hasil_kerja, rating_perilaku, rating_berakhlak):
    errors = {}
    valid = set(Rating.values)
    berakhlak = {}
    for kode in BerAKHLAK.values:
        value = (rating_berakhlak or {}).get(kode)
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = None
        if value not in valid:
            errors.setdefault("rating_berakhlak", []).append(f"Nilai {BerAKHLAK(kode).label} belum dinilai.")
        berakhlak[kode] = value
    unknown = set(rating_berakhlak or {}) - set(BerAKHLAK.values)
    if unknown:
        errors.setdefault("rating_berakhlak", []).append(
            f"Nilai BerAKHLAK tidak dikenal: {', '.join(sorted(unknown))}."
        )
    ratings = {}
    for name, value in (("rating_hasil_kerja", rating_hasil_kerja), ("rating_perilaku", rating_perilaku)):
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = None
        if value not in valid:
            errors[name] = ["Pilih di atas, sesuai, atau di bawah ekspektasi."]
        ratings[name] = value
    if errors:
        raise ValidationError(errors)
    return ratings["rating_hasil_kerja"], ratings["rating_perilaku"], berakhlak


CAPAIAN_TO_RATING = {
    CapaianOrganisasi.ISTIMEWA: Rating.DI_ATAS,
    CapaianOrganisasi.BAIK: Rating.SESUAI,
    CapaianOrganisasi.BUTUH_PERBAIKAN: Rating.DI_BAWAH,
    CapaianOrganisasi.KURANG: Rating.DI_BAWAH,
    CapaianOrganisasi.SANGAT_KURANG: Rating.DI_BAWAH,
}


def rating_hasil_from_unit(penilaian):
    """For the head of a unit, the unit's own result is the rating hasil kerja (DOMAIN §4).

    The head is the pegawai whose jabatan is managerial and answers to a jabatan outside its
    own unit (or to none); the unit's capaian kinerja organisasi for the year decides. None when
    that does not apply or no result is set.
    """
    jabatan = penilaian.pegawai.jabatan
    if jabatan is None or not jabatan.is_manajerial:
        return None
    if jabatan.atasan_id and Jabatan.objects.filter(pk=jabatan.atasan_id, unit_kerja_id=jabatan.unit_kerja_id).exists():
        return None
    capaian = CapaianUnit.objects.filter(periode=penilaian.periode, unit_kerja_id=jabatan.unit_kerja_id).first()
    return CAPAIAN_TO_RATING[capaian.capaian] if capaian else None


@transaction.atomic
def evaluasi_periodik_save(
    *,
    actor,
    penilaian,
    periode_ke,
    rating_hasil_kerja,
    rating_perilaku,
    rating_berakhlak,
    umpan_balik="",
    expected_version=None,
):
    """The penilai's rating of one periodic evaluation; the predikat follows from the matrix."""
    locked = _begin(actor, penilaian, "evaluasi_periodik", expected_version)
    periode_ke = _periode_ke(locked, periode_ke)
    hasil, perilaku, berakhlak = _clean_ratings(rating_hasil_kerja, rating_perilaku, rating_berakhlak)
    row, _ = EvaluasiPeriodik.objects.update_or_create(
        penilaian=locked,
        periode_ke=periode_ke,
        defaults={
            "rating_hasil_kerja": hasil,
            "rating_perilaku": perilaku,
            "rating_berakhlak": berakhlak,
            "predikat": predikat_for(hasil, perilaku),
            "umpan_balik": (umpan_balik or "").strip(),
            "dinilai_oleh": actor,
        },
    )
    _finish(
        actor,
        locked,
        {f"evaluasi[{periode_ke}].predikat": [None, row.get_predikat_display()]},
        [],
    )
    return row


# ---------------------------------------------------------------------------------------------
# Evaluation and follow-up


def _set_result(penilaian, hasil, perilaku, berakhlak=None):
    before = {
        "rating_hasil_kerja": penilaian.rating_hasil_kerja,
        "rating_perilaku": penilaian.rating_perilaku,
        "predikat": penilaian.predikat,
    }
    penilaian.rating_hasil_kerja, penilaian.rating_perilaku = hasil, perilaku
    if berakhlak is not None:
        penilaian.rating_berakhlak = berakhlak
    penilaian.predikat = predikat_for(hasil, perilaku)
    after = {
        "rating_hasil_kerja": penilaian.rating_hasil_kerja,
        "rating_perilaku": penilaian.rating_perilaku,
        "predikat": penilaian.predikat,
    }
    return audit.diff(before, after)


@transaction.atomic
def penilaian_nilai(
    *, actor, penilaian, rating_hasil_kerja, rating_perilaku, rating_berakhlak, umpan_balik="", expected_version=None
):
    """The penilai's annual rating. For the head of a unit the unit's result decides the
    rating hasil kerja."""
    locked = _begin(actor, penilaian, "nilai", expected_version)
    from_unit = rating_hasil_from_unit(locked)
    if from_unit is not None:
        rating_hasil_kerja = from_unit
    hasil, perilaku, berakhlak = _clean_ratings(rating_hasil_kerja, rating_perilaku, rating_berakhlak)
    changes = _set_result(locked, hasil, perilaku, berakhlak)
    locked.umpan_balik = (umpan_balik or "").strip()
    locked.dinilai_pada = timezone.now()
    return _move(
        actor,
        locked,
        "nilai",
        changes,
        ["rating_hasil_kerja", "rating_perilaku", "rating_berakhlak", "predikat", "umpan_balik", "dinilai_pada"],
    )


@transaction.atomic
def penilaian_terima(*, actor, penilaian, expected_version=None):
    """The pegawai accepts the result: the SKP is final."""
    locked = _begin(actor, penilaian, "terima", expected_version)
    locked.final_pada = timezone.now()
    return _move(actor, locked, "terima", fields=["final_pada"])


@transaction.atomic
def penilaian_ajukan_keberatan(*, actor, penilaian, alasan, expected_version=None):
    """The pegawai objects; the atasan pejabat penilai decides."""
    locked = _begin(actor, penilaian, "ajukan_keberatan", expected_version)
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError({"alasan": ["Tuliskan alasan keberatan."]})
    if locked.atasan_penilai_id is None:
        raise WorkflowError("SKP ini tidak memiliki atasan pejabat penilai untuk memutus keberatan. Hubungi BKPSDM.")
    locked.keberatan_alasan = alasan
    return _move(actor, locked, "ajukan_keberatan", {"keberatan_alasan": [None, alasan]}, ["keberatan_alasan"])


@transaction.atomic
def penilaian_putuskan_keberatan(
    *, actor, penilaian, keputusan, rating_hasil_kerja=None, rating_perilaku=None, expected_version=None
):
    """The atasan pejabat penilai decides the objection, and may change the ratings; final (PP 30/2019)."""
    locked = _begin(actor, penilaian, "putuskan_keberatan", expected_version)
    keputusan = (keputusan or "").strip()
    if not keputusan:
        raise ValidationError({"keputusan": ["Tuliskan keputusan atas keberatan."]})
    hasil = locked.rating_hasil_kerja if rating_hasil_kerja in (None, "") else rating_hasil_kerja
    perilaku = locked.rating_perilaku if rating_perilaku in (None, "") else rating_perilaku
    hasil, perilaku, _ = _clean_ratings(hasil, perilaku, locked.rating_berakhlak)
    changes = _set_result(locked, hasil, perilaku)
    changes["keberatan_keputusan"] = [None, keputusan]
    locked.keberatan_keputusan = keputusan
    locked.final_pada = timezone.now()
    return _move(
        actor,
        locked,
        "putuskan_keberatan",
        changes,
        ["rating_hasil_kerja", "rating_perilaku", "predikat", "keberatan_keputusan", "final_pada"],
    )


@transaction.atomic
def penilaian_finalkan(*, actor, penilaian, expected_version=None):
    """BKPSDM closes a rated SKP the pegawai has not answered."""
    locked = _begin(actor, penilaian, "finalkan", expected_version)
    locked.final_pada = timezone.now()
    return _move(actor, locked, "finalkan", fields=["final_pada"])


@transaction.atomic
def penilaian_buka_kembali(*, actor, penilaian, alasan, expected_version=None):
    """BKPSDM reopens a final SKP, with a reason; the result is cleared for a new rating."""
    locked = _begin(actor, penilaian, "buka_kembali", expected_version)
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError({"alasan": ["Tuliskan alasan membuka kembali SKP final."]})
    changes = _set_result(locked, None, None)
    changes["alasan_buka_kembali"] = [None, alasan]
    locked.final_pada = None
    return _move(
        actor,
        locked,
        "buka_kembali",
        changes,
        ["rating_hasil_kerja", "rating_perilaku", "predikat", "final_pada"],
    )
