"""The only records of the karier app: the notices the daily reminder command leaves for each
user (and emails), one per event, never twice."""

from django.conf import settings
from django.db import models


class NotifikasiQuerySet(models.QuerySet):
    def untuk(self, user):
        return self.filter(user=user)

    def belum_dibaca(self):
        return self.filter(dibaca_pada__isnull=True)


class Notifikasi(models.Model):
    class Jenis(models.TextChoices):
        SERTIFIKAT_90 = "sertifikat_90", "Sertifikat kedaluwarsa dalam 90 hari"
        SERTIFIKAT_30 = "sertifikat_30", "Sertifikat kedaluwarsa dalam 30 hari"
        SKP = "skp", "Langkah SKP menunggu Anda"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifikasi")
    jenis = models.CharField("jenis", max_length=20, choices=Jenis.choices)
    # What the notice is about, e.g. "sertifikasi:42:30" or "penilaian:7:diajukan:3": a notice
    # with the same key is never created twice for the same user.
    kunci = models.CharField("kunci", max_length=120)
    judul = models.CharField("judul", max_length=200)
    pesan = models.TextField("pesan")
    tautan = models.CharField("tautan", max_length=300, blank=True)
    dibuat_pada = models.DateTimeField("dibuat", auto_now_add=True)
    dibaca_pada = models.DateTimeField("dibaca", null=True, blank=True)
    email_terkirim_pada = models.DateTimeField("email terkirim", null=True, blank=True)

    objects = NotifikasiQuerySet.as_manager()

    class Meta:
        verbose_name = "notifikasi"
        verbose_name_plural = "notifikasi"
        ordering = ["-dibuat_pada", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "kunci"], name="notifikasi_unique_kunci")]
        indexes = [
            models.Index(
                fields=["user", "-dibuat_pada"],
                condition=models.Q(dibaca_pada__isnull=True),
                name="notifikasi_belum_dibaca_idx",
            )
        ]

    def __str__(self):
        return self.judul
