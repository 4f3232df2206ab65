from django.apps import AppConfig


class KarierConfig(AppConfig):
    name = "apps.karier"
    label = "karier"
    verbose_name = "Karier"
