"""Fill ``mkg_mulai`` from the latest riwayat pangkat of each pegawai (the rule of
``services.mkg_mulai``, repeated here because migrations must not import app code)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Pegawai = apps.get_model("pegawai", "Pegawai")
    RiwayatPangkat = apps.get_model("pegawai", "RiwayatPangkat")
    latest = {}
    for row in RiwayatPangkat.objects.order_by("pegawai_id", "tmt", "id").values(
        "pegawai_id", "tmt", "masa_kerja_tahun", "masa_kerja_bulan"
    ):
        latest[row["pegawai_id"]] = row
    batch = []
    for pegawai in Pegawai.objects.filter(pk__in=list(latest)).only("pk").iterator(chunk_size=2000):
        row = latest[pegawai.pk]
        tmt = row["tmt"]
        total = tmt.year * 12 + tmt.month - 1 - (row["masa_kerja_tahun"] * 12 + row["masa_kerja_bulan"])
        year, month = divmod(total, 12)
        pegawai.mkg_mulai = tmt.replace(year=year, month=month + 1, day=min(tmt.day, 28))
        batch.append(pegawai)
        if len(batch) >= 2000:
            Pegawai.objects.bulk_update(batch, ["mkg_mulai"])
            batch = []
    if batch:
        Pegawai.objects.bulk_update(batch, ["mkg_mulai"])


class Migration(migrations.Migration):
    dependencies = [("pegawai", "0004_karier_riwayat")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
