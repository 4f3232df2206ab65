#!/usr/bin/env python
"""Server time of the 20 JP report and the training needs at 100,000 pegawai with five training
records each, and at 100 for the query-count comparison.

    .venv/bin/python bench/bench_pelatihan.py [--pegawai 100000] [--kecil 100] [--runs 30]

Shares the dataset of bench_pegawai.py: DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/asnkarier_bench) and the same name plus ``_kecil``, filled
with ``seed_demo``. On top of it this script ensures, with bulk_create in batches: the demo
catalogue per instansi plus 100 more trainings each; five training records per pegawai (mostly
confirmed, 2025–2026, leadership training for most managers); a standar kompetensi for 40% of
the jabatan that have none; and competency assessments for 30% of the pegawai whose jabatan
has one (skipped when they exist), then ANALYZE. It times the selectors in-process and the
pages and API through Django's test client, as the BKPSDM staff of the largest instansi and as
a superuser; see bench/README.md. The code shared with the other benches is in _common.py.
"""

import datetime as dt
import math
import random
import statistics
import sys
import time

import _common as common

TARGET_MS = 200
BATCH = 5000  # pegawai per round
PAGE = 25
EXTRA = "Pelatihan Teknis Bench Angkatan"

STATUS = [
    ("selesai", 34),
    ("terverifikasi", 46),
    ("menunggu_verifikasi", 5),
    ("terdaftar", 4),
    ("disetujui_atasan", 3),
    ("diajukan", 3),
    ("ditolak", 3),
    ("dibatalkan", 2),
]
JP = [(2, 10), (4, 14), (6, 12), (8, 14), (10, 10), (12, 10), (16, 8), (20, 6), (24, 6), (32, 6), (40, 4)]
KEPEMIMPINAN = {"pengawas": "pkp", "administrator": "pka", "jpt_pratama": "pkn_2", "jpt_madya": "pkn_1"}


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
            f"{r['size']:,} pegawai: {r['riwayat']:,} riwayat pelatihan, {r['asesmen']:,} hasil asesmen, "
            f"{r['pelatihan']:,} pelatihan di katalog ({r['instansi']}){made}"
        )
    if any(r.get("catatan") for r in results):
        print("\n".join(sorted({r["catatan"] for r in results if r.get("catatan")})))


# ---------------------------------------------------------------------------------------------
# The child: one database, with the training data.


def measure(args):
    with common.django_for_measuring():
        seed_s = common.seed_if_needed(args.ukuran)
        started = time.monotonic()
        made = ensure_data()
        data_s = time.monotonic() - started if made else None
        result = measure_cases(args)
    common.report(result, args, seed_s=seed_s, data_s=data_s)
    return 0


def weighted(rng, table):
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights)[0]


def ensure_catalogue(today):
    """The demo catalogue (when seed_demo ran before the demo module existed) and 100 more
    trainings per instansi, half ended, half ahead."""
    from apps.akun.management.commands.seed_demo import demo_roots
    from apps.pelatihan import demo
    from apps.pelatihan.models import Pelatihan, jalur_for
    from apps.standar_kinerja.models import Kompetensi

    rng = random.Random(7)
    kompetensi = list(Kompetensi.objects.exclude(kelompok="teknis"))
    through = Pelatihan.kompetensi.through
    for root in demo_roots():
        partners = demo._partners(root, demo._wilayah(root))
        if not Pelatihan.objects.filter(instansi=root).exists():
            demo._catalogue(root, partners, today)
        if Pelatihan.objects.filter(instansi=root, nama__startswith=EXTRA).exists():
            continue
        rows = []
        for n in range(100):
            mulai = today + dt.timedelta(days=rng.randint(-400, 300))
            jenis = rng.choice([3, 4, 5, 8, 9, 11, 14, 16, 17])
            rows.append(
                Pelatihan(
                    instansi=root,
                    nama=f"{EXTRA} {n + 1}",
                    jenis_diklat=jenis,
                    jalur=jalur_for(jenis),
                    penyelenggara=rng.choice(list(partners.values())),
                    jp=rng.choice([8, 16, 24, 32, 40]),
                    tanggal_mulai=mulai,
                    tanggal_selesai=mulai + dt.timedelta(days=rng.randint(0, 4)),
                    kuota=100_000,
                    sasaran_jenis_jabatan=rng.choice(["", "", "", "pelaksana", "fungsional", "pengawas"]),
                )
            )
        Pelatihan.objects.bulk_create(rows)
        through.objects.bulk_create(
            [through(pelatihan_id=p.pk, kompetensi_id=k.pk) for p in rows for k in rng.sample(kompetensi, 2)]
        )


def ensure_data():
    """The catalogue, five records per pegawai who has none, the standards and assessments.
    Returns the number of rows made (0 when nothing was missing)."""
    from django.db import connection, transaction
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from apps.akun.management.commands.seed_demo import demo_pegawai
    from apps.pegawai.models import Jabatan, Pegawai
    from apps.pelatihan.models import AsesmenKompetensi, Pelatihan, RiwayatPelatihan, jalur_for
    from apps.standar_kinerja.demo import LEVEL_JENIS, LEVEL_JENJANG
    from apps.standar_kinerja.models import Kompetensi, StandarKompetensi

    today = timezone.localdate()
    ensure_catalogue(today)
    missing = demo_pegawai().filter(~Exists(RiwayatPelatihan.objects.filter(pegawai=OuterRef("pk"))))
    made = 0
    rng = random.Random(2026)
    todo = list(missing.order_by("pk").values_list("pk", "unit_kerja__path", "jabatan_id", "jabatan__jenis"))
    if todo:
        print(f"Membuat 5 riwayat pelatihan untuk {len(todo):,} pegawai…", file=sys.stderr)
        catalogue = {}
        for p in Pelatihan.objects.select_related("penyelenggara").order_by("pk"):
            ended = p.tanggal_selesai < today
            catalogue.setdefault((p.instansi_id, ended), []).append(p)
        holder = {}
        for pk, jabatan_id in Pegawai.objects.order_by("jabatan_id", "-tmt_jabatan", "pk").values_list(
            "pk", "jabatan_id"
        ):
            holder.setdefault(jabatan_id, pk)
        atasan_of = dict(Jabatan.objects.values_list("pk", "atasan_id"))
        first = dt.date(2025, 1, 6)
        span = (today - first).days
        for start in range(0, len(todo), BATCH):
            rows = []
            for pk, path, jabatan_id, jenis in todo[start : start + BATCH]:
                root = int(path.strip("/").split("/")[0])
                ended = catalogue.get((root, True), [])
                past = rng.sample(ended, min(2, len(ended)))
                ahead = rng.choice(catalogue.get((root, False), [None]))
                leadership = KEPEMIMPINAN.get(jenis) if rng.random() < 0.7 else None
                for n in range(5):
                    status = weighted(rng, STATUS)
                    training = None
                    if status in ("terdaftar", "disetujui_atasan", "diajukan") and ahead is not None and n == 0:
                        training = ahead
                    elif status == "selesai" and n < len(past):
                        training = past[n]
                    elif status in ("terdaftar", "disetujui_atasan", "diajukan", "selesai"):
                        status = "terverifikasi"
                    selesai = first + dt.timedelta(days=rng.randint(0, span))
                    jp = weighted(rng, JP)
                    values = {
                        "nama": f"Pelatihan {n + 1}",
                        "jenis_diklat": 8,
                        "jalur": "klasikal",
                        "kepemimpinan": "",
                        "penyelenggara": "BPSDM",
                        "tanggal_mulai": selesai - dt.timedelta(days=1),
                        "tanggal_selesai": selesai,
                        "jp": jp,
                    }
                    if training is not None:
                        values.update(
                            nama=training.nama,
                            jenis_diklat=training.jenis_diklat,
                            jalur=jalur_for(training.jenis_diklat),
                            penyelenggara=training.penyelenggara.nama,
                            tanggal_mulai=training.tanggal_mulai,
                            tanggal_selesai=training.tanggal_selesai,
                            jp=training.jp,
                        )
                    elif n == 4 and leadership:
                        year = rng.randint(2010, 2022)
                        status = "terverifikasi"
                        values.update(
                            nama=f"Pelatihan Kepemimpinan ({leadership.upper()})",
                            jenis_diklat=1,
                            kepemimpinan=leadership,
                            tanggal_mulai=dt.date(year, 3, 1),
                            tanggal_selesai=dt.date(year, 6, 30),
                            jp=330,
                        )
                    confirmed = status in ("selesai", "terverifikasi")
                    atasan = None
                    if status == "diajukan":
                        atasan = holder.get(atasan_of.get(jabatan_id))
                    rows.append(
                        RiwayatPelatihan(
                            pegawai_id=pk,
                            pelatihan=training,
                            sumber="pendaftaran" if training is not None else "pencatatan",
                            status=status,
                            hadir=True if confirmed else None,
                            lulus=True if confirmed else None,
                            jp_diakui=values["jp"] if confirmed else 0,
                            atasan_id=atasan,
                            **values,
                        )
                    )
            with transaction.atomic():
                RiwayatPelatihan.objects.bulk_create(rows, batch_size=BATCH)
            made += len(rows)
            print(f"  {start + BATCH:,} / {len(todo):,} pegawai", file=sys.stderr)

    # Standards for 40% of the jabatan without one, then assessments for 30% of their holders.
    kompetensi = list(Kompetensi.objects.exclude(kelompok="teknis").order_by("kode"))
    without = Jabatan.objects.exclude(pk__in=StandarKompetensi.objects.values("jabatan_id"))
    if not AsesmenKompetensi.objects.filter(pegawai__in=demo_pegawai()).exists():
        print("Membuat standar kompetensi dan hasil asesmen…", file=sys.stderr)
        standar = []
        for pk, jenis, jenjang in without.order_by("pk").values_list("pk", "jenis", "jenjang"):
            if rng.random() < 0.4:
                level = LEVEL_JENJANG.get(jenjang) if jenis == "fungsional" else LEVEL_JENIS.get(jenis, 1)
                standar += [StandarKompetensi(jabatan_id=pk, kompetensi=k, level=level or 1) for k in kompetensi]
        StandarKompetensi.objects.bulk_create(standar, batch_size=BATCH)
        made += len(standar)
        required = {}
        for jabatan_id, kompetensi_id, level in StandarKompetensi.objects.values_list(
            "jabatan_id", "kompetensi_id", "level"
        ):
            required.setdefault(jabatan_id, []).append((kompetensi_id, level))
        asesmen = []
        for pk, jabatan_id in demo_pegawai().order_by("pk").values_list("pk", "jabatan_id"):
            levels = required.get(jabatan_id)
            if not levels or rng.random() >= 0.3:
                continue
            if rng.random() < 0.1:
                levels = levels[:-1]
            tanggal = dt.date(rng.randint(2024, 2026), rng.randint(1, 10), rng.randint(1, 28))
            history = rng.random() < 0.15
            for kompetensi_id, level in levels:
                shift = rng.choice([-2, -1, -1, 0, 0, 0, 0, 1])
                common_fields = {"pegawai_id": pk, "kompetensi_id": kompetensi_id, "asesor": "UPT Penilaian Kompetensi"}
                asesmen.append(
                    AsesmenKompetensi(
                        level=max(1, min(5, level + shift)),
                        tanggal=tanggal,
                        metode="assessment_center",
                        terbaru=True,
                        **common_fields,
                    )
                )
                if history:
                    asesmen.append(
                        AsesmenKompetensi(
                            level=max(1, min(5, level + shift - 1)),
                            tanggal=tanggal - dt.timedelta(days=1100),
                            metode="uji_kompetensi",
                            terbaru=False,
                            **common_fields,
                        )
                    )
        AsesmenKompetensi.objects.bulk_create(asesmen, batch_size=BATCH)
        made += len(asesmen)
    if made:
        with connection.cursor() as cursor:
            for table in (
                "pelatihan_riwayatpelatihan",
                "pelatihan_asesmenkompetensi",
                "pelatihan_pelatihan",
                "pelatihan_pelatihan_kompetensi",
                "standar_kinerja_standarkompetensi",
            ):
                cursor.execute(f"ANALYZE {table}")
    return made


# ---------------------------------------------------------------------------------------------
# Measuring


def time_call(persona, label, fn, args):
    """A selector called in-process: warm-up, timed runs, then one run with its queries counted.
    ``fn`` returns the number of rows it produced."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(args.warmup):
        fn()
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
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


def selector_cases(persona, user, root, tahun, args):
    from apps.pegawai.models import Pegawai
    from apps.pelatihan import selectors
    from apps.pelatihan.selectors import Kebutuhan

    def scope():
        # A fresh user scope each call, as each request has.
        user.__dict__.pop("scope", None)
        return Pegawai.objects.manageable_by(user).filter(kedudukan_hukum="01")

    def first_page_and_count(qs):
        page = list(qs.order_by("nama", "nip")[:PAGE])
        qs.count()
        return len(page)

    cases = [
        ("selektor · rekap_jp_per_unit", lambda: len(selectors.rekap_jp_per_unit(scope(), tahun))),
        ("selektor · rekap_jp_per_unit(induk)", lambda: len(selectors.rekap_jp_per_unit(scope(), tahun, root))),
        ("selektor · kurang_jp halaman+jumlah", lambda: first_page_and_count(selectors.kurang_jp(scope(), tahun))),
    ]
    for kind in Kebutuhan.ALL:
        cases.append(
            (
                f"selektor · kebutuhan {kind} halaman+jumlah",
                lambda kind=kind: first_page_and_count(selectors.kebutuhan_qs(scope(), kind, tahun)),
            )
        )
    for kind in (Kebutuhan.KOMPETENSI, Kebutuhan.JP):
        page = list(
            selectors.kebutuhan_qs(scope(), kind, tahun)
            .select_related("jabatan", "unit_kerja")
            .order_by("nama", "nip")[:PAGE]
        )
        cases.append(
            (f"selektor · kebutuhan_detail {kind} ({PAGE})", lambda page=page: len(selectors.kebutuhan_detail(page)))
        )
    return [time_call(persona, label, fn, args) for label, fn in cases]


def measure_cases(args):
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from apps.akun.management.commands.seed_demo import demo_pegawai, demo_roots
    from apps.pelatihan.models import AsesmenKompetensi, Pelatihan, RiwayatPelatihan
    from apps.pelatihan.selectors import Kebutuhan

    root, dinas, personas = common.demo_setting()
    tahun = timezone.localdate().year
    out = []
    for persona, user in personas:
        out += selector_cases(persona, user, root, tahun, args)
    cases = []
    catatan = None
    try:
        rekap, kurang, kebutuhan = (
            reverse("pelatihan:rekap_jp"),
            reverse("pelatihan:rekap_jp_kurang"),
            reverse("pelatihan:kebutuhan"),
        )
    except NoReverseMatch:
        catatan = "Halaman pelatihan (rekap_jp, rekap_jp_kurang, kebutuhan) belum ada: hanya selektor dan API diukur."
    else:
        cases += [
            ("halaman · rekap JP", rekap),
            ("halaman · rekap JP unit", f"{rekap}?unit={dinas.pk}"),
            ("halaman · kurang JP", kurang),
        ]
        cases += [(f"halaman · kebutuhan {kind}", f"{kebutuhan}?jenis={kind}") for kind in Kebutuhan.ALL]
    cases += [
        ("API · rekap-jp", "/api/v1/rekap-jp/"),
        ("API · kurang-jp", f"/api/v1/kurang-jp/?page_size={PAGE}"),
    ]
    cases += [
        (f"API · kebutuhan {kind}", f"/api/v1/kebutuhan-pelatihan/?jenis={kind}&page_size={PAGE}")
        for kind in Kebutuhan.ALL
    ]
    out += common.run_cases(personas, cases, args)
    roots = demo_roots()
    return {
        "cases": out,
        "instansi": root.nama,
        "riwayat": RiwayatPelatihan.objects.filter(pegawai__in=demo_pegawai()).count(),
        "asesmen": AsesmenKompetensi.objects.filter(pegawai__in=demo_pegawai()).count(),
        "pelatihan": Pelatihan.objects.filter(instansi__in=roots).count(),
        "catatan": catatan,
    }


if __name__ == "__main__":
    sys.exit(main())
