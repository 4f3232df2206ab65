"""Golongan reference data (DOMAIN §2, SIASN ids for PNS) and, on PostgreSQL only, trigram
indexes for partial search on name (UPPER, as Django's icontains compares) and NIP."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

PNS = [
    ("11", "I/a", "Juru Muda"),
    ("12", "I/b", "Juru Muda Tingkat I"),
    ("13", "I/c", "Juru"),
    ("14", "I/d", "Juru Tingkat I"),
    ("21", "II/a", "Pengatur Muda"),
    ("22", "II/b", "Pengatur Muda Tingkat I"),
    ("23", "II/c", "Pengatur"),
    ("24", "II/d", "Pengatur Tingkat I"),
    ("31", "III/a", "Penata Muda"),
    ("32", "III/b", "Penata Muda Tingkat I"),
    ("33", "III/c", "Penata"),
    ("34", "III/d", "Penata Tingkat I"),
    ("41", "IV/a", "Pembina"),
    ("42", "IV/b", "Pembina Tingkat I"),
    ("43", "IV/c", "Pembina Utama Muda"),
    ("44", "IV/d", "Pembina Utama Madya"),
    ("45", "IV/e", "Pembina Utama"),
]
PPPK = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII"]


def load_golongan(apps, schema_editor):
    Golongan = apps.get_model("pegawai", "Golongan")
    for tingkat, (siasn_id, kode, pangkat) in enumerate(PNS, start=1):
        Golongan.objects.update_or_create(
            jenis_asn="PNS", kode=kode, defaults={"pangkat": pangkat, "tingkat": tingkat, "siasn_id": siasn_id}
        )
    # DOMAIN.md gives no SIASN ids for PPPK golongan; they stay empty until mapped.
    for tingkat, kode in enumerate(PPPK, start=1):
        Golongan.objects.update_or_create(jenis_asn="PPPK", kode=kode, defaults={"tingkat": tingkat})


def unload_golongan(apps, schema_editor):
    apps.get_model("pegawai", "Golongan").objects.all().delete()


SEARCH_INDEXES = [
    "CREATE INDEX IF NOT EXISTS pegawai_nama_trgm ON pegawai_pegawai USING gin (UPPER(nama) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS pegawai_nip_trgm ON pegawai_pegawai USING gin (nip gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS jabatan_nama_trgm ON pegawai_jabatan USING gin (UPPER(nama) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS unitkerja_nama_trgm ON pegawai_unitkerja USING gin (UPPER(nama) gin_trgm_ops)",
]


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in SEARCH_INDEXES:
        schema_editor.execute(sql)


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in ("pegawai_nama_trgm", "pegawai_nip_trgm", "jabatan_nama_trgm", "unitkerja_nama_trgm"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("pegawai", "0001_initial")]

    operations = [
        migrations.RunPython(load_golongan, unload_golongan),
        TrigramExtension(),
        migrations.RunPython(create_search_indexes, drop_search_indexes),
    ]
