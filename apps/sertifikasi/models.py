"""Certificates held by pegawai (DOMAIN §7): jenis, scheme, issuer, number, validity, evidence,
verification by BKPSDM; the validity status is derived from the dates, never stored."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from apps.core.models import VersionedModel
from apps.pegawai.models import Pegawai


def expiry_window_days():
    """How many days before expiry a certificate counts as "akan kedaluwarsa" (configurable)."""
    return getattr(settings, "SERTIFIKASI_WINDOW_HARI", 90)


class StatusBerlaku(models.TextChoices):
    AKTIF = "aktif", "Aktif"
    AKAN_KEDALUWARSA = "akan_kedaluwarsa", "Akan kedaluwarsa"
    KEDALUWARSA = "kedaluwarsa", "Kedaluwarsa"


class SertifikasiQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(pegawai__in=Pegawai.objects.filter(user.scope.pegawai_q()).values("pk")).select_related(
            "pegawai", "pegawai__unit_kerja"
        )

    def manageable_by(self, user):
        return self.filter(pegawai__in=Pegawai.objects.filter(user.scope.pegawai_manage_q()).values("pk"))

    # Validity on a day ``pada`` (today by default): a certificate is valid through its expiry date.

    def aktif(self, pada=None):
        pada = pada or timezone.localdate()
        return self.filter(Q(tanggal_kedaluwarsa__isnull=True) | Q(tanggal_kedaluwarsa__gte=pada))

    def akan_kedaluwarsa(self, dalam=None, pada=None):
        pada = pada or timezone.localdate()
        dalam = expiry_window_days() if dalam is None else dalam
        return self.filter(tanggal_kedaluwarsa__gte=pada, tanggal_kedaluwarsa__lte=pada + dt.timedelta(days=dalam))

    def kedaluwarsa(self, pada=None):
        pada = pada or timezone.localdate()
        return self.filter(tanggal_kedaluwarsa__lt=pada)

    def with_status_berlaku(self, pada=None, dalam=None):
        """Annotate ``status_berlaku`` (aktif, akan_kedaluwarsa, kedaluwarsa) for lists and filters."""
        pada = pada or timezone.localdate()
        dalam = expiry_window_days() if dalam is None else dalam
        return self.annotate(
            status_berlaku=Case(
                When(tanggal_kedaluwarsa__isnull=True, then=Value(StatusBerlaku.AKTIF)),
                When(tanggal_kedaluwarsa__lt=pada, then=Value(StatusBerlaku.KEDALUWARSA)),
                When(
                    tanggal_kedaluwarsa__lte=pada + dt.timedelta(days=dalam),
                    then=Value(StatusBerlaku.AKAN_KEDALUWARSA),
                ),
                default=Value(StatusBerlaku.AKTIF),
                output_field=models.CharField(),
            )
        )


def bukti_upload_to(instance, filename):
    return f"sertifikat/{instance.pegawai_id}/{filename}"


class Sertifikasi(VersionedModel):
    class Jenis(models.TextChoices):
        KOMPETENSI = "kompetensi", "Sertifikat kompetensi (BNSP/LSP)"
        PBJ_DASAR = "pbj_dasar", "Sertifikat dasar pengadaan barang/jasa (LKPP)"
        PBJ_KOMPETENSI = "pbj_kompetensi", "Sertifikat kompetensi pengadaan barang/jasa (LKPP)"
        PROFESI = "profesi", "Sertifikat profesi"
        FUNGSIONAL = "fungsional", "Sertifikat jabatan fungsional"
        LAINNYA = "lainnya", "Lainnya"

    class Verifikasi(models.TextChoices):
        DIAJUKAN = "diajukan", "Menunggu verifikasi"
        TERVERIFIKASI = "terverifikasi", "Terverifikasi"
        DITOLAK = "ditolak", "Ditolak"

    pegawai = models.ForeignKey(Pegawai, verbose_name="pegawai", on_delete=models.PROTECT, related_name="sertifikasi")
    jenis = models.CharField("jenis", max_length=20, choices=Jenis.choices)
    nama = models.CharField("nama sertifikat", max_length=255)
    skema = models.CharField("skema sertifikasi", max_length=255, blank=True)
    penerbit = models.CharField("penerbit", max_length=255, help_text="Mis. LSP, BNSP, LKPP, organisasi profesi.")
    nomor = models.CharField("nomor sertifikat", max_length=100)
    tanggal_terbit = models.DateField("tanggal terbit")
    tanggal_kedaluwarsa = models.DateField(
        "berlaku sampai", null=True, blank=True, help_text="Kosongkan bila sertifikat berlaku seumur hidup."
    )
    bukti = models.FileField("berkas sertifikat", upload_to=bukti_upload_to, blank=True, max_length=255)
    verifikasi = models.CharField(
        "verifikasi", max_length=15, choices=Verifikasi.choices, default=Verifikasi.DIAJUKAN, db_index=True
    )
    alasan_penolakan = models.TextField("alasan penolakan", blank=True)
    diverifikasi_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    diverifikasi_pada = models.DateTimeField("diverifikasi pada", null=True, blank=True)

    objects = SertifikasiQuerySet.as_manager()

    class Meta:
        verbose_name = "sertifikasi"
        verbose_name_plural = "sertifikasi"
        ordering = ["-tanggal_terbit", "-id"]
        indexes = [
            models.Index(fields=["tanggal_kedaluwarsa"], name="sertifikasi_kedaluwarsa_idx"),
            models.Index(fields=["pegawai", "-tanggal_terbit"], name="sertifikasi_pegawai_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["pegawai", "penerbit", "nomor"],
                name="sertifikasi_unique_nomor",
                violation_error_message="Sertifikat dengan penerbit dan nomor ini sudah tercatat untuk pegawai ini.",
            ),
            models.CheckConstraint(
                condition=Q(tanggal_kedaluwarsa__isnull=True) | Q(tanggal_kedaluwarsa__gte=F("tanggal_terbit")),
                name="sertifikasi_kedaluwarsa_after_terbit",
                violation_error_message="Tanggal berlaku sampai tidak boleh sebelum tanggal terbit.",
            ),
        ]

    def __str__(self):
        return f"{self.nama} ({self.nomor})"

    def status_berlaku_pada(self, pada=None, dalam=None):
        """The derived validity status on a day (the same rule as ``with_status_berlaku``)."""
        pada = pada or timezone.localdate()
        dalam = expiry_window_days() if dalam is None else dalam
        if self.tanggal_kedaluwarsa is None:
            return StatusBerlaku.AKTIF
        if self.tanggal_kedaluwarsa < pada:
            return StatusBerlaku.KEDALUWARSA
        if self.tanggal_kedaluwarsa <= pada + dt.timedelta(days=dalam):
            return StatusBerlaku.AKAN_KEDALUWARSA
        return StatusBerlaku.AKTIF
