from django.contrib import admin

from .models import Sertifikasi


@admin.register(Sertifikasi)
class SertifikasiAdmin(admin.ModelAdmin):
    list_display = ("nama", "pegawai", "jenis", "penerbit", "nomor", "tanggal_kedaluwarsa", "verifikasi")
    list_filter = ("jenis", "verifikasi")
    search_fields = ("nama", "nomor", "pegawai__nama", "pegawai__nip")
    list_select_related = ("pegawai",)
    raw_id_fields = ("pegawai", "diverifikasi_oleh")
    readonly_fields = ("version", "created_at", "updated_at")
