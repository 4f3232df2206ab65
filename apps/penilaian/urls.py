from django.urls import path, register_converter

from . import views


class IdConverter:
    """A database id: up to 18 digits, so no number too large for a bigint reaches a query."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")

app_name = "penilaian"
urlpatterns = [
    path("", views.index, name="index"),
    path("saya/", views.saya, name="saya"),
    path("saya/mulai/", views.mulai, name="mulai"),
    path("bawahan/", views.bawahan, name="bawahan"),
    path("daftar/", views.daftar, name="daftar"),
    path("distribusi/", views.distribusi, name="distribusi"),
    path("periode/", views.periode_list, name="periode_list"),
    path("periode/<id:pk>/", views.periode_detail, name="periode_detail"),
    path("periode/<id:pk>/status/", views.periode_status, name="periode_status"),
    path("periode/<id:pk>/capaian/", views.periode_capaian, name="periode_capaian"),
    path("periode/<id:pk>/massal/", views.periode_generate, name="periode_generate"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/dokumen.pdf", views.dokumen, name="dokumen"),
    path("<id:pk>/langkah/<slug:step>/", views.langkah, name="langkah"),
    path("<id:pk>/rencana/", views.rencana_add, name="rencana_add"),
    path("<id:pk>/rencana/<id:rencana_pk>/", views.rencana_edit, name="rencana_edit"),
    path("<id:pk>/rencana/<id:rencana_pk>/hapus/", views.rencana_delete, name="rencana_delete"),
    path("<id:pk>/ekspektasi/", views.ekspektasi, name="ekspektasi"),
    path("<id:pk>/penilai/", views.penilai, name="penilai"),
    path("<id:pk>/realisasi/<id:rencana_pk>/<id:periode_ke>/", views.realisasi, name="realisasi"),
    path("<id:pk>/umpan-balik/<id:rencana_pk>/<id:periode_ke>/", views.umpan_balik, name="umpan_balik"),
    path("<id:pk>/evaluasi/<id:periode_ke>/", views.evaluasi, name="evaluasi"),
    path("<id:pk>/bukti/<id:realisasi_pk>/", views.bukti, name="bukti"),
]
