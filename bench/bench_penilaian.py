#!/usr/bin/env python
"""Server time of the BKPSDM SKP list and the predikat distribution at 100,000 pegawai with one
SKP each, and at 100 for the query-count comparison.

    .venv/bin/python bench/bench_penilaian.py [--pegawai 100000] [--kecil 100] [--runs 30]

Shares the dataset of bench_pegawai.py: DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/asnkarier_bench) and the same name plus ``_kecil``, filled
with ``seed_demo``. On top of it this script ensures one open period per instansi and one SKP per
pegawai, made with bulk_create in batches with a realistic mix of states and predikat (skipped
when they exist). Each case is requested in-process with Django's test client as the BKPSDM
staff of the largest instansi and as a superuser; see bench/README.md.
"""

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_pegawai as shared  # noqa: E402 - the sibling script, for its dataset and timing

DEFAULT_URL = shared.DEFAULT_URL
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


# ---------------------------------------------------------------------------------------------
# The parent: one child process per database, then the table.


def run_child(url, size, args):
    env = dict(os.environ, DATABASE_URL=url)
    cmd = [sys.executable, __file__, "--ukur", "--ukuran", str(size), "--runs", str(args.runs)]
    cmd += ["--warmup", str(args.warmup), "--cari", args.cari]
    done = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, text=True, check=False)  # noqa: S603 - our own script
    if done.returncode != 0:
        sys.exit(f"Pengukuran di {urlsplit(url).path.lstrip('/')} gagal (kode {done.returncode}).")
    return json.loads(done.stdout.strip().splitlines()[-1])


def print_table(results):
    print()
    print("Waktu server per permintaan (Django test client, dalam proses), median dan p95 dari")
    print(f"{results[0]['runs']} permintaan setelah {results[0]['warmup']} pemanasan; kueri = jumlah kueri SQL.")
    print()
    header = ["pegawai", "masuk sebagai", "permintaan", "baris", "median ms", "p95 ms", "SQL ms", "kueri", "KB"]
    rows = []
    for result in results:
        for case in result["cases"]:
            if case.get("error"):
                rows.append(
                    [f"{result['size']:,}", case["persona"], case["label"], "-", "-", "-", "-", "-", case["error"]]
                )
                continue
            rows.append(
                [
                    f"{result['size']:,}",
                    case["persona"],
                    case["label"],
                    str(case["rows"]),
                    f"{case['median_ms']:.1f}",
                    f"{case['p95_ms']:.1f}",
                    f"{case['sql_ms']:.1f}",
                    str(case["queries"]),
                    f"{case['kb']:.0f}",
                ]
            )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for i, row in enumerate([header, *rows]):
        print("  ".join(v.ljust(w) if j < 3 else v.rjust(w) for j, (v, w) in enumerate(zip(row, widths, strict=True))))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print()
    big, small = results[0], results[-1]
    print(f"Target (median < {TARGET_MS} ms pada {big['size']:,} pegawai, jumlah kueri sama dengan {small['size']:,}):")
    for a, b in zip(big["cases"], small["cases"], strict=True):
        if a.get("error") or b.get("error"):
            print(f"  {a['persona']} · {a['label']}: tidak diukur ({a.get('error') or b.get('error')})")
            continue
        fast = "ya" if a["median_ms"] < TARGET_MS else "TIDAK"
        same = "ya" if a["queries"] == b["queries"] else f"TIDAK ({a['queries']} vs {b['queries']})"
        print(f"  {a['persona']} · {a['label']}: median < {TARGET_MS} ms: {fast}; kueri sama: {same}")
    for result in results:
        print(f"{result['size']:,} pegawai: {result['skp']:,} SKP pada periode {result['periode']}", end="")
        print(f" ({result['instansi']}); dibuat kali ini dalam {result['skp_s']:.1f} dtk" if result["skp_s"] else "")
    if any(r.get("catatan") for r in results):
        print("\n".join(sorted({r["catatan"] for r in results if r.get("catatan")})))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pegawai", type=int, default=100_000, help="ukuran besar (default 100000)")
    parser.add_argument("--kecil", type=int, default=100, help="ukuran pembanding (default 100)")
    parser.add_argument("--runs", type=int, default=30, help="permintaan yang diukur per kasus (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="permintaan pemanasan per kasus (default 3)")
    parser.add_argument("--cari", default="saputra", help="potongan nama untuk pencarian (default saputra)")
    parser.add_argument("--ukur", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--ukuran", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ukur:
        return measure(args)

    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if urlsplit(url).scheme not in ("postgres", "postgresql"):
        sys.exit(f"DATABASE_URL harus PostgreSQL (misalnya {DEFAULT_URL}), bukan {urlsplit(url).scheme}.")
    small_url = shared.with_database(url, f"{urlsplit(url).path.lstrip('/')}_kecil")
    results = []
    for db_url, size in ((url, args.pegawai), (small_url, args.kecil)):
        shared.ensure_database(db_url)
        results.append(run_child(db_url, size, args))
    print_table(results)
    return 0


# ---------------------------------------------------------------------------------------------
# The child: set up Django against one database, seed if needed, measure.


def measure(args):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asnkarier.settings")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ["SECURE_COOKIES"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, ALLOWED_HOSTS=["testserver"]):
        call_command("migrate", verbosity=0)
        seed_s = seed_if_needed(args.ukuran, call_command)
        started = time.monotonic()
        made = ensure_skps()
        skp_s = time.monotonic() - started if made else None
        result = measure_cases(args)
    result.update(size=args.ukuran, seed_s=seed_s, skp_s=skp_s, runs=args.runs, warmup=args.warmup)
    print(json.dumps(result))
    return 0


def seed_if_needed(size, call_command):
    """bench_pegawai's seeding; SKPs of a previous dataset go first (they protect their pegawai)."""
    from apps.akun.management.commands.seed_demo import demo_pegawai, demo_roots

    if not (demo_roots().exists() and demo_pegawai().count() == size):
        remove_demo_skps()
    return shared.seed_if_needed(size, call_command)


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
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from apps.akun.models import User
    from apps.pegawai.models import Pegawai, UnitKerja
    from apps.penilaian.models import Penilaian, PeriodePenilaian

    roots = list(UnitKerja.objects.filter(parent=None, siasn_id__startswith="demo:"))
    root = max(roots, key=lambda r: Pegawai.objects.filter(unit_kerja__path__startswith=r.path).count())
    staff = User.objects.get(username=f"bkpsdm.{root.siasn_id.removeprefix('demo:')}")
    superuser = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    dinas = UnitKerja.objects.filter(parent=root, nama__startswith="Dinas Pendidikan").first() or root
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
    personas = [(staff.username, staff)]
    if superuser is not None:
        personas.append((f"{superuser.username} (superuser)", superuser))

    out = []
    for persona, user in personas:
        client = Client()
        client.force_login(user)
        for label, url in cases:
            case = {"persona": persona, "label": label, "url": url, **shared.one_case(client, url, args)}
            if url.startswith("/api/") and "distribusi" in url and not case.get("error"):
                case["rows"] = len(client.get(url).json()["unit"])  # perangkat daerah
            out.append(case)
    return {
        "cases": out,
        "instansi": root.nama,
        "periode": periode.tahun,
        "skp": Penilaian.objects.filter(periode=periode).count(),
        "catatan": catatan,
    }


if __name__ == "__main__":
    sys.exit(main())
