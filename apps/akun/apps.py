from django.apps import AppConfig


class AkunConfig(AppConfig):
    name = "apps.akun"
    label = "akun"
    verbose_name = "Akun"

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers
