"""Django admin for superusers. Every write goes through the services, so the tree paths, the
current jabatan/golongan and the audit trail stay right; history rows are read-only here."""

from django.contrib import admin

from apps.core import audit
from apps.core.admin import ServiceAdminMixin
from apps.core.models import AuditLog

from . import services
from .models import Golongan, Jabatan, Pegawai, RiwayatJabatan, RiwayatPangkat, RiwayatPendidikan, UnitKerja


def _copy_pk(target, created):
    """The admin goes on with the object it built; give it the one the service saved."""
    target.pk = created.pk
    target._state.adding = False
    target._state.db = created._state.db


@admin.register(UnitKerja)
class UnitKerjaAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ("nama", "jenis", "singkatan", "parent", "depth")
    list_filter = ("jenis", "depth")
    list_select_related = ("parent",)
    search_fields = ("nama", "singkatan")
    autocomplete_fields = ("parent",)
    fields = ("nama", "singkatan", "jenis", "parent", "siasn_id", "path", "depth")
    readonly_fields = ("path", "depth")
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        if not change:
            created = services.unit_kerja_create(
                actor=request.user,
                nama=obj.nama,
                jenis=obj.jenis,
                parent=obj.parent,
                singkatan=obj.singkatan,
                siasn_id=obj.siasn_id,
            )
            _copy_pk(obj, created)
            return
        stored = UnitKerja.objects.get(pk=obj.pk)
        plain = [f for f in ("nama", "singkatan", "jenis", "siasn_id") if f in form.changed_data]
        if plain:
            # No unit_kerja_update service yet: a plain save of these fields, audited here.
            before = audit.snapshot(stored, plain)
            obj.save(update_fields=[*plain, "updated_at"])
            audit.record(
                actor=request.user,
                action=AuditLog.Action.UPDATE,
                obj=obj,
                changes=audit.diff(before, audit.snapshot(obj, plain)),
            )
        if "parent" in form.changed_data:
            services.unit_kerja_move(actor=request.user, unit=stored, parent=obj.parent)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Jabatan)
class JabatanAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ("nama", "jenis", "jenjang", "eselon", "unit_kerja", "atasan")
    list_filter = ("jenis", "eselon", "jenjang")
    list_select_related = ("unit_kerja", "atasan")
    search_fields = ("nama", "unit_kerja__nama")
    autocomplete_fields = ("unit_kerja", "atasan")
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        data = {f: getattr(obj, f) for f in services.JABATAN_FIELDS}
        if not change:
            _copy_pk(obj, services.jabatan_create(actor=request.user, **data))
            return
        changed = {f: v for f, v in data.items() if f in form.changed_data}
        if changed:
            services.jabatan_update(actor=request.user, jabatan=Jabatan.objects.get(pk=obj.pk), **changed)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Golongan)
class GolonganAdmin(admin.ModelAdmin):
    """Reference rows from the data migration; only the SIASN id may be filled in (PPPK)."""

    list_display = ("kode", "pangkat", "jenis_asn", "tingkat", "siasn_id")
    list_filter = ("jenis_asn",)
    readonly_fields = ("jenis_asn", "kode", "pangkat", "tingkat")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RiwayatJabatanInline(_ReadOnlyInline):
    model = RiwayatJabatan
    fields = ("tmt", "nama_jabatan", "nama_unit_kerja", "jenis_penugasan", "tanggal_selesai", "nomor_sk")


class RiwayatPangkatInline(_ReadOnlyInline):
    model = RiwayatPangkat
    fields = ("tmt", "golongan", "jenis_kp", "masa_kerja_tahun", "masa_kerja_bulan", "nomor_sk")


class RiwayatPendidikanInline(_ReadOnlyInline):
    model = RiwayatPendidikan
    fields = ("tingkat", "jurusan", "institusi", "tahun_lulus")


IDENTITAS = ("nip", "nik", "nama", "gelar_depan", "gelar_belakang", "jenis_kelamin", "tempat_lahir", "tanggal_lahir")
KONTAK = ("email", "telepon", "alamat")
CURRENT = (
    "golongan",
    "tmt_golongan",
    "jabatan",
    "tmt_jabatan",
    "unit_kerja",
    "pendidikan_tingkat",
    "pendidikan_jurusan",
)


@admin.register(Pegawai)
class PegawaiAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Master data is edited through ``pegawai_update``; the current jabatan and golongan follow
    the riwayat, which are added on the pegawai pages."""

    list_display = ("nip", "nama", "jenis_asn", "golongan", "jabatan", "unit_kerja", "kedudukan_hukum")
    list_filter = ("jenis_asn", "kedudukan_hukum")
    list_select_related = ("golongan", "jabatan", "unit_kerja")
    search_fields = ("nama", "nip")
    autocomplete_fields = ("jabatan",)
    show_full_result_count = False
    inlines = (RiwayatJabatanInline, RiwayatPangkatInline, RiwayatPendidikanInline)

    def get_fieldsets(self, request, obj=None):
        posisi = CURRENT if obj is not None else ("jabatan", "tmt_jabatan", "golongan", "tmt_golongan")
        return (
            ("Identitas", {"fields": IDENTITAS}),
            ("Kepegawaian", {"fields": ("jenis_asn", "kedudukan_hukum", *posisi)}),
            ("Kontak", {"fields": KONTAK}),
        )

    def get_readonly_fields(self, request, obj=None):
        return CURRENT if obj is not None else ()

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            for name in ("jabatan", "tmt_jabatan"):
                form.base_fields[name].required = True
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            created = services.pegawai_create(
                actor=request.user,
                jabatan=obj.jabatan,
                tmt_jabatan=obj.tmt_jabatan,
                golongan=obj.golongan,
                tmt_golongan=obj.tmt_golongan,
                **{f: getattr(obj, f) for f in services.PEGAWAI_FIELDS},
            )
            _copy_pk(obj, created)
            return
        changed = {f: getattr(obj, f) for f in services.PEGAWAI_FIELDS if f in form.changed_data}
        if changed:
            services.pegawai_update(actor=request.user, pegawai=obj, **changed)

    def has_delete_permission(self, request, obj=None):
        # No deletion service: a pegawai leaves through kedudukan hukum (pensiun, BUP), not DELETE.
        return False
