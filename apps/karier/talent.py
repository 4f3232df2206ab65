"""The talent matrix (DOMAIN §8, PermenPANRB 3/2020): kinerja from the latest final predikat ×
potensial from the competency assessment (job-person match band), the nine boxes, the
follow-up of each, and the talent pool (boxes 7–9) as succession candidates per managerial
jabatan."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F

from apps.pegawai.models import MANAJERIAL, Jabatan, JenisJabatan, Pegawai
from apps.pelatihan.models import KEPEMIMPINAN_UNTUK_JABATAN, AsesmenKompetensi
from apps.pelatihan.selectors import jpm_band
from apps.penilaian.models import Penilaian, Predikat
from apps.penilaian.models import Status as StatusSkp
from apps.standar_kinerja.models import StandarKompetensi

DI_ATAS, SESUAI, DI_BAWAH = "di_atas", "sesuai", "di_bawah"
TINGGI, MENENGAH, RENDAH = "tinggi", "menengah", "rendah"

KINERJA_LABEL = {DI_ATAS: "Di atas ekspektasi", SESUAI: "Sesuai ekspektasi", DI_BAWAH: "Di bawah ekspektasi"}
POTENSIAL_LABEL = {TINGGI: "Tinggi", MENENGAH: "Menengah", RENDAH: "Rendah"}

BOX = {
    (DI_ATAS, TINGGI): 9,
    (SESUAI, TINGGI): 8,
    (DI_ATAS, MENENGAH): 7,
    (DI_BAWAH, TINGGI): 6,
    (SESUAI, MENENGAH): 5,
    (DI_ATAS, RENDAH): 4,
    (DI_BAWAH, MENENGAH): 3,
    (SESUAI, RENDAH): 2,
    (DI_BAWAH, RENDAH): 1,
}
TINDAK_LANJUT = {
    9: "Dipromosikan dan dipertahankan; masuk kelompok rencana suksesi; mendapat penghargaan.",
    8: "Dipertahankan; masuk kelompok rencana suksesi; rotasi; pengembangan kinerja (coaching).",
    7: "Dipertahankan; masuk kelompok rencana suksesi; rotasi; pengembangan kompetensi.",
    6: "Penempatan yang sesuai; bimbingan kinerja; konseling kinerja.",
    5: "Penempatan yang sesuai; bimbingan kinerja; pengembangan kompetensi.",
    4: "Rotasi; pengembangan kompetensi.",
    3: "Bimbingan kinerja; konseling kinerja; pengembangan kompetensi; penempatan yang sesuai.",
    2: "Bimbingan kinerja; pengembangan kompetensi; penempatan yang sesuai.",
    1: "Diproses sesuai ketentuan peraturan perundang-undangan (disiplin).",
}
TALENT_POOL = (7, 8, 9)


def kinerja_dari(predikat):
    if predikat is None:
        return None
    if predikat == Predikat.SANGAT_BAIK:
        return DI_ATAS
    if predikat == Predikat.BAIK:
        return SESUAI
    return DI_BAWAH


def potensial_dari(band):
    return {"Memenuhi Syarat": TINGGI, "Masih Memenuhi Syarat": MENENGAH, "Kurang Memenuhi Syarat": RENDAH}.get(band)


def box_of(predikat, jpm):
    """The box (1–9) of a predikat and a job-person match percentage, or None when either is
    missing."""
    kinerja, potensial = kinerja_dari(predikat), potensial_dari(jpm_band(jpm))
    if kinerja is None or potensial is None:
        return None
    return BOX[(kinerja, potensial)]


def jpm_per_pegawai(pegawai_qs):
    """``{pegawai_id: jpm}`` for the pegawai of ``pegawai_qs`` whose every required competency
    has an assessment. One grouped query: each pegawai's latest assessments joined to the
    standards of their jabatan on the competency (an equi-join on both columns, which
    PostgreSQL hashes), kept when as many matched as the jabatan requires."""
    scoped = pegawai_qs.order_by().filter(jabatan__isnull=False)
    scoped_sql, scoped_params = scoped.values(pid=F("pk"), jid=F("jabatan_id")).query.sql_with_params()
    standar = StandarKompetensi._meta.db_table
    asesmen = AsesmenKompetensi._meta.db_table
    sql = f"""
        SELECT p.pid,
               SUM(CASE WHEN a.level < s.level THEN a.level ELSE s.level END),
               MAX(r.required)
        FROM ({scoped_sql}) p
        JOIN {asesmen} a ON a.pegawai_id = p.pid AND a.terbaru
        JOIN {standar} s ON s.jabatan_id = p.jid AND s.kompetensi_id = a.kompetensi_id
        JOIN (SELECT jabatan_id, SUM(level) AS required, COUNT(*) AS total FROM {standar} GROUP BY jabatan_id) r
          ON r.jabatan_id = p.jid
        GROUP BY p.pid
        HAVING COUNT(*) = MAX(r.total)
    """  # noqa: S608 - table names from model meta, the scoped part compiled by the ORM
    with connection.cursor() as cursor:
        cursor.execute(sql, scoped_params)
        return {pid: round(100 * matched / required, 2) for pid, matched, required in cursor.fetchall() if required}


@dataclass
class Matriks:
    """Pegawai ids per box, and those that cannot be placed yet."""

    kotak: dict = field(default_factory=lambda: {n: [] for n in range(1, 10)})
    tanpa_predikat: int = 0
    tanpa_asesmen: int = 0
    jpm: dict = field(default_factory=dict)  # of those with a complete assessment
    predikat: dict = field(default_factory=dict)  # the latest predikat of those in ``jpm`` who have one

    def jumlah(self, n):
        return len(self.kotak[n])

    @property
    def total(self):
        return sum(len(ids) for ids in self.kotak.values())

    @property
    def talent_pool(self):
        return [pid for n in TALENT_POOL for pid in self.kotak[n]]

    def box_of(self, pegawai_id):
        if not hasattr(self, "_index"):
            self._index = {pid: n for n, ids in self.kotak.items() for pid in ids}
        return self._index.get(pegawai_id)


def predikat_terakhir(pegawai_qs):
    """``{pegawai_id: predikat}`` of each pegawai's latest final annual SKP. One query: on
    PostgreSQL ``DISTINCT ON`` over the final SKPs of the scope (a correlated subquery per pegawai
    is several times slower at 100,000); elsewhere the rows are reduced here."""
    final = (
        Penilaian.objects.filter(pegawai__in=pegawai_qs.order_by().values("pk"), status=StatusSkp.FINAL)
        .exclude(predikat__isnull=True)
        .order_by("pegawai_id", "-periode__tahun")
    )
    if connection.features.can_distinct_on_fields:
        return dict(final.distinct("pegawai_id").values_list("pegawai_id", "predikat"))
    result = {}
    for pegawai_id, predikat in final.values_list("pegawai_id", "predikat"):
        result.setdefault(pegawai_id, predikat)
    return result


def matriks(pegawai_qs):
    """Place every pegawai of ``pegawai_qs`` (active ones) in the 9-box. Three queries: the
    job-person match, the latest predikat of those who have one (a few thousand, not the whole
    scope), and how many in the scope have a final predikat at all (for ``tanpa_asesmen``)."""
    pegawai_qs = pegawai_qs.filter(kedudukan_hukum="01")
    jpm = jpm_per_pegawai(pegawai_qs)
    assessed = AsesmenKompetensi.objects.filter(terbaru=True).values("pegawai_id")
    predikat = {pid: p for pid, p in predikat_terakhir(pegawai_qs.filter(pk__in=assessed)).items() if pid in jpm}
    result = Matriks(jpm=jpm, predikat=predikat)
    for pid in sorted(predikat):
        result.kotak[box_of(predikat[pid], jpm[pid])].append(pid)
    final = Penilaian.objects.filter(status=StatusSkp.FINAL, predikat__isnull=False)
    dengan_predikat = pegawai_qs.order_by().filter(pk__in=final.values("pegawai_id")).count()
    result.tanpa_asesmen = dengan_predikat - len(predikat)
    result.tanpa_predikat = len(jpm) - len(predikat)
    return result


# The managerial level a pool member may be groomed for: one step up from where they sit.
JENJANG_BERIKUT = {
    JenisJabatan.PELAKSANA: JenisJabatan.PENGAWAS,
    JenisJabatan.FUNGSIONAL: JenisJabatan.PENGAWAS,
    JenisJabatan.PENGAWAS: JenisJabatan.ADMINISTRATOR,
    JenisJabatan.ADMINISTRATOR: JenisJabatan.JPT_PRATAMA,
    JenisJabatan.JPT_PRATAMA: JenisJabatan.JPT_MADYA,
    JenisJabatan.JPT_MADYA: JenisJabatan.JPT_UTAMA,
}


@dataclass
class Kandidat:
    pegawai: Pegawai
    box: int
    jpm: float
    kepemimpinan_ada: bool


@dataclass
class Suksesi:
    jabatan: Jabatan
    pemangku: Pegawai | None
    kandidat: list


def suksesi(pegawai_qs, jabatan_qs, matriks_result=None, per_jabatan=5):
    """For each managerial jabatan of ``jabatan_qs``: its holder and up to ``per_jabatan``
    candidates from the talent pool of the same instansi who sit one level below it, best box
    and JPM first, with whether they already have the leadership training the jabatan needs.
    A fixed number of queries."""
    from apps.pelatihan.models import KEPEMIMPINAN_URUTAN, RiwayatPelatihan

    m = matriks_result or matriks(pegawai_qs)
    pool = list(Pegawai.objects.filter(pk__in=m.talent_pool).select_related("jabatan", "unit_kerja", "golongan"))
    held = defaultdict(set)
    for pid, level in (
        RiwayatPelatihan.objects.diakui()
        .filter(pegawai__in=[p.pk for p in pool])
        .exclude(kepemimpinan="")
        .values_list("pegawai_id", "kepemimpinan")
    ):
        held[pid].add(level)
    by_level = defaultdict(list)
    for p in pool:
        target = JENJANG_BERIKUT.get(p.jabatan.jenis) if p.jabatan_id else None
        if target:
            by_level[(target, p.unit_kerja.path.strip("/").split("/")[0])].append(p)
    jabatan_list = list(
        jabatan_qs.filter(jenis__in=list(MANAJERIAL)).select_related("unit_kerja").order_by("unit_kerja__path", "nama")
    )
    # The latest holder when two are recorded (a successor whose predecessor has not moved yet):
    # the first row per jabatan, newest TMT first.
    holders = {}
    for p in (
        Pegawai.objects.filter(jabatan__in=[j.pk for j in jabatan_list], kedudukan_hukum="01")
        .select_related("golongan")
        .order_by(F("tmt_jabatan").desc(nulls_last=True), "-pk")
    ):
        holders.setdefault(p.jabatan_id, p)
    result = []
    for jabatan in jabatan_list:
        root = jabatan.unit_kerja.path.strip("/").split("/")[0]
        needed = KEPEMIMPINAN_UNTUK_JABATAN.get(jabatan.jenis)
        covering = set(KEPEMIMPINAN_URUTAN[KEPEMIMPINAN_URUTAN.index(needed) :]) if needed else set()
        candidates = [
            Kandidat(p, m.box_of(p.pk), m.jpm[p.pk], bool(held[p.pk] & covering))
            for p in by_level.get((jabatan.jenis, root), [])
        ]
        candidates.sort(key=lambda k: (-k.box, -k.jpm, k.pegawai.nama))
        result.append(Suksesi(jabatan, holders.get(jabatan.pk), candidates[:per_jabatan]))
    return result
