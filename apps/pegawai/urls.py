from django.urls import path, register_converter

from . import views


class NipConverter:
    """Exactly 18 digits: anything else is not a NIP and answers 404 without a query."""

    regex = "[0-9]{18}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class JenisRiwayatConverter:
    regex = "jabatan|pangkat|pendidikan|penghargaan|hukuman-disiplin"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(NipConverter, "nip")
register_converter(JenisRiwayatConverter, "jenis_riwayat")

app_name = "pegawai"
urlpatterns = [
    path("", views.pegawai_list, name="list"),
    path("baru/", views.pegawai_create, name="create"),
    path("unit-kerja/", views.unit_list, name="unit_list"),
    path("jabatan/", views.jabatan_list, name="jabatan_list"),
    path("jabatan/<int:pk>/", views.jabatan_detail, name="jabatan_detail"),
    path("<nip:nip>/", views.pegawai_detail, name="detail"),
    path("<nip:nip>/ubah/", views.pegawai_edit, name="edit"),
    path("<nip:nip>/jejak/", views.pegawai_audit, name="audit"),
    path("<nip:nip>/riwayat-jabatan/tambah/", views.riwayat_jabatan_add, name="riwayat_jabatan_add"),
    path("<nip:nip>/riwayat-pangkat/tambah/", views.riwayat_pangkat_add, name="riwayat_pangkat_add"),
    path("<nip:nip>/riwayat-pendidikan/tambah/", views.riwayat_pendidikan_add, name="riwayat_pendidikan_add"),
    path("<nip:nip>/riwayat-penghargaan/tambah/", views.riwayat_penghargaan_add, name="riwayat_penghargaan_add"),
    path(
        "<nip:nip>/riwayat-hukuman-disiplin/tambah/",
        views.riwayat_hukuman_disiplin_add,
        name="riwayat_hukuman_disiplin_add",
    ),
    path("<nip:nip>/riwayat-<jenis_riwayat:jenis>/<int:pk>/hapus/", views.riwayat_delete, name="riwayat_delete"),
]
