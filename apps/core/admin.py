from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from .exceptions import DomainError
from .models import AuditLog

admin.site.site_header = "asnkarier · administrasi"
admin.site.site_title = "asnkarier"
admin.site.index_title = "Administrasi data"


class ServiceAdminMixin:
    """For admins whose ``save_model`` calls a service: a rule the form could not check is
    shown as a message, and the whole change (already rolled back) can be tried again."""

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except (DomainError, ValidationError) as exc:
            text = exc.message if isinstance(exc, DomainError) else "; ".join(exc.messages)
            self.message_user(request, f"Perubahan tidak disimpan: {text}", level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Append-only: readable by superusers, never edited or deleted, not even here."""

    list_display = ("created_at", "actor", "action", "object_type", "object_repr", "pegawai_id")
    list_filter = ("action", "object_type")
    list_select_related = ("actor",)
    search_fields = ("object_repr", "=object_id", "=pegawai_id")
    date_hierarchy = "created_at"
    show_full_result_count = False
    readonly_fields = [f.name for f in AuditLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
