from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast


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


# Audit entries without a pegawai whose object decides who sees them: object type → the model
# (its ``manageable_by`` is the rule). See ``AuditLogQuerySet.visible_to``.
AUDIT_SCOPED_BY_OBJECT = {
    "pegawai.unitkerja": "pegawai.UnitKerja",
    "pegawai.jabatan": "pegawai.Jabatan",
    "penilaian.periodepenilaian": "penilaian.PeriodePenilaian",
}


class AuditLogQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))

    def for_pegawai(self, pegawai_id):
        return self.filter(pegawai_id=pegawai_id)

    def visible_to(self, user, *, pegawai=None):
        """The entries ``user`` may read on the audit page: superusers all; BKPSDM staff those of
        the pegawai they manage, and those of the unit kerja, jabatan (with its standar) and
        appraisal periods they manage; nobody else any. With ``pegawai`` (a Pegawai QuerySet,
        say a name search), only the entries of those of them the user may see.

        An entry with ``pegawai_id`` follows that pegawai (``Pegawai.objects.manageable_by``).
        One without follows its object only where the model has a ``manageable_by`` rule and the
        object is named in ``AUDIT_SCOPED_BY_OBJECT``: one subquery per type (the units,
        jabatan and periods in scope), all in the same query. The rest (API tokens,
        the kompetensi catalogue, capaian unit, records deleted since) are for superusers only:
        their models have no such rule (the token rule in apps.akun is on accounts) and a
        deleted object has no unit left to decide by. Staff see personal data of the pegawai
        they manage anyway, so the values are shown unmasked. Models are looked up by label so
        that core imports no domain app.
        """
        scope = user.scope
        if not scope.is_all and not scope.can_manage:
            return self.none()
        managed = apps.get_model("pegawai", "Pegawai").objects.manageable_by(user)
        if pegawai is not None:
            # Narrowed first, then in scope: PostgreSQL reads just their entries by pegawai_id
            # instead of testing the whole log against the scope.
            return self.filter(pegawai_id__in=managed.filter(pk__in=pegawai.values("pk")).values("pk"))
        if scope.is_all:
            return self.all()
        q = Q(pegawai_id__in=managed.values("pk"))
        for object_type, label in AUDIT_SCOPED_BY_OBJECT.items():
            ids = apps.get_model(label).objects.manageable_by(user).annotate(_id=Cast("pk", models.CharField()))
            q |= Q(pegawai_id__isnull=True, object_type=object_type, object_id__in=ids.values("_id"))
        return self.filter(q)

    # Append-only: no bulk change or removal either. The one update allowed is the database's
    # own ``SET_NULL`` of ``actor`` when an account is deleted (Django runs it as this update).
    def update(self, **kwargs):
        if kwargs == {"actor": None}:
            return super().update(**kwargs)
        raise ValueError("Jejak audit tidak boleh diubah.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise ValueError("Jejak audit tidak boleh diubah.")

    def delete(self):
        raise ValueError("Jejak audit tidak boleh dihapus.")


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


def import_upload_to(instance, filename):
    """Uploaded import files: a random name under MEDIA_ROOT/import/, the extension by content."""
    import uuid

    return f"import/{uuid.uuid4().hex}.{instance.format}"


class ImportJob(models.Model):
    """One upload of an XLSX/CSV import (``apps.core.imports``): who, what, and how far it got.

    The file is kept only while the job runs. ``errors`` holds ``{"sheet", "row", "column",
    "reason"}`` items, ``result`` the summary lines of a finished import.
    """

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", "Menunggu"
        VALIDASI = "validasi", "Memeriksa data"
        MENYIMPAN = "menyimpan", "Menyimpan"
        SELESAI = "selesai", "Selesai"
        GAGAL = "gagal", "Gagal"

    kind = models.CharField("jenis data", max_length=30)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="oleh", on_delete=models.CASCADE, related_name="+")
    file = models.FileField("berkas", upload_to=import_upload_to, blank=True, max_length=255)
    file_name = models.CharField("nama berkas", max_length=255)
    format = models.CharField("format", max_length=4, choices=[("xlsx", "XLSX"), ("csv", "CSV")])
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.MENUNGGU)
    total = models.PositiveIntegerField("jumlah baris", default=0)
    processed = models.PositiveIntegerField("baris diproses", default=0)
    errors = models.JSONField("kesalahan", default=list, blank=True)
    error_count = models.PositiveIntegerField("jumlah kesalahan", default=0)
    result = models.JSONField("hasil", default=dict, blank=True)
    created_at = models.DateTimeField("dibuat", auto_now_add=True)
    updated_at = models.DateTimeField("diperbarui", auto_now=True)
    finished_at = models.DateTimeField("selesai", null=True, blank=True)

    class Meta:
        verbose_name = "impor data"
        verbose_name_plural = "impor data"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="importjob_user_idx")]

    def __str__(self):
        return f"Impor {self.kind} {self.file_name}"

    @property
    def is_finished(self):
        return self.status in (self.Status.SELESAI, self.Status.GAGAL)
