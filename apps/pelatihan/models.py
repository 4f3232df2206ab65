"""Competency development (DOMAIN §5–6): partner institutions, the training catalogue, the
training records of each pegawai with their JP, and competency assessment results.

Only a record BKPSDM has confirmed counts: a catalogue training whose result BKPSDM recorded
(status ``selesai``, attended) or an outside training BKPSDM verified (``terverifikasi``). Its
JP count in the year the training ended (``tanggal_selesai``).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from apps.core.models import VersionedModel
from apps.pegawai.models import JenisJabatan, Pegawai, UnitKerja
from apps.standar_kinerja.models import Kompetensi

JP_WAJIB_PER_TAHUN = 20  # PP 11/2017 art. 203 as amended by PP 17/2020: at least 20 JP a year.


class JenisDiklat(models.IntegerChoices):
    """Jenis diklat with the SIASN reference ids (DOMAIN §6)."""

    STRUKTURAL = 1, "Diklat Struktural"
    FUNGSIONAL = 2, "Diklat Fungsional"
    TEKNIS = 3, "Diklat Teknis"
    WORKSHOP = 4, "Workshop"
    MANAJERIAL = 5, "Pelatihan Manajerial"
    SOSIAL_KULTURAL = 6, "Pelatihan Sosial Kultural"
    SOSIALISASI = 7, "Sosialisasi"
    BIMTEK = 8, "Bimbingan Teknis"
    SEMINAR = 9, "Seminar"
    MAGANG = 10, "Magang"
    KURSUS = 11, "Kursus"
    PENATARAN = 12, "Penataran"
    KLASIKAL_LAINNYA = 13, "Pelatihan Klasikal Lainnya"
    COACHING = 14, "Coaching"
    MENTORING = 15, "Mentoring"
    E_LEARNING = 16, "E-Learning"
    JARAK_JAUH = 17, "Pelatihan Jarak Jauh"
    DETASERING = 18, "Detasering"
    ALAM_TERBUKA = 19, "Pembelajaran Alam Terbuka"
    PATOK_BANDING = 20, "Patok Banding"
    PERTUKARAN = 21, "Pertukaran PNS dengan Swasta/BUMN/BUMD"
    BELAJAR_MANDIRI = 22, "Belajar Mandiri"
    KOMUNITAS_BELAJAR = 23, "Komunitas Belajar"
    BIMBINGAN_TEMPAT_KERJA = 24, "Bimbingan di Tempat Kerja"
    NONKLASIKAL_LAINNYA = 25, "Pelatihan Nonklasikal Lainnya"


class Jalur(models.TextChoices):
    KLASIKAL = "klasikal", "Klasikal"
    NON_KLASIKAL = "non_klasikal", "Non-klasikal"


# The route a jenis usually takes (PerLAN 10/2018): magang, jarak jauh and 14–25 are non-klasikal.
JALUR_NON_KLASIKAL = {
    JenisDiklat.MAGANG,
    JenisDiklat.JARAK_JAUH,
    *(jenis for jenis in JenisDiklat if jenis.value >= JenisDiklat.COACHING),
}


def jalur_for(jenis_diklat):
    return Jalur.NON_KLASIKAL if jenis_diklat in JALUR_NON_KLASIKAL else Jalur.KLASIKAL


class Kepemimpinan(models.TextChoices):
    """Leadership training per level (PerLAN 5/2022); the old Diklatpim names in brackets."""

    PKP = "pkp", "PKP – Pelatihan Kepemimpinan Pengawas (dahulu Diklatpim IV)"
    PKA = "pka", "PKA – Pelatihan Kepemimpinan Administrator (dahulu Diklatpim III)"
    PKN_II = "pkn_2", "PKN Tingkat II (dahulu Diklatpim II)"
    PKN_I = "pkn_1", "PKN Tingkat I (dahulu Diklatpim I)"


# Lowest to highest: a higher level also covers the lower ones.
KEPEMIMPINAN_URUTAN = [Kepemimpinan.PKP, Kepemimpinan.PKA, Kepemimpinan.PKN_II, Kepemimpinan.PKN_I]

# Which leadership training a managerial jabatan needs.
KEPEMIMPINAN_UNTUK_JABATAN = {
    JenisJabatan.JPT_UTAMA: Kepemimpinan.PKN_I,
    JenisJabatan.JPT_MADYA: Kepemimpinan.PKN_I,
    JenisJabatan.JPT_PRATAMA: Kepemimpinan.PKN_II,
    JenisJabatan.ADMINISTRATOR: Kepemimpinan.PKA,
    JenisJabatan.PENGAWAS: Kepemimpinan.PKP,
}


def kepemimpinan_covers(held, needed):
    """Whether a leadership training at level ``held`` satisfies the need for ``needed``."""
    return KEPEMIMPINAN_URUTAN.index(held) >= KEPEMIMPINAN_URUTAN.index(needed)


def terbuka_q(pada):
    """Trainings a pegawai may still apply for on ``pada``: the rule of
    ``Pelatihan.pendaftaran_terbuka_pada`` as a filter."""
    return Q(pendaftaran_dibuka=True, tanggal_mulai__gte=pada) & (
        Q(batas_pendaftaran__isnull=True) | Q(batas_pendaftaran__gte=pada)
    )


class InstansiQuerySet(models.QuerySet):
    """Records owned by an instansi (a tree root): seen by everyone in it, run by its BKPSDM."""

    def terbuka(self, pada):
        return self.filter(terbuka_q(pada))

    def visible_to(self, user):
        return self.filter(instansi__in=UnitKerja.objects.filter(user.scope.instansi_q()).values("pk"))

    def manageable_by(self, user):
        return self.filter(instansi__in=UnitKerja.objects.filter(user.scope.instansi_manage_q()).values("pk"))


class Penyelenggara(VersionedModel):
    """A partner institution that runs training: LAN, BPSDM, a university, a professional body,
    or the instansi itself."""

    class Jenis(models.TextChoices):
        INSTANSI = "instansi", "Instansi sendiri"
        LAN = "lan", "Lembaga Administrasi Negara"
        BPSDM = "bpsdm", "BPSDM provinsi"
        KEMENTERIAN = "kementerian", "Kementerian/lembaga"
        PERGURUAN_TINGGI = "perguruan_tinggi", "Perguruan tinggi"
        PROFESI = "profesi", "Organisasi profesi / LSP"
        SWASTA = "swasta", "Lembaga swasta"
        LAINNYA = "lainnya", "Lainnya"

    instansi = models.ForeignKey(
        UnitKerja,
        verbose_name="instansi",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"parent__isnull": True},
    )
    nama = models.CharField("nama", max_length=200)
    jenis = models.CharField("jenis", max_length=20, choices=Jenis.choices)
    alamat = models.CharField("alamat", max_length=300, blank=True)
    kontak = models.CharField("kontak", max_length=200, blank=True, help_text="Nama, telepon atau email narahubung.")
    situs = models.URLField("situs web", blank=True)
    aktif = models.BooleanField("aktif", default=True)

    objects = InstansiQuerySet.as_manager()

    class Meta:
        verbose_name = "penyelenggara"
        verbose_name_plural = "penyelenggara"
        ordering = ["nama", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["instansi", "nama"],
                name="penyelenggara_unique_nama",
                violation_error_message="Penyelenggara dengan nama ini sudah ada.",
            )
        ]

    def __str__(self):
        return self.nama


class Pelatihan(VersionedModel):
    """A training in the catalogue of an instansi, open for registration or run on assignment."""

    instansi = models.ForeignKey(
        UnitKerja,
        verbose_name="instansi",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"parent__isnull": True},
    )
    nama = models.CharField("nama pelatihan", max_length=255)
    jenis_diklat = models.PositiveSmallIntegerField("jenis diklat", choices=JenisDiklat.choices)
    jalur = models.CharField("jalur", max_length=15, choices=Jalur.choices)
    kepemimpinan = models.CharField("pelatihan kepemimpinan", max_length=10, choices=Kepemimpinan.choices, blank=True)
    deskripsi = models.TextField("deskripsi", blank=True)
    penyelenggara = models.ForeignKey(
        Penyelenggara, verbose_name="penyelenggara", on_delete=models.PROTECT, related_name="pelatihan"
    )
    jp = models.PositiveSmallIntegerField(
        "JP", validators=[MinValueValidator(1), MaxValueValidator(2000)], help_text="1 JP = 45 menit."
    )
    tanggal_mulai = models.DateField("tanggal mulai")
    tanggal_selesai = models.DateField("tanggal selesai")
    daring = models.BooleanField("daring", default=False)
    lokasi = models.CharField("lokasi", max_length=255, blank=True, help_text="Tempat, atau tautan bila daring.")
    kuota = models.PositiveIntegerField("kuota peserta", validators=[MinValueValidator(1)])
    pendaftaran_dibuka = models.BooleanField(
        "pendaftaran dibuka", default=True, help_text="Pegawai dapat mendaftar sendiri."
    )
    batas_pendaftaran = models.DateField("batas pendaftaran", null=True, blank=True)
    sasaran_jenis_jabatan = models.CharField(
        "sasaran jenis jabatan",
        max_length=20,
        choices=JenisJabatan.choices,
        blank=True,
        help_text="Kosongkan bila terbuka untuk semua jenis jabatan.",
    )
    kompetensi = models.ManyToManyField(
        Kompetensi, verbose_name="kompetensi yang dikembangkan", blank=True, related_name="pelatihan"
    )

    objects = InstansiQuerySet.as_manager()

    class Meta:
        verbose_name = "pelatihan"
        verbose_name_plural = "pelatihan"
        ordering = ["-tanggal_mulai", "-id"]
        indexes = [models.Index(fields=["instansi", "-tanggal_mulai"], name="pelatihan_instansi_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(tanggal_selesai__gte=F("tanggal_mulai")),
                name="pelatihan_selesai_after_mulai",
                violation_error_message="Tanggal selesai tidak boleh sebelum tanggal mulai.",
            ),
            models.CheckConstraint(
                condition=Q(jp__gte=1), name="pelatihan_jp_positive", violation_error_message="JP minimal 1."
            ),
            models.CheckConstraint(
                condition=Q(kuota__gte=1), name="pelatihan_kuota_positive", violation_error_message="Kuota minimal 1."
            ),
        ]

    def __str__(self):
        return self.nama

    def pendaftaran_terbuka_pada(self, pada):
        """Whether pegawai may still apply on day ``pada``."""
        if not self.pendaftaran_dibuka or pada > self.tanggal_mulai:
            return False
        return self.batas_pendaftaran is None or pada <= self.batas_pendaftaran


class Status(models.TextChoices):
    """Where a training record stands. Registration: diajukan → disetujui_atasan → terdaftar →
    selesai; outside training: menunggu_verifikasi → terverifikasi. Either can be ditolak."""

    DIAJUKAN = "diajukan", "Menunggu persetujuan atasan"
    DISETUJUI_ATASAN = "disetujui_atasan", "Menunggu konfirmasi BKPSDM"
    TERDAFTAR = "terdaftar", "Terdaftar sebagai peserta"
    SELESAI = "selesai", "Selesai, hasil tercatat"
    MENUNGGU_VERIFIKASI = "menunggu_verifikasi", "Menunggu verifikasi"
    TERVERIFIKASI = "terverifikasi", "Terverifikasi"
    DITOLAK = "ditolak", "Ditolak"
    DIBATALKAN = "dibatalkan", "Dibatalkan"


# The states in which a record's JP count: confirmed by BKPSDM.
STATUS_DIAKUI = (Status.SELESAI, Status.TERVERIFIKASI)
# The states that hold a seat in a catalogue training.
STATUS_PESERTA = (Status.DIAJUKAN, Status.DISETUJUI_ATASAN, Status.TERDAFTAR, Status.SELESAI)


class PegawaiRecordQuerySet(models.QuerySet):
    """Records of a pegawai: seen with the pegawai, changed by the staff who manage them."""

    def visible_to(self, user):
        return self.filter(pegawai__in=Pegawai.objects.filter(user.scope.pegawai_q()).values("pk"))

    def manageable_by(self, user):
        return self.filter(pegawai__in=Pegawai.objects.filter(user.scope.pegawai_manage_q()).values("pk"))


class RiwayatPelatihanQuerySet(PegawaiRecordQuerySet):
    def visible_to(self, user):
        """With the pegawai, and the registrations that name the user as the atasan to agree
        (an atasan by Plt may sit outside the jabatan chain)."""
        pegawai = Pegawai.objects.filter(user.scope.pegawai_q()).values("pk")
        if user.pegawai_id is None:
            return self.filter(pegawai__in=pegawai)
        return self.filter(Q(pegawai__in=pegawai) | Q(atasan=user.pegawai_id))

    def diakui(self):
        """Records whose JP count: confirmed by BKPSDM, and attended."""
        return self.filter(status__in=STATUS_DIAKUI, jp_diakui__gt=0)

    def tahun(self, tahun):
        return self.filter(tanggal_selesai__year=tahun)


def bukti_upload_to(instance, filename):
    return f"pelatihan/{instance.pegawai_id}/{filename}"


class RiwayatPelatihan(VersionedModel):
    """One pegawai's participation in a training: a registration for a catalogue training, an
    enrolment by BKPSDM, or a training done elsewhere submitted with evidence."""

    class Sumber(models.TextChoices):
        PENDAFTARAN = "pendaftaran", "Pendaftaran oleh pegawai"
        PENUGASAN = "penugasan", "Didaftarkan BKPSDM"
        MANDIRI = "mandiri", "Diajukan pegawai (pelatihan di luar katalog)"
        PENCATATAN = "pencatatan", "Dicatat BKPSDM"

    pegawai = models.ForeignKey(
        Pegawai, verbose_name="pegawai", on_delete=models.PROTECT, related_name="riwayat_pelatihan"
    )
    pelatihan = models.ForeignKey(
        Pelatihan,
        verbose_name="pelatihan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="peserta",
    )
    sumber = models.CharField("sumber", max_length=15, choices=Sumber.choices)
    status = models.CharField("status", max_length=20, choices=Status.choices, db_index=True)
    # Copied from the catalogue training, or typed for an outside one.
    nama = models.CharField("nama pelatihan", max_length=255)
    jenis_diklat = models.PositiveSmallIntegerField("jenis diklat", choices=JenisDiklat.choices)
    jalur = models.CharField("jalur", max_length=15, choices=Jalur.choices)
    kepemimpinan = models.CharField("pelatihan kepemimpinan", max_length=10, choices=Kepemimpinan.choices, blank=True)
    penyelenggara = models.CharField("penyelenggara", max_length=200)
    tanggal_mulai = models.DateField("tanggal mulai")
    tanggal_selesai = models.DateField("tanggal selesai")
    jp = models.PositiveSmallIntegerField(
        "JP", validators=[MinValueValidator(1), MaxValueValidator(2000)], help_text="1 JP = 45 menit."
    )
    # The result, recorded or verified by BKPSDM; only ``jp_diakui`` of a confirmed record counts.
    hadir = models.BooleanField("hadir", null=True, blank=True)
    lulus = models.BooleanField("lulus", null=True, blank=True)
    jp_diakui = models.PositiveSmallIntegerField("JP diakui", default=0, validators=[MaxValueValidator(2000)])
    nomor_sertifikat = models.CharField("nomor sertifikat/STTPP", max_length=100, blank=True)
    bukti = models.FileField("bukti (sertifikat/STTPP)", upload_to=bukti_upload_to, blank=True, max_length=255)
    catatan = models.TextField("catatan", blank=True)
    alasan_penolakan = models.TextField("alasan", blank=True)
    # The atasan who must agree to a registration (the pejabat penilai when the pegawai applied).
    atasan = models.ForeignKey(
        Pegawai, verbose_name="atasan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    diputuskan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    diputuskan_pada = models.DateTimeField("diputuskan pada", null=True, blank=True)

    objects = RiwayatPelatihanQuerySet.as_manager()

    class Meta:
        verbose_name = "riwayat pelatihan"
        verbose_name_plural = "riwayat pelatihan"
        ordering = ["-tanggal_mulai", "-id"]
        indexes = [
            models.Index(fields=["pegawai", "-tanggal_selesai"], name="riwayatpelatihan_pegawai_idx"),
            # The JP sums, from the index alone (``diakui()``: confirmed and attended): a year of
            # all pegawai (the rekap per unit), and a year of one pegawai (the 20 JP check of each
            # pegawai in a scope, the pages of pegawai).
            models.Index(
                fields=["tanggal_selesai", "pegawai"],
                include=["jp_diakui"],
                condition=Q(status__in=["selesai", "terverifikasi"], jp_diakui__gt=0),
                name="riwayatpelatihan_diakui_idx",
            ),
            models.Index(
                fields=["pegawai", "tanggal_selesai"],
                include=["jp_diakui"],
                condition=Q(status__in=["selesai", "terverifikasi"], jp_diakui__gt=0),
                name="riwayatpelatihan_jp_idx",
            ),
            # The leadership training each pegawai holds: a handful of rows among all records.
            models.Index(
                fields=["pegawai", "kepemimpinan"],
                condition=Q(status__in=["selesai", "terverifikasi"], jp_diakui__gt=0) & ~Q(kepemimpinan=""),
                name="riwayatpelatihan_pimpinan_idx",
            ),
            models.Index(fields=["pelatihan", "status"], name="riwayatpelatihan_peserta_idx"),
            models.Index(fields=["atasan"], condition=Q(status="diajukan"), name="riwayatpelatihan_atasan_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["pegawai", "pelatihan"],
                condition=Q(pelatihan__isnull=False) & ~Q(status__in=["ditolak", "dibatalkan"]),
                name="riwayatpelatihan_unique_peserta",
                violation_error_message="Pegawai ini sudah terdaftar pada pelatihan tersebut.",
            ),
            models.CheckConstraint(
                condition=Q(tanggal_selesai__gte=F("tanggal_mulai")),
                name="riwayatpelatihan_selesai_after_mulai",
                violation_error_message="Tanggal selesai tidak boleh sebelum tanggal mulai.",
            ),
            models.CheckConstraint(
                condition=Q(jp__gte=1) & Q(jp_diakui__lte=F("jp")),
                name="riwayatpelatihan_jp",
                violation_error_message="JP diakui tidak boleh melebihi JP pelatihan.",
            ),
        ]

    def __str__(self):
        return f"{self.nama} ({self.tanggal_mulai:%Y})"

    @property
    def is_diakui(self):
        return self.status in STATUS_DIAKUI and self.jp_diakui > 0


class AsesmenKompetensi(VersionedModel):
    """An assessed level of one competency of a pegawai (DOMAIN §5). The latest per competency
    is the pegawai's level; earlier ones stay as history."""

    class Metode(models.TextChoices):
        ASSESSMENT_CENTER = "assessment_center", "Assessment center"
        UJI_KOMPETENSI = "uji_kompetensi", "Uji kompetensi"
        CAT = "cat", "Computer assisted test (CAT)"
        WAWANCARA = "wawancara", "Wawancara berbasis perilaku"
        PORTOFOLIO = "portofolio", "Penilaian portofolio"
        LAINNYA = "lainnya", "Lainnya"

    pegawai = models.ForeignKey(
        Pegawai, verbose_name="pegawai", on_delete=models.PROTECT, related_name="asesmen_kompetensi"
    )
    kompetensi = models.ForeignKey(Kompetensi, verbose_name="kompetensi", on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(
        "level hasil asesmen", validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    tanggal = models.DateField("tanggal asesmen")
    metode = models.CharField("metode", max_length=20, choices=Metode.choices)
    asesor = models.CharField("asesor / lembaga", max_length=200)
    catatan = models.TextField("catatan", blank=True)
    # The latest assessment of this competency for this pegawai (kept by the services).
    terbaru = models.BooleanField("terbaru", default=True, editable=False)

    objects = PegawaiRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "asesmen kompetensi"
        verbose_name_plural = "asesmen kompetensi"
        ordering = ["-tanggal", "-id"]
        indexes = [
            models.Index(fields=["pegawai", "kompetensi", "-tanggal", "-id"], name="asesmen_pegawai_idx"),
            # The current level of each competency of a pegawai (gaps, job-person match).
            models.Index(
                fields=["pegawai", "kompetensi"],
                include=["level"],
                condition=Q(terbaru=True),
                name="asesmen_terbaru_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=5),
                name="asesmen_level_1_5",
                violation_error_message="Level harus 1 sampai 5.",
            ),
            models.UniqueConstraint(
                fields=["pegawai", "kompetensi", "tanggal"],
                name="asesmen_unique_hari",
                violation_error_message="Hasil asesmen kompetensi ini pada tanggal tersebut sudah tercatat.",
            ),
        ]

    def __str__(self):
        return f"{self.kompetensi} level {self.level} ({self.tanggal})"
