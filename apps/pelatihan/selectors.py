"""Reading competency development: JP per year and the 20 JP rule, leadership training gaps,
competency gaps and the job-person match, and "who needs which training".

Every function takes an already scoped ``Pegawai`` queryset (``Pegawai.objects.visible_to(user)``
or ``manageable_by``) and answers in a fixed number of queries.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Exists, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from apps.pegawai.models import Pegawai, RiwayatJabatan, UnitKerja
from apps.penilaian.models import Penilaian, Predikat
from apps.penilaian.models import Status as StatusSkp
from apps.standar_kinerja.models import StandarKompetensi

from .models import (
    JP_WAJIB_PER_TAHUN,
    KEPEMIMPINAN_UNTUK_JABATAN,
    KEPEMIMPINAN_URUTAN,
    AsesmenKompetensi,
    Kepemimpinan,
    Pelatihan,
    RiwayatPelatihan,
)

# ---------------------------------------------------------------------------------------------
# JP and the 20 JP rule.


def _year_range(tahun):
    return dt.date(tahun, 1, 1), dt.date(tahun, 12, 31)


def jp_subquery(tahun, pegawai_ref="pk"):
    """The confirmed JP of the pegawai at ``pegawai_ref`` in ``tahun`` (0 when none)."""
    total = (
        RiwayatPelatihan.objects.diakui()
        .filter(pegawai=OuterRef(pegawai_ref), tanggal_selesai__range=_year_range(tahun))
        .order_by()
        .values("pegawai")
        .annotate(total=Sum("jp_diakui"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def jp_tahun(pegawai, tahun):
    """The JP that count for ``pegawai`` in ``tahun``: confirmed records ending that year."""
    total = (
        RiwayatPelatihan.objects.diakui()
        .filter(pegawai=pegawai, tanggal_selesai__range=_year_range(tahun))
        .aggregate(total=Sum("jp_diakui"))["total"]
    )
    return total or 0


def with_jp(pegawai_qs, tahun):
    """Annotate ``jp_tahun`` and ``kekurangan_jp`` (how far below 20, 0 when met)."""
    return pegawai_qs.annotate(jp_tahun=jp_subquery(tahun)).annotate(
        kekurangan_jp=Greatest(Value(JP_WAJIB_PER_TAHUN) - F("jp_tahun"), Value(0))
    )


def kurang_jp(pegawai_qs, tahun):
    """The pegawai under 20 JP in ``tahun``, with ``jp_tahun`` and ``kekurangan_jp``."""
    return with_jp(pegawai_qs, tahun).filter(jp_tahun__lt=JP_WAJIB_PER_TAHUN)


@dataclass
class RekapUnit:
    unit: UnitKerja
    jumlah_pegawai: int = 0
    kurang: int = 0
    total_jp: int = 0
    total_kekurangan: int = 0

    @property
    def memenuhi(self):
        return self.jumlah_pegawai - self.kurang

    @property
    def persen_memenuhi(self):
        return round(100 * self.memenuhi / self.jumlah_pegawai, 1) if self.jumlah_pegawai else None

    @property
    def rata_jp(self):
        return round(self.total_jp / self.jumlah_pegawai, 1) if self.jumlah_pegawai else None


def jp_per_unit_kerja(pegawai_qs, tahun):
    """Per unit kerja of the scoped pegawai: [pegawai, under 20 JP, total JP, total shortfall].
    One grouped query: each pegawai's confirmed JP of the year are summed first, then rolled up
    per unit (the ORM cannot group an aggregate of an aggregate, hence the SQL)."""
    scoped_sql, scoped_params = (
        pegawai_qs.order_by().values(pid=F("pk"), uid=F("unit_kerja_id")).query.sql_with_params()
    )
    diakui_sql, diakui_params = (
        RiwayatPelatihan.objects.diakui()
        .filter(tanggal_selesai__range=_year_range(tahun))
        .order_by()
        .values(pid=F("pegawai_id"))
        .annotate(total=Sum("jp_diakui"))
        .values("pid", "total")
        .query.sql_with_params()
    )
    wajib = JP_WAJIB_PER_TAHUN
    sql = f"""
        SELECT p.uid,
               COUNT(*),
               SUM(CASE WHEN COALESCE(j.total, 0) < {wajib} THEN 1 ELSE 0 END),
               SUM(COALESCE(j.total, 0)),
               SUM(CASE WHEN COALESCE(j.total, 0) < {wajib} THEN {wajib} - COALESCE(j.total, 0) ELSE 0 END)
        FROM ({scoped_sql}) p
        LEFT JOIN ({diakui_sql}) j ON j.pid = p.pid
        GROUP BY p.uid
    """  # noqa: S608 - both parts are compiled by the ORM with their parameters kept apart
    with connection.cursor() as cursor:
        cursor.execute(sql, [*scoped_params, *diakui_params])
        return {row[0]: [int(v or 0) for v in row[1:]] for row in cursor.fetchall()}


def rekap_jp_per_unit(pegawai_qs, tahun, induk=None):
    """The 20 JP rule per unit: one row for each child of ``induk`` (or each instansi in scope
    when ``induk`` is None) that has pegawai in ``pegawai_qs``, with the pegawai count, how many
    are under 20 JP and how many JP they are short in all. Three queries whatever the size."""
    if induk is not None:
        # Only the subtree of ``induk``: a pegawai elsewhere would otherwise land in its own row.
        pegawai_qs = pegawai_qs.filter(unit_kerja__in=UnitKerja.objects.subtree_of(induk).values("pk"))
    per_unit = jp_per_unit_kerja(pegawai_qs, tahun)
    paths = dict(UnitKerja.objects.filter(pk__in=list(per_unit)).values_list("pk", "path"))
    depth = induk.path.count("/") - 1 if induk is not None else 0
    groups = defaultdict(lambda: [0, 0, 0, 0])
    for unit_id, figures in per_unit.items():
        parts = paths[unit_id].strip("/").split("/")
        key = int(parts[depth]) if len(parts) > depth else induk.pk
        groups[key] = [a + b for a, b in zip(groups[key], figures, strict=True)]
    units = UnitKerja.objects.in_bulk(list(groups))
    result = [
        RekapUnit(unit=units[key], jumlah_pegawai=g[0], kurang=g[1], total_jp=g[2], total_kekurangan=g[3])
        for key, g in groups.items()
    ]
    result.sort(key=lambda r: (r.unit.pk != getattr(induk, "pk", None), r.unit.nama))
    return result


# ---------------------------------------------------------------------------------------------
# Leadership training (PerLAN 5/2022).


def _covering(needed):
    return KEPEMIMPINAN_URUTAN[KEPEMIMPINAN_URUTAN.index(needed) :]


def _has_kepemimpinan(levels):
    return Exists(RiwayatPelatihan.objects.diakui().filter(pegawai=OuterRef("pk"), kepemimpinan__in=levels))


def _acting_by_jenis(on_date):
    """``{jenis jabatan: [pegawai ids]}`` of the Plt/Plh/Pj assignments in a managerial jabatan
    active on ``on_date``: those pegawai are heading for that level. One query; the lists are
    short (a few acting officials per perangkat daerah)."""
    acting = defaultdict(list)
    rows = (
        RiwayatJabatan.objects.filter(
            jabatan__jenis__in=list(KEPEMIMPINAN_UNTUK_JABATAN),
            jenis_penugasan__in=["plt", "plh", "pj"],
            tmt__lte=on_date,
        )
        .filter(Q(tanggal_selesai__isnull=True) | Q(tanggal_selesai__gte=on_date))
        .values_list("jabatan__jenis", "pegawai_id")
    )
    for jenis, pegawai_id in rows:
        acting[jenis].append(pegawai_id)
    return acting


def kepemimpinan_gap_q(on_date=None):
    """Pegawai holding a managerial jabatan, or acting in one, without the matching leadership
    training (or a higher one) among their confirmed records. Reads the acting assignments
    first (one query): as id lists they let PostgreSQL see how few pegawai match, where a
    subquery per level had it walk the whole scope in name order for a page."""
    on_date = on_date or timezone.localdate()
    acting = _acting_by_jenis(on_date)
    q = Q(pk__in=[])
    for jenis, needed in KEPEMIMPINAN_UNTUK_JABATAN.items():
        holds = Q(jabatan__jenis=jenis)
        if acting[jenis]:
            holds |= Q(pk__in=acting[jenis])
        q |= holds & ~_has_kepemimpinan(_covering(needed))
    return q


def kepemimpinan_dibutuhkan(pegawai_list, on_date=None):
    """For each pegawai of the list, the leadership training they lack: ``{pegawai_id: level}``
    for those with a gap. Two queries."""
    on_date = on_date or timezone.localdate()
    ids = [p.pk for p in pegawai_list]
    acting = defaultdict(set)
    for pegawai_id, jenis in (
        RiwayatJabatan.objects.filter(pegawai_id__in=ids, jenis_penugasan__in=["plt", "plh", "pj"], tmt__lte=on_date)
        .filter(Q(tanggal_selesai__isnull=True) | Q(tanggal_selesai__gte=on_date))
        .values_list("pegawai_id", "jabatan__jenis")
    ):
        acting[pegawai_id].add(jenis)
    held = defaultdict(set)
    for pegawai_id, level in (
        RiwayatPelatihan.objects.diakui()
        .filter(pegawai_id__in=ids)
        .exclude(kepemimpinan="")
        .values_list("pegawai_id", "kepemimpinan")
    ):
        held[pegawai_id].add(level)
    result = {}
    for pegawai in pegawai_list:
        jenis_set = set(acting[pegawai.pk])
        if pegawai.jabatan_id is not None:
            jenis_set.add(pegawai.jabatan.jenis)
        needs = [KEPEMIMPINAN_UNTUK_JABATAN[j] for j in jenis_set if j in KEPEMIMPINAN_UNTUK_JABATAN]
        if not needs:
            continue
        needed = max(needs, key=KEPEMIMPINAN_URUTAN.index)
        if not held[pegawai.pk] & set(_covering(needed)):
            result[pegawai.pk] = Kepemimpinan(needed)
    return result


# ---------------------------------------------------------------------------------------------
# Competency gap and job-person match (DOMAIN §5).


def jpm_band(jpm):
    """The band of a job-person match percentage; the limits are configurable."""
    if jpm is None:
        return None
    batas = getattr(settings, "JPM_BATAS", {"memenuhi": 80, "masih_memenuhi": 68})
    if jpm >= batas["memenuhi"]:
        return "Memenuhi Syarat"
    if jpm >= batas["masih_memenuhi"]:
        return "Masih Memenuhi Syarat"
    return "Kurang Memenuhi Syarat"


@dataclass
class GapRow:
    kompetensi: object
    dipersyaratkan: int
    hasil: int | None
    asesmen: AsesmenKompetensi | None = None

    @property
    def gap(self):
        return None if self.hasil is None else self.hasil - self.dipersyaratkan


@dataclass
class GapKompetensi:
    rows: list = field(default_factory=list)

    @property
    def lengkap(self):
        """Every required competency has an assessment."""
        return bool(self.rows) and all(row.hasil is not None for row in self.rows)

    @property
    def belum_diases(self):
        return [row for row in self.rows if row.hasil is None]

    @property
    def negatif(self):
        return [row for row in self.rows if row.gap is not None and row.gap < 0]

    @property
    def jpm(self):
        """Σ min(assessed, required) / Σ required × 100, once every competency is assessed."""
        if not self.lengkap:
            return None
        required = sum(row.dipersyaratkan for row in self.rows)
        matched = sum(min(row.hasil, row.dipersyaratkan) for row in self.rows)
        return round(100 * matched / required, 2)

    @property
    def band(self):
        return jpm_band(self.jpm)


def gap_kompetensi_bulk(pegawai_list):
    """``{pegawai_id: GapKompetensi}`` against the standar kompetensi of each one's jabatan, with
    the latest assessment of each competency. Two queries for any number of pegawai."""
    jabatan_ids = {p.jabatan_id for p in pegawai_list if p.jabatan_id}
    standar = defaultdict(list)
    for row in (
        StandarKompetensi.objects.filter(jabatan_id__in=jabatan_ids)
        .select_related("kompetensi")
        .order_by("kompetensi__kelompok", "kompetensi__kode")
    ):
        standar[row.jabatan_id].append(row)
    latest = {}
    for row in AsesmenKompetensi.objects.filter(pegawai__in=[p.pk for p in pegawai_list], terbaru=True):
        latest[(row.pegawai_id, row.kompetensi_id)] = row
    result = {}
    for pegawai in pegawai_list:
        rows = []
        for std in standar.get(pegawai.jabatan_id, []):
            asesmen = latest.get((pegawai.pk, std.kompetensi_id))
            rows.append(GapRow(std.kompetensi, std.level, asesmen.level if asesmen else None, asesmen))
        result[pegawai.pk] = GapKompetensi(rows)
    return result


def gap_kompetensi(pegawai):
    return gap_kompetensi_bulk([pegawai])[pegawai.pk]


def gap_negatif_q():
    """Pegawai whose latest assessment of a competency is below the level their jabatan requires.
    One uncorrelated subquery (a semi-join): at 100,000 pegawai a check per pegawai of the
    scope costs twice as much."""
    below = StandarKompetensi.objects.filter(
        jabatan=OuterRef("pegawai__jabatan"), kompetensi=OuterRef("kompetensi"), level__gt=OuterRef("level")
    )
    return Q(pk__in=AsesmenKompetensi.objects.filter(terbaru=True).filter(Exists(below)).values("pegawai_id"))


# ---------------------------------------------------------------------------------------------
# Latest predikat.

PREDIKAT_BUTUH_PERBAIKAN = (Predikat.BUTUH_PERBAIKAN, Predikat.KURANG, Predikat.SANGAT_KURANG)


def predikat_terakhir_subquery():
    """The predikat of the pegawai's latest final annual SKP."""
    return Subquery(
        Penilaian.objects.filter(pegawai=OuterRef("pk"), status=StatusSkp.FINAL, predikat__isnull=False)
        .order_by("-periode__tahun")
        .values("predikat")[:1]
    )


def predikat_butuh_perbaikan_q():
    """Pegawai whose latest final SKP has a predikat of Butuh Perbaikan or below: such an SKP
    with no final one of a later year. Starting from those few SKPs is one semi-join, where
    ``predikat_terakhir_subquery`` would look up every pegawai of the scope."""
    later = Penilaian.objects.filter(
        pegawai=OuterRef("pegawai"),
        status=StatusSkp.FINAL,
        predikat__isnull=False,
        periode__tahun__gt=OuterRef("periode__tahun"),
    )
    latest_bad = Penilaian.objects.filter(status=StatusSkp.FINAL, predikat__in=PREDIKAT_BUTUH_PERBAIKAN).filter(
        ~Exists(later)
    )
    return Q(pk__in=latest_bad.values("pegawai_id"))


# ---------------------------------------------------------------------------------------------
# Who needs which training.


class Kebutuhan:
    KOMPETENSI = "kompetensi"
    PREDIKAT = "predikat"
    JP = "jp"
    KEPEMIMPINAN = "kepemimpinan"

    LABELS = {
        KOMPETENSI: "Kesenjangan kompetensi",
        PREDIKAT: "Predikat kinerja Butuh Perbaikan atau di bawahnya",
        JP: f"Belum mencapai {JP_WAJIB_PER_TAHUN} JP tahun ini",
        KEPEMIMPINAN: "Belum mengikuti pelatihan kepemimpinan yang sesuai",
    }
    ALL = (KOMPETENSI, PREDIKAT, JP, KEPEMIMPINAN)


def kebutuhan_qs(pegawai_qs, jenis, tahun=None):
    """The pegawai of ``pegawai_qs`` with need ``jenis`` (one of ``Kebutuhan.ALL``)."""
    tahun = tahun or timezone.localdate().year
    pegawai_qs = pegawai_qs.filter(kedudukan_hukum="01")
    if jenis == Kebutuhan.KOMPETENSI:
        return pegawai_qs.filter(gap_negatif_q())
    if jenis == Kebutuhan.PREDIKAT:
        return pegawai_qs.filter(predikat_butuh_perbaikan_q())
    if jenis == Kebutuhan.JP:
        return kurang_jp(pegawai_qs, tahun)
    if jenis == Kebutuhan.KEPEMIMPINAN:
        return pegawai_qs.filter(kepemimpinan_gap_q())
    raise ValueError(f"Unknown need: {jenis}")


def pelatihan_tersedia(instansi_ids, on_date=None):
    """Catalogue trainings that have not started yet, in the given instansi."""
    on_date = on_date or timezone.localdate()
    return Pelatihan.objects.filter(instansi__in=instansi_ids, tanggal_mulai__gte=on_date).select_related(
        "penyelenggara"
    )


@dataclass
class KebutuhanPegawai:
    pegawai: Pegawai
    gap: GapKompetensi | None = None
    predikat: int | None = None
    jp_tahun: int | None = None
    kepemimpinan: str | None = None
    rekomendasi: list = field(default_factory=list)

    @property
    def kekurangan_jp(self):
        return None if self.jp_tahun is None else max(JP_WAJIB_PER_TAHUN - self.jp_tahun, 0)

    @property
    def predikat_label(self):
        return Predikat(self.predikat).label if self.predikat else None


def kebutuhan_detail(pegawai_list, tahun=None, on_date=None):
    """What each pegawai of a (page-sized) list needs and the catalogue trainings that answer
    it: trainings developing a competency with a negative gap, and the missing leadership
    training, not yet started, of the pegawai's instansi; for the other needs (predikat, JP)
    trainings aimed at their jenis jabatan, then those open to all. A fixed number of queries
    for the whole list."""
    on_date = on_date or timezone.localdate()
    tahun = tahun or on_date.year
    pegawai_list = list(pegawai_list)
    if not pegawai_list:
        return []
    ids = [p.pk for p in pegawai_list]
    gaps = gap_kompetensi_bulk(pegawai_list)
    kepemimpinan = kepemimpinan_dibutuhkan(pegawai_list, on_date)
    jp = dict(
        RiwayatPelatihan.objects.diakui()
        .filter(pegawai__in=ids, tanggal_selesai__range=_year_range(tahun))
        .order_by()
        .values("pegawai")
        .annotate(total=Sum("jp_diakui"))
        .values_list("pegawai", "total")
    )
    predikat = dict(Pegawai.objects.filter(pk__in=ids).annotate(p=predikat_terakhir_subquery()).values_list("pk", "p"))
    roots = {p.pk: int(p.unit_kerja.path.strip("/").split("/")[0]) for p in pegawai_list}
    trainings = list(pelatihan_tersedia(set(roots.values()), on_date).prefetch_related("kompetensi"))
    result = []
    for pegawai in pegawai_list:
        item = KebutuhanPegawai(
            pegawai=pegawai,
            gap=gaps[pegawai.pk],
            predikat=predikat.get(pegawai.pk),
            jp_tahun=jp.get(pegawai.pk, 0),
            kepemimpinan=kepemimpinan.get(pegawai.pk),
        )
        gap_ids = {row.kompetensi.pk for row in item.gap.negatif}
        jenis_jabatan = pegawai.jabatan.jenis if pegawai.jabatan_id else None
        scored = []
        for training in trainings:
            if training.instansi_id != roots[pegawai.pk]:
                continue
            if training.sasaran_jenis_jabatan and training.sasaran_jenis_jabatan != jenis_jabatan:
                continue
            score = 0
            develops = {k.pk for k in training.kompetensi.all()} & gap_ids
            if develops:
                score += 10 * len(develops)
            if item.kepemimpinan and training.kepemimpinan == item.kepemimpinan:
                score += 20
            elif training.kepemimpinan:
                continue  # leadership training only for those who need that level
            needs_any = item.predikat in PREDIKAT_BUTUH_PERBAIKAN or item.kekurangan_jp
            if not score and needs_any:
                # Aimed at their jenis jabatan first, then those open to all (a mismatch left above).
                score += 2 if training.sasaran_jenis_jabatan else 1
            if score:
                scored.append((-score, training.tanggal_mulai, training.pk, training))
        item.rekomendasi = [t for *_, t in sorted(scored)[:5]]
        result.append(item)
    return result
