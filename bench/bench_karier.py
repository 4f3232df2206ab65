#!/usr/bin/env python
"""Server time of the BKPSDM dashboard and the talent matrix at 100,000 pegawai, and at 100 for
the query-count comparison.

    .venv/bin/python bench/bench_karier.py [--pegawai 100000] [--kecil 100] [--runs 30]

Shares the dataset of bench_pegawai.py: DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/asnkarier_bench) and the same name plus ``_kecil``, filled
with ``seed_demo``, with the SKPs of bench_penilaian.py and the training records, standards and
assessments of bench_pelatihan.py (made by their own code when missing). On top of them this
script ensures, with bulk_create in batches (skipped when they exist): the final SKPs of last
year for every pegawai (so that KP eligibility and the predikat chart have two years to read),
certificates for a quarter of the pegawai, and competency assessments for at least 10% of the
pegawai whose jabatan has a standar kompetensi. It times the dashboard page and API and the
talent matrix (the selector in-process, the page and the API) as the BKPSDM staff of the largest
instansi and as a superuser; see bench/README.md. The code shared with the other benches is in
_common.py.
"""

import datetime as dt
import math
import random
import statistics
import sys
import threading
import time

import _common as common

TARGET_MS = 300
BATCH = 5000
BENCH_NOMOR = "BENCH-"  # the certificates this script made
ASESMEN_MIN = 0.10  # share of pegawai with a complete assessment the talent matrix needs

HASIL = [(1, 15), (2, 75), (3, 10)]
PERILAKU = [(1, 20), (2, 76), (3, 4)]


def main():
    args = common.argument_parser(__doc__).parse_args()
    if args.ukur:
        return measure(args)
    results = common.run_both(__file__, args)
    print_table(results)
    return 0


def print_table(results):
    common.print_table(results, TARGET_MS, unmeasured="tidak diukur")
    for r in results:
        made = f"; dibuat kali ini dalam {r['data_s']:.1f} dtk" if r["data_s"] else ""
        print(
            f"{r['size']:,} pegawai: {r['skp_lalu']:,} SKP final {r['tahun_lalu']}, {r['sertifikat']:,} sertifikat, "
            f"{r['jpm']:,} pegawai dengan asesmen lengkap ({r['instansi']}){made}"
        )
        print(f"{r['size']:,} pegawai: hitung_dasbor untuk {r['lingkup']} lingkup staf dalam {r['warm_s']:.1f} dtk")
    if any(r.get("catatan") for r in results):
        print("\n".join(sorted({r["catatan"] for r in results if r.get("catatan")})))


# ---------------------------------------------------------------------------------------------
# The child: one database, with the data the dashboard and the talent matrix read.


def measure(args):
    with common.django_for_measuring():
        seed_s = seed_if_needed(args.ukuran)
        started = time.monotonic()
        made = ensure_data()
        data_s = time.monotonic() - started if made else None
        result = measure_cases(args)
    common.report(result, args, seed_s=seed_s, data_s=data_s)
    return 0


def seed_if_needed(size):
    """The shared seeding; what protects the demo pegawai (SKPs, certificates) goes first."""
    from apps.akun.management.commands.seed_demo import demo_pegawai, demo_roots
    from apps.sertifikasi.models import Sertifikasi

    if not (demo_roots().exists() and demo_pegawai().count() == size):
        import bench_penilaian

        bench_penilaian.remove_demo_skps()
        Sertifikasi.objects.filter(pegawai__in=demo_pegawai().values("pk")).delete()
    return common.seed_if_needed(size)


def weighted(rng, table):
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights)[0]


def ensure_data():
    """What the other benches make, then ours. Returns the number of rows made."""
    import bench_pelatihan
    import bench_penilaian

    made = bench_penilaian.ensure_skps()
    made += bench_pelatihan.ensure_data()
    made += ensure_last_year() + ensure_sertifikat() + ensure_asesmen()
    if made:
        from django.db import connection

        with connection.cursor() as cursor:
            for table in (
                "penilaian_penilaian",
                "penilaian_periodepenilaian",
                "sertifikasi_sertifikasi",
                "pelatihan_asesmenkompetensi",
            ):
                cursor.execute(f"ANALYZE {table}")
    return made


def ensure_last_year():
    """A closed period of last year per demo instansi, and a final SKP in it for every pegawai."""
    from django.db import transaction
    from django.utils import timezone

    from apps.akun.management.commands.seed_demo import demo_pegawai, demo_roots
    from apps.penilaian.models import Penilaian, PeriodePenilaian, predikat_for

    tahun = timezone.localdate().year - 1
    periods = {}
    for root in demo_roots():
        periode = PeriodePenilaian.objects.filter(instansi=root, tahun=tahun).first()
        if periode is None:
            periode = PeriodePenilaian.objects.create(
                instansi=root, tahun=tahun, periodik="triwulanan", status=PeriodePenilaian.Status.DITUTUP
            )
        periods[root.pk] = periode
    missing = demo_pegawai().exclude(penilaian__periode__in=[p.pk for p in periods.values()])
    todo = list(missing.order_by("pk").values_list("pk", "nip", "nama", "unit_kerja_id", "unit_kerja__path"))
    if not todo:
        return 0
    print(f"Membuat SKP final {tahun} untuk {len(todo):,} pegawai…", file=sys.stderr)
    rng = random.Random(2025)
    final_pada = dt.datetime(tahun + 1, 1, 20, tzinfo=dt.UTC)
    for start in range(0, len(todo), BATCH):
        batch = []
        for pk, nip, nama, unit_id, path in todo[start : start + BATCH]:
            ids = [int(x) for x in path.strip("/").split("/")]
            hasil, perilaku = weighted(rng, HASIL), weighted(rng, PERILAKU)
            batch.append(
                Penilaian(
                    periode=periods[ids[0]],
                    pegawai_id=pk,
                    status="final",
                    unit_kerja_id=unit_id,
                    organisasi_id=ids[1] if len(ids) > 1 else ids[0],
                    pegawai_nip=nip,
                    pegawai_nama=nama,
                    rating_hasil_kerja=hasil,
                    rating_perilaku=perilaku,
                    predikat=predikat_for(hasil, perilaku),
                    dinilai_pada=final_pada,
                    final_pada=final_pada,
                )
            )
        with transaction.atomic():
            Penilaian.objects.bulk_create(batch)
        print(f"  {start + len(batch):,} / {len(todo):,}", file=sys.stderr)
    return len(todo)


def ensure_sertifikat():
    """One certificate for a quarter of the demo pegawai: mostly verified, ending anywhere from
    a year ago to four years ahead (some never)."""
    from django.db import transaction
    from django.utils import timezone

    from apps.akun.management.commands.seed_demo import demo_pegawai
    from apps.sertifikasi.models import Sertifikasi

    if Sertifikasi.objects.filter(nomor__startswith=BENCH_NOMOR).exists():
        return 0
    today = timezone.localdate()
    rng = random.Random(90)
    ids = [pk for pk in demo_pegawai().order_by("pk").values_list("pk", flat=True) if rng.random() < 0.25]
    print(f"Membuat {len(ids):,} sertifikat…", file=sys.stderr)
    jenis = [j for j, _ in Sertifikasi.Jenis.choices]
    rows = []
    for n, pk in enumerate(ids):
        terbit = today - dt.timedelta(days=rng.randint(200, 1500))
        kedaluwarsa = None if rng.random() < 0.1 else today + dt.timedelta(days=rng.randint(-365, 1460))
        rows.append(
            Sertifikasi(
                pegawai_id=pk,
                jenis=rng.choice(jenis),
                nama="Sertifikat Kompetensi",
                penerbit="LSP Bench",
                nomor=f"{BENCH_NOMOR}{n:06d}",
                tanggal_terbit=min(terbit, kedaluwarsa) if kedaluwarsa else terbit,
                tanggal_kedaluwarsa=kedaluwarsa,
                verifikasi="terverifikasi" if rng.random() < 0.85 else "diajukan",
            )
        )
    with transaction.atomic():
        Sertifikasi.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def ensure_asesmen():
    """Complete assessments (every required competency, ``terbaru``) for pegawai whose jabatan
    has a standar kompetensi, until at least ``ASESMEN_MIN`` of the pegawai have one."""
    from django.db import transaction

    from apps.akun.management.commands.seed_demo import demo_pegawai
    from apps.karier import talent
    from apps.pegawai.models import Pegawai
    from apps.pelatihan.models import AsesmenKompetensi
    from apps.standar_kinerja.models import StandarKompetensi

    pegawai = demo_pegawai()
    total = pegawai.count()
    complete = set(talent.jpm_per_pegawai(Pegawai.objects.filter(pk__in=pegawai.values("pk"))))
    needed = math.ceil(ASESMEN_MIN * total) - len(complete)
    if needed <= 0:
        return 0
    required = {}
    for jabatan_id, kompetensi_id, level in StandarKompetensi.objects.values_list(
        "jabatan_id", "kompetensi_id", "level"
    ):
        required.setdefault(jabatan_id, []).append((kompetensi_id, level))
    assessed = set(
        AsesmenKompetensi.objects.filter(pegawai__in=pegawai.values("pk")).values_list("pegawai_id", flat=True)
    )
    candidates = [
        (pk, jabatan_id)
        for pk, jabatan_id in pegawai.order_by("pk").values_list("pk", "jabatan_id")
        if jabatan_id in required and pk not in assessed
    ]
    rng = random.Random(38)
    chosen = rng.sample(candidates, min(needed, len(candidates)))
    print(f"Membuat asesmen kompetensi lengkap untuk {len(chosen):,} pegawai…", file=sys.stderr)
    rows = []
    for pk, jabatan_id in chosen:
        tanggal = dt.date(rng.randint(2024, 2026), rng.randint(1, 10), rng.randint(1, 28))
        for kompetensi_id, level in required[jabatan_id]:
            shift = rng.choice([-2, -1, -1, 0, 0, 0, 0, 1])
            rows.append(
                AsesmenKompetensi(
                    pegawai_id=pk,
                    kompetensi_id=kompetensi_id,
                    level=max(1, min(5, level + shift)),
                    tanggal=tanggal,
                    metode="assessment_center",
                    asesor="UPT Penilaian Kompetensi",
                    terbaru=True,
                )
            )
    with transaction.atomic():
        AsesmenKompetensi.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


# ---------------------------------------------------------------------------------------------
# Measuring


def time_call(persona, label, fn, args, before=None):
    """A selector called in-process: warm-up, timed runs, then one run with its queries counted.
    ``fn`` returns the number of rows it produced; ``before``, if given, runs untimed before each
    call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    before = before or (lambda: None)
    for _ in range(args.warmup):
        before()
        fn()
    times = []
    for _ in range(args.runs):
        before()
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    before()
    with CaptureQueriesContext(connection) as ctx:
        rows = fn()
    times.sort()
    return {
        "persona": persona,
        "label": label,
        "url": "",
        "median_ms": statistics.median(times),
        "p95_ms": times[max(0, math.ceil(0.95 * len(times)) - 1)],
        "queries": len(ctx.captured_queries),
        "sql_ms": sum(float(q["time"]) for q in ctx.captured_queries) * 1000,
        "rows": rows,
        "kb": 0,
    }


def measure_cases(args):
    from django.core.cache import cache
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from apps.akun.management.commands.seed_demo import demo_pegawai
    from apps.karier import dashboard, talent
    from apps.pegawai.models import Pegawai
    from apps.penilaian.models import Penilaian
    from apps.sertifikasi.models import Sertifikasi

    root, dinas, personas = common.demo_setting()
    out = []
    for persona, user in personas:

        def scoped(user=user):
            # A fresh user scope each call, as each request has.
            user.__dict__.pop("scope", None)
            return Pegawai.objects.manageable_by(user)

        def figures(user=user):
            user.__dict__.pop("scope", None)
            return len(dashboard.dashboard(user, dashboard.default_unit(user)).per_unit)

        out.append(time_call(persona, "selektor · dashboard() dihitung", figures, args))

        def aged(user=user):
            # The thread of the last call done, the opening figures made older than their fresh
            # time: what a visitor finds after a quiet five minutes.
            for thread in threading.enumerate():
                if thread.name == "dasbor-karier":
                    thread.join()
            user.__dict__.pop("scope", None)
            unit = dashboard.default_unit(user)
            key = dashboard.cache_key(user, unit)
            board = cache.get(key) or dashboard.dashboard(user, unit)
            board.dihitung_pada = timezone.now() - dt.timedelta(seconds=dashboard.cache_seconds() + 60)
            cache.set(key, board, dashboard.SIMPAN_DETIK)

        def served_old(user=user):
            # As the page and the API call it: older figures at once, new ones in a thread.
            user.__dict__.pop("scope", None)
            board = dashboard.dashboard_cached(user, dashboard.default_unit(user))
            if not board.diperbarui:
                raise RuntimeError("the aged figures should have been served while renewed")
            return len(board.per_unit)

        out.append(time_call(persona, "selektor · dasbor lama, baru di latar", served_old, args, before=aged))
        out.append(
            time_call(persona, "selektor · talent.matriks", lambda scoped=scoped: talent.matriks(scoped()).total, args)
        )
    # "dihitung": every request computes the figures (?segarkan); "cache": they come from the
    # cache the page and the API keep for a few minutes (the first request of each case fills it).
    cases = [
        ("halaman · dasbor dihitung", "/karier/?segarkan=1"),
        ("halaman · dasbor cache", "/karier/"),
        ("halaman · dasbor unit dihitung", f"/karier/?unit_kerja={dinas.pk}&segarkan=1"),
        ("API · dasbor dihitung", "/api/v1/dasbor/?segarkan=true"),
        ("API · dasbor cache", "/api/v1/dasbor/"),
        ("API · dasbor unit dihitung", f"/api/v1/dasbor/?unit_kerja={dinas.pk}&segarkan=true"),
    ]
    catatan = None
    try:
        talenta = reverse("karier:talenta")
    except NoReverseMatch:
        catatan = "Halaman matriks talenta (karier:talenta) belum ada: hanya selektornya diukur."
    else:
        cases += [("halaman · talenta", talenta), ("API · talenta", "/api/v1/talenta/")]
    out += common.run_cases(personas, cases, args)
    for thread in threading.enumerate():
        if thread.name == "dasbor-karier":
            thread.join()
    lingkup, warm_s = dashboard.warm_all()  # manage.py hitung_dasbor
    pegawai = demo_pegawai()
    m = talent.matriks(Pegawai.objects.filter(pk__in=pegawai.values("pk")))
    tahun_lalu = timezone.localdate().year - 1
    return {
        "cases": out,
        "instansi": root.nama,
        "tahun_lalu": tahun_lalu,
        "skp_lalu": Penilaian.objects.filter(pegawai__in=pegawai.values("pk"), periode__tahun=tahun_lalu).count(),
        "sertifikat": Sertifikasi.objects.filter(pegawai__in=pegawai.values("pk")).count(),
        "jpm": len(m.jpm),
        "catatan": catatan,
        "lingkup": lingkup,
        "warm_s": warm_s,
    }


if __name__ == "__main__":
    sys.exit(main())
