from django.apps import AppConfig


class AkunConfig(AppConfig):
    name = "apps.akun"
    label = "akun"
    verbose_name = "Akun"
