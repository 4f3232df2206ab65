"""Demo career history, called by ``manage.py seed_demo`` through its ``demo`` module hook: the
two previous appraisal years of each demo instansi, closed, with a final SKP for every pegawai
(mostly Baik, as BKPSDM sees it), so that kenaikan pangkat eligibility and the talent matrix
have something to show; a few awards and disciplinary penalties. Runs after the penilaian and
pelatihan hooks; the penilaian hook's ``delete`` removes these periods with the others."""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from apps.pegawai.models import Pegawai, RiwayatHukumanDisiplin, RiwayatPenghargaan, UnitKerja
from apps.penilaian import bulk
from apps.penilaian.models import BerAKHLAK, Penilaian, PeriodePenilaian, predikat_for

GENERATE_LIMIT = 5000  # as the penilaian hook: benchmark-sized sets get their SKPs from bench/
HASIL = [(1, 15), (2, 75), (3, 10)]
PERILAKU = [(1, 20), (2, 76), (3, 4)]


def _weighted(rng, pairs):
    return rng.choices([v for v, _ in pairs], weights=[w for _, w in pairs])[0]


def _final_year(root, tahun, actor, rng):
    periode, created = PeriodePenilaian.objects.get_or_create(
        instansi=root, tahun=tahun, defaults={"periodik": PeriodePenilaian.Periodik.TRIWULANAN}
    )
    if not created and Penilaian.objects.filter(periode=periode).exists():
        return 0
    if not periode.is_open:
        PeriodePenilaian.objects.filter(pk=periode.pk).update(status=PeriodePenilaian.Status.DIBUKA)
        periode.refresh_from_db()
    made = bulk.penilaian_generate(actor=actor, periode=periode, unit=root)
    final_pada = timezone.make_aware(dt.datetime(tahun + 1, 1, 20, 9))
    rows = []
    for skp in Penilaian.objects.filter(periode=periode, penilai__isnull=False):
        hasil, perilaku = _weighted(rng, HASIL), _weighted(rng, PERILAKU)
        skp.rating_hasil_kerja, skp.rating_perilaku = hasil, perilaku
        skp.rating_berakhlak = dict.fromkeys(BerAKHLAK.values, perilaku)
        skp.predikat = predikat_for(hasil, perilaku)
        skp.status = "final"
        skp.dinilai_pada = skp.final_pada = final_pada
        rows.append(skp)
    fields = ["rating_hasil_kerja", "rating_perilaku", "rating_berakhlak", "predikat", "status"]
    Penilaian.objects.bulk_update(rows, [*fields, "dinilai_pada", "final_pada"], batch_size=1000)
    PeriodePenilaian.objects.filter(pk=periode.pk).update(status=PeriodePenilaian.Status.DITUTUP)
    return len(made)


def _recognition(root, rng, today):
    pegawai = list(
        Pegawai.objects.filter(unit_kerja__in=UnitKerja.objects.subtree_of(root).values("pk"), kedudukan_hukum="01")
        .exclude(riwayat_penghargaan__isnull=False)
        .order_by("pk")
    )
    awards, penalties = [], []
    for p in pegawai:
        masa = today.year - int(p.nip[8:12])
        if masa >= 10 and rng.random() < 0.5:
            tingkat = "satyalancana_30" if masa >= 30 else "satyalancana_20" if masa >= 20 else "satyalancana_10"
            label = {"satyalancana_10": "X", "satyalancana_20": "XX", "satyalancana_30": "XXX"}[tingkat]
            awards.append(
                RiwayatPenghargaan(
                    pegawai=p,
                    jenis=tingkat,
                    nama=f"Satyalancana Karya Satya {label} Tahun",
                    pemberi="Presiden Republik Indonesia",
                    tanggal=dt.date(today.year - rng.randint(1, 4), 8, 17),
                    nomor_sk=f"Keppres {rng.randint(10, 99)}/TK/{today.year - 1}",
                )
            )
        elif rng.random() < 0.01:
            awards.append(
                RiwayatPenghargaan(
                    pegawai=p,
                    jenis="asn_teladan",
                    nama="ASN Teladan",
                    pemberi="Kepala Daerah",
                    tanggal=dt.date(today.year - 1, 11, 10),
                    nomor_sk=f"800/{rng.randint(100, 999)}/{today.year - 1}",
                )
            )
        if rng.random() < 0.015:
            jenis = rng.choice(["teguran_tertulis", "potong_tukin_6", "penundaan_kgb"])
            mulai = today - dt.timedelta(days=rng.randint(30, 200))
            selesai = (
                None
                if jenis == "teguran_tertulis"
                else mulai + dt.timedelta(days=182 if jenis != "penundaan_kgb" else 364)
            )
            menunda_kp, menunda_kgb = RiwayatHukumanDisiplin.default_penundaan(jenis)
            penalties.append(
                RiwayatHukumanDisiplin(
                    pegawai=p,
                    jenis=jenis,
                    tingkat=RiwayatHukumanDisiplin.TINGKAT[jenis],
                    tanggal_mulai=mulai,
                    tanggal_selesai=selesai,
                    menunda_kp=menunda_kp,
                    menunda_kgb=menunda_kgb,
                    pelanggaran="Tidak masuk kerja tanpa alasan yang sah",
                    nomor_sk=f"800/HD-{rng.randint(1, 99)}/{mulai.year}",
                    tanggal_sk=mulai - dt.timedelta(days=3),
                )
            )
    RiwayatPenghargaan.objects.bulk_create(awards)
    RiwayatHukumanDisiplin.objects.bulk_create(penalties)
    return len(awards), len(penalties)


def seed(*, roots, out):
    today = timezone.localdate()
    actor = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    rng = random.Random(2026)  # noqa: S311 - repeatable demo data, not secrets
    made = awards = penalties = 0
    for root in roots:
        size = Pegawai.objects.filter(unit_kerja__in=UnitKerja.objects.subtree_of(root).values("pk")).count()
        if actor is None or size > GENERATE_LIMIT:
            continue
        for tahun in (today.year - 2, today.year - 1):
            made += _final_year(root, tahun, actor, rng)
        a, p = _recognition(root, rng, today)
        awards, penalties = awards + a, penalties + p
    out(f"  Riwayat karier: {made} SKP final tahun lalu, {awards} penghargaan, {penalties} hukuman disiplin")


def delete(*, roots):
    """The ``seed_demo --reset`` hook: awards and penalties of the demo pegawai (their SKPs and
    periods go with the penilaian hook)."""
    units = UnitKerja.objects.none()
    for root in roots:
        units = units | UnitKerja.objects.subtree_of(root)
    RiwayatPenghargaan.objects.filter(pegawai__unit_kerja__in=units.values("pk")).delete()
    RiwayatHukumanDisiplin.objects.filter(pegawai__unit_kerja__in=units.values("pk")).delete()
