"""The SKP of a pegawai for a year, after PP 30/2019 and PermenPANRB 6/2022 (DOMAIN §4).

An SKP (``Penilaian``) belongs to one pegawai and one ``PeriodePenilaian`` (a year of an
instansi, with monthly or quarterly periodic evaluations). It keeps a snapshot of the three
parties as they were, the rencana hasil kerja with realisasi per periodic evaluation, the
BerAKHLAK expectations and ratings, and the result: two ratings and the predikat.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.core.models import TimeStampedModel, VersionedModel, name_or_nip_search
from apps.pegawai.models import Pegawai, UnitKerja
from apps.standar_kinerja.models import Aspek, IndikatorKinerja


class Rating(models.IntegerChoices):
    # SIASN ids.
    DI_ATAS = 1, "Di atas ekspektasi"
    SESUAI = 2, "Sesuai ekspektasi"
    DI_BAWAH = 3, "Di bawah ekspektasi"


class Predikat(models.IntegerChoices):
    # SIASN ids.
    SANGAT_BAIK = 1, "Sangat Baik"
    BAIK = 2, "Baik"
    BUTUH_PERBAIKAN = 3, "Butuh Perbaikan"
    KURANG = 4, "Kurang/Misconduct"
    SANGAT_KURANG = 5, "Sangat Kurang"


# DOMAIN §4: a table, not a formula. (hasil kerja, perilaku kerja) -> predikat.
PREDIKAT_MATRIX = {
    (Rating.DI_ATAS, Rating.DI_BAWAH): Predikat.KURANG,
    (Rating.DI_ATAS, Rating.SESUAI): Predikat.BAIK,
    (Rating.DI_ATAS, Rating.DI_ATAS): Predikat.SANGAT_BAIK,
    (Rating.SESUAI, Rating.DI_BAWAH): Predikat.KURANG,
    (Rating.SESUAI, Rating.SESUAI): Predikat.BAIK,
    (Rating.SESUAI, Rating.DI_ATAS): Predikat.BAIK,
    (Rating.DI_BAWAH, Rating.DI_BAWAH): Predikat.SANGAT_KURANG,
    (Rating.DI_BAWAH, Rating.SESUAI): Predikat.BUTUH_PERBAIKAN,
    (Rating.DI_BAWAH, Rating.DI_ATAS): Predikat.BUTUH_PERBAIKAN,
}


def predikat_for(hasil_kerja, perilaku_kerja):
    """The predikat kinerja of two ratings, from the matrix of DOMAIN §4; None until both are set."""
    if hasil_kerja is None or perilaku_kerja is None:
        return None
    return PREDIKAT_MATRIX[(Rating(hasil_kerja), Rating(perilaku_kerja))]


class BerAKHLAK(models.TextChoices):
    BERORIENTASI_PELAYANAN = "berorientasi_pelayanan", "Berorientasi Pelayanan"
    AKUNTABEL = "akuntabel", "Akuntabel"
    KOMPETEN = "kompeten", "Kompeten"
    HARMONIS = "harmonis", "Harmonis"
    LOYAL = "loyal", "Loyal"
    ADAPTIF = "adaptif", "Adaptif"
    KOLABORATIF = "kolaboratif", "Kolaboratif"


# The guidance of each core value (SE MenPANRB 20/2021), shown on the SKP document.
PANDUAN_BERAKHLAK = {
    BerAKHLAK.BERORIENTASI_PELAYANAN: [
        "Memahami dan memenuhi kebutuhan masyarakat",
        "Ramah, cekatan, solutif, dan dapat diandalkan",
        "Melakukan perbaikan tiada henti",
    ],
    BerAKHLAK.AKUNTABEL: [
        "Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan berintegritas tinggi",
        "Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, dan efisien",
        "Tidak menyalahgunakan kewenangan jabatan",
    ],
    BerAKHLAK.KOMPETEN: [
        "Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah",
        "Membantu orang lain belajar",
        "Melaksanakan tugas dengan kualitas terbaik",
    ],
    BerAKHLAK.HARMONIS: [
        "Menghargai setiap orang apa pun latar belakangnya",
        "Suka menolong orang lain",
        "Membangun lingkungan kerja yang kondusif",
    ],
    BerAKHLAK.LOYAL: [
        "Memegang teguh ideologi Pancasila, UUD 1945, setia kepada NKRI serta pemerintahan yang sah",
        "Menjaga nama baik sesama ASN, pimpinan, instansi, dan negara",
        "Menjaga rahasia jabatan dan negara",
    ],
    BerAKHLAK.ADAPTIF: [
        "Cepat menyesuaikan diri menghadapi perubahan",
        "Terus berinovasi dan mengembangkan kreativitas",
        "Bertindak proaktif",
    ],
    BerAKHLAK.KOLABORATIF: [
        "Memberi kesempatan kepada berbagai pihak untuk berkontribusi",
        "Terbuka dalam bekerja sama untuk menghasilkan nilai tambah",
        "Menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama",
    ],
}


class CapaianOrganisasi(models.TextChoices):
    ISTIMEWA = "istimewa", "Istimewa"
    BAIK = "baik", "Baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan", "Butuh Perbaikan"
    KURANG = "kurang", "Kurang"
    SANGAT_KURANG = "sangat_kurang", "Sangat Kurang"


# ---------------------------------------------------------------------------------------------
# Periode


class PeriodeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(instansi__in=UnitKerja.objects.filter(user.scope.instansi_q()).values("pk"))

    def manageable_by(self, user):
        return self.filter(instansi__in=UnitKerja.objects.filter(user.scope.instansi_manage_q()).values("pk"))


class PeriodePenilaian(TimeStampedModel):
    """The appraisal year of an instansi, with its periodic evaluations (monthly or quarterly)."""

    class Periodik(models.TextChoices):
        BULANAN = "bulanan", "Bulanan"
        TRIWULANAN = "triwulanan", "Triwulanan"

    class Status(models.TextChoices):
        DIBUKA = "dibuka", "Dibuka"
        DITUTUP = "ditutup", "Ditutup"

    instansi = models.ForeignKey(
        UnitKerja,
        verbose_name="instansi",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"jenis": "instansi"},
    )
    tahun = models.PositiveSmallIntegerField("tahun")
    periodik = models.CharField("evaluasi periodik", max_length=10, choices=Periodik.choices)
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.DIBUKA)

    objects = PeriodeQuerySet.as_manager()

    class Meta:
        verbose_name = "periode penilaian"
        verbose_name_plural = "periode penilaian"
        ordering = ["-tahun", "instansi__nama"]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "tahun"], name="periode_unique_instansi_tahun"),
            models.CheckConstraint(
                condition=Q(tahun__gte=2000) & Q(tahun__lte=2100),
                name="periode_tahun_range",
                violation_error_message="Tahun penilaian harus antara 2000 dan 2100.",
            ),
        ]

    def __str__(self):
        return f"{self.tahun} · {self.instansi}"

    @property
    def jumlah_periodik(self):
        return 12 if self.periodik == self.Periodik.BULANAN else 4

    @property
    def is_open(self):
        return self.status == self.Status.DIBUKA

    def label_periodik(self, ke):
        """'Januari' … 'Desember' or 'Triwulan I' … 'Triwulan IV'."""
        if self.periodik == self.Periodik.BULANAN:
            return BULAN[ke - 1]
        return f"Triwulan {('I', 'II', 'III', 'IV')[ke - 1]}"


BULAN = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


class CapaianUnit(TimeStampedModel):
    """The organisation's own result for a year (capaian kinerja organisasi) of a unit: it sets
    the expected distribution of predikat among its pegawai (shown as a warning, never a block)."""

    periode = models.ForeignKey(PeriodePenilaian, on_delete=models.CASCADE, related_name="capaian_unit")
    unit_kerja = models.ForeignKey(UnitKerja, verbose_name="unit kerja", on_delete=models.CASCADE, related_name="+")
    capaian = models.CharField("capaian kinerja organisasi", max_length=20, choices=CapaianOrganisasi.choices)

    class Meta:
        verbose_name = "capaian kinerja organisasi"
        verbose_name_plural = "capaian kinerja organisasi"
        constraints = [models.UniqueConstraint(fields=["periode", "unit_kerja"], name="capaianunit_unique")]

    def __str__(self):
        return f"{self.unit_kerja} {self.periode.tahun}: {self.get_capaian_display()}"


# ---------------------------------------------------------------------------------------------
# SKP


class Status(models.TextChoices):
    DRAF = "draf", "Draf"
    DIAJUKAN = "diajukan", "Diajukan"
    DIKEMBALIKAN = "dikembalikan", "Dikembalikan"
    BERJALAN = "berjalan", "Berjalan"
    DINILAI = "dinilai", "Dinilai"
    KEBERATAN = "keberatan", "Keberatan"
    FINAL = "final", "Final"


class RatingFields(models.Model):
    """The two ratings, the BerAKHLAK ratings behind the perilaku rating, and the predikat."""

    rating_hasil_kerja = models.PositiveSmallIntegerField(
        "rating hasil kerja", choices=Rating.choices, null=True, blank=True
    )
    rating_perilaku = models.PositiveSmallIntegerField(
        "rating perilaku kerja", choices=Rating.choices, null=True, blank=True
    )
    # {kode BerAKHLAK: rating id}, the seven values assessed before the overall perilaku rating.
    rating_berakhlak = models.JSONField("rating per nilai BerAKHLAK", default=dict, blank=True)
    predikat = models.PositiveSmallIntegerField("predikat kinerja", choices=Predikat.choices, null=True, blank=True)
    umpan_balik = models.TextField("umpan balik", blank=True)

    class Meta:
        abstract = True


class PenilaianQuerySet(models.QuerySet):
    def search(self, term):
        """Partial match on the recorded name or NIP of the pegawai."""
        return name_or_nip_search(self, term, nama="pegawai_nama", nip="pegawai_nip")

    def visible_to(self, user):
        """SKPs of the pegawai the user sees, and those where the user is a party to it."""
        return self.filter(user.scope.penilaian_q()).select_related("periode", "pegawai")

    def manageable_by(self, user):
        """SKPs BKPSDM staff administer (reopen, set the penilai, finalise)."""
        return self.filter(pegawai__in=Pegawai.objects.filter(user.scope.pegawai_manage_q()).values("pk"))


class Penilaian(VersionedModel, RatingFields):
    """The SKP of one pegawai for one year."""

    periode = models.ForeignKey(
        PeriodePenilaian, verbose_name="periode", on_delete=models.PROTECT, related_name="penilaian"
    )
    pegawai = models.ForeignKey(Pegawai, verbose_name="pegawai", on_delete=models.PROTECT, related_name="penilaian")
    status = models.CharField("status", max_length=15, choices=Status.choices, default=Status.DRAF, db_index=True)
    unit_kerja = models.ForeignKey(
        UnitKerja,
        verbose_name="unit kerja",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Unit pegawai saat SKP dibuat.",
    )
    organisasi = models.ForeignKey(
        UnitKerja,
        verbose_name="perangkat daerah",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Perangkat daerah (unit tingkat kedua) pegawai saat SKP dibuat: dasar distribusi predikat.",
    )

    # Snapshot of the three parties (DOMAIN §9: an export to SIASN is a mapping).
    pegawai_nip = models.CharField("NIP pegawai", max_length=18)
    pegawai_nama = models.CharField("nama pegawai", max_length=255)
    pegawai_golongan = models.CharField("golongan pegawai", max_length=80, blank=True)
    pegawai_jabatan = models.CharField("jabatan pegawai", max_length=255, blank=True)
    pegawai_unit = models.CharField("unit kerja pegawai", max_length=255, blank=True)
    pegawai_jenis_jabatan = models.CharField("jenis jabatan pegawai", max_length=20, blank=True)

    penilai = models.ForeignKey(
        Pegawai,
        verbose_name="pejabat penilai kinerja",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="penilaian_dinilai",
    )
    penilai_penugasan = models.CharField("penugasan penilai", max_length=20, blank=True)
    penilai_nip = models.CharField("NIP penilai", max_length=18, blank=True)
    penilai_nama = models.CharField("nama penilai", max_length=255, blank=True)
    penilai_golongan = models.CharField("golongan penilai", max_length=80, blank=True)
    penilai_jabatan = models.CharField("jabatan penilai", max_length=255, blank=True)
    penilai_unit = models.CharField("unit kerja penilai", max_length=255, blank=True)

    atasan_penilai = models.ForeignKey(
        Pegawai,
        verbose_name="atasan pejabat penilai",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="penilaian_atasan",
    )
    atasan_penilai_nip = models.CharField("NIP atasan penilai", max_length=18, blank=True)
    atasan_penilai_nama = models.CharField("nama atasan penilai", max_length=255, blank=True)
    atasan_penilai_golongan = models.CharField("golongan atasan penilai", max_length=80, blank=True)
    atasan_penilai_jabatan = models.CharField("jabatan atasan penilai", max_length=255, blank=True)
    atasan_penilai_unit = models.CharField("unit kerja atasan penilai", max_length=255, blank=True)

    # {kode BerAKHLAK: text}: the atasan's specific expectation per core value.
    ekspektasi_khusus = models.JSONField("ekspektasi khusus pimpinan", default=dict, blank=True)
    # Appendix of the SKP document.
    dukungan_sumber_daya = models.TextField("dukungan sumber daya", blank=True)
    skema_pertanggungjawaban = models.TextField("skema pertanggungjawaban", blank=True)
    konsekuensi = models.TextField("konsekuensi", blank=True)

    catatan_pengembalian = models.TextField("catatan pengembalian", blank=True)
    keberatan_alasan = models.TextField("alasan keberatan", blank=True)
    keberatan_keputusan = models.TextField("keputusan atas keberatan", blank=True)
    dinilai_pada = models.DateTimeField("dinilai pada", null=True, blank=True)
    final_pada = models.DateTimeField("final pada", null=True, blank=True)

    objects = PenilaianQuerySet.as_manager()

    class Meta:
        verbose_name = "SKP"
        verbose_name_plural = "SKP"
        ordering = ["-periode__tahun", "pegawai_nama"]
        constraints = [
            models.UniqueConstraint(fields=["periode", "pegawai"], name="penilaian_one_per_pegawai_per_periode"),
            models.CheckConstraint(
                condition=~Q(penilai=models.F("pegawai")),
                name="penilaian_penilai_not_self",
                violation_error_message="Pegawai tidak dapat menjadi pejabat penilai dirinya sendiri.",
            ),
        ]
        indexes = [
            models.Index(fields=["periode", "unit_kerja", "status"], name="penilaian_periode_unit_idx"),
            models.Index(fields=["periode", "organisasi", "predikat"], name="penilaian_distribusi_idx"),
            models.Index(fields=["penilai", "status"], name="penilaian_penilai_idx"),
            models.Index(fields=["pegawai_nama", "id"], name="penilaian_nama_idx"),
            # The scope check and the distribution read only these columns (PostgreSQL covers them;
            # elsewhere the index is a plain one on periode, pegawai).
            models.Index(
                fields=["periode", "pegawai"],
                include=["penilai", "atasan_penilai", "organisasi", "unit_kerja", "predikat", "status"],
                name="penilaian_scope_idx",
            ),
        ]

    def __str__(self):
        return f"SKP {self.periode.tahun} {self.pegawai_nama} ({self.pegawai_nip})"

    @property
    def is_jpt(self):
        return self.pegawai_jenis_jabatan in ("jpt_utama", "jpt_madya", "jpt_pratama")

    @property
    def is_final(self):
        return self.status == Status.FINAL


class RencanaHasilKerja(TimeStampedModel):
    """One row of the SKP: the rencana hasil kerja, cascaded from the atasan's, with its indicator."""

    class Jenis(models.TextChoices):
        UTAMA = "utama", "Hasil kerja utama"
        TAMBAHAN = "tambahan", "Hasil kerja tambahan"

    class Perspektif(models.TextChoices):
        # JPT only.
        PENERIMA_LAYANAN = "penerima_layanan", "Perspektif penerima layanan"
        PROSES_BISNIS = "proses_bisnis", "Perspektif proses bisnis"
        PENGUATAN_INTERNAL = "penguatan_internal", "Perspektif penguatan internal"
        ANGGARAN = "anggaran", "Perspektif anggaran"

    penilaian = models.ForeignKey(Penilaian, on_delete=models.CASCADE, related_name="rencana")
    jenis = models.CharField("jenis", max_length=10, choices=Jenis.choices, default=Jenis.UTAMA)
    rhk_atasan = models.CharField("rencana hasil kerja atasan yang diintervensi", max_length=500, blank=True)
    uraian = models.CharField("rencana hasil kerja", max_length=500)
    aspek = models.CharField("aspek", max_length=10, choices=Aspek.choices, blank=True)
    perspektif = models.CharField("perspektif", max_length=20, choices=Perspektif.choices, blank=True)
    indikator = models.CharField("indikator kinerja individu", max_length=500)
    target = models.DecimalField("target", max_digits=14, decimal_places=2)
    satuan = models.CharField("satuan", max_length=50)
    indikator_sumber = models.ForeignKey(
        IndikatorKinerja,
        verbose_name="dari standar kinerja",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    urutan = models.PositiveSmallIntegerField("urutan", default=0)

    class Meta:
        verbose_name = "rencana hasil kerja"
        verbose_name_plural = "rencana hasil kerja"
        ordering = ["penilaian", "jenis", "urutan", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target__gte=0),
                name="rhk_target_not_negative",
                violation_error_message="Target tidak boleh negatif.",
            ),
        ]

    def __str__(self):
        return self.uraian


def bukti_upload_to(instance, filename):
    return f"bukti/{instance.rencana.penilaian_id}/{filename}"


class Realisasi(TimeStampedModel):
    """Realisasi of one row in one periodic evaluation, with evidence, and the atasan's feedback."""

    rencana = models.ForeignKey(RencanaHasilKerja, on_delete=models.CASCADE, related_name="realisasi")
    periode_ke = models.PositiveSmallIntegerField("periode ke")
    realisasi = models.TextField("realisasi")
    nilai = models.DecimalField("capaian (angka)", max_digits=14, decimal_places=2, null=True, blank=True)
    bukti_link = models.URLField("tautan bukti dukung", max_length=500, blank=True)
    bukti_file = models.FileField("berkas bukti dukung", upload_to=bukti_upload_to, blank=True, max_length=255)
    umpan_balik = models.TextField("umpan balik atasan", blank=True)

    class Meta:
        verbose_name = "realisasi"
        verbose_name_plural = "realisasi"
        ordering = ["rencana", "periode_ke"]
        constraints = [
            models.UniqueConstraint(fields=["rencana", "periode_ke"], name="realisasi_one_per_periode"),
            models.CheckConstraint(
                condition=Q(periode_ke__gte=1) & Q(periode_ke__lte=12),
                name="realisasi_periode_1_12",
                violation_error_message="Periode harus 1 sampai 12.",
            ),
        ]

    def __str__(self):
        return f"{self.rencana} · periode {self.periode_ke}"


class EvaluasiPeriodik(TimeStampedModel, RatingFields):
    """The atasan's rating for one periodic evaluation (month or quarter) of an SKP."""

    penilaian = models.ForeignKey(Penilaian, on_delete=models.CASCADE, related_name="evaluasi_periodik")
    periode_ke = models.PositiveSmallIntegerField("periode ke")
    dinilai_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "evaluasi periodik"
        verbose_name_plural = "evaluasi periodik"
        ordering = ["penilaian", "periode_ke"]
        constraints = [
            models.UniqueConstraint(fields=["penilaian", "periode_ke"], name="evaluasi_one_per_periode"),
            models.CheckConstraint(
                condition=Q(periode_ke__gte=1) & Q(periode_ke__lte=12),
                name="evaluasi_periode_1_12",
                violation_error_message="Periode harus 1 sampai 12.",
            ),
        ]

    def __str__(self):
        return f"{self.penilaian} · periode {self.periode_ke}"
