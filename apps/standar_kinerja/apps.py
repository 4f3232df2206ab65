from django.apps import AppConfig


class StandarKinerjaConfig(AppConfig):
    name = "apps.standar_kinerja"
    label = "standar_kinerja"
    verbose_name = "Standar kinerja"
