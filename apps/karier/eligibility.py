"""Career dates and eligibility (DOMAIN §2): kenaikan pangkat reguler, kenaikan gaji berkala,
batas usia pensiun.

Each rule exists twice, on purpose and side by side: as a ``Q`` for lists and counts over the
whole scope (one query at 100,000 pegawai), and as plain Python that explains one pegawai's
result in words. ``tests/karier/test_eligibility.py`` checks that both give the same answer.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, IntegerField, OuterRef, Q, Value
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear, Mod
from django.utils import timezone

from apps.pegawai.models import (
    JenisASN,
    JenisJabatan,
    JenjangFungsional,
    Pegawai,
    RiwayatHukumanDisiplin,
)
from apps.penilaian.models import Penilaian, Predikat
from apps.penilaian.models import Status as StatusSkp

MASA_PANGKAT_REGULER = 4  # years in the current pangkat (PP 99/2000 Pasal 7)
MASA_PANGKAT_FUNGSIONAL = 2  # jabatan fungsional (Pasal 13), plus angka kredit
TINGKAT_TERTINGGI_PNS = 17  # IV/e
PREDIKAT_CUKUP = (Predikat.SANGAT_BAIK, Predikat.BAIK)  # "at least Baik"


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day, months):
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    return day.replace(year=year, month=month + 1, day=1)


# ---------------------------------------------------------------------------------------------
# Kenaikan pangkat reguler.


def kp_periode():
    """The KP dates of a year as (month, day) pairs, from settings (historically 1 April and
    1 Oktober)."""
    return sorted(getattr(settings, "KP_PERIODE", [(4, 1), (10, 1)]))


def kp_periode_berikut(pada=None):
    """The next KP date on or after ``pada``."""
    pada = pada or timezone.localdate()
    for year in (pada.year, pada.year + 1):
        for month, day in kp_periode():
            candidate = dt.date(year, month, day)
            if candidate >= pada:
                return candidate
    raise AssertionError("unreachable")


def kp_tahun_skp(periode):
    """The two appraisal years a KP on ``periode`` looks at: the two years before it."""
    return periode.year - 1, periode.year - 2


def _skp_cukup(tahun):
    return Exists(
        Penilaian.objects.filter(
            pegawai=OuterRef("pk"), periode__tahun=tahun, status=StatusSkp.FINAL, predikat__in=PREDIKAT_CUKUP
        )
    )


def _hukuman_pada(tanggal, flag):
    return Exists(
        RiwayatHukumanDisiplin.objects.filter(
            pegawai=OuterRef("pk"), tanggal_mulai__lte=tanggal, **{flag: True}
        ).filter(Q(tanggal_selesai__isnull=True) | Q(tanggal_selesai__gte=tanggal))
    )


def _atasan_tidak_lebih_tinggi():
    """The holder of the atasan jabatan is a PNS whose golongan is not above this pegawai's:
    a KP would put the pegawai above their atasan."""
    return Exists(
        Pegawai.objects.filter(
            jabatan=OuterRef("jabatan__atasan"),
            kedudukan_hukum="01",
            jenis_asn=JenisASN.PNS,
            golongan__tingkat__lte=OuterRef("golongan__tingkat"),
        )
    )


def kp_layak_q(periode):
    """PNS eligible for kenaikan pangkat reguler on ``periode``."""
    tahun_1, tahun_2 = kp_tahun_skp(periode)
    masa_reguler = add_years(periode, -MASA_PANGKAT_REGULER)
    masa_fungsional = add_years(periode, -MASA_PANGKAT_FUNGSIONAL)
    masa = (Q(jabatan__jenis=JenisJabatan.FUNGSIONAL) & Q(tmt_golongan__lte=masa_fungsional)) | (
        ~Q(jabatan__jenis=JenisJabatan.FUNGSIONAL) & Q(tmt_golongan__lte=masa_reguler)
    )
    return (
        Q(jenis_asn=JenisASN.PNS, kedudukan_hukum="01", golongan__tingkat__lt=TINGKAT_TERTINGGI_PNS)
        & masa
        & _skp_cukup(tahun_1)
        & _skp_cukup(tahun_2)
        & ~_atasan_tidak_lebih_tinggi()
        & ~_hukuman_pada(periode, "menunda_kp")
    )


def kp_kandidat_q(periode):
    """PNS who reach the years in rank by ``periode``: the population the KP list explains."""
    masa_reguler = add_years(periode, -MASA_PANGKAT_REGULER)
    masa_fungsional = add_years(periode, -MASA_PANGKAT_FUNGSIONAL)
    return Q(jenis_asn=JenisASN.PNS, kedudukan_hukum="01", golongan__tingkat__lt=TINGKAT_TERTINGGI_PNS) & (
        (Q(jabatan__jenis=JenisJabatan.FUNGSIONAL) & Q(tmt_golongan__lte=masa_fungsional))
        | (~Q(jabatan__jenis=JenisJabatan.FUNGSIONAL) & Q(tmt_golongan__lte=masa_reguler))
    )


@dataclass
class KelayakanKP:
    pegawai: Pegawai
    periode: dt.date
    alasan: list = field(default_factory=list)  # why not, in Indonesian; empty when eligible
    catatan: list = field(default_factory=list)  # what else to check (angka kredit)

    @property
    def layak(self):
        return not self.alasan


def kp_kelayakan(pegawai_list, periode):
    """Explain, for each pegawai of a (page-sized) list, whether they may be promoted on
    ``periode`` and why not. Three queries for the whole list."""
    pegawai_list = list(pegawai_list)
    ids = [p.pk for p in pegawai_list]
    tahun_1, tahun_2 = kp_tahun_skp(periode)
    skp = {
        (row["pegawai_id"], row["periode__tahun"]): row
        for row in Penilaian.objects.filter(pegawai__in=ids, periode__tahun__in=[tahun_1, tahun_2]).values(
            "pegawai_id", "periode__tahun", "status", "predikat"
        )
    }
    atasan_ids = {p.jabatan.atasan_id for p in pegawai_list if p.jabatan_id and p.jabatan.atasan_id}
    atasan = {}
    for row in Pegawai.objects.filter(
        jabatan__in=atasan_ids, kedudukan_hukum="01", jenis_asn=JenisASN.PNS, golongan__isnull=False
    ).values("jabatan_id", "nama", "golongan__tingkat", "golongan__kode"):
        current = atasan.get(row["jabatan_id"])
        if current is None or row["golongan__tingkat"] < current["golongan__tingkat"]:
            atasan[row["jabatan_id"]] = row
    hukuman = {}
    for row in RiwayatHukumanDisiplin.objects.filter(
        pegawai__in=ids, menunda_kp=True, tanggal_mulai__lte=periode
    ).filter(Q(tanggal_selesai__isnull=True) | Q(tanggal_selesai__gte=periode)):
        hukuman.setdefault(row.pegawai_id, row)
    result = []
    for pegawai in pegawai_list:
        item = KelayakanKP(pegawai, periode)
        result.append(item)
        if pegawai.jenis_asn != JenisASN.PNS:
            item.alasan.append(
                "CPNS belum dapat naik pangkat."
                if pegawai.jenis_asn == JenisASN.CPNS
                else "PPPK tidak mengenal kenaikan pangkat."
            )
            continue
        if pegawai.kedudukan_hukum != "01":
            item.alasan.append(f"Kedudukan hukum {pegawai.get_kedudukan_hukum_display()}, bukan Aktif.")
        if pegawai.golongan_id is None or pegawai.tmt_golongan is None:
            item.alasan.append("Golongan dan TMT golongan belum tercatat.")
            continue
        if pegawai.golongan.tingkat >= TINGKAT_TERTINGGI_PNS:
            item.alasan.append("Sudah berada di golongan tertinggi (IV/e).")
            continue
        fungsional = pegawai.jabatan_id and pegawai.jabatan.jenis == JenisJabatan.FUNGSIONAL
        masa = MASA_PANGKAT_FUNGSIONAL if fungsional else MASA_PANGKAT_REGULER
        cukup_pada = add_years(pegawai.tmt_golongan, masa)
        if cukup_pada > periode:
            item.alasan.append(
                f"Masa kerja dalam pangkat {pegawai.golongan.kode} baru cukup {masa} tahun pada {cukup_pada:%d-%m-%Y}."
            )
        if fungsional:
            item.catatan.append("Jabatan fungsional: angka kredit kumulatif diperiksa tersendiri.")
        for tahun in (tahun_2, tahun_1):
            row = skp.get((pegawai.pk, tahun))
            if row is None:
                item.alasan.append(f"SKP tahun {tahun} tidak ada.")
            elif row["status"] != StatusSkp.FINAL or row["predikat"] is None:
                item.alasan.append(f"SKP tahun {tahun} belum final.")
            elif row["predikat"] not in PREDIKAT_CUKUP:
                item.alasan.append(f"Predikat SKP tahun {tahun} {Predikat(row['predikat']).label}, di bawah Baik.")
        boss = atasan.get(pegawai.jabatan.atasan_id) if pegawai.jabatan_id else None
        if boss is not None and boss["golongan__tingkat"] <= pegawai.golongan.tingkat:
            item.alasan.append(f"Pangkat akan melebihi pangkat atasan ({boss['nama']}, {boss['golongan__kode']}).")
        penalty = hukuman.get(pegawai.pk)
        if penalty is not None:
            sampai = f" sampai {penalty.tanggal_selesai:%d-%m-%Y}" if penalty.tanggal_selesai else ""
            item.alasan.append(f"Sedang menjalani hukuman disiplin: {penalty.get_jenis_display()}{sampai}.")
    return result


# ---------------------------------------------------------------------------------------------
# Kenaikan gaji berkala: every two years of masa kerja golongan.


def kgb_berikut(pegawai, pada=None):
    """The next KGB date on or after ``pada`` (MKG reaching an even number of years), not
    counting postponement."""
    pada = pada or timezone.localdate()
    if pegawai.mkg_mulai is None or pegawai.jenis_asn == JenisASN.CPNS:
        return None
    start = pegawai.mkg_mulai
    k = max(1, (pada.year - start.year) // 2)
    while add_years(start, 2 * k) < pada:
        k += 1
    return add_years(start, 2 * k)


def _month_day(month, day):
    return month * 100 + day


def kgb_dalam_q(awal, akhir):
    """Pegawai (PNS, PPPK; active) whose KGB falls due between ``awal`` and ``akhir`` (at most
    a year apart): the MKG anniversary in that window lands on an even year. Needs
    ``with_kgb_fields``."""
    q = Q(pk__in=[])
    for year in range(awal.year, akhir.year + 1):
        lo = awal if year == awal.year else dt.date(year, 1, 1)
        hi = akhir if year == akhir.year else dt.date(year, 12, 31)
        q |= (
            Q(_mkg_paritas=year % 2)
            & Q(_mkg_md__gte=_month_day(lo.month, lo.day))
            & Q(_mkg_md__lte=_month_day(hi.month, hi.day))
            & Q(mkg_mulai__year__lte=year - 2)
        )
    return Q(kedudukan_hukum="01", jenis_asn__in=[JenisASN.PNS, JenisASN.PPPK], mkg_mulai__isnull=False) & q


def with_kgb_fields(pegawai_qs):
    return pegawai_qs.annotate(
        _mkg_paritas=Mod(ExtractYear("mkg_mulai"), Value(2), output_field=IntegerField()),
        _mkg_md=ExtractMonth("mkg_mulai") * Value(100) + ExtractDay("mkg_mulai"),
    )


def kgb_ditunda(pegawai_list, tanggal_of):
    """``{pegawai_id: hukuman}`` for those whose KGB on ``tanggal_of(pegawai)`` is held back by a
    disciplinary penalty (then it moves a year). One query."""
    ids = [p.pk for p in pegawai_list]
    result = {}
    penalties = RiwayatHukumanDisiplin.objects.filter(pegawai__in=ids, menunda_kgb=True)
    by_pegawai = {}
    for row in penalties:
        by_pegawai.setdefault(row.pegawai_id, []).append(row)
    for pegawai in pegawai_list:
        tanggal = tanggal_of(pegawai)
        for row in by_pegawai.get(pegawai.pk, []):
            if tanggal and row.berlaku_pada(tanggal):
                result[pegawai.pk] = row
    return result


# ---------------------------------------------------------------------------------------------
# Batas usia pensiun (PP 11/2017 Pasal 239).

BUP_60_JENIS = (JenisJabatan.JPT_UTAMA, JenisJabatan.JPT_MADYA, JenisJabatan.JPT_PRATAMA)


def bup_usia(jabatan):
    """58, 60 or 65 by jabatan: 60 for JPT and JF ahli madya, 65 for JF ahli utama, else 58."""
    if jabatan is None:
        return 58
    if jabatan.jenis in BUP_60_JENIS:
        return 60
    if jabatan.jenis == JenisJabatan.FUNGSIONAL and jabatan.jenjang == JenjangFungsional.AHLI_UTAMA:
        return 65
    if jabatan.jenis == JenisJabatan.FUNGSIONAL and jabatan.jenjang == JenjangFungsional.AHLI_MADYA:
        return 60
    return 58


def _bup_q(usia):
    if usia == 65:
        return Q(jabatan__jenis=JenisJabatan.FUNGSIONAL, jabatan__jenjang=JenjangFungsional.AHLI_UTAMA)
    if usia == 60:
        return Q(jabatan__jenis__in=BUP_60_JENIS) | Q(
            jabatan__jenis=JenisJabatan.FUNGSIONAL, jabatan__jenjang=JenjangFungsional.AHLI_MADYA
        )
    return ~_bup_q(60) & ~_bup_q(65) | Q(jabatan__isnull=True)


def tanggal_pensiun(pegawai):
    """PNS: the first day of the month after the month the BUP age is reached. PPPK: the end
    of the work agreement (None when not recorded)."""
    if pegawai.jenis_asn == JenisASN.PPPK:
        return pegawai.akhir_perjanjian_kerja
    return add_months(add_years(pegawai.tanggal_lahir, bup_usia(pegawai.jabatan)), 1)


def pensiun_dalam_q(awal, akhir):
    """Pegawai whose pension (or PPPK contract end) falls between ``awal`` and ``akhir``."""
    # A pension on the 1st of month M belongs to those born in month M-1, BUP years earlier.
    first = awal if awal.day == 1 else add_months(awal, 1)
    q = Q(jenis_asn=JenisASN.PPPK, akhir_perjanjian_kerja__range=(awal, akhir))
    if first > akhir:
        return q
    last = akhir.replace(day=1)
    for usia in (58, 60, 65):
        lahir_awal = add_years(add_months(first, -1), -usia)
        lahir_akhir = add_months(add_years(add_months(last, -1), -usia), 1) - dt.timedelta(days=1)
        q |= (
            Q(jenis_asn__in=[JenisASN.PNS, JenisASN.CPNS])
            & _bup_q(usia)
            & Q(tanggal_lahir__range=(lahir_awal, lahir_akhir))
        )
    return Q(kedudukan_hukum__in=["01", "02", "03", "04", "20"]) & q
