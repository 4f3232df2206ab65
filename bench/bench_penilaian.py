#!/usr/bin/env python
"""Server time of the BKPSDM SKP list and the predikat distribution at 100,000 pegawai with one
SKP each, and at 100 for the query-count comparison.

    .venv/bin/python bench/bench_penilaian.py [--pegawai 100000] [--kecil 100] [--runs 30]

Shares the dataset of bench_pegawai.py: DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/asnkarier_bench) and the same name plus ``_kecil``, filled
with ``seed_demo``. On top of it this script ensures one open period per instansi and one SKP per
pegawai, made with bulk_create in batches with a realistic mix of states and predikat (skipped
when they exist). Each case is requested in-process with Django's test client as the BKPSDM
staff of the largest instansi and as a superuser; see bench/README.md. The code shared with
bench_pegawai.py (processes, Django setup, seeding, timing, the table) is in _common.py.
"""

import datetime as dt
import random
import sys
import time

import _common as common

TARGET_MS = 150
BATCH = 5000

# The mix of states late in the year, and of the two ratings (SIASN ids: 1 di atas, 2 sesuai,
# 3 di bawah) among rated SKPs.
STATES = [
    ("draf", 4),
    ("diajukan", 3),
    ("dikembalikan", 1),
    ("berjalan", 30),
    ("dinilai", 22),
    ("keberatan", 2),
    ("final", 38),
]
HASIL = [(1, 15), (2, 75), (3, 10)]
PERILAKU = [(1, 20), (2, 76), (3, 4)]
CAPAIAN = [("istimewa", 15), ("baik", 65), ("butuh_perbaikan", 15), ("kurang", 5)]


def main():
    args = common.argument_parser(__doc__).parse_args()
    if args.ukur:
        return measure(args)
    results = common.run_both(__file__, args)
    print_table(results)
    return 0


def print_table(results):
    common.print_table(results, TARGET_MS, unmeasured="tidak diukur")
    for result in results:
        print(f"{result['size']:,} pegawai: {result['skp']:,} SKP pada periode {result['periode']}", end="")
        print(f" ({result['instansi']}); dibuat kali ini dalam {result['skp_s']:.1f} dtk" if result["skp_s"] else "")
    if any(r.get("catatan") for r in results):
        print("\n".join(sorted({r["catatan"] for r in results if r.get("catatan")})))


# ---------------------------------------------------------------------------------------------
# The child: one database, with one SKP per pegawai.


def measure(args):
    with common.django_for_measuring():
        seed_s = seed_if_needed(args.ukuran)
        started = time.monotonic()
        made = ensure_skps()
        skp_s = time.monotonic() - started if made else None
        result = measure_cases(args)
    common.report(result, args, seed_s=seed_s, skp_s=skp_s)
    return 0


def seed_if_needed(size):
    """The shared seeding; SKPs of a previous dataset go first (they protect their pegawai)."""
    from apps.akun.management.commands.seed_demo import demo_pegawai, demo_roots

    if not (demo_roots().exists() and demo_pegawai().count() == size):
        remove_demo_skps()
    return common.seed_if_needed(size)


def remove_demo_skps():
    from apps.akun.management.commands.seed_demo import demo_roots
    from apps.penilaian.models import Penilaian, PeriodePenilaian

    periods = PeriodePenilaian.objects.filter(instansi__in=demo_roots().values("pk"))
    Penilaian.objects.filter(periode__in=periods.values("pk")).delete()
    periods.delete()


def weighted(rng, table):
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights)[0]


def ensure_skps():
    """One open period per demo instansi and one SKP per pegawai in it: the parties from the
    jabatan chain (definitif holders, walked in memory), a realistic mix of states and ratings,
    the predikat from the matrix. Returns the number of SKPs made (0 when none were missing)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from apps.akun.management.commands.seed_demo import demo_pegawai, demo_roots
    from apps.pegawai.models import Golongan, Jabatan, Pegawai, UnitKerja
    from apps.penilaian import services
    from apps.penilaian.models import BerAKHLAK, CapaianUnit, Penilaian, PeriodePenilaian, predikat_for

    tahun = timezone.localdate().year
    periods = {}
    for root in demo_roots():
        periode = PeriodePenilaian.objects.filter(instansi=root, tahun=tahun).first()
        if periode is None:
            periode = services.periode_create(actor=None, instansi=root, tahun=tahun, periodik="triwulanan")
        elif not periode.is_open:
            periode = services.periode_set_status(actor=None, periode=periode, status="dibuka")
        periods[root.pk] = periode

    missing = demo_pegawai().exclude(penilaian__periode__in=[p.pk for p in periods.values()])
    if not missing.exists():
        return 0
    print(f"Membuat SKP {tahun} untuk {missing.count():,} pegawai…", file=sys.stderr)

    units = {u[0]: u[1:] for u in UnitKerja.objects.values_list("pk", "nama", "path")}
    jabatan = {j[0]: j[1:] for j in Jabatan.objects.values_list("pk", "nama", "atasan_id", "jenis")}
    golongan = {g.pk: str(g) for g in Golongan.objects.all()}
    fields = ("pk", "nip", "nama", "gelar_depan", "gelar_belakang", "jabatan_id", "unit_kerja_id", "golongan_id")
    people = {}
    holder = {}  # jabatan id -> its active definitif holder (as services._holder_of orders them)
    ordered = Pegawai.objects.order_by("jabatan_id", "-tmt_jabatan", "pk")
    for row in ordered.values_list(*fields, "kedudukan_hukum"):
        people[row[0]] = row
        if row[5] is not None and row[8] == "01":
            holder.setdefault(row[5], row[0])

    def nama_lengkap(p):
        depan = f"{p[3]} " if p[3] else ""
        belakang = f", {p[4]}" if p[4] else ""
        return f"{depan}{p[2]}{belakang}"

    def snapshot(prefix, pk):
        if pk is None:
            return {f"{prefix}_{k}": "" for k in ("nip", "nama", "golongan", "jabatan", "unit")}
        p = people[pk]
        return {
            f"{prefix}_nip": p[1],
            f"{prefix}_nama": nama_lengkap(p),
            f"{prefix}_golongan": golongan.get(p[7], ""),
            f"{prefix}_jabatan": jabatan[p[5]][0] if p[5] else "",
            f"{prefix}_unit": units[p[6]][0],
        }

    def appraiser(jabatan_id, exclude):
        # As services.default_parties: up the atasan chain, the first jabatan with a holder.
        seen = set()
        current = jabatan[jabatan_id][1] if jabatan_id else None
        while current is not None and current not in seen:
            seen.add(current)
            pk = holder.get(current)
            if pk is not None and pk != exclude:
                return pk, current
            current = jabatan[current][1]
        return None, None

    rng = random.Random(2026)
    now = timezone.now()
    berakhlak_keys = list(BerAKHLAK.values)
    todo = list(missing.order_by("pk").values_list("pk", "unit_kerja__path"))
    for start in range(0, len(todo), BATCH):
        batch = []
        for pk, path in todo[start : start + BATCH]:
            p = people[pk]
            ids = [int(x) for x in path.strip("/").split("/")]
            penilai, jabatan_penilai = appraiser(p[5], pk)
            atasan = appraiser(jabatan_penilai, pk)[0] if jabatan_penilai else None
            status = weighted(rng, STATES) if penilai else "draf"
            values = {}
            if status in ("dinilai", "keberatan", "final"):
                hasil, perilaku = weighted(rng, HASIL), weighted(rng, PERILAKU)
                values = {
                    "rating_hasil_kerja": hasil,
                    "rating_perilaku": perilaku,
                    "rating_berakhlak": dict.fromkeys(berakhlak_keys, perilaku),
                    "predikat": predikat_for(hasil, perilaku),
                    "dinilai_pada": now - dt.timedelta(days=rng.randint(5, 40)),
                }
                if status == "final":
                    values["final_pada"] = now - dt.timedelta(days=rng.randint(0, 4))
            batch.append(
                Penilaian(
                    periode=periods[ids[0]],
                    pegawai_id=pk,
                    status=status,
                    unit_kerja_id=p[6],
                    organisasi_id=ids[1] if len(ids) > 1 else ids[0],
                    pegawai_jenis_jabatan=jabatan[p[5]][2] if p[5] else "",
                    penilai_id=penilai,
                    penilai_penugasan="definitif" if penilai else "",
                    atasan_penilai_id=atasan,
                    **snapshot("pegawai", pk),
                    **snapshot("penilai", penilai),
                    **snapshot("atasan_penilai", atasan),
                    **values,
                )
            )
        with transaction.atomic():
            Penilaian.objects.bulk_create(batch)
        print(f"  {start + len(batch):,} / {len(todo):,}", file=sys.stderr)

    # The organisation's own result for each perangkat daerah, so the distribution has warnings.
    capaian = []
    for root_pk, periode in periods.items():
        for unit_pk in UnitKerja.objects.filter(parent_id=root_pk).values_list("pk", flat=True):
            capaian.append(CapaianUnit(periode=periode, unit_kerja_id=unit_pk, capaian=weighted(rng, CAPAIAN)))
    CapaianUnit.objects.bulk_create(capaian, ignore_conflicts=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE penilaian_penilaian")
        cursor.execute("ANALYZE penilaian_capaianunit")
    return len(todo)


def measure_cases(args):
    from django.urls import NoReverseMatch, reverse

    from apps.penilaian.models import Penilaian, PeriodePenilaian

    root, dinas, personas = common.demo_setting()
    periode = PeriodePenilaian.objects.filter(instansi=root, status="dibuka").order_by("-tahun").first()
    q = args.cari
    api = f"/api/v1/penilaian/?periode={periode.pk}&page_size=100"
    cases = [
        ("API · pertama", api),
        ("API · unit+predikat", f"{api}&unit_kerja={dinas.pk}&predikat=2"),
        ("API · cari", f"{api}&q={q}"),
        ("API · distribusi", f"/api/v1/periode-penilaian/{periode.pk}/distribusi/"),
    ]
    catatan = None
    try:
        daftar, distribusi = reverse("penilaian:daftar"), reverse("penilaian:distribusi")
    except NoReverseMatch:
        catatan = "Halaman SKP BKPSDM (penilaian:daftar, penilaian:distribusi) belum ada: hanya API diukur."
    else:
        page = f"{daftar}?periode={periode.pk}"
        cases += [
            ("halaman · pertama", page),
            ("halaman · unit+predikat", f"{page}&unit_kerja={dinas.pk}&predikat=2"),
            ("halaman · cari", f"{page}&q={q}"),
            ("halaman · distribusi", f"{distribusi}?periode={periode.pk}"),
        ]
    return {
        "cases": common.run_cases(personas, cases, args),
        "instansi": root.nama,
        "periode": periode.tahun,
        "skp": Penilaian.objects.filter(periode=periode).count(),
        "catatan": catatan,
    }


if __name__ == "__main__":
    sys.exit(main())
