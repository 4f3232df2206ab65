"""Django admin for superusers. Periods are created and opened/closed through the services (so
they are audited); SKPs and their rows are read-only here: every change to an SKP goes through
the workflow of ``services.py`` and its pages or API."""

from django.contrib import admin

from apps.core.admin import ServiceAdminMixin

from . import services
from .models import CapaianUnit, EvaluasiPeriodik, Penilaian, PeriodePenilaian, Realisasi, RencanaHasilKerja


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PeriodePenilaian)
class PeriodePenilaianAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ("tahun", "instansi", "periodik", "status")
    list_filter = ("status", "periodik", "tahun")
    list_select_related = ("instansi",)
    search_fields = ("instansi__nama",)
    autocomplete_fields = ("instansi",)
    fields = ("instansi", "tahun", "periodik", "status")

    def get_readonly_fields(self, request, obj=None):
        return ("instansi", "tahun", "periodik") if obj else ("status",)

    def save_model(self, request, obj, form, change):
        if not change:
            created = services.periode_create(
                actor=request.user, instansi=obj.instansi, tahun=obj.tahun, periodik=obj.periodik
            )
            obj.pk, obj._state.adding, obj._state.db = created.pk, False, created._state.db
        elif "status" in form.changed_data:
            stored = PeriodePenilaian.objects.get(pk=obj.pk)
            services.periode_set_status(actor=request.user, periode=stored, status=obj.status)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CapaianUnit)
class CapaianUnitAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("periode", "unit_kerja", "capaian")
    list_filter = ("capaian", "periode__tahun")
    list_select_related = ("periode__instansi", "unit_kerja")


class RencanaInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = RencanaHasilKerja
    fields = ("jenis", "uraian", "aspek", "perspektif", "indikator", "target", "satuan")
    extra = 0


class EvaluasiInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = EvaluasiPeriodik
    fields = ("periode_ke", "rating_hasil_kerja", "rating_perilaku", "predikat")
    extra = 0


@admin.register(Penilaian)
class PenilaianAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("pegawai_nama", "pegawai_nip", "periode", "status", "predikat", "penilai_nama")
    list_filter = ("status", "predikat", "periode__tahun")
    list_select_related = ("periode__instansi",)
    search_fields = ("pegawai_nama", "pegawai_nip")
    show_full_result_count = False
    inlines = [RencanaInline, EvaluasiInline]
    exclude = ("pegawai", "penilai", "atasan_penilai", "unit_kerja", "organisasi")


@admin.register(Realisasi)
class RealisasiAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("rencana", "periode_ke", "nilai")
    list_select_related = ("rencana",)
    exclude = ("rencana", "bukti_file")
