"""What is expected of a jabatan: indikator kinerja and standar kompetensi (DOMAIN §4–5)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from apps.core.models import TimeStampedModel
from apps.pegawai.models import Jabatan


class Aspek(models.TextChoices):
    KUANTITAS = "kuantitas", "Kuantitas"
    KUALITAS = "kualitas", "Kualitas"
    WAKTU = "waktu", "Waktu"
    BIAYA = "biaya", "Biaya"


class StandarQuerySet(models.QuerySet):
    """Standards are read through their jabatan's visibility and changed through its management."""

    def visible_to(self, user):
        return self.filter(jabatan__in=Jabatan.objects.visible_to(user).values("pk"))

    def manageable_by(self, user):
        return self.filter(jabatan__in=Jabatan.objects.manageable_by(user).values("pk"))


class IndikatorKinerja(TimeStampedModel):
    """One row of the standar kinerja of a jabatan: the result expected, its indicator and target.

    ``bobot`` is optional; when the rows of a jabatan carry it, they total 100 (checked by the
    service, since it spans rows).
    """

    jabatan = models.ForeignKey(
        Jabatan, verbose_name="jabatan", on_delete=models.CASCADE, related_name="indikator_kinerja"
    )
    uraian = models.CharField("rencana hasil kerja", max_length=500)
    indikator = models.CharField("indikator kinerja", max_length=500)
    aspek = models.CharField("aspek", max_length=10, choices=Aspek.choices, default=Aspek.KUANTITAS)
    target = models.DecimalField("target", max_digits=14, decimal_places=2)
    satuan = models.CharField("satuan", max_length=50)
    bobot = models.DecimalField(
        "bobot (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    urutan = models.PositiveSmallIntegerField("urutan", default=0)

    objects = StandarQuerySet.as_manager()

    class Meta:
        verbose_name = "indikator kinerja"
        verbose_name_plural = "indikator kinerja"
        ordering = ["jabatan", "urutan", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target__gte=0),
                name="indikator_target_not_negative",
                violation_error_message="Target tidak boleh negatif.",
            ),
            models.CheckConstraint(
                condition=Q(bobot__isnull=True) | Q(bobot__gte=0) & Q(bobot__lte=100),
                name="indikator_bobot_0_100",
                violation_error_message="Bobot harus 0 sampai 100.",
            ),
        ]

    def __str__(self):
        return self.uraian


class Kompetensi(TimeStampedModel):
    """The competency catalogue (PermenPANRB 38/2017): M.01–M.08, SK.01 and teknis ones."""

    class Kelompok(models.TextChoices):
        MANAJERIAL = "manajerial", "Manajerial"
        SOSIAL_KULTURAL = "sosial_kultural", "Sosial kultural"
        TEKNIS = "teknis", "Teknis"

    kode = models.CharField("kode", max_length=20, unique=True)
    nama = models.CharField("nama", max_length=200)
    kelompok = models.CharField("kelompok", max_length=20, choices=Kelompok.choices)
    deskripsi = models.TextField("deskripsi", blank=True)

    class Meta:
        verbose_name = "kompetensi"
        verbose_name_plural = "kompetensi"
        ordering = ["kelompok", "kode"]

    def __str__(self):
        return f"{self.kode} {self.nama}"


class StandarKompetensi(TimeStampedModel):
    """The level of a competency a jabatan requires (1–5)."""

    jabatan = models.ForeignKey(
        Jabatan, verbose_name="jabatan", on_delete=models.CASCADE, related_name="standar_kompetensi"
    )
    kompetensi = models.ForeignKey(Kompetensi, verbose_name="kompetensi", on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(
        "level yang dipersyaratkan", validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    objects = StandarQuerySet.as_manager()

    class Meta:
        verbose_name = "standar kompetensi"
        verbose_name_plural = "standar kompetensi"
        ordering = ["jabatan", "kompetensi__kelompok", "kompetensi__kode"]
        constraints = [
            models.UniqueConstraint(fields=["jabatan", "kompetensi"], name="standarkompetensi_unique"),
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=5),
                name="standarkompetensi_level_1_5",
                violation_error_message="Level harus 1 sampai 5.",
            ),
        ]

    def __str__(self):
        return f"{self.kompetensi} level {self.level}"
