"""Django admin for superusers: read-only. Every change to the catalogue, a training record or an
assessment goes through ``services.py`` (its pages or API), which checks the rules, keeps the
registrations and the latest assessment flag right and writes the audit trail; an admin form
would bypass all three."""

from django.contrib import admin

from .models import AsesmenKompetensi, Pelatihan, Penyelenggara, RiwayatPelatihan


class ReadOnlyAdmin(admin.ModelAdmin):
    show_full_result_count = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Penyelenggara)
class PenyelenggaraAdmin(ReadOnlyAdmin):
    list_display = ("nama", "jenis", "instansi", "kontak", "aktif", "updated_at")
    list_filter = ("jenis", "aktif")
    list_select_related = ("instansi",)
    search_fields = ("nama", "instansi__nama")


@admin.register(Pelatihan)
class PelatihanAdmin(ReadOnlyAdmin):
    list_display = ("nama", "jenis_diklat", "kepemimpinan", "penyelenggara", "instansi", "tanggal_mulai", "jp", "kuota")
    list_filter = ("jenis_diklat", "jalur", "kepemimpinan", "pendaftaran_dibuka", "daring")
    list_select_related = ("penyelenggara", "instansi")
    search_fields = ("nama", "penyelenggara__nama", "instansi__nama")
    date_hierarchy = "tanggal_mulai"


@admin.register(RiwayatPelatihan)
class RiwayatPelatihanAdmin(ReadOnlyAdmin):
    list_display = ("nama", "pegawai", "status", "sumber", "tanggal_selesai", "jp", "jp_diakui", "updated_at")
    list_filter = ("status", "sumber", "jalur", "kepemimpinan", "jenis_diklat")
    list_select_related = ("pegawai",)
    search_fields = ("nama", "nomor_sertifikat", "pegawai__nama", "=pegawai__nip")
    date_hierarchy = "tanggal_selesai"


@admin.register(AsesmenKompetensi)
class AsesmenKompetensiAdmin(ReadOnlyAdmin):
    list_display = ("pegawai", "kompetensi", "level", "tanggal", "metode", "terbaru")
    list_filter = ("metode", "terbaru", "kompetensi__kelompok", "level")
    list_select_related = ("pegawai", "kompetensi")
    search_fields = ("pegawai__nama", "=pegawai__nip", "kompetensi__kode", "kompetensi__nama")
    date_hierarchy = "tanggal"
