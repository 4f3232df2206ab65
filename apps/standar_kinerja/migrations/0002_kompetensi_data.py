"""The manajerial and sosial kultural competencies of PermenPANRB 38/2017 (DOMAIN §5)."""

from django.db import migrations

KOMPETENSI = [
    ("M.01", "Integritas", "manajerial"),
    ("M.02", "Kerja Sama", "manajerial"),
    ("M.03", "Komunikasi", "manajerial"),
    ("M.04", "Orientasi pada Hasil", "manajerial"),
    ("M.05", "Pelayanan Publik", "manajerial"),
    ("M.06", "Pengembangan Diri dan Orang Lain", "manajerial"),
    ("M.07", "Mengelola Perubahan", "manajerial"),
    ("M.08", "Pengambilan Keputusan", "manajerial"),
    ("SK.01", "Perekat Bangsa", "sosial_kultural"),
]


def load(apps, schema_editor):
    Kompetensi = apps.get_model("standar_kinerja", "Kompetensi")
    for kode, nama, kelompok in KOMPETENSI:
        Kompetensi.objects.update_or_create(kode=kode, defaults={"nama": nama, "kelompok": kelompok})


def unload(apps, schema_editor):
    apps.get_model("standar_kinerja", "Kompetensi").objects.filter(kode__in=[k for k, _, _ in KOMPETENSI]).delete()


class Migration(migrations.Migration):
    dependencies = [("standar_kinerja", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
