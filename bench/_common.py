"""What bench_pegawai.py and bench_penilaian.py share.

The parent process checks DATABASE_URL, creates the two databases when missing, starts the same
script once per database as a child (``--ukur --ukuran N``) and prints the table from the JSON
each child writes as its last line of output. The child sets Django up against its database
(migrated, DEBUG off), seeds the demo data when needed and times each case with the test client.
"""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/asnkarier_bench"


# ---------------------------------------------------------------------------------------------
# The parent: one child process per database, then the table.


def argument_parser(doc):
    """The options both scripts have; a script adds its own before parse_args()."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--pegawai", type=int, default=100_000, help="ukuran besar (default 100000)")
    parser.add_argument("--kecil", type=int, default=100, help="ukuran pembanding (default 100)")
    parser.add_argument("--runs", type=int, default=30, help="permintaan yang diukur per kasus (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="permintaan pemanasan per kasus (default 3)")
    parser.add_argument("--cari", default="saputra", help="potongan nama untuk pencarian (default saputra)")
    parser.add_argument("--ukur", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--ukuran", type=int, help=argparse.SUPPRESS)
    return parser


def run_both(script, args, child_args=()):
    """Measure at --pegawai in DATABASE_URL and at --kecil in the same name plus ``_kecil``;
    returns the two children's results, the large one first."""
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if urlsplit(url).scheme not in ("postgres", "postgresql"):
        sys.exit(f"DATABASE_URL harus PostgreSQL (misalnya {DEFAULT_URL}), bukan {urlsplit(url).scheme}.")
    small_url = with_database(url, f"{urlsplit(url).path.lstrip('/')}_kecil")
    results = []
    for db_url, size in ((url, args.pegawai), (small_url, args.kecil)):
        ensure_database(db_url)
        results.append(run_child(script, db_url, size, args, child_args))
    return results


def with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def ensure_database(url):
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(with_database(url, "postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            print(f"Membuat database {name}…", file=sys.stderr)
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def run_child(script, url, size, args, child_args=()):
    env = dict(os.environ, DATABASE_URL=url)
    cmd = [sys.executable, script, "--ukur", "--ukuran", str(size), "--runs", str(args.runs)]
    cmd += ["--warmup", str(args.warmup), "--cari", args.cari, *child_args]
    done = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, text=True, check=False)  # noqa: S603 - our own script
    if done.returncode != 0:
        sys.exit(f"Pengukuran di {urlsplit(url).path.lstrip('/')} gagal (kode {done.returncode}).")
    return json.loads(done.stdout.strip().splitlines()[-1])


def print_table(results, target_ms, unmeasured):
    """The table of all cases, then per case whether the target is met; ``unmeasured`` is the
    wording for a case that answered with an error."""
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
    print(f"Target (median < {target_ms} ms pada {big['size']:,} pegawai, jumlah kueri sama dengan {small['size']:,}):")
    for a, b in zip(big["cases"], small["cases"], strict=True):
        if a.get("error") or b.get("error"):
            print(f"  {a['persona']} · {a['label']}: {unmeasured} ({a.get('error') or b.get('error')})")
            continue
        fast = "ya" if a["median_ms"] < target_ms else "TIDAK"
        same = "ya" if a["queries"] == b["queries"] else f"TIDAK ({a['queries']} vs {b['queries']})"
        print(f"  {a['persona']} · {a['label']}: median < {target_ms} ms: {fast}; kueri sama: {same}")


# ---------------------------------------------------------------------------------------------
# The child: set up Django against one database, seed if needed, measure.


@contextmanager
def django_for_measuring():
    """Django against DATABASE_URL, migrated, production-like: no DEBUG (no query log, no
    template debug). Static files are not served here, so the plain storage does for {% static %}.
    When migrate applied anything (new indexes, say), the database is analysed afterwards."""
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
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.test.utils import override_settings

    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, ALLOWED_HOSTS=["testserver"]):
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        call_command("migrate", verbosity=0)
        if pending:
            # An expression index (the trigram ones) has statistics only after ANALYZE.
            print(f"{len(pending)} migrasi diterapkan; ANALYZE…", file=sys.stderr)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        yield


def report(result, args, **fields):
    """Hand the child's result to the parent: JSON as the last line of standard output."""
    result.update(size=args.ukuran, runs=args.runs, warmup=args.warmup, **fields)
    print(json.dumps(result))


def seed_if_needed(size):
    """seed_demo --pegawai SIZE unless the database holds exactly that many demo pegawai;
    returns the seconds it took, or None."""
    from django.core.management import call_command

    from apps.akun.management.commands.seed_demo import demo_pegawai, demo_roots

    if demo_roots().exists() and demo_pegawai().count() == size:
        return None
    print(f"Membangun {size} pegawai dengan seed_demo…", file=sys.stderr)
    started = time.monotonic()
    call_command("seed_demo", pegawai=size, reset=True, force=True, stdout=sys.stderr)
    return time.monotonic() - started


def demo_setting():
    """The largest demo instansi, its Dinas Pendidikan (a big subtree, or the instansi itself),
    and who signs in: (label, user) for its BKPSDM staff, then the first superuser if any."""
    from apps.akun.models import User
    from apps.pegawai.models import Pegawai, UnitKerja

    roots = list(UnitKerja.objects.filter(parent=None, siasn_id__startswith="demo:"))
    root = max(roots, key=lambda r: Pegawai.objects.filter(unit_kerja__path__startswith=r.path).count())
    staff = User.objects.get(username=f"bkpsdm.{root.siasn_id.removeprefix('demo:')}")
    superuser = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    dinas = UnitKerja.objects.filter(parent=root, nama__startswith="Dinas Pendidikan").first() or root
    personas = [(staff.username, staff)]
    if superuser is not None:
        personas.append((f"{superuser.username} (superuser)", superuser))
    return root, dinas, personas


def run_cases(personas, cases, args):
    """Every (label, url) case for every persona, each with its own signed-in client."""
    from django.test import Client

    out = []
    for persona, user in personas:
        client = Client()
        client.force_login(user)
        for label, url in cases:
            out.append({"persona": persona, "label": label, "url": url, **one_case(client, url, args)})
    return out


def one_case(client, url, args):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment

    response = client.get(url)
    if response.status_code != 200:
        return {"error": f"HTTP {response.status_code}"}
    for _ in range(args.warmup):
        client.get(url)
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    # Counting queries needs the debug cursor, and counting rows the test client's template
    # instrumentation; both cost time, so they get one extra request of their own.
    setup_test_environment()
    try:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
    finally:
        teardown_test_environment()
    times.sort()
    return {
        "median_ms": statistics.median(times),
        "p95_ms": times[max(0, math.ceil(0.95 * len(times)) - 1)],
        "queries": len(ctx.captured_queries),
        "sql_ms": sum(float(q["time"]) for q in ctx.captured_queries) * 1000,
        "rows": count_rows(response),
        "kb": len(response.content) / 1024,
    }


def count_rows(response):
    """Rows on the page: the API's ``results`` (or, for the SKP distribution, its ``unit``:
    the perangkat daerah), or the template's page object."""
    if response.get("Content-Type", "").startswith("application/json"):
        data = response.json()
        return len(data["results"] if "results" in data else data.get("unit", []))
    context = response.context
    if context is None:
        return "-"
    for name in ("page_obj", "page"):
        page = context.get(name)
        if page is not None and hasattr(page, "object_list"):
            return len(page.object_list)
    return "-"
