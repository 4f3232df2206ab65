"""Django admin for superusers. The standard of a jabatan spans rows (the bobot total) and is
audited, so it is changed in the pages or the API; here it is read-only. Teknis competencies
are added to the catalogue through the service."""

from django.contrib import admin

from apps.core import audit
from apps.core.admin import ServiceAdminMixin
from apps.core.models import AuditLog

from . import services
from .models import IndikatorKinerja, Kompetensi, StandarKompetensi


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Kompetensi)
class KompetensiAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ("kode", "nama", "kelompok")
    list_filter = ("kelompok",)
    search_fields = ("kode", "nama")
    fields = ("kode", "nama", "kelompok", "deskripsi")

    def get_readonly_fields(self, request, obj=None):
        # New entries are teknis ones (the others are fixed by regulation); a kode never changes.
        return ("kelompok",) if obj is None else ("kode", "kelompok")

    def save_model(self, request, obj, form, change):
        if change:
            fields = [name for name in ("nama", "deskripsi") if name in form.changed_data]
            before = audit.snapshot(Kompetensi.objects.get(pk=obj.pk), fields)
            obj.save(update_fields=[*fields, "updated_at"])
            audit.record(
                actor=request.user,
                action=AuditLog.Action.UPDATE,
                obj=obj,
                changes=audit.diff(before, audit.snapshot(obj, fields)),
            )
            return
        created = services.kompetensi_teknis_create(
            actor=request.user, kode=obj.kode, nama=obj.nama, deskripsi=obj.deskripsi
        )
        obj.pk = created.pk
        obj.kode = created.kode
        obj.kelompok = created.kelompok
        obj._state.adding = False
        obj._state.db = created._state.db

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IndikatorKinerja)
class IndikatorKinerjaAdmin(ReadOnlyAdmin):
    list_display = ("jabatan", "urutan", "uraian", "target", "satuan", "bobot")
    list_select_related = ("jabatan",)
    search_fields = ("jabatan__nama", "uraian", "indikator")
    list_filter = ("aspek",)
    show_full_result_count = False


@admin.register(StandarKompetensi)
class StandarKompetensiAdmin(ReadOnlyAdmin):
    list_display = ("jabatan", "kompetensi", "level")
    list_select_related = ("jabatan", "kompetensi")
    search_fields = ("jabatan__nama", "kompetensi__kode", "kompetensi__nama")
    list_filter = ("kompetensi__kelompok", "level")
    show_full_result_count = False
