#!/usr/bin/env python
"""Time of an XLSX import of 10,000 pegawai rows, from the file to the commit.

    .venv/bin/python bench/bench_import.py [--baris 10000] [--riwayat] [--simpan]

DATABASE_URL must point to PostgreSQL (default
postgres://postgres@127.0.0.1:5432/asnkarier_bench_import); the database is created and migrated
when missing and filled with ``seed_demo --pegawai 1000`` when it holds no demo data. The script
builds an XLSX template-shaped workbook of new pegawai (valid NIP, NIK, jabatan of the largest
demo instansi, golongan with masa kerja) and runs the import as its BKPSDM staff exactly as the
background thread does (``apps.core.imports.run``), then prints the time of each phase. With
``--riwayat`` every pegawai also gets a row in "Riwayat Jabatan" and one in "Riwayat Pangkat"
(three times the rows). The import is rolled back afterwards, so a rerun measures the same
thing; ``--simpan`` commits it instead.
"""

import argparse
import datetime as dt
import io
import os
import random
import sys
import time
from pathlib import Path

import _common as common

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/asnkarier_bench_import"
TARGET_S = 60


class Rollback(Exception):
    pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baris", type=int, default=10_000, help="baris pegawai (default 10000)")
    parser.add_argument("--riwayat", action="store_true", help="tambah satu riwayat jabatan dan pangkat per pegawai")
    parser.add_argument("--simpan", action="store_true", help="commit hasil impor (default: dibatalkan)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(f"DATABASE_URL harus PostgreSQL (misalnya {DEFAULT_URL}).")
    common.ensure_database(url)
    os.environ["DATABASE_URL"] = url
    with common.django_for_measuring():
        from apps.akun.management.commands.seed_demo import demo_roots

        if not demo_roots().exists():
            common.seed_if_needed(1000)
        return measure(args)


def build_workbook(args, staff):
    """Rows as a BKPSDM clerk would fill the template: one per new pegawai."""
    import openpyxl

    from apps.core.imports import get_importer
    from apps.pegawai.models import Jabatan, Pegawai

    rng = random.Random(args.seed)
    importer = get_importer("pegawai")(staff)
    jabatan = list(
        Jabatan.objects.manageable_by(staff).filter(jenis__in=["pelaksana", "fungsional"]).values_list("pk", flat=True)
    )
    taken = set(Pegawai.objects.values_list("nip", flat=True))
    sheets = {sheet.key: sheet for sheet in importer.sheets}
    workbook = openpyxl.Workbook(write_only=True)
    ws = {key: workbook.create_sheet(sheet.title) for key, sheet in sheets.items() if key == "pegawai" or args.riwayat}
    for key, sheet in ws.items():
        sheet.append([c.header for c in sheets[key].columns])
    nips, niks = set(), set()
    while len(nips) < args.baris:
        lahir = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(365 * 30))
        jk = rng.choice("12")
        tmt = dt.date(lahir.year + rng.randint(22, 28), rng.randint(1, 12), 1)
        nip = f"{lahir:%Y%m%d}{tmt:%Y%m}{jk}{rng.randint(1, 999):03d}"
        day = lahir.day + (40 if jk == "2" else 0)
        nik = f"17710{rng.randint(1, 9)}{day:02d}{lahir:%m%y}{rng.randint(1, 9999):04d}"
        if nip in nips or nip in taken or nik in niks:
            continue
        nips.add(nip)
        niks.add(nik)
        tmt_gol = dt.date(min(tmt.year + 8, 2025), 4, 1)
        row = {
            "nip": nip,
            "nama": f"Pegawai Impor {len(nips)}",
            "gelar_belakang": "S.E.",
            "jenis_kelamin": "L" if jk == "1" else "P",
            "tempat_lahir": "Bengkulu",
            "tanggal_lahir": lahir,
            "jenis_asn": "PNS",
            "nik": nik,
            "email": f"pegawai{len(nips)}@contoh.go.id",
            "telepon": f"0812{rng.randint(10**7, 10**8 - 1)}",
            "jabatan": str(rng.choice(jabatan)),
            "tmt_jabatan": dt.date(2024, 1, 2),
            "golongan": "III/b",
            "tmt_golongan": tmt_gol,
            "masa_kerja_tahun": tmt_gol.year - tmt.year,
            "masa_kerja_bulan": 0,
        }
        ws["pegawai"].append([row.get(c.key) for c in sheets["pegawai"].columns])
        if args.riwayat:
            rj = {"nip": nip, "jabatan": str(rng.choice(jabatan)), "tmt": tmt, "tanggal_selesai": dt.date(2024, 1, 1)}
            ws["riwayat_jabatan"].append([rj.get(c.key) for c in sheets["riwayat_jabatan"].columns])
            rp = {"nip": nip, "golongan": "III/a", "jenis_kp": "cpns", "tmt": tmt}
            ws["riwayat_pangkat"].append([rp.get(c.key) for c in sheets["riwayat_pangkat"].columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def measure(args):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection, transaction

    from apps.core import imports
    from apps.core.models import AuditLog, ImportJob
    from apps.pegawai.models import Pegawai, RiwayatJabatan, RiwayatPangkat

    root, _, personas = common.demo_setting()
    label, staff = personas[0]
    started = time.perf_counter()
    content = build_workbook(args, staff)
    build_s = time.perf_counter() - started
    rows = args.baris * (3 if args.riwayat else 1)
    print(f"Berkas: {rows:,} baris, {len(content) / 1024 / 1024:.1f} MB, dibuat dalam {build_s:.1f} dtk.")

    upload = SimpleUploadedFile("bench.xlsx", content)
    started = time.perf_counter()
    fmt = imports.check_upload(upload)
    check_s = time.perf_counter() - started
    job = ImportJob(kind="pegawai", user=staff, file_name="bench.xlsx", format=fmt)
    job.file.save("bench.xlsx", upload, save=False)
    job.save()

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    before = (Pegawai.objects.count(), RiwayatJabatan.objects.count(), RiwayatPangkat.objects.count())
    audit_before = AuditLog.objects.count()
    try:
        with transaction.atomic(), connection.execute_wrapper(count):
            started = time.perf_counter()
            imports.run(job.pk)
            total_s = time.perf_counter() - started
            job.refresh_from_db()
            after = (Pegawai.objects.count(), RiwayatJabatan.objects.count(), RiwayatPangkat.objects.count())
            audit_after = AuditLog.objects.count()
            if not args.simpan:
                raise Rollback
    except Rollback:
        pass
    finally:
        if not args.simpan:
            # Its progress was written through a connection of its own, outside the rollback.
            ImportJob.objects.filter(pk=job.pk).delete()
    if job.status != "selesai":
        for error in job.errors[:20]:
            print(error)
        sys.exit(f"Impor gagal: {job.error_count} kesalahan.")
    timings = job.result["timings"]
    print(f"Instansi: {root.nama}; masuk sebagai {label}.")
    print()
    print(f"  cek unggahan (openpyxl membuka berkas)   {check_s:6.1f} dtk")
    print(f"  baca + periksa semua baris               {timings['periksa']:6.1f} dtk")
    print(f"  simpan (satu transaksi, termasuk audit)  {timings['simpan']:6.1f} dtk")
    print(f"  total impor                              {total_s:6.1f} dtk   ({len(queries)} kueri SQL)")
    print()
    print(
        f"Tersimpan: {after[0] - before[0]:,} pegawai, {after[1] - before[1]:,} riwayat jabatan, "
        f"{after[2] - before[2]:,} riwayat pangkat, {audit_after - audit_before:,} entri audit"
        + ("." if args.simpan else " (lalu dibatalkan: --simpan untuk menyimpan).")
    )
    print(f"Target < {TARGET_S} dtk untuk {args.baris:,} pegawai: {'ya' if total_s + check_s < TARGET_S else 'TIDAK'}.")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
