#!/usr/bin/env python
"""Server time of the pegawai list page and API at 100,000 and at 100 pegawai.

    .venv/bin/python bench/bench_pegawai.py [--pegawai 100000] [--kecil 100] [--runs 30]

DATABASE_URL must point to PostgreSQL (default postgres://postgres@127.0.0.1:5432/asnkarier_bench);
the comparison runs in a second database with the suffix ``_kecil``. Both are created and migrated
when missing and filled with ``seed_demo`` when they do not hold the asked number of pegawai.
Each case is requested in-process with Django's test client (no network, no browser), signed in
as the BKPSDM staff of the largest instansi and as a superuser; see bench/README.md. The code
shared with bench_penilaian.py is in _common.py.
"""

import sys
import time

import _common as common

TARGET_MS = 100


def main():
    parser = common.argument_parser(__doc__)
    parser.add_argument(
        "--tunggu", type=int, default=0, help="detik menunggu bila halaman/API belum ada (404), default 0"
    )
    args = parser.parse_args()
    if args.ukur:
        return measure(args)
    results = common.run_both(__file__, args, ["--tunggu", str(args.tunggu)])
    print_table(results)
    return 0


def print_table(results):
    common.print_table(results, TARGET_MS, unmeasured="belum dapat diukur")
    for result in results:
        if result.get("seed_s") is not None:
            print(f"seed_demo --pegawai {result['size']}: {result['seed_s']:.1f} dtk")


# ---------------------------------------------------------------------------------------------
# The child: one database.


def measure(args):
    with common.django_for_measuring():
        seed_s = common.seed_if_needed(args.ukuran)
        result = measure_cases(args)
    common.report(result, args, seed_s=seed_s)
    return 0


def measure_cases(args):
    root, dinas, personas = common.demo_setting()
    q = args.cari
    cases = [
        ("halaman · pertama", "/pegawai/"),
        ("halaman · filter", f"/pegawai/?unit_kerja={dinas.pk}&jenis_asn=PNS"),
        ("halaman · cari", f"/pegawai/?q={q}"),
        ("API · pertama", "/api/v1/pegawai/?page_size=100"),
        ("API · filter", f"/api/v1/pegawai/?page_size=100&unit_kerja={dinas.pk}&jenis_asn=PNS"),
        ("API · cari", f"/api/v1/pegawai/?page_size=100&search={q}"),
    ]
    _, staff = personas[0]  # the BKPSDM staff
    wait_until_available(args.tunggu, staff)
    return {"cases": common.run_cases(personas, cases, args), "dinas": dinas.nama, "instansi": root.nama}


def wait_until_available(seconds, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    deadline = time.monotonic() + seconds
    while True:
        missing = [u for u in ("/pegawai/", "/api/v1/pegawai/") if client.get(u).status_code == 404]
        if not missing or time.monotonic() >= deadline:
            return
        print(f"Belum tersedia: {', '.join(missing)}; mencoba lagi dalam 30 detik…", file=sys.stderr)
        time.sleep(30)


if __name__ == "__main__":
    sys.exit(main())
