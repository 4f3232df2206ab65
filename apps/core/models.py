from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    """Creation and change times; ``updated_at`` is indexed for ``updated_since`` syncs."""

    created_at = models.DateTimeField("dibuat", auto_now_add=True)
    updated_at = models.DateTimeField("diubah", auto_now=True, db_index=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """A record edited by people: ``version`` grows on every save, for optimistic locking."""

    version = models.PositiveIntegerField("versi", default=1)

    class Meta:
        abstract = True


class AuditLogQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))

    def for_pegawai(self, pegawai_id):
        return self.filter(pegawai_id=pegawai_id)


class AuditLog(models.Model):
    """Append-only trail of changes: who, when, what, and each field's old and new value.

    ``pegawai_id`` is the pegawai the record belongs to, kept as a plain indexed integer so that
    core depends on no domain app and a pegawai's page can show every change in one query.
    """

    class Action(models.TextChoices):
        CREATE = "create", "Dibuat"
        UPDATE = "update", "Diubah"
        DELETE = "delete", "Dihapus"

    created_at = models.DateTimeField("waktu", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="oleh",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField("aksi", max_length=10, choices=Action.choices)
    object_type = models.CharField("jenis data", max_length=100)
    object_id = models.CharField("id data", max_length=64)
    object_repr = models.CharField("data", max_length=255)
    pegawai_id = models.BigIntegerField("id pegawai", null=True, blank=True, db_index=True)
    changes = models.JSONField("perubahan", default=dict, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = "jejak audit"
        verbose_name_plural = "jejak audit"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Jejak audit tidak boleh diubah.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Jejak audit tidak boleh dihapus.")


def name_or_nip_search(queryset, term, *, nama, nip):
    """Partial match on a name field or, when ``term`` is all digits, on a NIP field (the spaces
    of a displayed NIP are ignored). On PostgreSQL both are served by trigram indexes."""
    term = (term or "").strip()
    if not term:
        return queryset
    digits = term.replace(" ", "")
    if digits.isdigit():
        return queryset.filter(**{f"{nip}__contains": digits})
    return queryset.filter(**{f"{nama}__icontains": term})
