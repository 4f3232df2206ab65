"""Trigram index for the partial name search on SKPs (PostgreSQL only, as for pegawai)."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS penilaian_nama_trgm ON penilaian_penilaian "
            "USING gin (UPPER(pegawai_nama) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS penilaian_nama_trgm")


class Migration(migrations.Migration):
    dependencies = [("penilaian", "0001_initial"), ("pegawai", "0002_golongan_data_and_search_indexes")]

    operations = [migrations.RunPython(create, drop)]
