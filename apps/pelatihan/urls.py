from django.urls import path

from . import views, views_kebutuhan, views_riwayat

app_name = "pelatihan"
urlpatterns = [
    # Catalogue, participation, outside trainings (views.py).
    path("", views.index, name="index"),
    path("katalog/", views.katalog, name="katalog"),
    path("katalog/tambah/", views.pelatihan_create, name="create"),
    path("katalog/<int:pk>/", views.pelatihan_detail, name="detail"),
    path("katalog/<int:pk>/ubah/", views.pelatihan_edit, name="edit"),
    path("katalog/<int:pk>/daftar/", views.daftar, name="daftar"),
    path("katalog/<int:pk>/daftarkan/", views.daftarkan, name="daftarkan"),
    path("katalog/<int:pk>/hasil/", views.hasil, name="hasil"),
    path("penyelenggara/", views.penyelenggara_list, name="penyelenggara_list"),
    path("penyelenggara/tambah/", views.penyelenggara_create, name="penyelenggara_create"),
    path("penyelenggara/<int:pk>/ubah/", views.penyelenggara_edit, name="penyelenggara_edit"),
    path("saya/", views.saya, name="saya"),
    path("saya/ajukan/", views.mandiri_create, name="mandiri_create"),
    path("persetujuan/", views.persetujuan, name="persetujuan"),
    path("antrean/", views.antrean, name="antrean"),
    path("riwayat/<int:pk>/", views.riwayat_detail, name="riwayat"),
    path("riwayat/<int:pk>/ubah/", views.riwayat_edit, name="riwayat_edit"),
    path("riwayat/<int:pk>/hapus/", views.riwayat_delete, name="riwayat_delete"),
    path("riwayat/<int:pk>/bukti/", views.bukti, name="bukti"),
    path("riwayat/<int:pk>/<slug:step>/", views.langkah, name="langkah"),
    # JP report, training needs, competency assessment and gap (views_kebutuhan.py).
    path("jp/", views_kebutuhan.rekap_jp, name="rekap_jp"),
    path("jp/kurang/", views_kebutuhan.rekap_jp_kurang, name="rekap_jp_kurang"),
    path("kebutuhan/", views_kebutuhan.kebutuhan, name="kebutuhan"),
    path("asesmen/<nip:nip>/", views_kebutuhan.asesmen_pegawai, name="asesmen_pegawai"),
    path("asesmen/<nip:nip>/tambah/", views_kebutuhan.asesmen_tambah, name="asesmen_tambah"),
    path("asesmen/<int:pk>/ubah/", views_kebutuhan.asesmen_ubah, name="asesmen_ubah"),
    path("asesmen/<int:pk>/hapus/", views_kebutuhan.asesmen_hapus, name="asesmen_hapus"),
    # Training records lists (views_riwayat.py).
    path("riwayat/", views_riwayat.riwayat_daftar, name="riwayat_daftar"),
    path("riwayat/pegawai/<nip:nip>/", views_riwayat.riwayat_pegawai, name="riwayat_pegawai"),
]
