from django.urls import path, register_converter

from . import views


class IdConverter:
    """A positive id that fits a bigint: anything longer answers 404 without a query."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "standar_id")

app_name = "standar_kinerja"
urlpatterns = [
    path("", views.index, name="index"),
    path("kompetensi/", views.kompetensi_list, name="kompetensi_list"),
    path("kompetensi/baru/", views.kompetensi_create, name="kompetensi_create"),
    path("<standar_id:pk>/", views.detail, name="detail"),
    path("<standar_id:pk>/indikator/", views.indikator_edit, name="indikator_edit"),
    path("<standar_id:pk>/kompetensi/", views.kompetensi_edit, name="kompetensi_edit"),
    path("<standar_id:pk>/salin/", views.salin, name="salin"),
]
