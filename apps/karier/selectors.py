"""The karier lists and the career page, shared by the pages and the API: which pegawai a list
holds (a filter on an already scoped ``Pegawai`` queryset, in one query) and what each row of a
page says (a fixed number of queries for the page, whatever its size).

The rules themselves live in ``eligibility`` (KP, KGB, BUP) and ``talent`` (9-box, succession).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.utils import timezone

from apps.pegawai.models import Golongan, JenisASN, UnitKerja
from apps.penilaian.models import Penilaian, Predikat
from apps.penilaian.models import Status as StatusSkp

from . import eligibility as el
from . import talent

# ---------------------------------------------------------------------------------------------
# Shared


def in_unit(pegawai_qs, unit):
    """The pegawai of ``pegawai_qs`` in ``unit`` or below it (``unit`` None: all of them)."""
    if unit is None:
        return pegawai_qs
    return pegawai_qs.filter(unit_kerja__in=UnitKerja.objects.subtree_of(unit).values("pk"))


def plus_months(day, months):
    """The same day ``months`` later (the last day of a shorter month)."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def jendela(bulan, awal=None):
    """The window of the next ``bulan`` months from ``awal`` (today): both ends included."""
    awal = awal or timezone.localdate()
    return awal, plus_months(awal, bulan) - dt.timedelta(days=1)


def _golongan_index():
    return {(g.jenis_asn, g.tingkat): g for g in Golongan.objects.all()}


def golongan_berikut(pegawai, index):
    """The next golongan of a PNS (the next tingkat of the same jenis), None for PPPK, CPNS or at IV/e."""
    if pegawai.jenis_asn != JenisASN.PNS or pegawai.golongan_id is None:
        return None
    return index.get((pegawai.golongan.jenis_asn, pegawai.golongan.tingkat + 1))


# ---------------------------------------------------------------------------------------------
# Kenaikan pangkat reguler

LAYAK, BELUM, SEMUA = "layak", "belum", "semua"
STATUS_KP = [(LAYAK, "Memenuhi syarat"), (BELUM, "Belum memenuhi"), (SEMUA, "Semua kandidat")]
PERIODE_DITAWARKAN = 4  # the next KP dates offered on the page: two years ahead


def kp_periode_pilihan(pada=None, jumlah=PERIODE_DITAWARKAN):
    """The next ``jumlah`` KP dates from ``pada`` (today), the first being the default."""
    day = el.kp_periode_berikut(pada or timezone.localdate())
    result = []
    for _ in range(jumlah):
        result.append(day)
        day = el.kp_periode_berikut(day + dt.timedelta(days=1))
    return result


def is_kp_date(day):
    return (day.month, day.day) in {tuple(item) for item in el.kp_periode()}


def kp_filter(pegawai_qs, periode, status):
    """The KP candidates of ``pegawai_qs`` on ``periode``: the eligible ones (``layak``), the
    others (``belum``: candidates minus eligible), or all candidates (``semua``)."""
    candidates = pegawai_qs.filter(el.kp_kandidat_q(periode))
    if status == LAYAK:
        return candidates.filter(el.kp_layak_q(periode))
    if status == BELUM:
        # A CASE, not ~Q(...): the negation of a rule with nullable joins and EXISTS would
        # differ from "not kept by the filter" on the rows where a part is NULL.
        layak = Case(When(el.kp_layak_q(periode), then=Value(True)), default=Value(False), output_field=BooleanField())
        return candidates.annotate(_kp_layak=layak).filter(_kp_layak=False)
    return candidates


def kp_jumlah(pegawai_qs, periode):
    """``{layak, belum, semua}`` for ``pegawai_qs`` on ``periode``: one query."""
    counts = (
        pegawai_qs.filter(el.kp_kandidat_q(periode))
        .order_by()
        .aggregate(semua=Count("pk"), layak=Count("pk", filter=el.kp_layak_q(periode)))
    )
    return {LAYAK: counts["layak"], BELUM: counts["semua"] - counts["layak"], SEMUA: counts["semua"]}


@dataclass
class SkpTahun:
    tahun: int
    status: str | None = None  # None: no SKP that year
    predikat: int | None = None

    @property
    def label(self):
        if self.status is None:
            return "Tidak ada"
        if self.status != StatusSkp.FINAL or self.predikat is None:
            return "Belum final"
        return Predikat(self.predikat).label

    @property
    def cukup(self):
        return self.status == StatusSkp.FINAL and self.predikat in el.PREDIKAT_CUKUP


@dataclass
class BarisKP:
    pegawai: object
    periode: dt.date
    golongan_berikut: Golongan | None
    masa_kerja_golongan: tuple | None  # (tahun, bulan) on the KP date
    skp: list  # SkpTahun, older year first
    alasan: list
    catatan: list

    @property
    def layak(self):
        return not self.alasan


def kp_baris(pegawai_list, periode):
    """One ``BarisKP`` per pegawai of a page: the next golongan, MKG on the KP date, the two SKP
    years and, from ``eligibility.kp_kelayakan``, why not. Five queries for the page."""
    pegawai_list = list(pegawai_list)
    if not pegawai_list:
        return []
    index = _golongan_index()
    tahun_1, tahun_2 = el.kp_tahun_skp(periode)
    skp = {
        (row["pegawai_id"], row["periode__tahun"]): row
        for row in Penilaian.objects.filter(
            pegawai__in=[p.pk for p in pegawai_list], periode__tahun__in=[tahun_1, tahun_2]
        ).values("pegawai_id", "periode__tahun", "status", "predikat")
    }
    result = []
    for kelayakan in el.kp_kelayakan(pegawai_list, periode):
        pegawai = kelayakan.pegawai
        years = []
        for tahun in (tahun_2, tahun_1):
            row = skp.get((pegawai.pk, tahun))
            years.append(SkpTahun(tahun, row["status"], row["predikat"]) if row else SkpTahun(tahun))
        result.append(
            BarisKP(
                pegawai=pegawai,
                periode=periode,
                golongan_berikut=golongan_berikut(pegawai, index),
                masa_kerja_golongan=pegawai.masa_kerja_golongan(periode),
                skp=years,
                alasan=kelayakan.alasan,
                catatan=kelayakan.catatan,
            )
        )
    return result


# ---------------------------------------------------------------------------------------------
# Kenaikan gaji berkala

KGB_BULAN = [3, 6, 12]  # the windows offered on the page
KGB_BULAN_MAKS = 24


def _kgb_urutan(awal):
    """The KGB date in the window as a sortable number (YYYYMMDD): the first MKG anniversary on
    or after ``awal`` that lands on an even number of years. Needs ``with_kgb_fields``."""
    year, md = awal.year, awal.month * 100 + awal.day
    tahun = Case(
        When(Q(_mkg_md__gte=md, _mkg_paritas=year % 2), then=Value(year)),
        When(Q(_mkg_md__gte=md), then=Value(year + 1)),
        When(Q(_mkg_paritas=(year + 1) % 2), then=Value(year + 1)),
        default=Value(year + 2),
        output_field=IntegerField(),
    )
    return tahun * Value(10000) + ExtractMonth("mkg_mulai") * Value(100) + ExtractDay("mkg_mulai")


def kgb_filter(pegawai_qs, awal, akhir):
    """The pegawai whose KGB falls due between ``awal`` and ``akhir``, soonest first."""
    return (
        el.with_kgb_fields(pegawai_qs)
        .filter(el.kgb_dalam_q(awal, akhir))
        .annotate(_kgb_urut=_kgb_urutan(awal))
        .order_by("_kgb_urut", "nama", "nip")
    )


@dataclass
class BarisKGB:
    pegawai: object
    tanggal: dt.date | None
    masa_kerja_golongan: tuple | None  # (tahun, bulan) on the KGB date
    hukuman: object = None  # the penalty that holds it back
    tanggal_ditunda: dt.date | None = None  # the date it moves to

    @property
    def ditunda(self):
        return self.hukuman is not None


def kgb_baris(pegawai_list, awal):
    """One ``BarisKGB`` per pegawai of a page: the KGB date, MKG then, and whether a penalty
    postpones it a year (``eligibility.kgb_ditunda``). One query for the page."""
    pegawai_list = list(pegawai_list)
    tanggal = {p.pk: el.kgb_berikut(p, awal) for p in pegawai_list}
    held = el.kgb_ditunda(pegawai_list, lambda p: tanggal[p.pk]) if pegawai_list else {}
    result = []
    for pegawai in pegawai_list:
        day = tanggal[pegawai.pk]
        hukuman = held.get(pegawai.pk)
        result.append(
            BarisKGB(
                pegawai=pegawai,
                tanggal=day,
                masa_kerja_golongan=pegawai.masa_kerja_golongan(day) if day else None,
                hukuman=hukuman,
                tanggal_ditunda=el.add_years(day, 1) if hukuman is not None and day else None,
            )
        )
    return result


# ---------------------------------------------------------------------------------------------
# Batas usia pensiun

PENSIUN_BULAN = [6, 12, 24]
PENSIUN_BULAN_MAKS = 36


def _pensiun_urutan():
    """The pension date (PPPK: end of the work agreement) as a sortable number (YYYYMMDD)."""
    usia = Case(
        When(el._bup_q(65), then=Value(65)),
        When(el._bup_q(60), then=Value(60)),
        default=Value(58),
        output_field=IntegerField(),
    )
    tahun = ExtractYear("tanggal_lahir") + usia
    bulan = ExtractMonth("tanggal_lahir")
    return Case(
        When(
            jenis_asn=JenisASN.PPPK,
            then=ExtractYear("akhir_perjanjian_kerja") * Value(10000)
            + ExtractMonth("akhir_perjanjian_kerja") * Value(100)
            + ExtractDay("akhir_perjanjian_kerja"),
        ),
        # The first day of the month after the birthday: January of the next year for December.
        When(tanggal_lahir__month=12, then=(tahun + Value(1)) * Value(10000) + Value(101)),
        default=tahun * Value(10000) + (bulan + Value(1)) * Value(100) + Value(1),
        output_field=IntegerField(),
    )


def pensiun_filter(pegawai_qs, awal, akhir):
    """The pegawai who retire (PPPK: whose agreement ends) between ``awal`` and ``akhir``, soonest first."""
    return (
        pegawai_qs.filter(el.pensiun_dalam_q(awal, akhir))
        .annotate(_pensiun_urut=_pensiun_urutan())
        .order_by("_pensiun_urut", "nama", "nip")
    )


@dataclass
class BarisPensiun:
    pegawai: object
    usia: int | None  # BUP; None for PPPK
    tanggal: dt.date | None

    @property
    def pppk(self):
        return self.pegawai.jenis_asn == JenisASN.PPPK


def pensiun_baris(pegawai_list):
    """No query: the jabatan comes with the scoped queryset."""
    result = []
    for pegawai in pegawai_list:
        pppk = pegawai.jenis_asn == JenisASN.PPPK
        usia = None if pppk else el.bup_usia(pegawai.jabatan if pegawai.jabatan_id else None)
        result.append(BarisPensiun(pegawai, usia, el.tanggal_pensiun(pegawai)))
    return result


# ---------------------------------------------------------------------------------------------
# Talent matrix

# Rows top to bottom (potensial), columns left to right (kinerja), as PermenPANRB 3/2020 draws it.
GRID_POTENSIAL = (talent.TINGGI, talent.MENENGAH, talent.RENDAH)
GRID_KINERJA = (talent.DI_BAWAH, talent.SESUAI, talent.DI_ATAS)
KOTAK = {n: key for key, n in talent.BOX.items()}  # box → (kinerja, potensial)


@dataclass
class Kotak:
    nomor: int
    jumlah: int

    @property
    def kinerja(self):
        return KOTAK[self.nomor][0]

    @property
    def potensial(self):
        return KOTAK[self.nomor][1]

    @property
    def kinerja_label(self):
        return talent.KINERJA_LABEL[self.kinerja]

    @property
    def potensial_label(self):
        return talent.POTENSIAL_LABEL[self.potensial]

    @property
    def tindak_lanjut(self):
        return talent.TINDAK_LANJUT[self.nomor]

    @property
    def kelompok_suksesi(self):
        return self.nomor in talent.TALENT_POOL


def kotak_list(matriks):
    """The nine boxes of a ``talent.Matriks``, from 9 down to 1."""
    return [Kotak(n, matriks.jumlah(n)) for n in range(9, 0, -1)]


def grid(matriks):
    """The 3×3 grid: rows of potensial (tinggi first), each with its three boxes by kinerja."""
    return [
        (
            talent.POTENSIAL_LABEL[p],
            [Kotak(talent.BOX[(k, p)], matriks.jumlah(talent.BOX[(k, p)])) for k in GRID_KINERJA],
        )
        for p in GRID_POTENSIAL
    ]


def predikat_label(value):
    return Predikat(value).label if value else None


# ---------------------------------------------------------------------------------------------
# The career page of one pegawai


@dataclass
class Peristiwa:
    """One entry of the career timeline."""

    tanggal: dt.date
    jenis: str  # what kind, shown as a badge
    judul: str
    keterangan: str = ""
    url: str = ""
    kelas: str = ""  # badge class
    urutan: int = 0  # within a day: the order the kinds are listed in


def linimasa(pegawai, *, show_personal, urls):
    """The career of ``pegawai`` newest first, grouped by year: ``[(year, [Peristiwa])]``.
    Riwayat jabatan and pangkat, the final SKP predikat per year, the training that counts,
    verified certificates, awards and, only with ``show_personal``, disciplinary penalties.
    ``urls`` builds links: ``urls(kind, obj)`` → str. Seven queries at most."""
    from apps.pelatihan.models import RiwayatPelatihan
    from apps.sertifikasi.models import Sertifikasi

    items = []
    for r in pegawai.riwayat_jabatan.all():
        penugasan = "" if r.jenis_penugasan == "definitif" else f" ({r.get_jenis_penugasan_display()})"
        sampai = f" sampai {r.tanggal_selesai:%d-%m-%Y}" if r.tanggal_selesai else ""
        items.append(
            Peristiwa(r.tmt, "Jabatan", f"{r.nama_jabatan}{penugasan}", f"{r.nama_unit_kerja}{sampai}", urutan=1)
        )
    for r in pegawai.riwayat_pangkat.select_related("golongan"):
        items.append(
            Peristiwa(
                r.tmt,
                "Pangkat",
                str(r.golongan),
                r.get_jenis_kp_display() + (f" · SK {r.nomor_sk}" if r.nomor_sk else ""),
                kelas="badge-success",
                urutan=2,
            )
        )
    for skp in (
        Penilaian.objects.filter(pegawai=pegawai, status=StatusSkp.FINAL, predikat__isnull=False)
        .select_related("periode")
        .order_by("-periode__tahun")
    ):
        items.append(
            Peristiwa(
                dt.date(skp.periode.tahun, 12, 31),
                "SKP",
                f"Predikat kinerja {skp.periode.tahun}: {skp.get_predikat_display()}",
                url=urls("skp", skp),
                kelas="badge-success" if skp.predikat in el.PREDIKAT_CUKUP else "badge-warning",
                urutan=0,
            )
        )
    for r in RiwayatPelatihan.objects.diakui().filter(pegawai=pegawai):
        keterangan = f"{r.get_jenis_diklat_display()} · {r.penyelenggara} · {r.jp_diakui} JP"
        items.append(Peristiwa(r.tanggal_selesai, "Pelatihan", r.nama, keterangan, url=urls("pelatihan", r), urutan=3))
    for s in Sertifikasi.objects.filter(pegawai=pegawai, verifikasi=Sertifikasi.Verifikasi.TERVERIFIKASI):
        berlaku = f"berlaku sampai {s.tanggal_kedaluwarsa:%d-%m-%Y}" if s.tanggal_kedaluwarsa else "seumur hidup"
        items.append(
            Peristiwa(
                s.tanggal_terbit, "Sertifikat", s.nama, f"{s.penerbit} · {berlaku}", url=urls("sertifikat", s), urutan=4
            )
        )
    for r in pegawai.riwayat_penghargaan.all():
        items.append(
            Peristiwa(
                r.tanggal,
                "Penghargaan",
                r.nama,
                f"{r.get_jenis_display()} · {r.pemberi}",
                kelas="badge-success",
                urutan=5,
            )
        )
    if show_personal:
        for r in pegawai.riwayat_hukuman_disiplin.all():
            sampai = f" sampai {r.tanggal_selesai:%d-%m-%Y}" if r.tanggal_selesai else ""
            items.append(
                Peristiwa(
                    r.tanggal_mulai,
                    "Hukuman disiplin",
                    r.get_jenis_display(),
                    f"Tingkat {r.get_tingkat_display().lower()} · SK {r.nomor_sk}{sampai}",
                    kelas="badge-delete",
                    urutan=6,
                )
            )
    items.sort(key=lambda item: (item.tanggal, -item.urutan), reverse=True)
    years = []
    for item in items:
        if not years or years[-1][0] != item.tanggal.year:
            years.append((item.tanggal.year, []))
        years[-1][1].append(item)
    return years


# The reason ``kp_kelayakan`` gives for a running penalty: personal, hidden from those who may
# not see disciplinary records (tests/karier/test_pages.py keeps this in step with the rule).
ALASAN_HUKUMAN = "Sedang menjalani hukuman disiplin"


@dataclass
class MenujuPangkat:
    periode: dt.date
    golongan_berikut: Golongan | None
    alasan: list
    catatan: list
    hukuman_disembunyikan: bool  # the viewer may not see penalties: that check is left out

    @property
    def layak(self):
        return not self.alasan


def menuju_pangkat(pegawai, *, show_personal, pada=None):
    """What stands between ``pegawai`` and the next KP date (four queries)."""
    periode = el.kp_periode_berikut(pada)
    [kelayakan] = el.kp_kelayakan([pegawai], periode)
    alasan = kelayakan.alasan
    if not show_personal:
        alasan = [a for a in alasan if not a.startswith(ALASAN_HUKUMAN)]
    index = _golongan_index()
    return MenujuPangkat(
        periode=periode,
        golongan_berikut=golongan_berikut(pegawai, index),
        alasan=alasan,
        catatan=kelayakan.catatan,
        hukuman_disembunyikan=not show_personal and pegawai.jenis_asn == JenisASN.PNS,
    )


@dataclass
class MenujuJenjang:
    sekarang: str | None  # the jenis jabatan now
    berikut: str | None  # the next managerial level (a JenisJabatan), None at the top or without jabatan
    kepemimpinan: str | None = None  # the leadership training that level needs
    kepemimpinan_ada: bool = False
    jp_tahun: int = 0
    jp_wajib: int = 0
    tahun: int = 0
    gap: object = None  # pelatihan.selectors.GapKompetensi against the current jabatan
    kotak: int | None = None
    jpm: float | None = None
    predikat: int | None = None
    hambatan: list = field(default_factory=list)

    @property
    def berikut_label(self):
        from apps.pegawai.models import JenisJabatan

        return JenisJabatan(self.berikut).label if self.berikut else None

    @property
    def kepemimpinan_label(self):
        from apps.pelatihan.models import Kepemimpinan

        return Kepemimpinan(self.kepemimpinan).label if self.kepemimpinan else None

    @property
    def jp_kurang(self):
        return max(self.jp_wajib - self.jp_tahun, 0)

    @property
    def predikat_label(self):
        return predikat_label(self.predikat)


def menuju_jenjang(pegawai, pada=None):
    """The next managerial level of ``pegawai`` (``talent.JENJANG_BERIKUT``) and what stands in
    between: the leadership training it needs, the 20 JP of this year, negative competency gaps,
    and the 9-box placement (only boxes 7–9 form the succession pool). Seven queries."""
    from apps.pegawai.models import Pegawai
    from apps.pelatihan import selectors as pelatihan
    from apps.pelatihan.models import (
        JP_WAJIB_PER_TAHUN,
        KEPEMIMPINAN_UNTUK_JABATAN,
        KEPEMIMPINAN_URUTAN,
        RiwayatPelatihan,
    )

    pada = pada or timezone.localdate()
    jenis = pegawai.jabatan.jenis if pegawai.jabatan_id else None
    result = MenujuJenjang(sekarang=jenis, berikut=talent.JENJANG_BERIKUT.get(jenis) if jenis else None)
    result.tahun = pada.year
    result.jp_wajib = JP_WAJIB_PER_TAHUN
    result.jp_tahun = pelatihan.jp_tahun(pegawai, pada.year)
    result.gap = pelatihan.gap_kompetensi(pegawai)
    m = talent.matriks(Pegawai.objects.filter(pk=pegawai.pk))
    result.kotak, result.jpm = m.box_of(pegawai.pk), m.jpm.get(pegawai.pk)
    result.predikat = talent.predikat_terakhir(Pegawai.objects.filter(pk=pegawai.pk)).get(pegawai.pk)
    if result.berikut:
        needed = KEPEMIMPINAN_UNTUK_JABATAN.get(result.berikut)
        result.kepemimpinan = needed
        if needed:
            covering = KEPEMIMPINAN_URUTAN[KEPEMIMPINAN_URUTAN.index(needed) :]
            result.kepemimpinan_ada = (
                RiwayatPelatihan.objects.diakui().filter(pegawai=pegawai, kepemimpinan__in=covering).exists()
            )
    hambatan = result.hambatan
    if result.berikut and result.kepemimpinan and not result.kepemimpinan_ada:
        hambatan.append(f"Belum mengikuti {result.kepemimpinan_label}.")
    if result.jp_kurang:
        hambatan.append(f"JP tahun {result.tahun} baru {result.jp_tahun} dari {result.jp_wajib} JP.")
    for row in result.gap.negatif:
        hambatan.append(
            f"Kompetensi {row.kompetensi.kode} {row.kompetensi.nama}: level {row.hasil}, "
            f"dipersyaratkan {row.dipersyaratkan}."
        )
    if result.kotak is None:
        hambatan.append("Belum dapat ditempatkan pada matriks talenta (perlu asesmen lengkap dan SKP final).")
    elif result.kotak not in talent.TALENT_POOL:
        hambatan.append(f"Berada di kotak {result.kotak}, belum termasuk kelompok rencana suksesi (kotak 7–9).")
    return result
