from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from apps.core.exceptions import DomainError

from . import services
from .models import ApiToken, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Peran dan lingkup", {"fields": ("role", "pegawai", "unit_scopes")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("Peran dan lingkup", {"fields": ("role", "pegawai", "unit_scopes")}),
    )
    list_display = ("username", "nama_pegawai", "role", "is_active", "is_superuser", "last_login")
    list_filter = ("role", "is_active", "is_superuser")
    list_select_related = ("pegawai",)
    search_fields = ("username", "first_name", "last_name", "=pegawai__nip", "pegawai__nama")
    autocomplete_fields = ("pegawai", "unit_scopes")
    show_full_result_count = False

    @admin.display(description="pegawai")
    def nama_pegawai(self, obj):
        return obj.pegawai.nama_lengkap if obj.pegawai_id else "—"


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created on the Token API page, where the key is shown once; here they can be
    read and revoked."""

    list_display = ("name", "prefix", "user", "read_only", "created_at", "expires_at", "last_used_at", "status")
    list_filter = ("read_only",)
    list_select_related = ("user",)
    search_fields = ("name", "=prefix", "user__username")
    readonly_fields = (
        "user",
        "name",
        "prefix",
        "read_only",
        "created_by",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    fields = readonly_fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Revoke instead: the row keeps who made the token and when it was last used.
        return False

    @admin.action(description="Cabut token terpilih")
    def revoke(self, request, queryset):
        done = 0
        for token in queryset.filter(revoked_at__isnull=True):
            try:
                services.token_revoke(actor=request.user, token=token)
            except DomainError as exc:
                self.message_user(request, f"{token}: {exc.message}", level=messages.ERROR)
            else:
                done += 1
        self.message_user(request, f"{done} token dicabut.", level=messages.SUCCESS)
