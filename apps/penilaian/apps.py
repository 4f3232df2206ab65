from django.apps import AppConfig


class PenilaianConfig(AppConfig):
    name = "apps.penilaian"
    label = "penilaian"
    verbose_name = "Penilaian kinerja"
