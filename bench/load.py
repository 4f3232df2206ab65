#!/usr/bin/env python
"""Load test: gunicorn on 127.0.0.1 against the 100,000-pegawai bench database, with 50
concurrent virtual users for 60 s, and the latency per kind of request.

    .venv/bin/python bench/load.py [--users 50] [--seconds 60] [--workers N] [--think 1.0]

DATABASE_URL (default postgres://postgres@127.0.0.1:5432/asnkarier_bench) must hold the dataset
of bench_penilaian.py (100,000 demo pegawai with one SKP each); the script says how to make it
when it is missing. It then prepares, in-process with Django: accounts for 45 pegawai whose SKP
of the largest instansi is still a draft (one rencana row each, so that every virtual user saves
its own SKP and no save waits on another), a session per virtual user and an API token each
(revoked at the end). It starts gunicorn (sync workers, DEBUG off, persistent database
connections) on a free port, runs the virtual users as threads (standard library only), stops
gunicorn and prints throughput, p50/p95/p99 per kind of request and overall, and the errors.
Every virtual user waits a think time between its requests; see bench/README.md for the mix.
Exit status 1 when any request failed.
"""

import argparse
import http.client
import json
import math
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import _common as common

ROOT = common.ROOT
OUT = Path(__file__).resolve().parent / "out"
TARGET_P95_MS = 300
TOKEN_NAME = "bench-load"  # noqa: S105 - the name tokens of this script carry, not a secret

# (kind, weight) per persona. Staff browse their whole instansi (50,000 pegawai); a pegawai
# looks at their own data and saves their own SKP.
MIX = {
    "staf": [("daftar pegawai", 30), ("detail pegawai", 25), ("daftar SKP", 20), ("API baca", 25)],
    "pegawai": [
        ("daftar pegawai", 10),
        ("detail pegawai", 25),
        ("daftar SKP", 25),
        ("API baca", 20),
        ("API simpan SKP", 20),
    ],
}
KINDS = ["daftar pegawai", "detail pegawai", "daftar SKP", "API baca", "API simpan SKP"]
NAMES = ["saputra", "wati", "rahman", "sari", "putra", "hidayat"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="pengguna serentak (default 50)")
    parser.add_argument("--staf", type=int, default=5, help="di antaranya staf BKPSDM (default 5)")
    parser.add_argument("--seconds", type=float, default=60, help="lama pengukuran dalam detik (default 60)")
    parser.add_argument("--warmup", type=float, default=5, help="pemanasan tak dihitung, detik (default 5)")
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() * 2 + 1,
        help="worker gunicorn (default 2 × inti + 1, seperti produksi)",
    )
    parser.add_argument("--think", type=float, default=1.0, help="jeda rata-rata antarpermintaan, detik (default 1)")
    parser.add_argument("--max-requests", type=int, default=200_000, help="batas jumlah permintaan (default 200000)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if not 0 <= args.staf <= args.users:
        parser.error("--staf harus antara 0 dan --users")

    url = os.environ.get("DATABASE_URL") or common.DEFAULT_URL
    check_database(url)
    os.environ["DATABASE_URL"] = url
    # Other work on the machine skews every figure: the report shows the load average.
    load_before = os.getloadavg()[0]
    with common.django_for_measuring():
        from django.db import connection

        plan = prepare(args)
        connection.close()
        try:
            started_server = time.monotonic()
            server = Gunicorn(url, args.workers)
            try:
                server.wait_until_up()
                boot_s = time.monotonic() - started_server
                results, elapsed = run_load(server.port, plan, args)
            finally:
                server.stop()
        finally:
            revoke_tokens()
    errors = report(results, elapsed, args, boot_s, server.log_path, load_before)
    return 1 if errors else 0


# ---------------------------------------------------------------------------------------------
# Setup


def check_database(url):
    """The bench database must exist and hold the bench_penilaian.py dataset."""
    import psycopg2

    if urlsplit(url).scheme not in ("postgres", "postgresql"):
        sys.exit(f"DATABASE_URL harus PostgreSQL (misalnya {common.DEFAULT_URL}).")
    name = urlsplit(url).path.lstrip("/")
    how = (
        "Buat dulu datanya (sekali, ±2 menit):\n"
        f"  DATABASE_URL={url} .venv/bin/python bench/bench_penilaian.py\n"
        "(membuat database, migrate, seed_demo --pegawai 100000, lalu satu SKP per pegawai)."
    )
    try:
        conn = psycopg2.connect(url)
    except psycopg2.OperationalError as exc:
        sys.exit(f"Database {name} tidak dapat dibuka ({str(exc).strip()}).\n{how}")
    with conn, conn.cursor() as cursor:
        cursor.execute("SELECT to_regclass('penilaian_penilaian') IS NOT NULL")
        has_tables = cursor.fetchone()[0]
        count = 0
        if has_tables:
            cursor.execute("SELECT count(*) FROM penilaian_penilaian WHERE status = 'draf'")
            count = cursor.fetchone()[0]
    conn.close()
    if count < 100:
        sys.exit(f"Database {name} belum berisi data bench (SKP draf: {count}).\n{how}")


def prepare(args):
    """Accounts, sessions, SKP rows and tokens for the virtual users; returns their plan."""
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from apps.akun import services as akun_services
    from apps.akun.models import User
    from apps.pegawai.models import Jabatan, Pegawai
    from apps.penilaian import services as penilaian_services
    from apps.penilaian.models import Penilaian, PeriodePenilaian

    root, _dinas, personas = common.demo_setting()
    staff = personas[0][1]
    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if admin is None:
        sys.exit("Tidak ada superuser aktif di database bench (seed_demo membuat 'admin').")
    periode = PeriodePenilaian.objects.filter(instansi=root).order_by("-tahun").first()
    if periode is None or not periode.is_open:
        sys.exit("Periode penilaian instansi terbesar belum ada atau ditutup: jalankan bench/bench_penilaian.py.")

    n_pegawai = args.users - args.staf
    # Pegawai without subordinates, as most are: no jabatan answers to theirs.
    atasan_jabatan = Jabatan.objects.filter(atasan__isnull=False).values("atasan_id")
    drafts = (
        Penilaian.objects.filter(periode=periode, status="draf")
        .exclude(pegawai_jenis_jabatan__in=["jpt_utama", "jpt_madya", "jpt_pratama"])
        .exclude(pegawai__jabatan__in=atasan_jabatan)
        .select_related("pegawai", "periode")
        .order_by("pk")[:n_pegawai]
    )
    drafts = list(drafts)
    if len(drafts) < n_pegawai:
        sys.exit(f"Hanya {len(drafts)} SKP draf pegawai tanpa bawahan; kurangi --users.")

    def session_for(user):
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    def token_for(user, read_only):
        _token, key = akun_services.token_create(
            actor=admin, user=user, name=TOKEN_NAME, read_only=read_only, expires_at=None
        )
        return key

    users = []
    for i in range(args.staf):
        users.append({"persona": "staf", "session": session_for(staff), "token": token_for(staff, True), "i": i})
    for i, skp in enumerate(drafts):
        user = User.objects.filter(pegawai=skp.pegawai).first()
        if user is None:
            user = User(username=skp.pegawai.nip, pegawai=skp.pegawai, role=User.Role.PEGAWAI)
            user.set_unusable_password()
            user.save()
        rencana = skp.rencana.order_by("pk").first()
        if rencana is None:
            rencana = penilaian_services.rencana_add(
                actor=user,
                penilaian=skp,
                jenis="utama",
                uraian="Tersusunnya laporan kinerja bulanan unit",
                aspek="kuantitas",
                indikator="Jumlah laporan yang disusun tepat waktu",
                target=12,
                satuan="laporan",
            )
            skp.refresh_from_db()
        users.append(
            {
                "persona": "pegawai",
                "session": session_for(user),
                "token": token_for(user, False),
                "nip": skp.pegawai.nip,
                "skp": skp.pk,
                "rencana": rencana.pk,
                "version": skp.version,
                "i": args.staf + i,
            }
        )
    scope_nips = list(
        Pegawai.objects.filter(unit_kerja__path__startswith=root.path).order_by("?").values_list("nip", flat=True)[:500]
    )
    in_scope = Pegawai.objects.filter(unit_kerja__path__startswith=root.path).count()
    print(
        f"Disiapkan {args.staf} staf ({staff.username}, {in_scope:,} pegawai dalam lingkup) dan "
        f"{len(drafts)} pegawai dengan SKP draf sendiri; periode {periode.tahun} (id {periode.pk}); "
        f"{timezone.now():%H.%M.%S}.",
        file=sys.stderr,
    )
    return {"users": users, "periode": periode.pk, "nips": scope_nips, "cookie": settings.SESSION_COOKIE_NAME}


def revoke_tokens():
    """The tokens this run made stop working; accounts and SKP rows stay for the next run."""
    from apps.akun import services as akun_services
    from apps.akun.models import ApiToken, User

    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    for token in ApiToken.objects.active().filter(name=TOKEN_NAME):
        akun_services.token_revoke(actor=admin, token=token)


# ---------------------------------------------------------------------------------------------
# The server


class Gunicorn:
    def __init__(self, url, workers):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        OUT.mkdir(exist_ok=True)
        self.log_path = OUT / "load-gunicorn.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "CONN_MAX_AGE": "60",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "asnkarier.settings",
        }
        ensure_static(env)
        cmd = [sys.executable, "-m", "gunicorn", "asnkarier.wsgi", f"--bind=127.0.0.1:{self.port}"]
        cmd += [f"--workers={workers}", "--timeout=60", "--no-control-socket", "--log-level=warning"]
        self.process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)  # noqa: S603

    def wait_until_up(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn berhenti; lihat {self.log_path}")
            if request(self.port, "GET", "/health/", {})[0] == 200:
                return
            time.sleep(0.2)
        sys.exit(f"gunicorn tidak menjawab /health/ dalam {timeout} dtk; lihat {self.log_path}")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def ensure_static(env):
    """DEBUG off serves pages with hashed static names from STATIC_ROOT's manifest: collect them
    when the manifest is missing or older than a file of static/ (about 30 s, once)."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    newest = max((p.stat().st_mtime for p in (ROOT / "static").rglob("*") if p.is_file()), default=0)
    if manifest.exists() and manifest.stat().st_mtime >= newest:
        return
    print("collectstatic (sekali, ±30 dtk)…", file=sys.stderr)
    subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )


# ---------------------------------------------------------------------------------------------
# The virtual users


def request(port, method, path, headers, body=None):
    """(status, milliseconds, body): a new connection per request, as gunicorn's sync workers
    close each one."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        status = response.status
    except (OSError, http.client.HTTPException) as exc:
        status, data = f"{type(exc).__name__}", b""
    finally:
        conn.close()
    return status, (time.perf_counter() - started) * 1000, data


class VirtualUser(threading.Thread):
    def __init__(self, port, user, plan, args, clock):
        super().__init__(daemon=True)
        self.port, self.user, self.plan, self.args, self.clock = port, user, plan, args, clock
        self.rng = random.Random(args.seed * 1000 + user["i"])
        self.results = []

    def run(self):
        kinds, weights = zip(*MIX[self.user["persona"]], strict=True)
        # Users do not all click at the same instant.
        time.sleep(self.rng.uniform(0, self.args.think))
        while self.clock.go():
            kind = self.rng.choices(kinds, weights)[0]
            status, ms, expected = self.one(kind)
            if self.clock.counting():
                self.results.append((self.user["persona"], kind, status, ms, status == expected))
            time.sleep(self.rng.uniform(0.5, 1.5) * self.args.think)

    def one(self, kind):
        u, rng, plan = self.user, self.rng, self.plan
        page = {"Cookie": f"{plan['cookie']}={u['session']}"}
        api = {"Authorization": f"Token {u['token']}", "Accept": "application/json"}
        if u["persona"] == "staf":
            headers = api if kind.startswith("API") else page
            return request(self.port, "GET", self.staff_path(kind), headers)[:2] + (200,)
        if kind == "API simpan SKP":
            body = json.dumps({"version": u["version"], "target": rng.randint(1, 24)})
            headers = {**api, "Content-Type": "application/json"}
            path = f"/api/v1/penilaian/{u['skp']}/rencana/{u['rencana']}/"
            status, ms, data = request(self.port, "PATCH", path, headers, body)
            if status == 200:
                u["version"] = json.loads(data)["version"]
            return status, ms, 200
        path = {
            "daftar pegawai": "/pegawai/",
            "detail pegawai": f"/pegawai/{u['nip']}/",
            "daftar SKP": "/penilaian/saya/",
            "API baca": f"/api/v1/penilaian/{u['skp']}/",
        }[kind]
        headers = api if kind.startswith("API") else page
        return request(self.port, "GET", path, headers)[:2] + (200,)

    def staff_path(self, kind):
        rng, plan = self.rng, self.plan
        if kind == "daftar pegawai":
            return rng.choice(["/pegawai/", f"/pegawai/?hal={rng.randint(2, 200)}", f"/pegawai/?q={rng.choice(NAMES)}"])
        if kind == "detail pegawai":
            return f"/pegawai/{rng.choice(plan['nips'])}/"
        if kind == "daftar SKP":
            return f"/penilaian/daftar/?periode={plan['periode']}&hal={rng.randint(1, 50)}"
        return rng.choice(
            [
                f"/api/v1/pegawai/?page_size=25&page={rng.randint(1, 200)}",
                f"/api/v1/penilaian/?periode={plan['periode']}&page_size=25",
                f"/api/v1/pegawai/{rng.choice(plan['nips'])}/",
            ]
        )


class Clock:
    """Warm-up, then the measured window; stops at the end of it or at the request cap."""

    def __init__(self, warmup, seconds, cap):
        self.start = time.monotonic()
        self.measure_from = self.start + warmup
        self.end = self.measure_from + seconds
        self.cap = cap
        self.sent = 0
        self.lock = threading.Lock()

    def go(self):
        with self.lock:
            self.sent += 1
            return self.sent <= self.cap and time.monotonic() < self.end

    def counting(self):
        return time.monotonic() >= self.measure_from


def run_load(port, plan, args):
    print(
        f"{args.users} pengguna serentak, jeda rata-rata {args.think} dtk; pemanasan {args.warmup:.0f} dtk, "
        f"lalu {args.seconds:.0f} dtk diukur…",
        file=sys.stderr,
    )
    clock = Clock(args.warmup, args.seconds, args.max_requests)
    users = [VirtualUser(port, user, plan, args, clock) for user in plan["users"]]
    for user in users:
        user.start()
    for user in users:
        user.join(timeout=args.warmup + args.seconds + 60)
    elapsed = min(time.monotonic(), clock.end) - clock.measure_from
    return [r for user in users for r in user.results], elapsed


# ---------------------------------------------------------------------------------------------
# The report


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    return sorted_values[max(0, math.ceil(p / 100 * len(sorted_values)) - 1)]


def report(results, elapsed, args, boot_s, log_path, load_before):
    groups = defaultdict(list)
    for persona, kind, status, ms, ok in results:
        groups[(kind, persona)].append((ms, ok, status))
        groups[(kind, "semua")].append((ms, ok, status))
        groups[("semua", "semua")].append((ms, ok, status))
    order = [(k, p) for k in KINDS for p in ("staf", "pegawai", "semua") if (k, p) in groups]
    order.append(("semua", "semua"))

    print()
    print(
        f"Beban: {args.users} pengguna serentak ({args.staf} staf BKPSDM, {args.users - args.staf} pegawai), "
        f"jeda {args.think} dtk rata-rata; gunicorn {args.workers} worker sync di 127.0.0.1 "
        f"(siap dalam {boot_s:.1f} dtk); {elapsed:.0f} dtk diukur setelah {args.warmup:.0f} dtk pemanasan."
    )
    print(
        f"Load average mesin (1 menit): {load_before:.1f} sebelum, {os.getloadavg()[0]:.1f} sesudah; "
        f"{os.cpu_count()} inti."
    )
    print()
    header = ["permintaan", "oleh", "jumlah", "per dtk", "p50 ms", "p95 ms", "p99 ms", "maks ms", "galat"]
    rows = []
    for key in order:
        values = groups[key]
        times = sorted(ms for ms, _ok, _s in values)
        errors = sum(1 for _ms, ok, _s in values if not ok)
        rows.append(
            [
                key[0],
                key[1],
                str(len(values)),
                f"{len(values) / elapsed:.1f}",
                f"{percentile(times, 50):.0f}",
                f"{percentile(times, 95):.0f}",
                f"{percentile(times, 99):.0f}",
                f"{times[-1]:.0f}" if times else "-",
                str(errors),
            ]
        )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for i, row in enumerate([header, *rows]):
        print("  ".join(v.ljust(w) if j < 2 else v.rjust(w) for j, (v, w) in enumerate(zip(row, widths, strict=True))))
        if i == 0 or i == len(rows) - 1:
            print("  ".join("-" * w for w in widths))

    everything = groups[("semua", "semua")]
    errors = [status for _ms, ok, status in everything if not ok]
    p95 = percentile(sorted(ms for ms, _ok, _s in everything), 95)
    print()
    if errors:
        by_status = defaultdict(int)
        for status in errors:
            by_status[status] += 1
        print(f"Galat: {len(errors)} ({', '.join(f'{s}: {n}' for s, n in sorted(by_status.items(), key=str))});")
        print(f"log gunicorn: {log_path}")
    print(
        f"Target (tanpa galat, p95 < {TARGET_P95_MS} ms): galat 0: {'ya' if not errors else 'TIDAK'}; "
        f"p95 {p95:.0f} ms < {TARGET_P95_MS}: {'ya' if p95 < TARGET_P95_MS else 'TIDAK'}."
    )
    return len(errors)


if __name__ == "__main__":
    sys.exit(main())
