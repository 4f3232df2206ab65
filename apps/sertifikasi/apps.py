from django.apps import AppConfig


class SertifikasiConfig(AppConfig):
    name = "apps.sertifikasi"
    label = "sertifikasi"
    verbose_name = "Sertifikasi"
