"""The organisation and the people: unit kerja (tree), jabatan, golongan, pegawai, riwayat.

Rules of DOMAIN §1–3. Current jabatan and golongan on a pegawai follow from the riwayat; the
services keep them in step.
"""

from django.db import models
from django.db.models import Q

from apps.core.models import TimeStampedModel, VersionedModel, name_or_nip_search
from apps.core.validators import format_nip, validate_nik, validate_nip


class JenisASN(models.TextChoices):
    PNS = "PNS", "PNS"
    CPNS = "CPNS", "CPNS"
    PPPK = "PPPK", "PPPK"


# ---------------------------------------------------------------------------------------------
# Unit kerja


class UnitKerjaQuerySet(models.QuerySet):
    def subtree_of(self, unit):
        """The unit and everything below it: one indexed prefix match on the path."""
        return self.filter(path__startswith=unit.path)

    def roots(self):
        return self.filter(parent__isnull=True)

    def visible_to(self, user):
        return self.filter(user.scope.unit_kerja_q())

    def manageable_by(self, user):
        return self.filter(user.scope.unit_kerja_manage_q())


class UnitKerja(TimeStampedModel):
    """A node of the organisation tree: instansi → perangkat daerah → bidang/bagian → seksi.

    ``path`` is the materialised path of ids (``/1/7/42/``): a subtree is ``path LIKE '/1/7/%'``,
    served by a btree index with pattern ops on PostgreSQL.
    """

    class Jenis(models.TextChoices):
        INSTANSI = "instansi", "Instansi"
        PERANGKAT_DAERAH = "perangkat_daerah", "Perangkat daerah"
        UPT = "upt", "UPT / Puskesmas / Sekolah"
        BIDANG = "bidang", "Bidang / Bagian"
        SEKSI = "seksi", "Seksi / Subbagian"

    nama = models.CharField("nama", max_length=200)
    singkatan = models.CharField("singkatan", max_length=50, blank=True)
    jenis = models.CharField("jenis", max_length=20, choices=Jenis.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="unit induk",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("path", max_length=255, editable=False, default="")
    depth = models.PositiveSmallIntegerField("kedalaman", editable=False, default=0)
    siasn_id = models.CharField("ID SIASN", max_length=64, blank=True, null=True, unique=True)

    objects = UnitKerjaQuerySet.as_manager()

    class Meta:
        verbose_name = "unit kerja"
        verbose_name_plural = "unit kerja"
        ordering = ["path"]
        indexes = [
            models.Index(fields=["path"], name="unitkerja_path_idx", opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True, jenis="instansi") | Q(parent__isnull=False) & ~Q(jenis="instansi"),
                name="unitkerja_instansi_is_root",
                violation_error_message="Hanya instansi yang tidak memiliki unit induk.",
            ),
        ]

    def __str__(self):
        return self.nama

    @property
    def instansi_id(self):
        return int(self.path.strip("/").split("/")[0]) if self.path else self.pk

    def ancestor_ids(self):
        """Ids from the root down to this unit, read off the path."""
        return [int(part) for part in self.path.strip("/").split("/") if part]


# ---------------------------------------------------------------------------------------------
# Golongan


class Golongan(models.Model):
    """Reference table of golongan/ruang (PNS) and golongan (PPPK), with SIASN ids (DOMAIN §2)."""

    jenis_asn = models.CharField(
        "jenis ASN",
        max_length=4,
        choices=[("PNS", "PNS"), ("PPPK", "PPPK")],
    )
    kode = models.CharField("golongan", max_length=10)
    pangkat = models.CharField("pangkat", max_length=60, blank=True)
    # Order within its jenis: I/a=1 … IV/e=17; PPPK I=1 … XVII=17.
    tingkat = models.PositiveSmallIntegerField("tingkat")
    siasn_id = models.CharField("ID SIASN", max_length=10, blank=True, null=True, unique=True)

    class Meta:
        verbose_name = "golongan"
        verbose_name_plural = "golongan"
        ordering = ["jenis_asn", "tingkat"]
        constraints = [
            models.UniqueConstraint(fields=["jenis_asn", "kode"], name="golongan_unique_kode"),
            models.UniqueConstraint(fields=["jenis_asn", "tingkat"], name="golongan_unique_tingkat"),
        ]

    def __str__(self):
        if self.pangkat:
            return f"{self.kode} {self.pangkat}"
        return f"{self.kode} (PPPK)"


# ---------------------------------------------------------------------------------------------
# Jabatan


class JenisJabatan(models.TextChoices):
    JPT_UTAMA = "jpt_utama", "JPT Utama"
    JPT_MADYA = "jpt_madya", "JPT Madya"
    JPT_PRATAMA = "jpt_pratama", "JPT Pratama"
    ADMINISTRATOR = "administrator", "Administrator"
    PENGAWAS = "pengawas", "Pengawas"
    FUNGSIONAL = "fungsional", "Fungsional"
    PELAKSANA = "pelaksana", "Pelaksana"


MANAJERIAL = {
    JenisJabatan.JPT_UTAMA,
    JenisJabatan.JPT_MADYA,
    JenisJabatan.JPT_PRATAMA,
    JenisJabatan.ADMINISTRATOR,
    JenisJabatan.PENGAWAS,
}


class JenjangFungsional(models.TextChoices):
    AHLI_PERTAMA = "PT", "Ahli Pertama"
    AHLI_MUDA = "MU", "Ahli Muda"
    AHLI_MADYA = "MA", "Ahli Madya"
    AHLI_UTAMA = "UT", "Ahli Utama"
    PEMULA = "PM", "Pemula"
    TERAMPIL = "TR", "Terampil"
    MAHIR = "MH", "Mahir"
    PENYELIA = "PY", "Penyelia"


class Eselon(models.TextChoices):
    # SIASN ids (DOMAIN §3).
    I_A = "11", "I.a"
    I_B = "12", "I.b"
    II_A = "21", "II.a"
    II_B = "22", "II.b"
    III_A = "31", "III.a"
    III_B = "32", "III.b"
    IV_A = "41", "IV.a"
    IV_B = "42", "IV.b"
    NON_ESELON = "99", "Non-eselon"


class JabatanQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(unit_kerja__in=UnitKerja.objects.visible_to(user).values("pk")).select_related(
            "unit_kerja", "atasan"
        )

    def manageable_by(self, user):
        return self.filter(unit_kerja__in=UnitKerja.objects.manageable_by(user).values("pk")).select_related(
            "unit_kerja", "atasan"
        )


class Jabatan(TimeStampedModel):
    """A position in a unit kerja, answering to one atasan jabatan: the chain decides who
    appraises whom. A pelaksana or fungsional jabatan may be held by several pegawai."""

    nama = models.CharField("nama jabatan", max_length=255)
    jenis = models.CharField("jenis jabatan", max_length=20, choices=JenisJabatan.choices)
    jenjang = models.CharField("jenjang fungsional", max_length=2, choices=JenjangFungsional.choices, blank=True)
    eselon = models.CharField("eselon", max_length=2, choices=Eselon.choices, default=Eselon.NON_ESELON)
    unit_kerja = models.ForeignKey(
        UnitKerja, verbose_name="unit kerja", on_delete=models.PROTECT, related_name="jabatan"
    )
    atasan = models.ForeignKey(
        "self",
        verbose_name="atasan jabatan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bawahan",
    )
    kelas_jabatan = models.PositiveSmallIntegerField("kelas jabatan", null=True, blank=True)
    siasn_id = models.CharField("ID SIASN", max_length=64, blank=True, null=True, unique=True)

    objects = JabatanQuerySet.as_manager()

    class Meta:
        verbose_name = "jabatan"
        verbose_name_plural = "jabatan"
        ordering = ["unit_kerja__path", "eselon", "nama"]
        indexes = [models.Index(fields=["nama"], name="jabatan_nama_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(jenis="fungsional", jenjang__gt="") | ~Q(jenis="fungsional") & Q(jenjang=""),
                name="jabatan_jenjang_only_fungsional",
                violation_error_message="Jenjang wajib diisi untuk jabatan fungsional dan hanya untuknya.",
            ),
            models.CheckConstraint(
                condition=~Q(atasan=models.F("id")),
                name="jabatan_not_own_atasan",
                violation_error_message="Jabatan tidak boleh menjadi atasan dirinya sendiri.",
            ),
        ]

    def __str__(self):
        return self.nama

    @property
    def is_manajerial(self):
        return self.jenis in MANAJERIAL

    @property
    def kategori(self):
        return "Manajerial" if self.is_manajerial else "Nonmanajerial"


# ---------------------------------------------------------------------------------------------
# Pegawai


class KedudukanHukum(models.TextChoices):
    # SIASN codes (DOMAIN §1).
    AKTIF = "01", "Aktif"
    CLTN = "02", "CLTN"
    TUGAS_BELAJAR = "03", "Tugas Belajar"
    PEMBERHENTIAN_SEMENTARA = "04", "Pemberhentian Sementara"
    MPP = "20", "Masa Persiapan Pensiun"
    BUP = "98", "Mencapai BUP"
    PENSIUN = "99", "Pensiun"


class JenisKelamin(models.TextChoices):
    # The NIP's 15th digit.
    PRIA = "1", "Pria"
    WANITA = "2", "Wanita"


class TingkatPendidikan(models.TextChoices):
    SD = "SD", "SD"
    SMP = "SMP", "SMP"
    SMA = "SMA", "SMA/SMK"
    D1 = "D1", "D-I"
    D2 = "D2", "D-II"
    D3 = "D3", "D-III"
    D4 = "D4", "D-IV"
    S1 = "S1", "S-1"
    S2 = "S2", "S-2"
    S3 = "S3", "S-3"


class PegawaiQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The pegawai ``user`` may see (the scoping rule lives in ``apps.akun.scope``)."""
        return self.filter(user.scope.pegawai_q()).select_related("golongan", "jabatan", "unit_kerja")

    def manageable_by(self, user):
        """The pegawai whose master data ``user`` may change (BKPSDM staff, in their subtrees)."""
        return self.filter(user.scope.pegawai_manage_q()).select_related("golongan", "jabatan", "unit_kerja")

    def with_personal_access(self, user):
        """Annotate ``can_see_personal``: may ``user`` see this pegawai's personal data."""
        if user.scope.is_all:
            return self.annotate(can_see_personal=models.Value(True, output_field=models.BooleanField()))
        return self.annotate(
            can_see_personal=models.Case(
                models.When(user.scope.personal_data_q(), then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )

    def search(self, term):
        """Partial match on name or NIP."""
        return name_or_nip_search(self, term, nama="nama", nip="nip")


PERSONAL_FIELDS = ("nik", "tanggal_lahir", "tempat_lahir", "alamat", "telepon", "email")


class Pegawai(VersionedModel):
    """An ASN (PNS, CPNS or PPPK). ``jabatan``/``golongan`` and their TMT are the current ones,
    derived from the riwayat by the services; ``unit_kerja`` is the jabatan's unit."""

    nip = models.CharField("NIP", max_length=18, unique=True, validators=[validate_nip])
    nik = models.CharField("NIK", max_length=16, blank=True, null=True, unique=True, validators=[validate_nik])
    nama = models.CharField("nama", max_length=150)
    gelar_depan = models.CharField("gelar depan", max_length=50, blank=True)
    gelar_belakang = models.CharField("gelar belakang", max_length=80, blank=True)
    jenis_kelamin = models.CharField("jenis kelamin", max_length=1, choices=JenisKelamin.choices)
    tempat_lahir = models.CharField("tempat lahir", max_length=100, blank=True)
    tanggal_lahir = models.DateField("tanggal lahir")
    jenis_asn = models.CharField("jenis ASN", max_length=4, choices=JenisASN.choices)
    kedudukan_hukum = models.CharField(
        "kedudukan hukum", max_length=2, choices=KedudukanHukum.choices, default=KedudukanHukum.AKTIF
    )
    golongan = models.ForeignKey(
        Golongan, verbose_name="golongan", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    tmt_golongan = models.DateField("TMT golongan", null=True, blank=True)
    # Where masa kerja golongan (MKG) stands at 0: the TMT of the current golongan minus the
    # masa kerja on its SK. KGB fall due every two years of MKG (DOMAIN §2).
    mkg_mulai = models.DateField("awal masa kerja golongan", null=True, blank=True, editable=False)
    jabatan = models.ForeignKey(
        Jabatan,
        verbose_name="jabatan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pemangku",
    )
    tmt_jabatan = models.DateField("TMT jabatan", null=True, blank=True)
    unit_kerja = models.ForeignKey(
        UnitKerja, verbose_name="unit kerja", on_delete=models.PROTECT, related_name="pegawai"
    )
    pendidikan_tingkat = models.CharField(
        "pendidikan terakhir", max_length=3, choices=TingkatPendidikan.choices, blank=True
    )
    pendidikan_jurusan = models.CharField("jurusan", max_length=150, blank=True)
    email = models.EmailField("email", blank=True)
    telepon = models.CharField("telepon", max_length=20, blank=True)
    alamat = models.TextField("alamat", blank=True)
    akhir_perjanjian_kerja = models.DateField(
        "akhir perjanjian kerja",
        null=True,
        blank=True,
        help_text="PPPK: tanggal berakhirnya perjanjian kerja (menggantikan batas usia pensiun).",
    )

    objects = PegawaiQuerySet.as_manager()

    class Meta:
        verbose_name = "pegawai"
        verbose_name_plural = "pegawai"
        ordering = ["nama", "nip"]
        indexes = [
            models.Index(fields=["nama", "nip"], name="pegawai_nama_idx"),
            models.Index(fields=["unit_kerja", "nama"], name="pegawai_unit_nama_idx"),
            # Scope subqueries ("pegawai in these units") answered from the index alone.
            models.Index(fields=["unit_kerja", "id"], name="pegawai_unit_id_idx"),
            models.Index(fields=["jenis_asn"], name="pegawai_jenis_asn_idx"),
            models.Index(fields=["kedudukan_hukum"], name="pegawai_kedudukan_idx"),
            # Name search: a trigram GIN index on UPPER(nama) is created on PostgreSQL only
            # (migration 0002), which serves Django's icontains.
        ]

    def __str__(self):
        return f"{self.nama_lengkap} ({self.nip})"

    def masa_kerja_golongan(self, pada):
        """(tahun, bulan) of masa kerja golongan on ``pada``, or None without a golongan."""
        if self.mkg_mulai is None:
            return None
        months = (pada.year - self.mkg_mulai.year) * 12 + pada.month - self.mkg_mulai.month
        if pada.day < self.mkg_mulai.day:
            months -= 1
        return divmod(max(months, 0), 12)

    @property
    def nama_lengkap(self):
        depan = f"{self.gelar_depan} " if self.gelar_depan else ""
        belakang = f", {self.gelar_belakang}" if self.gelar_belakang else ""
        return f"{depan}{self.nama}{belakang}"

    @property
    def nip_display(self):
        return format_nip(self.nip)


class RiwayatQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(pegawai__in=Pegawai.objects.filter(user.scope.pegawai_q()).values("pk"))

    def manageable_by(self, user):
        return self.filter(pegawai__in=Pegawai.objects.filter(user.scope.pegawai_manage_q()).values("pk"))


class RiwayatJabatan(TimeStampedModel):
    class JenisPenugasan(models.TextChoices):
        DEFINITIF = "definitif", "Definitif"
        PLT = "plt", "Plt"
        PLH = "plh", "Plh"
        PJ = "pj", "Pj"
        TUGAS_TAMBAHAN = "tugas_tambahan", "Tugas tambahan"

    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="riwayat_jabatan")
    jabatan = models.ForeignKey(Jabatan, verbose_name="jabatan", on_delete=models.PROTECT, related_name="+")
    # Snapshot, so renaming or moving a jabatan later does not rewrite history.
    nama_jabatan = models.CharField("nama jabatan", max_length=255)
    nama_unit_kerja = models.CharField("unit kerja", max_length=200)
    jenis_penugasan = models.CharField(
        "jenis penugasan", max_length=20, choices=JenisPenugasan.choices, default=JenisPenugasan.DEFINITIF
    )
    tmt = models.DateField("TMT")
    tanggal_selesai = models.DateField("tanggal selesai", null=True, blank=True)
    nomor_sk = models.CharField("nomor SK", max_length=100, blank=True)
    tanggal_sk = models.DateField("tanggal SK", null=True, blank=True)

    objects = RiwayatQuerySet.as_manager()

    class Meta:
        verbose_name = "riwayat jabatan"
        verbose_name_plural = "riwayat jabatan"
        ordering = ["-tmt", "-id"]
        indexes = [models.Index(fields=["pegawai", "-tmt"], name="riwayatjabatan_pegawai_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(tanggal_selesai__isnull=True) | Q(tanggal_selesai__gte=models.F("tmt")),
                name="riwayatjabatan_selesai_after_tmt",
                violation_error_message="Tanggal selesai tidak boleh sebelum TMT.",
            ),
        ]

    def __str__(self):
        return f"{self.nama_jabatan} (TMT {self.tmt:%d-%m-%Y})"


class RiwayatPangkat(TimeStampedModel):
    class JenisKP(models.TextChoices):
        CPNS = "cpns", "Pengangkatan CPNS/PPPK"
        PNS = "pns", "Pengangkatan PNS"
        REGULER = "reguler", "Kenaikan pangkat reguler"
        PILIHAN = "pilihan", "Kenaikan pangkat pilihan"
        PENYESUAIAN = "penyesuaian", "Penyesuaian ijazah"
        LAINNYA = "lainnya", "Lainnya"

    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="riwayat_pangkat")
    golongan = models.ForeignKey(Golongan, verbose_name="golongan", on_delete=models.PROTECT, related_name="+")
    jenis_kp = models.CharField("jenis kenaikan", max_length=20, choices=JenisKP.choices, default=JenisKP.REGULER)
    tmt = models.DateField("TMT")
    masa_kerja_tahun = models.PositiveSmallIntegerField("masa kerja (tahun)", default=0)
    masa_kerja_bulan = models.PositiveSmallIntegerField("masa kerja (bulan)", default=0)
    nomor_sk = models.CharField("nomor SK", max_length=100, blank=True)
    tanggal_sk = models.DateField("tanggal SK", null=True, blank=True)

    objects = RiwayatQuerySet.as_manager()

    class Meta:
        verbose_name = "riwayat pangkat"
        verbose_name_plural = "riwayat pangkat"
        ordering = ["-tmt", "-id"]
        indexes = [models.Index(fields=["pegawai", "-tmt"], name="riwayatpangkat_pegawai_idx")]
        constraints = [
            models.UniqueConstraint(fields=["pegawai", "golongan", "tmt"], name="riwayatpangkat_unique"),
            models.CheckConstraint(
                condition=Q(masa_kerja_bulan__lte=11),
                name="riwayatpangkat_bulan_0_11",
                violation_error_message="Masa kerja bulan harus 0 sampai 11.",
            ),
        ]

    def __str__(self):
        return f"{self.golongan} (TMT {self.tmt:%d-%m-%Y})"


class RiwayatPendidikan(TimeStampedModel):
    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="riwayat_pendidikan")
    tingkat = models.CharField("tingkat", max_length=3, choices=TingkatPendidikan.choices)
    jurusan = models.CharField("jurusan", max_length=150, blank=True)
    institusi = models.CharField("institusi", max_length=200)
    tahun_lulus = models.PositiveSmallIntegerField("tahun lulus")
    nomor_ijazah = models.CharField("nomor ijazah", max_length=100, blank=True)

    objects = RiwayatQuerySet.as_manager()

    class Meta:
        verbose_name = "riwayat pendidikan"
        verbose_name_plural = "riwayat pendidikan"
        ordering = ["-tahun_lulus", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tahun_lulus__gte=1940) & Q(tahun_lulus__lte=2100),
                name="riwayatpendidikan_tahun_range",
                violation_error_message="Tahun lulus tidak masuk akal.",
            ),
        ]

    def __str__(self):
        return f"{self.get_tingkat_display()} {self.jurusan} {self.institusi} ({self.tahun_lulus})"


class RiwayatPenghargaan(TimeStampedModel):
    """Awards: Satyalancana Karya Satya, ASN teladan, recognition of high performers."""

    class Jenis(models.TextChoices):
        SATYALANCANA_10 = "satyalancana_10", "Satyalancana Karya Satya X Tahun"
        SATYALANCANA_20 = "satyalancana_20", "Satyalancana Karya Satya XX Tahun"
        SATYALANCANA_30 = "satyalancana_30", "Satyalancana Karya Satya XXX Tahun"
        ASN_TELADAN = "asn_teladan", "ASN teladan"
        KINERJA = "kinerja", "Penghargaan kinerja"
        INOVASI = "inovasi", "Penghargaan inovasi"
        LAINNYA = "lainnya", "Lainnya"

    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="riwayat_penghargaan")
    jenis = models.CharField("jenis", max_length=20, choices=Jenis.choices)
    nama = models.CharField("nama penghargaan", max_length=255)
    pemberi = models.CharField("pemberi", max_length=200, help_text="Mis. Presiden RI, Wali Kota, Gubernur.")
    tanggal = models.DateField("tanggal")
    nomor_sk = models.CharField("nomor SK/keputusan", max_length=100, blank=True)

    objects = RiwayatQuerySet.as_manager()

    class Meta:
        verbose_name = "riwayat penghargaan"
        verbose_name_plural = "riwayat penghargaan"
        ordering = ["-tanggal", "-id"]
        indexes = [models.Index(fields=["pegawai", "-tanggal"], name="riwayatpenghargaan_pegawai_idx")]

    def __str__(self):
        return f"{self.nama} ({self.tanggal:%Y})"


class HukumanQuerySet(RiwayatQuerySet):
    def visible_to(self, user):
        """A disciplinary record is personal: the pegawai and the staff who manage them, not the atasan."""
        return self.filter(pegawai__in=Pegawai.objects.filter(user.scope.personal_data_q()).values("pk"))


class RiwayatHukumanDisiplin(TimeStampedModel):
    """A disciplinary penalty (PP 94/2021; the PP 53/2010 kinds for older records) with the period
    it runs and whether it postpones kenaikan pangkat or KGB."""

    class Tingkat(models.TextChoices):
        RINGAN = "ringan", "Ringan"
        SEDANG = "sedang", "Sedang"
        BERAT = "berat", "Berat"

    class Jenis(models.TextChoices):
        TEGURAN_LISAN = "teguran_lisan", "Teguran lisan"
        TEGURAN_TERTULIS = "teguran_tertulis", "Teguran tertulis"
        PERNYATAAN_TIDAK_PUAS = "tidak_puas", "Pernyataan tidak puas secara tertulis"
        POTONG_TUKIN_6 = "potong_tukin_6", "Pemotongan tunjangan kinerja 25% selama 6 bulan"
        POTONG_TUKIN_9 = "potong_tukin_9", "Pemotongan tunjangan kinerja 25% selama 9 bulan"
        POTONG_TUKIN_12 = "potong_tukin_12", "Pemotongan tunjangan kinerja 25% selama 12 bulan"
        PENURUNAN_JABATAN = "penurunan_jabatan", "Penurunan jabatan setingkat lebih rendah selama 12 bulan"
        PEMBEBASAN_JABATAN = "pembebasan_jabatan", "Pembebasan dari jabatan menjadi jabatan pelaksana selama 12 bulan"
        PEMBERHENTIAN = "pemberhentian", "Pemberhentian dengan hormat tidak atas permintaan sendiri"
        PENUNDAAN_KGB = "penundaan_kgb", "Penundaan kenaikan gaji berkala selama 1 tahun (PP 53/2010)"
        PENUNDAAN_KP = "penundaan_kp", "Penundaan kenaikan pangkat selama 1 tahun (PP 53/2010)"
        PENURUNAN_PANGKAT = "penurunan_pangkat", "Penurunan pangkat setingkat lebih rendah (PP 53/2010)"

    TINGKAT = {
        Jenis.TEGURAN_LISAN: Tingkat.RINGAN,
        Jenis.TEGURAN_TERTULIS: Tingkat.RINGAN,
        Jenis.PERNYATAAN_TIDAK_PUAS: Tingkat.RINGAN,
        Jenis.POTONG_TUKIN_6: Tingkat.SEDANG,
        Jenis.POTONG_TUKIN_9: Tingkat.SEDANG,
        Jenis.POTONG_TUKIN_12: Tingkat.SEDANG,
        Jenis.PENUNDAAN_KGB: Tingkat.SEDANG,
        Jenis.PENUNDAAN_KP: Tingkat.SEDANG,
        Jenis.PENURUNAN_PANGKAT: Tingkat.BERAT,
        Jenis.PENURUNAN_JABATAN: Tingkat.BERAT,
        Jenis.PEMBEBASAN_JABATAN: Tingkat.BERAT,
        Jenis.PEMBERHENTIAN: Tingkat.BERAT,
    }

    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="riwayat_hukuman_disiplin")
    jenis = models.CharField("jenis hukuman", max_length=20, choices=Jenis.choices)
    tingkat = models.CharField("tingkat", max_length=10, choices=Tingkat.choices, editable=False)
    tanggal_mulai = models.DateField("berlaku mulai")
    tanggal_selesai = models.DateField(
        "berlaku sampai", null=True, blank=True, help_text="Kosongkan untuk hukuman yang tidak berjangka waktu."
    )
    menunda_kp = models.BooleanField(
        "menunda kenaikan pangkat", help_text="Kenaikan pangkat tidak diberikan selama hukuman berlaku."
    )
    menunda_kgb = models.BooleanField(
        "menunda KGB", help_text="Kenaikan gaji berkala tidak diberikan selama hukuman berlaku."
    )
    pelanggaran = models.TextField("pelanggaran", blank=True)
    nomor_sk = models.CharField("nomor SK", max_length=100)
    tanggal_sk = models.DateField("tanggal SK")

    objects = HukumanQuerySet.as_manager()

    class Meta:
        verbose_name = "riwayat hukuman disiplin"
        verbose_name_plural = "riwayat hukuman disiplin"
        ordering = ["-tanggal_mulai", "-id"]
        indexes = [models.Index(fields=["pegawai", "-tanggal_mulai"], name="riwayathukdis_pegawai_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(tanggal_selesai__isnull=True) | Q(tanggal_selesai__gte=models.F("tanggal_mulai")),
                name="riwayathukdis_selesai_after_mulai",
                violation_error_message="Tanggal berlaku sampai tidak boleh sebelum tanggal mulai.",
            ),
        ]

    def __str__(self):
        return f"{self.get_jenis_display()} ({self.tanggal_mulai:%d-%m-%Y})"

    def save(self, *args, **kwargs):
        self.tingkat = self.TINGKAT[self.jenis]
        super().save(*args, **kwargs)

    @classmethod
    def default_penundaan(cls, jenis):
        """(menunda_kp, menunda_kgb) a kind usually carries: a sedang or berat penalty holds back
        kenaikan pangkat while it runs; the PP 53/2010 KGB postponement holds back the KGB."""
        tingkat = cls.TINGKAT[jenis]
        menunda_kp = tingkat != cls.Tingkat.RINGAN and jenis != cls.Jenis.PENUNDAAN_KGB
        menunda_kgb = jenis in (cls.Jenis.PENUNDAAN_KGB, cls.Jenis.PENURUNAN_PANGKAT)
        return menunda_kp, menunda_kgb

    def berlaku_pada(self, tanggal):
        return self.tanggal_mulai <= tanggal and (self.tanggal_selesai is None or tanggal <= self.tanggal_selesai)
