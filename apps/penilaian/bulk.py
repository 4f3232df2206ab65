"""Creating the SKPs of a whole unit at once (BKPSDM's "Buat SKP massal")."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch

from apps.core.exceptions import ConflictError, NotAllowedError, WorkflowError
from apps.core.models import AuditLog
from apps.pegawai.models import KedudukanHukum, Pegawai, RiwayatJabatan, UnitKerja
from apps.standar_kinerja.models import IndikatorKinerja

from .models import Penilaian
from .services import _new_penilaian, _prefill_rencana, default_parties

BATCH_SIZE = 500


def _acting_ids():
    """Pegawai with a Plt/Plh/Pj assignment. ``default_parties`` walks up from the atasan of the
    pegawai's jabatan and skips the pegawai themself; only an acting assignment can put a
    pegawai above their own jabatan, so for everyone else the result depends on the atasan
    jabatan alone."""
    acting = RiwayatJabatan.objects.filter(jenis_penugasan__in=["plt", "plh", "pj"])
    return set(acting.values_list("pegawai_id", flat=True))


@transaction.atomic
def penilaian_generate(*, actor, periode, unit):
    """Create the SKP of every active pegawai in ``unit`` and below who has none in ``periode``,
    with the parties and rencana ``penilaian_create`` would give each. Returns the SKPs made."""
    if not periode.is_open:
        raise WorkflowError(f"Periode penilaian {periode.tahun} sudah ditutup.")
    if not UnitKerja.objects.manageable_by(actor).filter(pk=unit.pk).exists():
        raise NotAllowedError("SKP massal hanya dapat dibuat oleh staf BKPSDM untuk unit dalam lingkup kelolanya.")
    if unit.instansi_id != periode.instansi_id:
        raise ValidationError({"unit_kerja": ["Unit kerja ini bukan bagian dari instansi periode tersebut."]})

    pegawai_list = list(
        Pegawai.objects.manageable_by(actor)
        .filter(
            unit_kerja__in=UnitKerja.objects.subtree_of(unit).values("pk"),
            kedudukan_hukum=KedudukanHukum.AKTIF,
        )
        .exclude(penilaian__periode=periode)
        .select_related("jabatan", "golongan", "unit_kerja")
        .prefetch_related(
            Prefetch("jabatan__indikator_kinerja", queryset=IndikatorKinerja.objects.order_by("urutan", "id"))
        )
        .order_by("pk")
    )
    if not pegawai_list:
        return []

    # Pegawai under the same atasan jabatan share their appraisers: the chain is walked once
    # per atasan jabatan, and the appraisers are loaded (with what the snapshot needs) at once.
    acting = _acting_ids()
    parties_by_atasan = {}
    parties = []
    for pegawai in pegawai_list:
        if pegawai.pk in acting or pegawai.jabatan_id is None:
            parties.append(default_parties(pegawai))
            continue
        key = pegawai.jabatan.atasan_id
        if key not in parties_by_atasan:
            parties_by_atasan[key] = default_parties(pegawai)
        parties.append(parties_by_atasan[key])
    appraiser_ids = {p.pk for penilai, _, atasan in parties for p in (penilai, atasan) if p is not None}
    appraisers = Pegawai.objects.select_related("golongan", "jabatan", "unit_kerja").in_bulk(appraiser_ids)
    skps = [
        _new_penilaian(
            periode,
            pegawai,
            appraisers[penilai.pk] if penilai else None,
            penugasan,
            appraisers[atasan.pk] if atasan else None,
        )
        for pegawai, (penilai, penugasan, atasan) in zip(pegawai_list, parties, strict=True)
    ]

    try:
        with transaction.atomic():
            Penilaian.objects.bulk_create(skps, batch_size=BATCH_SIZE)
    except IntegrityError:
        raise ConflictError(
            "Sebagian SKP baru saja dibuat oleh proses lain. Muat ulang halaman lalu jalankan kembali."
        ) from None

    for pegawai, skp in zip(pegawai_list, skps, strict=True):
        _prefill_rencana(skp, pegawai.jabatan)

    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    AuditLog.objects.bulk_create(
        [
            AuditLog(
                actor_id=actor_id,
                action=AuditLog.Action.CREATE,
                object_type=Penilaian._meta.label_lower,
                object_id=str(skp.pk),
                object_repr=str(skp)[:255],
                pegawai_id=skp.pegawai_id,
                changes={
                    "periode": [None, periode.tahun],
                    "penilai": [None, skp.penilai_nama],
                    "dibuat_massal": [None, unit.nama],
                },
            )
            for skp in skps
        ],
        batch_size=BATCH_SIZE,
    )
    return skps
