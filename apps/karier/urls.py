from django.urls import path

from . import views, views_dashboard, views_notifikasi

app_name = "karier"
urlpatterns = [
    # Each user's reminders (views_notifikasi.py).
    path("notifikasi/", views_notifikasi.notifikasi_list, name="notifikasi"),
    path("notifikasi/<int:pk>/buka/", views_notifikasi.notifikasi_buka, name="notifikasi_buka"),
    path("notifikasi/baca-semua/", views_notifikasi.notifikasi_baca_semua, name="notifikasi_baca_semua"),
    # Dashboard (views_dashboard.py).
    path("", views_dashboard.dashboard, name="dashboard"),
    # Eligibility lists, talent matrix, career page (views.py).
    path("kenaikan-pangkat/", views.kenaikan_pangkat, name="kenaikan_pangkat"),
    path("kgb/", views.kgb, name="kgb"),
    path("pensiun/", views.pensiun, name="pensiun"),
    path("talenta/", views.talenta, name="talenta"),
    path("talenta/<int:kotak>/", views.talenta_kotak, name="talenta_kotak"),
    path("suksesi/", views.suksesi, name="suksesi"),
    # <nip:...> is registered by apps.pegawai.urls, included before this module.
    path("pegawai/<nip:nip>/", views.karier_pegawai, name="karier_pegawai"),
]
