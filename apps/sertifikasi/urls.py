from django.urls import path

from . import views

app_name = "sertifikasi"
urlpatterns = [
    path("", views.index, name="index"),
    path("saya/", views.saya, name="saya"),
    path("tambah/", views.create, name="create"),
    path("daftar/", views.daftar, name="daftar"),
    path("antrean/", views.antrean, name="antrean"),
    path("kedaluwarsa-per-unit/", views.per_unit, name="per_unit"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/ubah/", views.edit, name="edit"),
    path("<int:pk>/hapus/", views.delete, name="delete"),
    path("<int:pk>/bukti/", views.bukti, name="bukti"),
    path("<int:pk>/verifikasi/", views.verifikasi, name="verifikasi"),
    path("<int:pk>/tolak/", views.tolak, name="tolak"),
]
