from django.apps import AppConfig


class PelatihanConfig(AppConfig):
    name = "apps.pelatihan"
    label = "pelatihan"
    verbose_name = "Pelatihan dan pengembangan kompetensi"
