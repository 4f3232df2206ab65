"""The backup procedure of README.md ("Backup dan pemulihan"), run for real: pg_dump in custom
format, pg_restore into an empty database, and the copy must hold the same rows.

PostgreSQL only (production runs on it; CI too). A missing pg_dump there is a failure, not a skip:
the procedure the README promises would not work on that machine either.
"""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from psycopg2 import sql

from apps.penilaian import services as penilaian_services
from apps.sertifikasi import services as sertifikasi_services

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="pg_dump/pg_restore need PostgreSQL; this run uses SQLite"),
    pytest.mark.django_db(transaction=True),
]

# The tables whose whole content is compared, row by row, as text.
CHECKSUMMED = ["pegawai_pegawai", "penilaian_penilaian", "penilaian_rencanahasilkerja", "core_auditlog"]


def libpq_args(settings_dict):
    """Host, port and user for the PostgreSQL command-line tools, and the environment (password)."""
    args, env = [], dict(os.environ)
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [flag, str(settings_dict[key])]
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def database_url(settings_dict, dbname):
    user = quote(settings_dict.get("USER") or "", safe="")
    if settings_dict.get("PASSWORD"):
        user += ":" + quote(settings_dict["PASSWORD"], safe="")
    host = settings_dict.get("HOST") or "localhost"
    return f"postgres://{user}@{host}:{settings_dict.get('PORT') or 5432}/{dbname}"


def connect(settings_dict, dbname):
    return psycopg2.connect(
        dbname=dbname,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
    )


def inventory(conn):
    """Per public table its row count; per checksummed table an md5 over all its rows in id
    order; per sequence its last value (a restore that forgot them would reuse ids)."""
    out = {}
    with conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        for table in tables:
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            out[f"rows {table}"] = cursor.fetchone()[0]
        for table in CHECKSUMMED:
            cursor.execute(
                sql.SQL("SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t.id), '')) FROM {} t").format(
                    sql.Identifier(table)
                )
            )
            out[f"md5 {table}"] = cursor.fetchone()[0]
        cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
        out.update({f"seq {name}": value for name, value in cursor.fetchall()})
        cursor.execute("SELECT extname FROM pg_extension ORDER BY extname")
        out["extensions"] = [row[0] for row in cursor.fetchall()]
    return out


@pytest.fixture
def records(org, persona, skp):
    """Some of everything: the org of conftest, an SKP with rencana rows, a certificate, and
    the audit entries they wrote."""
    rencana = skp.rencana.order_by("pk").first()
    penilaian_services.rencana_update(actor=persona.bawahan, rencana=rencana, target=97, expected_version=skp.version)
    sertifikasi_services.sertifikasi_create(
        actor=persona.staf_bkpsdm,
        pegawai=org.staf,
        nama="Certified Data Management Professional",
        jenis="profesi",
        penerbit="DAMA International",
        nomor="CDMP-2025-0042",
        tanggal_terbit="2025-02-01",
    )


def test_pg_dump_restores_into_an_empty_database_with_the_same_rows(records, tmp_path):
    for tool in ("pg_dump", "pg_restore"):
        assert shutil.which(tool), f"{tool} is not installed (Debian: apt-get install postgresql-client)"

    source = connection.settings_dict
    args, env = libpq_args(source)
    dump = tmp_path / "asnkarier.dump"
    copy = f"{source['NAME']}_pulih_{uuid.uuid4().hex[:8]}"

    # The client tools from PATH, as the README runs them.
    dump_cmd = ["pg_dump", "--format=custom", f"--file={dump}", *args, source["NAME"]]
    restore_cmd = ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={copy}", *args, str(dump)]
    subprocess.run(  # noqa: S603
        dump_cmd,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert dump.stat().st_size > 0

    admin = connect(source, "postgres")
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            # template0: empty whatever someone added to template1.
            cursor.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(copy)))
        restored = subprocess.run(  # noqa: S603
            restore_cmd,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert restored.returncode == 0, restored.stderr

        original_conn, copy_conn = connect(source, source["NAME"]), connect(source, copy)
        try:
            original, restored_inventory = inventory(original_conn), inventory(copy_conn)
        finally:
            original_conn.close()
            copy_conn.close()

        assert original["rows pegawai_pegawai"] >= 7
        assert original["rows penilaian_rencanahasilkerja"] >= 2
        assert original["rows sertifikasi_sertifikasi"] == 1
        assert original["rows core_auditlog"] >= 20
        assert restored_inventory == original

        # The schema came along with django_migrations: migrate finds nothing to do.
        url = database_url(source, copy)
        check = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--check", "--noinput"],
            cwd=ROOT,
            env={**env, "DATABASE_URL": url, "DEBUG": "1"},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert check.returncode == 0, check.stdout + check.stderr
    finally:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(copy)))
        admin.close()
